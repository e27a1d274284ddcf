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

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Action
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.galleries import offices
from hub.org import access as org_access
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
    UnitNotFound,
    bilingual,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_NAME = 200


ORG_EDITORS = org_access.ORG_EDITORS
ACTIONS: dict[str, Action] = {a.name: a for a in org_access.ACTIONS}  # the rule book's (hub.org.access)

_WHAT = {
    "org.create": ("tạo đơn vị", "create a unit"),
    "org.rename": ("đổi tên đơn vị", "rename a unit"),
    "org.move": ("chuyển đơn vị", "move a unit"),
    "org.merge": ("sáp nhập đơn vị", "merge units"),
    "org.close": ("giải thể đơn vị", "close a unit"),
    "org.import": ("nhập danh sách đơn vị", "import units"),
}


def may_edit(principal: Principal) -> bool:
    """Whether the principal may change any unit at all (the page's forms, the navigation)."""
    return principal.is_system_admin or principal.has_role(*ORG_EDITORS)


def _denied(action: str, en_reason: str, vi_reason: str) -> AccessDenied:
    vi, en = _WHAT[action]
    return AccessDenied(bilingual(f"không có quyền {vi}: {vi_reason}", f"not allowed to {en}: {en_reason}"))


def require_under(principal: Principal, action: str, parent: Unit | None) -> None:
    """May create (or import) a unit under `parent`: within a subtree of the principal's office-admin grants."""
    if principal.is_system_admin:
        return
    if parent is None:
        raise _denied(action, "only a system admin creates a top unit", "chỉ quản trị hệ thống tạo đơn vị cấp cao nhất")
    if not principal.can_in_unit(parent.path, *ORG_EDITORS):
        raise _denied(action, f"{parent.code} is outside your units", f"{parent.code} ngoài phạm vi đơn vị của bạn")


def require_below(principal: Principal, action: str, unit: Unit) -> None:
    """May change `unit`: strictly below the unit of one of the principal's office-admin grants."""
    if principal.is_system_admin:
        return
    inside = any(
        g.role in ORG_EDITORS
        and g.unit_path is not None
        and unit.path.startswith(g.unit_path)
        and unit.path != g.unit_path
        for g in principal.grants
    )
    if not inside:
        raise _denied(
            action,
            f"{unit.code} is not below a unit you administer",
            f"{unit.code} không thuộc cấp dưới của đơn vị bạn quản trị",
        )


def today(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)


# --- reading ----------------------------------------------------------------------------------------------


def kinds(conn: psycopg.Connection) -> dict[str, UnitKindInfo]:
    return {k.code: k for k in repository.kinds(conn)}


def require(conn: psycopg.Connection, code: str, *, lock: bool = False) -> Unit:
    unit = repository.unit_by_code(conn, code, lock=lock)
    if unit is None:
        raise UnitNotFound(bilingual(f"không có đơn vị mã {code!r}", f"no org unit has the code {code!r}"))
    return unit


def tree(units: Sequence[Unit]) -> list[UnitNode]:
    """Nested nodes of `units` (in path order); a unit whose parent is not among them is a root."""
    nodes = {u.id: UnitNode(u) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.id])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.unit.code)
    roots.sort(key=lambda n: n.unit.code)
    return roots


def visible_roots(principal: Principal) -> tuple[str, ...] | None:
    """The subtrees the principal sees (None: all): their grants' units and their own unit."""
    if principal.is_system_admin:
        return None
    paths = {g.unit_path for g in principal.grants if g.unit_path is not None}
    if principal.employee_unit_path:
        paths.add(principal.employee_unit_path)
    return tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))


def _visible(principal: Principal, unit: Unit) -> bool:
    roots = visible_roots(principal)
    return roots is None or any(unit.path.startswith(p) for p in roots)


def detail(conn: psycopg.Connection, principal: Principal, code: str) -> UnitDetail:
    unit = require(conn, code)
    if not _visible(principal, unit):
        raise AccessDenied(bilingual("đơn vị này ngoài phạm vi của bạn", "that unit is outside your units"))
    return UnitDetail(
        unit=unit,
        kind=kinds(conn)[unit.kind],
        versions=repository.versions(conn, unit.id),
        children=repository.open_children(conn, unit.id),
        employees=len(repository.employees_in(conn, unit.id)),
        predecessors=repository.predecessors(conn, unit.id),
    )


# --- checks shared by the operations -------------------------------------------------------------------


