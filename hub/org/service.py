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
from hub.galleries import offices
from hub.org import repository
from hub.org.models import (
    EmployeeUnitPeriod,
    InvalidOrgChange,
    NewUnit,
    OrgConflict,
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
    _after_history,
    _audit,
    _denied,
    _effective,
    _open,
    _placement,
    check_code,
    check_name,
    detail,
    kinds,
    may_edit,
    require,
    require_below,
    require_under,
    start_of,
    today,
    tree,
    visible_roots,
)

# --- the operations (each in the caller's transaction) ----------------------------------------------------


def create(conn: psycopg.Connection, principal: Principal, actor: Actor, new: NewUnit, now: datetime) -> UnitChange:
    code, name = check_code(new.code), check_name(new.name)
    known = kinds(conn)
    kind = known.get(new.kind)
    if kind is None:
        raise InvalidOrgChange(
            bilingual(
                f"không có loại đơn vị {new.kind!r} (có: {', '.join(known)})",
                f"no unit kind {new.kind!r} (known: {', '.join(known)})",
            )
        )
    day = new.valid_from or today(now)
    parent = None
    if new.parent_code:
        parent = repository.unit_by_code(conn, new.parent_code.strip())
        if parent is None:
            raise InvalidOrgChange(
                bilingual(
                    f"không có đơn vị cấp trên mã {new.parent_code!r}",
                    f"no parent unit has the code {new.parent_code!r}",
                )
            )
    require_under(principal, "org.create", parent)
    if not kind.in_force(day):
        raise InvalidOrgChange(
            bilingual(
                f"loại {kind.name_vi} không còn áp dụng vào {day:%d/%m/%Y} (cơ cấu từ 01/03/2025)",
                f"the kind {kind.name_en} is not in force on {day:%d/%m/%Y} (the structure since 2025-03-01)",
            )
        )
    _placement(kind, parent, known, code)
    if parent is not None:
        _open(parent, day)
    if repository.unit_by_code(conn, code) is not None:
        raise OrgConflict(bilingual(f"mã đơn vị {code} đã được dùng", f"the unit code {code} is already taken"))
    repository.set_effective(conn, day, start_of(day))
    repository.insert_unit(conn, code, name, kind.code, parent.id if parent else None, new.valid_from)
    unit = require(conn, code)
    _audit(conn, actor, "org_unit.create", None, unit, day)
    return UnitChange("create", unit, day)


def rename(
    conn: psycopg.Connection,
    principal: Principal,
    actor: Actor,
    code: str,
    name: str,
    effective: date | None,
    now: datetime,
) -> UnitChange:
    unit = require(conn, code, lock=True)
    require_below(principal, "org.rename", unit)
    name = check_name(name)
    day = _effective(effective, now)
    _open(unit, day)
    if name == unit.name:
        return UnitChange("rename", unit, day)
    _after_history(conn, unit, day)
    repository.set_effective(conn, day, start_of(day))
    repository.rename(conn, unit.id, name)
    after = require(conn, code)
    _audit(conn, actor, "org_unit.rename", unit, after, day)
    return UnitChange("rename", after, day)


def move(
    conn: psycopg.Connection,
    principal: Principal,
    actor: Actor,
    code: str,
    parent_code: str,
    effective: date | None,
    now: datetime,
) -> UnitChange:
    unit = require(conn, code, lock=True)
    require_below(principal, "org.move", unit)
    parent = repository.unit_by_code(conn, parent_code.strip())
    if parent is None:
        raise InvalidOrgChange(
            bilingual(f"không có đơn vị mã {parent_code!r}", f"no org unit has the code {parent_code!r}")
        )
    require_under(principal, "org.move", parent)
    day = _effective(effective, now)
    _open(unit, day)
    _open(parent, day)
    if parent.path.startswith(unit.path):
        raise InvalidOrgChange(
            bilingual(
                f"không thể chuyển {unit.code} vào đơn vị cấp dưới của chính nó ({parent.code})",
                f"{unit.code} cannot move under its own sub-unit {parent.code}",
            )
        )
    if parent.id == unit.parent_id:
        return UnitChange("move", unit, day)
    _placement(kinds(conn)[unit.kind], parent, kinds(conn), unit.code)
    _after_history(conn, unit, day)
    repository.set_effective(conn, day, start_of(day))
    repository.move(conn, unit.id, parent.id)
    after = require(conn, code)
    _audit(conn, actor, "org_unit.move", unit, after, day)
    return UnitChange("move", after, day)


