"""Drafting outgoing documents (issue 15 item 3): a draft, its details, versions and comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import load_principal
from hub.documents import access, intake
from hub.documents import repository as docs_repo
from hub.documents.files import Upload
from hub.documents.handling.service import member_paths
from hub.documents.models import Secrecy, Urgency, both
from hub.documents.outgoing import repository as repo
from hub.documents.outgoing.base import OutgoingBase
from hub.documents.outgoing.models import (
    EDITABLE,
    Draft,
    DraftConflict,
    DraftError,
    DraftState,
    LinkKind,
    Recipient,
)
from hub.documents.outgoing.rules import (
    MAX_RECIPIENTS,
    _level,
    _link_kind,
    _reply_due,
    _summary,
    _text,
    _wrong_state,
)
from hub.documents.service import _group


class Drafting(OutgoingBase):
    """Drafts: created, edited, new versions of the file, comments (the drafter; comments: any participant)."""

    def create(
        self, principal: Principal, unit_code: str, *, type_key: str, subject: str, signer: str,
        signer_position: str, signer_name: str, drafting_unit_code: str | None = None, reviewer: str | None = None,
        signing_prefix: str | None = None, authority_title: str | None = None, delegation: str | None = None,
        drafter_notation: str | None = None, secrecy: int = 0, urgency: int = 0,
        recipients: Sequence[Recipient] = (), relates_kind: LinkKind | str | None = None,
        relates_to: int | None = None, reply_due: date | None = None, file: Upload | None = None,
        note: str | None = None, client_ip: str | None = None,
    ) -> Draft:  # fmt: skip
        """A new draft of an outgoing document of `unit_code` (the issuing unit, with a seal), drafted in
        `drafting_unit_code` (default: the issuing unit) by someone of that unit; `file`: its version 1;
        `reply_due`: the hạn trả lời it asks of its recipients (today to five years ahead; the document's
        due date at release)."""
        stored = self._store(file)
        with self.pool.connection() as conn, conn.transaction():
            gate.check(principal, access.DRAFT)
            values = self._values(
                conn, principal, unit_code=unit_code, drafting_unit_code=drafting_unit_code or unit_code,
                type_key=type_key, subject=subject, signer=signer, signer_position=signer_position,
                signer_name=signer_name, reviewer=reviewer, signing_prefix=signing_prefix,
                authority_title=authority_title, delegation=delegation, drafter_notation=drafter_notation,
                secrecy=secrecy, urgency=urgency, relates_kind=relates_kind, relates_to=relates_to,
                reply_due=reply_due,
            )  # fmt: skip
            rows = self._recipients(conn, recipients, values["unit_id"])
            draft_id = repo.insert_draft(conn, values, principal.username, principal.user_id, self.clock())
            repo.set_recipients(conn, draft_id, rows)
            if stored is not None:
                repo.add_version(conn, draft_id, *stored, principal.username, self.clock(), note)
            found = repo.draft(conn, draft_id)
            assert found is not None
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.draft_create", "document_draft", draft_id,
                after=_summary(found), unit_path=found.unit_path,
            )  # fmt: skip
            return found

    def edit(
        self, principal: Principal, draft_id: int, *, recipients: Sequence[Recipient] | None = None,
        client_ip: str | None = None, **fields: Any,
    ) -> Draft:  # fmt: skip
        """Change a draft's details (the drafter, while drafting or returned): any of create's fields but
        the units; `recipients` replaces the list. A hạn trả lời given anew is checked against today; one kept
        as it was stays (submit and release refuse it once it has passed)."""
        with self.pool.connection() as conn, conn.transaction():
            before = self._editable(conn, principal, draft_id)
            current = {
                "type_key": before.type_key, "subject": before.subject, "signer": before.signer,
                "signer_position": before.signer_position, "signer_name": before.signer_name,
                "reviewer": before.reviewer, "signing_prefix": before.signing_prefix,
                "authority_title": before.authority_title, "delegation": before.delegation,
                "drafter_notation": before.drafter_notation, "secrecy": int(before.secrecy),
                "urgency": int(before.urgency), "relates_kind": before.relates_kind, "relates_to": before.relates_to,
                "reply_due": before.reply_due,
            }  # fmt: skip
            unknown = set(fields) - set(current)
            if unknown:
                raise DraftError(both(f"không sửa được: {sorted(unknown)}", f"cannot change: {sorted(unknown)}"))
            values = self._values(
                conn, principal, unit_code=before.unit_code, drafting_unit_code=before.drafting_unit_code,
                kept_reply_due=before.reply_due, **(current | fields),
            )  # fmt: skip
            repo.update_draft(conn, draft_id, values)
            if recipients is not None:
                repo.set_recipients(conn, draft_id, self._recipients(conn, recipients, values["unit_id"]))
            after = repo.draft(conn, draft_id)
            assert after is not None
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.draft_edit", "document_draft", draft_id,
                before=_summary(before), after=_summary(after), unit_path=after.unit_path,
            )  # fmt: skip
            return after

    def add_version(
        self, principal: Principal, draft_id: int, file: Upload, *, note: str | None = None,
        client_ip: str | None = None,
    ) -> Draft:  # fmt: skip
        """A new version of the draft's file (the drafter, while drafting or returned)."""
        text = _text(note, "ghi chú phiên bản", "version note", 2000, required=False, lines=True)
        stored = self._store(file)
        assert stored is not None
        with self.pool.connection() as conn, conn.transaction():
            self._editable(conn, principal, draft_id)
            version = repo.add_version(conn, draft_id, *stored, principal.username, self.clock(), text)
            found = repo.draft(conn, draft_id)
            assert found is not None
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.draft_version", "document_draft", draft_id,
                after={"version": version, "sha256": stored[0], "filename": stored[1]}, unit_path=found.unit_path,
            )  # fmt: skip
            return found

    def comment(
        self, principal: Principal, draft_id: int, body: str, *, version: int | None = None,
        client_ip: str | None = None,
    ) -> Draft:  # fmt: skip
        """A comment on the draft (or on one version) by anyone taking part in it, until it is released."""
        text = _text(body, "góp ý", "comment", 4000, lines=True)
        assert text is not None
        with self.pool.connection() as conn, conn.transaction():
            state = repo.lock_state(conn, draft_id)
            found = self._readable(conn, principal, draft_id)
            if state is DraftState.RELEASED:
                raise DraftConflict(
                    both("dự thảo đã phát hành, không góp ý thêm", "the draft was released: no more comments")
                )
            if version is not None and all(v.version != version for v in found.versions):
                raise DraftError(both(f"không có phiên bản {version}", f"no version {version}"))
            repo.add_comment(conn, draft_id, version, self.clock(), principal.username, text)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.draft_comment", "document_draft", draft_id,
                after={"version": version, "comment": text}, unit_path=found.unit_path,
            )  # fmt: skip
            after = repo.draft(conn, draft_id)
            assert after is not None
            return after

    def _store(self, file: Upload | None) -> tuple[str, str, str, int] | None:
        """(sha256, name, content type, size) of a checked, scanned and stored file."""
        if file is None:
            return None
        stored = intake.check_and_store(
            [file], self.documents.file_rules, self.documents.store, self.documents.work_dir
        )
        f = stored[0]
        return f.sha256, f.name, f.content_type, f.size

    def _values(
        self, conn: psycopg.Connection, principal: Principal, *, unit_code: str, drafting_unit_code: str,
        type_key: str, subject: str, signer: str, signer_position: str, signer_name: str, reviewer: str | None,
        signing_prefix: str | None, authority_title: str | None, delegation: str | None,
        drafter_notation: str | None, secrecy: int, urgency: int, relates_kind: LinkKind | str | None,
        relates_to: int | None, reply_due: date | None, kept_reply_due: date | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        today = self.today()
        due = reply_due if reply_due is not None and reply_due == kept_reply_due else _reply_due(reply_due, today)
        issuer = docs_repo.issuer(conn, unit_code)
        if issuer is None or not issuer[1]:
            raise DraftError(
                both(f"đơn vị {unit_code} không có con dấu riêng", f"unit {unit_code} has no seal of its own")
            )
        drafting = repo.unit(conn, drafting_unit_code)
        if drafting is None:
            raise DraftError(both(f"không có đơn vị {drafting_unit_code!r}", f"no unit {drafting_unit_code!r}"))
        if not drafting[1].startswith(issuer[0].unit_path):
            raise DraftError(
                both(
                    f"đơn vị soạn thảo {drafting_unit_code} không thuộc {unit_code}",
                    f"the drafting unit {drafting_unit_code} is not part of {unit_code}",
                )
            )
        if not principal.is_system_admin and not any(drafting[1].startswith(p) for p in member_paths(principal)):
            raise DraftError(
                both(
                    f"chỉ người của đơn vị {drafting_unit_code} soạn thảo văn bản của đơn vị",
                    f"only people of {drafting_unit_code} draft its documents",
                )
            )
        doc_type = self.documents._type(conn, type_key, today)
        level = Secrecy(_level(secrecy, "độ mật", "secrecy"))
        signer_id = self._manager(conn, signer, issuer[0].unit_path, "người ký", "signer")
        reviewer_id = self._manager(conn, reviewer, drafting[1], "lãnh đạo đơn vị", "reviewer") if reviewer else None
        prefix = None
        if signing_prefix:
            prefix = next((p for p in repo.prefixes(conn) if signing_prefix in (p.code, p.label)), None)
            if prefix is None or not prefix.in_force(today):
                raise DraftError(
                    both(
                        f"không có thẩm quyền ký {signing_prefix!r} (TM., KT., TL., TUQ., Q.)",
                        f"no signing prefix {signing_prefix!r} (TM., KT., TL., TUQ., Q.)",
                    )
                )
        title = _text(authority_title, "chức danh người đứng đầu", "authority title", 100, required=prefix is not None)
        granted = _text(
            delegation, "văn bản ủy quyền", "authorisation", 500, required=bool(prefix and prefix.needs_delegation)
        )
        relation = _link_kind(relates_kind) if relates_kind else None
        if (relation is None) != (relates_to is None):
            raise DraftError(
                both("thu hồi, thay thế, sửa đổi cần cả loại và văn bản", "a relation names both its kind and document")
            )
        if relates_to is not None:
            self._original(conn, principal, relates_to, check_access=False)
        notation_group = _group(drafter_notation, "đơn vị soạn thảo", "drafting unit")
        return {
            "unit_id": issuer[0].unit_id, "drafting_unit_id": drafting[0], "drafter_notation": notation_group,
            "type_key": doc_type.key, "subject": _text(subject, "trích yếu", "subject", 500),
            "secrecy": level.value, "urgency": Urgency(_level(urgency, "độ khẩn", "urgency")).value,
            "reviewer_user_id": reviewer_id, "signer_user_id": signer_id,
            "signing_prefix": prefix.code if prefix else None, "authority_title": title if prefix else None,
            "signer_position": _text(signer_position, "chức vụ người ký", "signer's position", 100),
            "signer_name": _text(signer_name, "họ tên người ký", "signer's name", 50),
            "delegation": granted, "relates_kind": relation.value if relation else None, "relates_to": relates_to,
            "reply_due": due,
        }  # fmt: skip

    def _manager(self, conn: psycopg.Connection, username: str | None, unit_path: str, what_vi: str,
                 what_en: str) -> int:  # fmt: skip
        user = repo.user_id(conn, username or "")
        someone = load_principal(conn, user) if user is not None else None
        if someone is None or not someone.can_in_unit(unit_path, Role.MANAGER):
            raise DraftError(
                both(
                    f"{what_vi} {username!r} phải là tài khoản lãnh đạo của đơn vị",
                    f"the {what_en} {username!r} must be an account managing the unit",
                )
            )
        return user  # type: ignore[return-value]

    def _recipients(
        self, conn: psycopg.Connection, recipients: Sequence[Recipient], issuing_unit_id: int
    ) -> list[tuple[int | None, str | None, str | None]]:
        if len(recipients) > MAX_RECIPIENTS:
            raise DraftError(both(f"tối đa {MAX_RECIPIENTS} nơi nhận", f"at most {MAX_RECIPIENTS} recipients"))
        rows: list[tuple[int | None, str | None, str | None]] = []
        for r in recipients:
            if (r.unit_code is None) == (r.organ_name is None):
                raise DraftError(
                    both("mỗi nơi nhận là một đơn vị trong ngành hoặc một cơ quan ngoài",
                         "each recipient is a CCES unit or an outside organ")
                )  # fmt: skip
            if r.unit_code is not None:
                found = docs_repo.issuer(conn, r.unit_code)
                if found is None or not found[1]:
                    raise DraftError(
                        both(
                            f"nơi nhận {r.unit_code} không phải đơn vị có con dấu trong hệ thống",
                            f"recipient {r.unit_code} is not a CCES unit with a seal",
                        )
                    )
                if found[0].unit_id == issuing_unit_id or any(row[0] == found[0].unit_id for row in rows):
                    raise DraftError(
                        both("nơi nhận trùng hoặc là chính đơn vị ban hành", "a recipient repeats or is the issuer")
                    )
                rows.append((found[0].unit_id, None, None))
            else:
                name = _text(r.organ_name, "tên cơ quan nhận", "recipient organ", 200)
                organ = _text(r.organ_id, "mã định danh cơ quan nhận", "recipient organ id", 13, required=False)
                rows.append((None, name, organ))
        return rows

    def _editable(self, conn: psycopg.Connection, principal: Principal, draft_id: int) -> Draft:
        state = repo.lock_state(conn, draft_id)
        found = self._readable(conn, principal, draft_id)
        assert state is not None
        if found.created_by_user_id != principal.user_id and not principal.is_system_admin:
            raise DraftConflict(
                both("chỉ người soạn thảo sửa, trình dự thảo", "only the drafter edits and submits the draft")
            )
        if state not in EDITABLE:
            raise _wrong_state(draft_id, state)
        return found
