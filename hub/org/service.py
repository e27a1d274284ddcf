"""The organisation's rules: create, rename, move, merge and close units — each checked, audited and kept
in the history — and who may do it.

Who may (the actions this domain declares, enforced here for the API, the UI and the CLI alike):

| action | who |
|---|---|
| org.view | anyone signed in: their own unit and the subtrees of their grants (system admin: all) |
| org.create | system admin; office admin under a unit of their subtree (the grant's unit itself included) |
| org.rename, org.move, org.merge, org.close | system admin; office admin on units strictly below their grant's unit¹ |
| org.import | as org.create, row by row (a row whose parent lies outside is rejected) |

¹ a move's new parent and a merge's successor must lie inside it too.

An office admin cannot change the unit they are granted on (that would change their own reach), nor
create a root. The command line acts as system admin (it runs on the hub machine).

Dates: a change takes effect on `effective` (default today, Hanoi); never in the future (no change is
scheduled ahead), never before the unit's current version began (history is not rewritten). Employees
moved by a merge move at the start of that day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.org import repository
from hub.org.changes import close, create, merge, move, rename
from hub.org.models import (
    EmployeeUnitPeriod,
    InvalidOrgChange,
    NewUnit,
    Unit,
    UnitChange,
    UnitDetail,
    UnitKindInfo,
    UnitNode,
    bilingual,
)
from hub.org.rules import (  # the checks; the names pages, the API and tests use are re-exported here
    ACTIONS as ACTIONS,
)
from hub.org.rules import (
    CODE as CODE,
)
from hub.org.rules import (
    LOCAL_TZ as LOCAL_TZ,
)
from hub.org.rules import (
    ORG_EDITORS as ORG_EDITORS,
)
from hub.org.rules import (
    _denied,
    detail,
    kinds,
    may_edit,
    require,
    today,
    tree,
    visible_roots,
)

# --- the service: transactions over the pool -------------------------------------------------------------


class OrgService:
    """The organisation over the hub's pool; every change in one transaction with its audit row."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], datetime]) -> None:
        self.pool = pool
        self.now = now

    def kinds(self) -> list[UnitKindInfo]:
        with self.pool.connection() as conn:
            return repository.kinds(conn)

    def units(self, principal: Principal, *, include_closed: bool = False) -> list[Unit]:
        """The units the principal sees, in tree order."""
        roots = visible_roots(principal)
        with self.pool.connection() as conn:
            found = repository.units(conn, include_closed=include_closed)
        if roots is None:
            return found
        return [u for u in found if any(u.path.startswith(p) for p in roots)]

    def tree(self, principal: Principal, *, include_closed: bool = False) -> list[UnitNode]:
        return tree(self.units(principal, include_closed=include_closed))

    def detail(self, principal: Principal, code: str) -> UnitDetail:
        with self.pool.connection() as conn:
            return detail(conn, principal, code)

    def employee_counts(self) -> dict[int, int]:
        with self.pool.connection() as conn:
            return repository.employee_counts(conn)

    def is_empty(self) -> bool:
        """No unit exists yet: a new hub whose organisation is still to be set up."""
        with self.pool.connection() as conn:
            return repository.is_empty(conn)

    def demo_seeded(self) -> bool:
        """The organisation here is `cces demo`'s (pages say so)."""
        with self.pool.connection() as conn:
            return repository.demo_seeded(conn)

    def unit_of_person_at(self, person_id: str, at: datetime) -> Unit | None:
        with self.pool.connection() as conn:
            return repository.unit_of_person_at(conn, person_id, at)

    def employee_periods(self, employee_code: str) -> list[EmployeeUnitPeriod]:
        with self.pool.connection() as conn:
            return repository.employee_periods(conn, employee_code)

    def create(self, principal: Principal, actor: Actor, new: NewUnit) -> UnitChange:
        with self.pool.connection() as conn, conn.transaction():
            return create(conn, principal, actor, new, self.now())

    def rename(
        self, principal: Principal, actor: Actor, code: str, name: str, effective: date | None = None
    ) -> UnitChange:
        with self.pool.connection() as conn, conn.transaction():
            return rename(conn, principal, actor, code, name, effective, self.now())

    def move(
        self, principal: Principal, actor: Actor, code: str, parent_code: str, effective: date | None = None
    ) -> UnitChange:
        with self.pool.connection() as conn, conn.transaction():
            return move(conn, principal, actor, code, parent_code, effective, self.now())

    def merge(
        self, principal: Principal, actor: Actor, code: str, into_code: str, effective: date | None = None
    ) -> UnitChange:
        with self.pool.connection() as conn, conn.transaction():
            return merge(conn, principal, actor, code, into_code, effective, self.now())

    def close(self, principal: Principal, actor: Actor, code: str, effective: date | None = None) -> UnitChange:
        with self.pool.connection() as conn, conn.transaction():
            return close(conn, principal, actor, code, effective, self.now())

    # --- files ------------------------------------------------------------------------------------------

    def import_units(
        self, principal: Principal, actor: Actor, rows: Sequence[Any], ignored_columns: Sequence[str] = ()
    ) -> Any:  # -> OrgImportReport
        """Create the units of a file's rows (each row whole or not at all), audited as one 'org_unit.import'
        row beside each unit's own 'org_unit.create'."""
        from hub.org.importing import import_units

        if not may_edit(principal):
            raise _denied("org.import", "needs the office admin role", "cần vai trò quản trị đơn vị")
        with self.pool.connection() as conn, conn.transaction():
            report = import_units(conn, principal, actor, rows, self.now(), ignored_columns=ignored_columns)
            audit.record(
                conn, actor, "org_unit.import", "org_unit", None,
                after={"rows": report.rows, "created": report.created, "unchanged": report.unchanged,
                       "rejected": len(report.rejected_rows), "codes": report.created_codes},
            )  # fmt: skip
            return report

    # --- units a staff file names that do not exist yet ---------------------------------------------------

    def create_missing_units(
        self,
        conn: psycopg.Connection,
        principal: Principal,
        actor: Actor,
        missing: Mapping[str, str],
        parent_code: str,
        kind: str | None = None,
    ) -> list[str]:
        """Create each unit code → name of `missing` under `parent_code` (in the caller's transaction), of
        `kind` or else the first kind that may sit there (a team when it may); the codes created."""
        parent = require(conn, parent_code)
        known = kinds(conn)
        day = today(self.now())
        if kind is None:
            fitting = [k for k in known.values() if parent.kind in k.parent_kinds and k.in_force(day)]
            if not fitting:
                raise InvalidOrgChange(
                    bilingual(
                        f"không loại đơn vị nào trực thuộc được {parent.code}",
                        f"no unit kind may sit under {parent.code}",
                    )
                )
            kind = next((k.code for k in fitting if k.code == "team"), fitting[0].code)
        created = []
        for code, name in missing.items():
            create(conn, principal, actor, NewUnit(code, name or code, kind, parent.code), self.now())
            created.append(code)
        return created
