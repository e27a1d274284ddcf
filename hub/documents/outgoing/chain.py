"""The review and approval chain of an outgoing draft and its release with the number (issue 15 item 3)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access, intake
from hub.documents import repository as docs_repo
from hub.documents.files import PDF
from hub.documents.models import Document, both
from hub.documents.outgoing import repository as repo
from hub.documents.outgoing.base import OutgoingBase
from hub.documents.outgoing.models import (
    Draft,
    DraftConflict,
    DraftError,
    DraftState,
)
from hub.documents.outgoing.rules import (
    DRAFTS,
    _missing,
    _reply_still_open,
    _signer_position,
    _text,
    _wrong_state,
)
from hub.documents.signatures import check_pdf, load_trust_roots
from hub.documents.stamp import Stamp
from hub.notifications.models import Message
from hub.notifications.service import notify

# the audit action of each (at module level, where tests/ui/test_labels.py reads it)
STEP_AUDIT = {"submit": "documents.draft_submit", "forward": "documents.draft_forward",
              "approve": "documents.draft_approve", "return": "documents.draft_return"}  # fmt: skip


class Chain(OutgoingBase):
    """The chain: submit → forward → approve → release, or return; each step kept, audited and told."""

    def submit(self, principal: Principal, draft_id: int, *, note: str | None = None,
               client_ip: str | None = None) -> Draft:  # fmt: skip
        """The drafter sends the draft on: to the reviewer, or to the signer when there is none."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._editable(conn, principal, draft_id)
            if found.latest is None:
                raise DraftError(both("dự thảo chưa có tệp", "the draft has no file yet"))
            _reply_still_open(found, self.today())
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
        a revocation, replacement or update it carries freezes its original. One transaction. The draft's hạn
        trả lời becomes the document's due date, and its delivered copies' (the sender's DueDate)."""
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
                _reply_still_open(found, self.today())
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
                              "to_places": found.to_places[:1000], "due_date": found.reply_due},
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

    def _roots(self) -> list[Any]:
        rules = self.documents.file_rules
        return load_trust_roots([rules.trust_roots]) if rules is not None and rules.trust_roots else []

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
