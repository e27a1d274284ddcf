"""Outgoing documents before and after release (issue 15 item 3; Decree 30 Art. 10–16, Appendix I §II.7).

- **Draft** (anyone of the drafting unit): the type, subject, marks, the issuing unit (a unit with a
  seal), the reviewer (head of the drafting unit: a manager over it; none: straight to the signer), the
  signing leader (a manager over the issuing unit) with the signing prefix (TM., KT., TL., TUQ., Q.: data,
  hub migration 0505; TUQ. names its authorisation, Art. 13), recipients inside (CCES units with a seal)
  and outside (by name). Each uploaded file is a new version in the content-addressed store; comments
  may name a version.
- **Chain**: submit → (reviewer: forward | return) → (signer: approve | return) → (văn thư: release |
  return). A returned draft is edited and submitted again. Each step is kept (`document_draft_steps`),
  audited, and tells whoever is next through the notification inbox.
- **Release** (văn thư over the issuing unit): the number is taken then, through the registers' locked
  counter (hub.documents.service.release_in): gap-free, and a failure (signing included) gives it back.
  The last version is the released file; when the agency's key is set ([documents] signing_key/cert) it
  must be a PDF and is signed (PAdES) with the number and symbol inside the signature, after the number
  is taken and before anything is written. Recipients inside get it in their incoming registers with
  the same file; a draft that revokes, replaces or updates a document freezes that one in the same
  transaction.
- **Revocation, replacement, update** of a released document (văn thư or manager over its unit): the
  original and its delivered incoming copies are frozen (no further change: 409 in Vietnamese and
  English; a trigger refuses any write too) and the link is kept both ways (`document_links`), audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import load_principal
from hub.documents import access, intake
from hub.documents import repository as docs_repo
from hub.documents.files import PDF, Upload
from hub.documents.handling.service import member_paths
from hub.documents.models import LOCAL, Direction, Document, Secrecy, Urgency, both, frozen_error, number_line
from hub.documents.outgoing import repository as repo
from hub.documents.outgoing.models import (
    EDITABLE,
    FROZEN_KIND,
    DocumentLink,
    Draft,
    DraftConflict,
    DraftError,
    DraftState,
    InboxItem,
    LinkKind,
    Recipient,
    ReleasedDraft,
    SigningPrefix,
    UnknownDraft,
)
from hub.documents.service import DocumentsService, _group
from hub.documents.signatures import AgencySigner, check_pdf, load_trust_roots
from hub.documents.stamp import Stamp
from hub.notifications.models import Message
from hub.notifications.service import notify

DRAFTS = "documents.drafts"  # notification category (migration 0505)
MAX_RECIPIENTS = 200
MAX_INBOX = 500
LINK_AUDIT = {LinkKind.REVOKES: "documents.revoke", LinkKind.REPLACES: "documents.replace",
              LinkKind.UPDATES: "documents.update"}  # fmt: skip
STEP_AUDIT = {"submit": "documents.draft_submit", "forward": "documents.draft_forward",
              "approve": "documents.draft_approve", "return": "documents.draft_return"}  # fmt: skip


def _text(value: str | None, field_vi: str, field_en: str, limit: int, *, required: bool = True,
          lines: bool = False) -> str | None:  # fmt: skip
    text = (value or "").strip()
    if not text:
        if required:
            raise DraftError(both(f"thiếu {field_vi}", f"{field_en} is required"))
        return None
    allowed = "\n\t" if lines else ""
    if len(text) > limit or any(ord(c) < 32 and c not in allowed for c in text):
        raise DraftError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


class OutgoingService:
    def __init__(self, documents: DocumentsService, signer: AgencySigner | None = None) -> None:
        self.documents = documents
        self.signer = signer  # the agency's key and certificate (hub.runtime sets it from the settings)

    @property
    def pool(self) -> ConnectionPool:
        return self.documents.pool

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.documents.clock

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    # --- reference -----------------------------------------------------------------------------------

    def prefixes(self) -> list[SigningPrefix]:
        with self.pool.connection() as conn:
            return repo.prefixes(conn)

    # --- drafting ------------------------------------------------------------------------------------

    def create(
        self, principal: Principal, unit_code: str, *, type_key: str, subject: str, signer: str,
        signer_position: str, signer_name: str, drafting_unit_code: str | None = None, reviewer: str | None = None,
        signing_prefix: str | None = None, authority_title: str | None = None, delegation: str | None = None,
        drafter_notation: str | None = None, secrecy: int = 0, urgency: int = 0,
        recipients: Sequence[Recipient] = (), relates_kind: LinkKind | str | None = None,
        relates_to: int | None = None, file: Upload | None = None, note: str | None = None,
        client_ip: str | None = None,
    ) -> Draft:  # fmt: skip
        """A new draft of an outgoing document of `unit_code` (the issuing unit, with a seal), drafted in
        `drafting_unit_code` (default: the issuing unit) by someone of that unit; `file`: its version 1."""
        stored = self._store(file)
        with self.pool.connection() as conn, conn.transaction():
            gate.check(principal, access.DRAFT)
            values = self._values(
                conn, principal, unit_code=unit_code, drafting_unit_code=drafting_unit_code or unit_code,
                type_key=type_key, subject=subject, signer=signer, signer_position=signer_position,
                signer_name=signer_name, reviewer=reviewer, signing_prefix=signing_prefix,
                authority_title=authority_title, delegation=delegation, drafter_notation=drafter_notation,
                secrecy=secrecy, urgency=urgency, relates_kind=relates_kind, relates_to=relates_to,
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
        the units; `recipients` replaces the list."""
        with self.pool.connection() as conn, conn.transaction():
            before = self._editable(conn, principal, draft_id)
            current = {
                "type_key": before.type_key, "subject": before.subject, "signer": before.signer,
                "signer_position": before.signer_position, "signer_name": before.signer_name,
                "reviewer": before.reviewer, "signing_prefix": before.signing_prefix,
                "authority_title": before.authority_title, "delegation": before.delegation,
                "drafter_notation": before.drafter_notation, "secrecy": int(before.secrecy),
                "urgency": int(before.urgency), "relates_kind": before.relates_kind, "relates_to": before.relates_to,
            }  # fmt: skip
            unknown = set(fields) - set(current)
            if unknown:
                raise DraftError(both(f"không sửa được: {sorted(unknown)}", f"cannot change: {sorted(unknown)}"))
            values = self._values(
                conn, principal, unit_code=before.unit_code, drafting_unit_code=before.drafting_unit_code,
                **(current | fields),
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

    # --- the chain -----------------------------------------------------------------------------------

    def submit(self, principal: Principal, draft_id: int, *, note: str | None = None,
               client_ip: str | None = None) -> Draft:  # fmt: skip
        """The drafter sends the draft on: to the reviewer, or to the signer when there is none."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._editable(conn, principal, draft_id)
            if found.latest is None:
                raise DraftError(both("dự thảo chưa có tệp", "the draft has no file yet"))
            target = DraftState.REVIEWING if found.reviewer_user_id else DraftState.SIGNING
            return self._step(conn, principal, found, "submit", target, note, client_ip)

    def forward(self, principal: Principal, draft_id: int, *, note: str | None = None,
                client_ip: str | None = None) -> Draft:  # fmt: skip
        """The head of the drafting unit passes the draft to the signing leader."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._turn(conn, principal, draft_id, DraftState.REVIEWING)
            return self._step(conn, principal, found, "forward", DraftState.SIGNING, note, client_ip)

    def approve(self, principal: Principal, draft_id: int, *, note: str | None = None,
                client_ip: str | None = None) -> Draft:  # fmt: skip
        """The signing leader approves: the văn thư may release it."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._turn(conn, principal, draft_id, DraftState.SIGNING)
            return self._step(conn, principal, found, "approve", DraftState.APPROVED, note, client_ip)

    def return_(self, principal: Principal, draft_id: int, *, note: str, client_ip: str | None = None) -> Draft:
        """Back to the drafter for editing, with the reason: by the reviewer, the signer or the văn thư,
        each at their own step."""
        text = _text(note, "lý do trả lại", "reason for returning", 2000, lines=True)
        with self.pool.connection() as conn, conn.transaction():
            state = repo.lock_state(conn, draft_id)
            if state is None:
                raise _missing(draft_id)
            if state not in (DraftState.REVIEWING, DraftState.SIGNING, DraftState.APPROVED):
                raise _wrong_state(draft_id, state)
            found = self._turn(conn, principal, draft_id, state)
            return self._step(conn, principal, found, "return", DraftState.RETURNED, text, client_ip)

    def release(
        self, principal: Principal, draft_id: int, *, series_code: str | None = None, place: str | None = None,
        client_ip: str | None = None, fail_after_number: Callable[[psycopg.Connection], Any] | None = None,
    ) -> Document:  # fmt: skip
        """The văn thư releases an approved draft: the number is taken now, the PDF signed with the agency's
        certificate (when set), the document registered with its file and delivered to the recipients inside;
        a revocation, replacement or update it carries freezes its original. One transaction."""
        store = self.documents.store
        if store is None:
            raise DraftError(both("máy chủ này không lưu tệp văn bản", "this hub process stores no document files"))
        with self.pool.connection() as conn:
            with conn.transaction():
                state = repo.lock_state(conn, draft_id)
                if state is None:
                    raise _missing(draft_id)
                found = self._readable(conn, principal, draft_id)
                gate.check(principal, access.RELEASE, Target.unit(found.unit_path))
                if state is not DraftState.APPROVED:
                    raise _wrong_state(draft_id, state)
                latest = found.latest
                assert latest is not None  # submitted drafts have a file
                data = store.get(latest.sha256)
                if self.signer is not None and latest.content_type != PDF:
                    raise DraftError(
                        both(
                            "văn bản phát hành điện tử phải là tệp PDF để ký số",
                            "an electronically released document must be a PDF to be signed",
                        )
                    )
                if found.relates_to is not None and found.relates_kind is not None:
                    self._original(conn, principal, found.relates_to)
                signed: dict[str, bytes] = {}

                def sign(number_and_symbol: str, where: str) -> None:
                    if self.signer is not None:
                        seen = Stamp(found.signer_name, _signer_position(found), f"Số: {number_and_symbol}",
                                     self.clock())  # fmt: skip
                        signed["pdf"] = self.signer.sign(
                            data, reason=f"Số: {number_and_symbol}", location=where, name=found.signer_name, stamp=seen
                        )

                sent, delivered = self.documents.release_in(
                    conn, principal, found.unit_code, type_key=found.type_key, subject=found.subject,
                    drafter=found.drafter_notation, place=place, secrecy=int(found.secrecy),
                    urgency=int(found.urgency), series_code=series_code,
                    recipients=[r.unit_code for r in found.recipients if r.unit_code],
                    metadata={"signer_position": _signer_position(found), "signer_name": found.signer_name,
                              "to_places": found.to_places[:1000]},
                    client_ip=client_ip, fail_after_number=fail_after_number, before_insert=sign,
                )  # fmt: skip
                final = signed.get("pdf", data)
                sha = store.put(final) if final is not data else latest.sha256
                checks = tuple(check_pdf(final, self._roots())) if latest.content_type == PDF and signed else ()
                file = intake.StoredFile(latest.filename, sha, latest.content_type, len(final), checks)
                now = self.clock()
                for doc in (sent, *delivered):
                    intake.attach(conn, doc.id, [file], principal.username, now)
                if found.relates_to is not None and found.relates_kind is not None:
                    self._link(conn, principal, client_ip, found.relates_kind, found.relates_to, sent.id,
                               f"{found.subject} (dự thảo {found.id})", found.unit_path)  # fmt: skip
                repo.set_released(conn, draft_id, sent.id, now)
                repo.add_step(conn, draft_id, "release", state, DraftState.RELEASED, now, principal.username, None)
                audit.record(
                    conn, Actor.of(principal, client_ip), "documents.release", "document_draft", draft_id,
                    after={"document": sent.id, "number": sent.number_line, "signed": bool(signed),
                           "delivered": [d.id for d in delivered], "sha256": sha},
                    unit_path=found.unit_path,
                )  # fmt: skip
                self._tell(conn, [found.created_by_user_id or 0],
                           (f"Văn bản đã phát hành: {sent.number_line}", f"Document released: {sent.number_line}"),
                           found)  # fmt: skip
                result = docs_repo.document(conn, sent.id)
                assert result is not None
        if self.documents.defer_text is not None:
            self.documents.defer_text()  # the released file's text joins the search entry
        return result

    # --- reading -------------------------------------------------------------------------------------

    def draft(self, principal: Principal, draft_id: int) -> Draft:
        with self.pool.connection() as conn:
            return self._readable(conn, principal, draft_id)

    def version_file(self, principal: Principal, draft_id: int, version: int) -> tuple[Any, bytes]:
        """A version's record and bytes (for the browser's preview or a download)."""
        found = self.draft(principal, draft_id)
        for v in found.versions:
            if v.version == version and self.documents.store is not None:
                return v, self.documents.store.get(v.sha256)
        raise UnknownDraft(
            both(f"dự thảo {draft_id} không có phiên bản {version}", f"draft {draft_id} has no version {version}")
        )

    def inbox(self, principal: Principal, *, limit: int = 100) -> list[InboxItem]:
        """The drafts waiting for the caller (to review, to sign, to release, to edit after a return) and
        the caller's own drafts in the chain."""
        gate.check(principal, access.DRAFT)
        if not 1 <= limit <= MAX_INBOX:
            raise DraftError(both(f"từ 1 đến {MAX_INBOX} dự thảo", f"1 to {MAX_INBOX} drafts"))
        reach = gate.reach(principal, access.RELEASE)
        with self.pool.connection() as conn:
            found = repo.drafts_for(
                conn, user_id=principal.user_id, register_paths=None if reach is None else list(reach), limit=limit
            )
        items = []
        for d in found:
            if d.state is DraftState.REVIEWING and d.reviewer_user_id == principal.user_id:
                waiting = "review"
            elif d.state is DraftState.SIGNING and d.signer_user_id == principal.user_id:
                waiting = "sign"
            elif d.state is DraftState.APPROVED and principal.can_in_unit(d.unit_path, *access.REGISTRARS):
                waiting = "release"
            elif d.state in EDITABLE and d.created_by_user_id == principal.user_id:
                waiting = "edit"
            else:
                waiting = "others"  # the caller's own draft, waiting for someone else
            items.append(InboxItem(d, waiting))
        return items

    def released(self, principal: Principal, *, limit: int = 100) -> list[ReleasedDraft]:
        """The released drafts the caller took part in (drafted, reviewed, signed, or of a unit they release
        documents of), newest first, each with the number it got."""
        gate.check(principal, access.DRAFT)
        if not 1 <= limit <= MAX_INBOX:
            raise DraftError(both(f"từ 1 đến {MAX_INBOX} dự thảo", f"1 to {MAX_INBOX} drafts"))
        reach = gate.reach(principal, access.RELEASE)
        with self.pool.connection() as conn:
            found = repo.released_for(
                conn, user_id=principal.user_id, register_paths=None if reach is None else list(reach), limit=limit
            )
        return [ReleasedDraft(d, number_line(n, s)) for d, n, s in found]

    def links(self, principal: Principal, document_id: int) -> list[DocumentLink]:
        """The document's trail: what revoked, replaced or updated it, and what it revoked, replaced, updated."""
        with self.pool.connection() as conn:
            self.documents._visible(conn, principal, document_id)
            return repo.links_of(conn, document_id)

    # --- revocation, replacement, update ----------------------------------------------------------

    def revoke(
        self, principal: Principal, document_id: int, *, reason: str, kind: LinkKind | str = LinkKind.REVOKES,
        by_document_id: int | None = None, client_ip: str | None = None,
    ) -> DocumentLink:  # fmt: skip
        """Revoke a released outgoing document (or record that `by_document_id`, a released one, replaces or
        updates it): the original and its delivered copies are frozen, the link kept and audited."""
        link_kind = _link_kind(kind)
        text = _text(reason, "lý do", "reason", 2000, lines=True)
        assert text is not None
        if link_kind is not LinkKind.REVOKES and by_document_id is None:
            raise DraftError(
                both("thay thế, sửa đổi cần văn bản mới", "a replacement or update names the new document")
            )
        with self.pool.connection() as conn, conn.transaction():
            original = self._original(conn, principal, document_id)
            if by_document_id is not None:
                if by_document_id == document_id:
                    raise DraftError(both("văn bản không tự thay thế mình", "a document does not replace itself"))
                newer = self._original(conn, principal, by_document_id)
                if newer.unit_code != original.unit_code:
                    raise DraftError(
                        both("văn bản mới phải của cùng cơ quan ban hành", "the new document is of the same issuer")
                    )
            unit_path = docs_repo.unit_path(conn, original.unit_code) or ""
            return self._link(conn, principal, client_ip, link_kind, document_id, by_document_id, text, unit_path)

    # --- helpers -------------------------------------------------------------------------------------

    def _store(self, file: Upload | None) -> tuple[str, str, str, int] | None:
        """(sha256, name, content type, size) of a checked, scanned and stored file."""
        if file is None:
            return None
        stored = intake.check_and_store(
            [file], self.documents.file_rules, self.documents.store, self.documents.work_dir
        )
        f = stored[0]
        return f.sha256, f.name, f.content_type, f.size

    def _roots(self) -> list[Any]:
        rules = self.documents.file_rules
        return load_trust_roots([rules.trust_roots]) if rules is not None and rules.trust_roots else []

    def _values(
        self, conn: psycopg.Connection, principal: Principal, *, unit_code: str, drafting_unit_code: str,
        type_key: str, subject: str, signer: str, signer_position: str, signer_name: str, reviewer: str | None,
        signing_prefix: str | None, authority_title: str | None, delegation: str | None,
        drafter_notation: str | None, secrecy: int, urgency: int, relates_kind: LinkKind | str | None,
        relates_to: int | None,
    ) -> dict[str, Any]:  # fmt: skip
        today = self.today()
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

    def _readable(self, conn: psycopg.Connection, principal: Principal, draft_id: int) -> Draft:
        gate.check(principal, access.DRAFT)
        found = repo.draft(conn, draft_id)
        if found is None:
            raise _missing(draft_id)
        uid = principal.user_id
        if (
            principal.is_system_admin
            or (uid and uid in (found.created_by_user_id, found.reviewer_user_id, found.signer_user_id))
            or principal.can_in_unit(found.unit_path, *access.REGISTRARS)
            or principal.can_in_unit(found.drafting_unit_path, Role.MANAGER)
        ):
            return found
        raise _missing(draft_id)

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

    def _turn(self, conn: psycopg.Connection, principal: Principal, draft_id: int, expected: DraftState) -> Draft:
        """The draft, locked, when it is in `expected` and it is the caller's turn there."""
        state = repo.lock_state(conn, draft_id)
        found = self._readable(conn, principal, draft_id)
        if state is not expected:
            raise _wrong_state(draft_id, state)
        if expected is DraftState.REVIEWING:
            gate.check(principal, access.REVIEW_DRAFT, Target.unit(found.drafting_unit_path))
            mine = found.reviewer_user_id == principal.user_id
        elif expected is DraftState.SIGNING:
            gate.check(principal, access.SIGN_DRAFT, Target.unit(found.unit_path))
            mine = found.signer_user_id == principal.user_id
        else:
            gate.check(principal, access.RELEASE, Target.unit(found.unit_path))
            mine = True
        if not mine and not principal.is_system_admin:
            raise DraftConflict(
                both(f"dự thảo {draft_id} không chờ anh/chị ở bước này", f"draft {draft_id} is not waiting for you")
            )
        return found

    def _step(
        self, conn: psycopg.Connection, principal: Principal, found: Draft, step: str, target: DraftState,
        note: str | None, client_ip: str | None,
    ) -> Draft:  # fmt: skip
        text = _text(note, "ghi chú", "note", 2000, required=False, lines=True)
        repo.set_state(conn, found.id, target)
        repo.add_step(conn, found.id, step, found.state, target, self.clock(), principal.username, text)
        audit.record(
            conn, Actor.of(principal, client_ip), STEP_AUDIT[step], "document_draft", found.id,
            before={"state": found.state.value}, after={"state": target.value, "note": text},
            unit_path=found.unit_path,
        )  # fmt: skip
        after = repo.draft(conn, found.id)
        assert after is not None
        if target is DraftState.REVIEWING:
            people = [found.reviewer_user_id or 0]
            title = (f"Dự thảo chờ anh/chị duyệt: {found.subject}", f"A draft waits for your review: {found.subject}")
        elif target is DraftState.SIGNING:
            people = [found.signer_user_id]
            title = (f"Dự thảo chờ anh/chị ký: {found.subject}", f"A draft waits for your signature: {found.subject}")
        elif target is DraftState.APPROVED:
            people = repo.clerks_of(conn, found.unit_path)
            title = (f"Văn bản chờ phát hành: {found.subject}", f"A document waits for release: {found.subject}")
        else:
            people = [found.created_by_user_id or 0]
            title = (f"Dự thảo bị trả lại: {found.subject}", f"Draft returned: {found.subject}")
        self._tell(conn, people, title, after, text)
        return after

    def _tell(self, conn: psycopg.Connection, users: Sequence[int], title: tuple[str, str], draft: Draft,
              note: str | None = None) -> None:  # fmt: skip
        people = sorted({u for u in users if u})
        if people:
            body = f"{draft.type_name_vi}: {draft.subject}" + (f"\n{note}" if note else "")
            notify(conn, people, DRAFTS, Message.text(title[0][:200], title[1][:200], body[:1000], body[:1000]),
                   f"/documents/drafts?id={draft.id}", config=self.documents.handling.notify_config)  # fmt: skip

    def _original(self, conn: psycopg.Connection, principal: Principal, document_id: int, *,
                  check_access: bool = True) -> Document:  # fmt: skip
        """A released outgoing document that is not frozen (locked); 404 / 409 otherwise."""
        state = repo.frozen(conn, document_id, lock=True)
        found = docs_repo.document(conn, document_id) if state is not None else None
        if found is None:
            raise _no_document(document_id)
        if check_access:
            unit_path = docs_repo.unit_path(conn, found.unit_code) or ""
            gate.check(principal, access.REVOKE, Target.unit(unit_path))
        if found.direction is not Direction.OUTGOING:
            raise DraftError(
                both("chỉ thu hồi, thay thế, sửa đổi văn bản đi", "only outgoing documents are revoked or replaced")
            )
        if found.frozen_kind:
            raise frozen_error(document_id, found.frozen_kind)
        return found

    def _link(
        self, conn: psycopg.Connection, principal: Principal, client_ip: str | None, kind: LinkKind, target_id: int,
        document_id: int | None, reason: str, unit_path: str,
    ) -> DocumentLink:  # fmt: skip
        now = self.clock()
        link_id = repo.insert_link(conn, kind, target_id, document_id, reason, now, principal.username)
        if link_id is None:
            raise frozen_error(target_id, FROZEN_KIND[kind])
        copies = repo.delivered_copies(conn, target_id)
        repo.freeze(conn, [target_id, *copies], FROZEN_KIND[kind], now)
        audit.record(
            conn, Actor.of(principal, client_ip), LINK_AUDIT[kind], "document_link", link_id,
            after={"original": target_id, "by": document_id, "reason": reason, "copies": copies},
            unit_path=unit_path,
        )  # fmt: skip
        return DocumentLink(link_id, kind, target_id, document_id, reason, now, principal.username)


