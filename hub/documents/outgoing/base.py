"""The outgoing service's common part (hub.documents.outgoing.service composes it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role
from hub.documents import access
from hub.documents import repository as docs_repo
from hub.documents.models import LOCAL, Direction, Document, both, frozen_error
from hub.documents.outgoing import repository as repo
from hub.documents.outgoing.models import (
    FROZEN_KIND,
    DocumentLink,
    Draft,
    DraftError,
    LinkKind,
)
from hub.documents.outgoing.rules import (
    _missing,
    _no_document,
)
from hub.documents.service import DocumentsService
from hub.documents.signatures import AgencySigner

# the audit action of each (at module level, where tests/ui/test_labels.py reads it)
LINK_AUDIT = {LinkKind.REVOKES: "documents.revoke", LinkKind.REPLACES: "documents.replace",
              LinkKind.UPDATES: "documents.update"}  # fmt: skip


class OutgoingBase:
    """What every part of the outgoing service stands on: the documents service, the clock, reading a
    draft as a participant, an original to revoke or replace and the link that freezes it."""

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
