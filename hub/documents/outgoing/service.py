"""Outgoing documents before and after release (issue 15 item 3; Decree 30 Art. 10–16, Appendix I §II.7).

- **Draft** (anyone of the drafting unit): the type, subject, marks, the issuing unit (a unit with a
  seal), the reviewer (head of the drafting unit: a manager over it; none: straight to the signer), the
  signing leader (a manager over the issuing unit) with the signing prefix (TM., KT., TL., TUQ., Q.: data,
  hub migration 0505; TUQ. names its authorisation, Art. 13), recipients inside (CCES units with a seal)
  and outside (by name), and the hạn trả lời asked of them (optional: today in the unit's time to five years
  ahead, migration 0506). Each uploaded file is a new version in the content-addressed store; comments
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
  transaction. The hạn trả lời becomes the document's due date (and its copies'; the edXML DueDate); one that
  passed while the draft went up the chain is refused at submit and release until the drafter changes it.
- **Revocation, replacement, update** of a released document (văn thư or manager over its unit): the
  original and its delivered incoming copies are frozen (no further change: 409 in Vietnamese and
  English; a trigger refuses any write too) and the link is kept both ways (`document_links`), audited.

The parts: `rules.py` (constants, input checks, errors), `base.py` (reading a draft as a participant, the
original and its freezing link), `drafting.py`, `chain.py` (the steps and release); this module composes
them and reads (a draft, its versions, the inbox, the released list) and revokes. The API's bodies and answers
are in `schemas.py`, its routes in `api.py`.
"""

from __future__ import annotations

from typing import Any

from hub.access import gate
from hub.accounts.principal import Principal
from hub.documents import access
from hub.documents import repository as docs_repo
from hub.documents.models import both, number_line
from hub.documents.outgoing import repository as repo
from hub.documents.outgoing.chain import Chain
from hub.documents.outgoing.drafting import Drafting
from hub.documents.outgoing.models import (
    EDITABLE,
    DocumentLink,
    Draft,
    DraftError,
    DraftState,
    InboxItem,
    LinkKind,
    ReleasedDraft,
    SigningPrefix,
    UnknownDraft,
)
from hub.documents.outgoing.rules import (
    MAX_INBOX,
    MAX_RECIPIENTS,
    STATE_VI,
    _link_kind,
    _text,
)

__all__ = ["MAX_INBOX", "MAX_RECIPIENTS", "STATE_VI", "OutgoingService"]


class OutgoingService(Drafting, Chain):
    def prefixes(self) -> list[SigningPrefix]:
        with self.pool.connection() as conn:
            return repo.prefixes(conn)

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