def _effective(effective: date | None, now: datetime) -> date:
    day = effective or today(now)
    if day > today(now):
        raise InvalidOrgChange(
            bilingual(
                f"ngày hiệu lực {day:%d/%m/%Y} ở tương lai; hãy thực hiện vào ngày đó",
                f"the effective date {day:%d/%m/%Y} is in the future; make the change on that day",
            )
        )
    return day


def _open(unit: Unit, day: date) -> None:
    if unit.valid_to is not None:
        successor = f" (→ {unit.successor_code})" if unit.successor_code else ""
        raise OrgConflict(
            bilingual(
                f"đơn vị {unit.code} đã giải thể từ {unit.valid_to:%d/%m/%Y}{successor}",
                f"unit {unit.code} was closed on {unit.valid_to:%d/%m/%Y}{successor}",
            )
        )
    if unit.valid_from is not None and day < unit.valid_from:
        raise InvalidOrgChange(
            bilingual(
                f"đơn vị {unit.code} chỉ có từ {unit.valid_from:%d/%m/%Y}",
                f"unit {unit.code} exists only from {unit.valid_from:%d/%m/%Y}",
            )
        )


def _after_history(conn: psycopg.Connection, unit: Unit, day: date, *, ending: bool = False) -> None:
    """`day` is not before the unit's current version began; a unit ends (`ending`) after the day it began."""
    since = repository.open_version_from(conn, unit.id)
    began = unit.valid_from or (since if len(repository.versions(conn, unit.id)) == 1 else None)
    if ending and began is not None and day <= began:
        raise InvalidOrgChange(
            bilingual(
                f"đơn vị {unit.code} bắt đầu từ {began:%d/%m/%Y}; chỉ kết thúc được từ ngày hôm sau",
                f"unit {unit.code} began on {began:%d/%m/%Y}; it can end only from the day after",
            )
        )
    if since is not None and day < since:
        raise InvalidOrgChange(
            bilingual(
                f"ngày hiệu lực {day:%d/%m/%Y} trước lần thay đổi gần nhất của {unit.code} ({since:%d/%m/%Y})",
                f"the effective date {day:%d/%m/%Y} is before the last change of {unit.code} ({since:%d/%m/%Y})",
            )
        )


def _placement(kind: UnitKindInfo, parent: Unit | None, known: Mapping[str, UnitKindInfo], code: str) -> None:
    """The kind may sit under that parent (a root kind under none)."""
    if parent is None:
        if not kind.is_root:
            allowed = ", ".join(known[k].name_vi for k in kind.parent_kinds if k in known)
            raise InvalidOrgChange(
                bilingual(
                    f"{kind.name_vi} {code} cần đơn vị cấp trên ({allowed})",
                    f"a {kind.name_en} ({code}) needs a parent unit ({allowed})",
                )
            )
        return
    if parent.kind not in kind.parent_kinds:
        raise InvalidOrgChange(
            bilingual(
                f"{kind.name_vi} {code} không thể trực thuộc {known[parent.kind].name_vi} {parent.code}",
                f"a {kind.name_en} ({code}) cannot sit under the {known[parent.kind].name_en} {parent.code}",
            )
        )


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidOrgChange(bilingual("đơn vị cần có tên", "the unit needs a name"))
    if len(name) > MAX_NAME:
        raise InvalidOrgChange(
            bilingual(f"tên dài hơn {MAX_NAME} ký tự", f"the name is longer than {MAX_NAME} characters")
        )
    return name


def check_code(code: str) -> str:
    code = code.strip()
    if not CODE.match(code):
        raise InvalidOrgChange(
            bilingual(
                f"mã {code[:40]!r} không hợp lệ: chữ, số, '.', '_' hoặc '-' (tối đa 32)",
                f"code {code[:40]!r} is not valid: letters, digits, '.', '_' or '-' (at most 32)",
            )
        )
    return code


def _state(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent_code": unit.parent_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "successor_code": unit.successor_code,
        "has_seal": unit.has_seal,
        "is_office": unit.is_office,
    }


def _audit(
    conn: psycopg.Connection, actor: Actor, action: str, before: Unit | None, after: Unit, day: date, **extra: Any
) -> None:
    other = before.path if before is not None and before.path != after.path else None
    audit.record(
        conn, actor, action, "org_unit", after.code,
        before=_state(before) if before is not None else None,
        after={**_state(after), "effective": day, **extra},
        unit_path=after.path, other_unit_path=other,
    )  # fmt: skip


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