def _signer_position(d: Draft) -> str:
    return (f"{d.prefix_label} {d.authority_title} - {d.signer_position}" if d.prefix_label else d.signer_position)[
        :100
    ]


def _summary(d: Draft) -> dict[str, Any]:
    return {
        "unit": d.unit_code, "drafting_unit": d.drafting_unit_code, "type": d.type_key, "subject": d.subject,
        "secrecy": int(d.secrecy), "urgency": int(d.urgency), "reviewer": d.reviewer, "signer": d.signer,
        "prefix": d.signing_prefix, "recipients": [r.unit_code or r.organ_name for r in d.recipients],
        "relates": [d.relates_kind.value, d.relates_to] if d.relates_kind else None,
    }  # fmt: skip


def _level(value: int, vi: str, en: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 3:
        raise DraftError(both(f"{vi} từ 0 đến 3", f"{en} is 0 to 3"))
    return value


def _link_kind(value: LinkKind | str) -> LinkKind:
    try:
        return LinkKind(value)
    except ValueError:
        raise DraftError(
            both(f"loại liên kết không hợp lệ: {value!r}", f"invalid relation: {value!r} (revokes, replaces, updates)")
        ) from None


def _missing(draft_id: int) -> UnknownDraft:
    return UnknownDraft(both(f"không có dự thảo {draft_id}", f"no draft {draft_id}"))


def _no_document(document_id: int) -> UnknownDraft:
    return UnknownDraft(both(f"không có văn bản số {document_id}", f"no document {document_id}"))


def _wrong_state(draft_id: int, state: DraftState | None) -> DraftConflict:
    return DraftConflict(
        both(
            f"dự thảo {draft_id} đang ở bước {STATE_VI.get(state, '?')}, không làm được việc này",
            f"draft {draft_id} is {state.value if state else '?'}: this step does not apply",
        )
    )


STATE_VI = {
    DraftState.DRAFTING: "soạn thảo", DraftState.REVIEWING: "chờ lãnh đạo đơn vị duyệt",
    DraftState.SIGNING: "chờ lãnh đạo ký", DraftState.APPROVED: "chờ phát hành",
    DraftState.RETURNED: "trả lại để sửa", DraftState.RELEASED: "đã phát hành",
}  # fmt: skip