def merge(
    conn: psycopg.Connection,
    principal: Principal,
    actor: Actor,
    code: str,
    into_code: str,
    effective: date | None,
    now: datetime,
) -> UnitChange:
    """`code` ends on `effective`; its sub-units, employees and offices (`site_units`: the doors that know its
    people) go to `into_code`, which it points to."""
    unit = require(conn, code, lock=True)
    require_below(principal, "org.merge", unit)
    target = repository.unit_by_code(conn, into_code.strip(), lock=True)
    if target is None:
        raise InvalidOrgChange(
            bilingual(f"không có đơn vị mã {into_code!r}", f"no org unit has the code {into_code!r}")
        )
    require_below(principal, "org.merge", target)
    day = _effective(effective, now)
    _open(unit, day)
    _open(target, day)
    if target.path.startswith(unit.path):
        raise InvalidOrgChange(
            bilingual(
                f"không thể sáp nhập {unit.code} vào chính nó hoặc đơn vị cấp dưới của nó ({target.code})",
                f"{unit.code} cannot merge into itself or its own sub-unit {target.code}",
            )
        )
    _after_history(conn, unit, day, ending=True)
    known = kinds(conn)
    children = repository.open_children(conn, unit.id)
    misplaced = [c.code for c in children if target.kind not in known[c.kind].parent_kinds]
    if misplaced:
        raise InvalidOrgChange(
            bilingual(
                f"các đơn vị {', '.join(misplaced)} không thể trực thuộc {known[target.kind].name_vi} {target.code};"
                " hãy chuyển chúng trước",
                f"the units {', '.join(misplaced)} cannot sit under the {known[target.kind].name_en} {target.code};"
                " move them first",
            )
        )
    repository.set_effective(conn, day, start_of(day))
    for child in children:
        repository.move(conn, child.id, target.id)
    moved = repository.move_employees(conn, unit.id, target.id)
    for site in repository.sites_of_unit(conn, unit.id):  # its offices serve the successor from now on
        codes = offices.site_units(conn, site)
        offices.set_site_units(conn, site, [target.code if c == unit.code else c for c in codes], actor, audit.record)
    repository.close(conn, unit.id, day, target.id)
    after = require(conn, code)
    _audit(conn, actor, "org_unit.merge", unit, after, day, into=target.code, employees=len(moved),
           units=[c.code for c in children])  # fmt: skip
    if moved:
        audit.record_many(conn, actor, [
            audit.Change("employee.update", "employee", employee, before={"unit_code": unit.code},
                         after={"unit_code": target.code, "reason": f"org_unit.merge {unit.code}"},
                         unit_path=target.path, other_unit_path=unit.path)
            for employee in moved
        ])  # fmt: skip
    return UnitChange("merge", after, day, tuple(moved), tuple(c.code for c in children))


def close(
    conn: psycopg.Connection, principal: Principal, actor: Actor, code: str, effective: date | None, now: datetime
) -> UnitChange:
    """The unit ends on `effective`: only once it has no sub-units and nobody in it (move or merge them first)."""
    unit = require(conn, code, lock=True)
    require_below(principal, "org.close", unit)
    day = _effective(effective, now)
    _open(unit, day)
    _after_history(conn, unit, day, ending=True)
    children = repository.open_children(conn, unit.id)
    if children:
        shown = ", ".join(c.code for c in children[:20])
        raise OrgConflict(
            bilingual(
                f"đơn vị {unit.code} còn đơn vị trực thuộc ({shown}); hãy chuyển hoặc sáp nhập trước",
                f"unit {unit.code} still has sub-units ({shown}); move or merge them first",
            )
        )
    people = repository.employees_in(conn, unit.id)
    if people:
        raise OrgConflict(
            bilingual(
                f"đơn vị {unit.code} còn {len(people)} cán bộ; hãy chuyển họ hoặc sáp nhập đơn vị",
                f"unit {unit.code} still has {len(people)} employees; move them or merge the unit",
            )
        )
    repository.set_effective(conn, day, start_of(day))
    repository.close(conn, unit.id, day, None)
    after = require(conn, code)
    _audit(conn, actor, "org_unit.close", unit, after, day)
    return UnitChange("close", after, day)


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
