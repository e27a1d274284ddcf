"""Clearances and grants (issue 15 item 6), and the audit of every opening of a secret document.

The rule itself is hub.documents.secrecy.models (read there); hub.documents.secrecy.rules applies it
inside the callers' connections. Here: a system admin sets an account's clearance; a lãnh đạo over the
registering unit, cleared for the document's level, grants the document to another cleared account or
withdraws the grant. Each writes an audit row in its transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import repository as documents_repo
from hub.documents.models import Document, UnknownDocument, both
from hub.documents.secrecy import access, rules
from hub.documents.secrecy import repository as repo
from hub.documents.secrecy.models import Clearance, Grant, SecrecyError, UnknownAccount, level_of

MAX_TEXT = 500


def _text(value: str | None, limit: int) -> str | None:
    text = (value or "").strip() or None
    if text is not None and (len(text) > limit or any(ord(c) < 32 for c in text)):
        raise SecrecyError(
            both(
                f"tối đa {limit} ký tự, không có ký tự điều khiển", f"at most {limit} characters, no control characters"
            )
        )
    return text


def record_opening(
    conn: psycopg.Connection, principal: Principal, document: Document, unit_path: str, what: str,
    file_id: int | None = None, *, allowed: bool = True, client_ip: str | None = None,
) -> None:  # fmt: skip
    """One audit row for an opening of a secret document (`what`: document | file | text), or a refused try."""
    audit.record(
        conn, Actor.of(principal, client_ip),
        "documents.secret_open" if allowed else "documents.secret_refused", "document", document.id,
        after={"what": what, "file": file_id, "secrecy": int(document.secrecy), "number": document.number,
               "register": document.series_code, "year": document.year},
        unit_path=unit_path,
    )  # fmt: skip


class SecrecyService:
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    # --- clearances (system admin) ----------------------------------------------------------------------

    def clearances(self, principal: Principal) -> list[Clearance]:
        gate.check(principal, access.SET_CLEARANCE)
        with self.pool.connection() as conn:
            return repo.clearances(conn)

    def clearance(self, principal: Principal, username: str) -> Clearance:
        """One account's clearance: the system admin, or the account itself."""
        if username != principal.username:
            gate.check(principal, access.SET_CLEARANCE)
        with self.pool.connection() as conn:
            found = repo.clearance(conn, username)
        if found is None:
            raise UnknownAccount(both(f"không có tài khoản {username!r}", f"no account {username!r}"))
        return found

    def set_clearance(
        self, principal: Principal, username: str, level: int, basis: str | None = None, *,
        client_ip: str | None = None,
    ) -> Clearance:  # fmt: skip
        """Set the highest level an account may read (0 withdraws it); `basis`: the decision clearing it."""
        gate.check(principal, access.SET_CLEARANCE)
        value = level_of(level)
        note = _text(basis, 200)
        with self.pool.connection() as conn, conn.transaction():
            found = repo.account(conn, username)
            if found is None:
                raise UnknownAccount(both(f"không có tài khoản {username!r}", f"no account {username!r}"))
            before = repo.clearance(conn, username)
            repo.set_clearance(conn, found[0], int(value), note, principal.username, self.clock())
            after = repo.clearance(conn, username)
            assert after is not None
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.clearance_set", "user", found[0],
                before={"level": before.level if before else 0, "basis": before.basis if before else None},
                after={"level": after.level, "basis": after.basis},
            )  # fmt: skip
            return after

    # --- grants (a cleared leader) ----------------------------------------------------------------------

    def grant(
        self, principal: Principal, document_id: int, username: str, reason: str | None = None, *,
        client_ip: str | None = None,
    ) -> Grant:  # fmt: skip
        """Let one more account see a secret document. The grantee must be cleared for its level."""
        note = _text(reason, MAX_TEXT)
        with self.pool.connection() as conn, conn.transaction():
            doc, unit_path = self._as_leader(conn, principal, document_id)
            found = repo.account(conn, username)
            if found is None:
                raise UnknownAccount(both(f"không có tài khoản {username!r}", f"no account {username!r}"))
            if found[0] == principal.user_id:
                raise SecrecyError(both("không tự cho phép chính mình", "you cannot grant yourself"))
            if repo.clearance_level(conn, found[0]) < doc.secrecy:
                raise SecrecyError(
                    both(f"{username} chưa được cấp quyền tiếp cận văn bản mức này",
                         f"{username} is not cleared for this document's level")
                )  # fmt: skip
            grant_id = repo.add_grant(conn, document_id, found[0], note, principal.username, self.clock())
            if grant_id is None:
                raise SecrecyError(both(f"{username} đã được cho phép xem", f"{username} already holds a grant"))
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.secret_grant", "document", document_id,
                after={"to": username, "reason": note, "secrecy": int(doc.secrecy)}, unit_path=unit_path,
            )  # fmt: skip
            return repo.grant(conn, grant_id)

    def revoke(self, principal: Principal, document_id: int, username: str, *, client_ip: str | None = None) -> Grant:
        with self.pool.connection() as conn, conn.transaction():
            _, unit_path = self._as_leader(conn, principal, document_id)
            found = repo.account(conn, username)
            grant_id = (
                repo.revoke_grant(conn, document_id, found[0], principal.username, self.clock()) if found else None
            )
            if grant_id is None:
                raise UnknownAccount(both(f"{username} không có quyền xem đang hiệu lực", f"{username} holds no grant"))
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.secret_revoke", "document", document_id,
                after={"from": username}, unit_path=unit_path,
            )  # fmt: skip
            return repo.grant(conn, grant_id)

    def grants(self, principal: Principal, document_id: int) -> list[Grant]:
        with self.pool.connection() as conn:
            self._as_leader(conn, principal, document_id)
            return repo.grants(conn, document_id)

    def _as_leader(self, conn: psycopg.Connection, principal: Principal, document_id: int) -> tuple[Document, str]:
        """The secret document, if the principal leads its registering unit and may see it."""
        missing = UnknownDocument(both(f"không có văn bản số {document_id}", f"no document {document_id}"))
        doc = documents_repo.document(conn, document_id)
        if doc is None or not doc.secrecy or not rules.may_see(conn, principal, document_id, doc.secrecy):
            raise missing
        unit_path = documents_repo.unit_path(conn, doc.unit_code)
        assert unit_path is not None
        gate.check(principal, access.GRANT_SECRET, Target.unit(unit_path))
        return doc, unit_path
