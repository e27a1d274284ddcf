"""The rule of hub.documents.secrecy.models as calls other parts make inside their own connection: the
documents service (one document, a register page), the search (hub.search.access names
`visible_secret_ids` for the kind "document"), the printouts."""

from __future__ import annotations

import psycopg

from hub.accounts.principal import Principal, Role
from hub.documents.secrecy import repository as repo
from hub.documents.secrecy.models import Viewer


def viewer(conn: psycopg.Connection, principal: Principal) -> Viewer:
    """The principal as the rule sees it. The hub's tools (user id 0) have no clearance."""
    members = {g.unit_path for g in principal.grants if g.unit_path is not None}
    if principal.employee_unit_path:
        members.add(principal.employee_unit_path)
    leads = {g.unit_path for g in principal.grants if g.role == Role.MANAGER and g.unit_path is not None}
    level = repo.clearance_level(conn, principal.user_id) if principal.user_id > 0 else 0
    return Viewer(principal.user_id, principal.username, level, tuple(sorted(members)), tuple(sorted(leads)))


def may_see(conn: psycopg.Connection, principal: Principal, document_id: int, secrecy: int) -> bool:
    """Whether the principal may see this document as far as its secrecy goes (always, when it has none)."""
    if secrecy <= 0:
        return True
    found = viewer(conn, principal)
    return found.level >= secrecy and repo.involved(conn, found, document_id)


def visible_secret_ids(conn: psycopg.Connection, principal: Principal, unit_id: int | None = None) -> list[int]:
    """The secret documents the principal may see (of one registering unit, or all)."""
    return repo.visible_secret_ids(conn, viewer(conn, principal), unit_id=unit_id)
