"""The people domain: org units and employees, their look-ups, search and import.

`PeopleService` (`services.people`) is what the API, the pages and the commands call: each of its
methods checks its action of `hub.people.access` itself. The module functions below are the rules
over the repository that it (and other domains, in their own transactions) build on; SQL stays in
`repository`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Action, Target, gate
from hub.accounts import access as accounts_access
from hub.accounts import audit
from hub.accounts import repository as accounts_repo
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.domain import Invalid, NotFound
from hub.people import access, importing, repository
from hub.people.models import Employee, OrgUnit, OrgUnitNode, UnitKind
from hub.people.sheet_process import read_upload
from hub.people.sheets import ImportLimits, SourceRow
from hub.people.text import search_terms

if TYPE_CHECKING:
    from hub.org.service import OrgService


class UnknownUnit(NotFound):
    """No org unit has this code."""


class UnknownEmployee(NotFound):
    """No employee has this code."""


class InvalidUnit(Invalid):
    """The unit cannot be placed there (wrong level, missing parent)."""


def create_unit(
    conn: psycopg.Connection, code: str, name: str, kind: UnitKind, parent_code: str | None = None
) -> OrgUnit:
    """Add a unit under `parent_code`. Only the General Department is a root, and every unit sits
    one or more levels below its parent (a team may hang directly off a department)."""
    name = name.strip()
    if not name:
        raise InvalidUnit("the unit needs a name")
    if parent_code is None:
        if kind is not UnitKind.GENERAL_DEPARTMENT:
            raise InvalidUnit(f"a {kind.value} needs a parent unit")
        return repository.insert_unit(conn, code, name, kind, None)
    parent = require_unit(conn, parent_code)
    if not isinstance(parent.kind, UnitKind) or kind.rank <= parent.kind.rank:
        raise InvalidUnit(f"a {kind.value} cannot sit under the {parent.kind.value} {parent.code}")
    return repository.insert_unit(conn, code, name, kind, parent.id)


def require_unit(conn: psycopg.Connection, code: str) -> OrgUnit:
    unit = repository.unit_by_code(conn, code)
    if unit is None:
        raise UnknownUnit(f"no org unit has the code {code!r}")
    return unit


def require_employee(conn: psycopg.Connection, employee_code: str) -> Employee:
    employee = repository.employee_by_code(conn, employee_code)
    if employee is None:
        raise UnknownEmployee(f"no employee has the code {employee_code!r}")
    return employee


def unit_tree(conn: psycopg.Connection, root_code: str | None = None) -> list[OrgUnitNode]:
    """The tree (or the subtree of `root_code`) as nested nodes, children ordered by code."""
    under = require_unit(conn, root_code).path if root_code else None
    units = repository.list_units(conn, under)
    nodes = {u.id: OrgUnitNode(u) for u in units}
    roots: list[OrgUnitNode] = []
    for unit in units:  # ordered by path: a parent comes before its children
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.id])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.unit.code)
    roots.sort(key=lambda n: n.unit.code)
    return roots


def find_employees(
    conn: psycopg.Connection,
    *,
    query: str = "",
    unit_code: str | None = None,
    active_on: date | None = None,
    position: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Employee]]:
    """Employees whose name, code or FaceID id contain every word of `query`, diacritics ignored
    ("nguyen duc" finds "Nguyễn Văn Đức"), in the subtree of `unit_code`, holding `position` if given."""
    path = require_unit(conn, unit_code).path if unit_code else None
    return repository.search_employees(
        conn,
        terms=search_terms(query),
        unit_path=path,
        active_on=active_on,
        position=position,
        limit=limit,
        offset=offset,
    )


def positions(conn: psycopg.Connection, unit_code: str | None = None) -> list[str]:
    """The positions held in the subtree of `unit_code` (or everywhere), for a filter's pick list."""
    return repository.positions(conn, require_unit(conn, unit_code).path if unit_code else None)


def unit_target(conn: psycopg.Connection, unit_code: str) -> Target:
    """The rule book's target for a unit named by code (what `gate.check` compares); UnknownUnit (404)."""
    ref = accounts_repo.unit_ref(conn, unit_code)
    if ref is None:
        raise UnknownUnit(f"no org unit has the code {unit_code!r}")
    return Target.unit(ref[1])


def person_target(conn: psycopg.Connection, employee_code: str) -> Target:
    """The rule book's target for a person named by code (their id and unit); UnknownEmployee (404)."""
    ref = accounts_repo.employee_ref(conn, employee_code)
    if ref is None:
        raise UnknownEmployee(f"no employee has the code {employee_code!r}")
    return Target.person(ref[0], ref[3])


def flatten(nodes: Sequence[OrgUnitNode]) -> list[OrgUnit]:
    """The units of a tree in tree order (each parent before its children)."""
    out: list[OrgUnit] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node.unit)
        stack.extend(reversed(node.children))
    return out


class PeopleService:
    """Org units and employees for the API, the pages and the commands (each method checks its action)."""

    def __init__(self, pool: ConnectionPool, import_limits: ImportLimits, org: OrgService) -> None:
        self.pool = pool
        self.import_limits = import_limits  # what one employee file may hold ([imports])
        self._org = org  # units a staff file names, created with it (hub.org checks its own action)
        self._file_reader = threading.Lock()  # one employee file read at a time: its memory limit is the hub's

    # --- the organisation ---------------------------------------------------------------------

    def org_tree(self, principal: Principal, root_code: str | None = None) -> list[OrgUnitNode]:
        """The org tree as far as the principal reaches (people.view_org): a system admin everything; others
        the subtrees of their grants, and their own unit; `root_code` outside them is refused."""
        gate.check(principal, access.VIEW_ORG)
        with self.pool.connection() as conn:
            if principal.is_system_admin:
                return unit_tree(conn, root_code)
            paths = set(accounts_access.scope(principal, accounts_access.UNIT_ROLES) or ())
            if principal.employee_unit_path:
                paths.add(principal.employee_unit_path)
            roots = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
            if root_code is not None:
                path = require_unit(conn, root_code).path
                if not any(path.startswith(p) for p in roots):
                    raise AccessDenied("đơn vị này ngoài phạm vi của bạn / that unit is outside your units")
                return unit_tree(conn, root_code)
            codes = accounts_repo.unit_codes_of_paths(conn, roots)
            return [node for p in roots if p in codes for node in unit_tree(conn, codes[p])]

    def units(self, principal: Principal, action: Action) -> list[OrgUnit]:
        """The units (with their sub-units) where the principal may do `action`, in tree order (a page's
        pick list): every unit for a system admin, none for someone without the action's roles."""
        if action.roles is None:
            raise ValueError(f"{action.name} is open to anyone signed in: use org_tree for their units")
        reach = None if principal.is_system_admin else gate.reach(principal, action)
        if reach is not None and not reach:
            return []
        with self.pool.connection() as conn:
            found = flatten(unit_tree(conn))
        return found if reach is None else [u for u in found if any(u.path.startswith(p) for p in reach)]

    def unit(self, principal: Principal, unit_code: str) -> OrgUnit:
        """One unit by code, with the path role checks compare against (people.view_org); UnknownUnit."""
        with self.pool.connection() as conn:
            found = require_unit(conn, unit_code)
        gate.check(principal, access.VIEW_ORG, Target.unit(found.path))
        return found

    def employee(self, principal: Principal, employee_code: str, action: Action = access.VIEW_PERSON) -> Employee:
        """One employee by code, when the principal may do `action` to them (people.view_person by default; a
        page names its own: the person's month, their face photos); UnknownEmployee (404), AccessDenied (403)."""
        with self.pool.connection() as conn:
            found = require_employee(conn, employee_code)
            target = person_target(conn, employee_code)
        gate.check(principal, action, target)
        return found

    def authorize(
        self, principal: Principal, action: Action, *, unit_code: str | None = None, employee_code: str | None = None
    ) -> None:
        """The rule book's check (hub.access.gate) of `action` on a unit or a person named by code, for a route
        or page of another domain that names people by code; UnknownUnit / UnknownEmployee (404), AccessDenied."""
        target = None
        with self.pool.connection() as conn:
            if employee_code is not None:
                target = person_target(conn, employee_code)
            elif unit_code is not None:
                target = unit_target(conn, unit_code)
        gate.check(principal, action, target)

    # --- employees ----------------------------------------------------------------------------

    def find_employees(
        self,
        principal: Principal,
        *,
        query: str = "",
        unit_code: str | None = None,
        active_on: date | None = None,
        position: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[Employee]]:
        """Employee search (people.list) in `unit_code`'s subtree, or in every unit the principal's grants reach
        (one subtree after another, paged as one list)."""
        gate.check(principal, access.LIST)
        paths = gate.reach(principal, access.LIST)
        if paths is None or unit_code is not None:
            with self.pool.connection() as conn:
                if unit_code is not None:
                    gate.check(principal, access.LIST, unit_target(conn, unit_code))
                return find_employees(
                    conn, query=query, unit_code=unit_code, active_on=active_on, position=position,
                    limit=limit, offset=offset,
                )  # fmt: skip
        total, found, skip = 0, [], offset
        with self.pool.connection() as conn:
            codes = accounts_repo.unit_codes_of_paths(conn, paths)
            for path in paths:  # one subtree after another, paged as one list
                count, page = find_employees(
                    conn, query=query, unit_code=codes[path], active_on=active_on, position=position,
                    limit=limit - len(found), offset=skip,
                )  # fmt: skip
                total += count
                found += page
                skip = max(0, skip - count)
        return total, found

    def positions(self, principal: Principal, unit_code: str | None = None) -> list[str]:
        """The positions (chức vụ) held in a unit's subtree, or in the units the principal lists (people.list)."""
        gate.check(principal, access.LIST)
        paths = gate.reach(principal, access.LIST)
        with self.pool.connection() as conn:
            if paths is None or unit_code is not None:
                if unit_code is not None:
                    gate.check(principal, access.LIST, unit_target(conn, unit_code))
                return positions(conn, unit_code)
            return sorted({p for path in paths for p in repository.positions(conn, path)})

    def read_upload(self, principal: Principal, filename: str, data: bytes) -> tuple[list[SourceRow], list[str]]:
        """The rows of an uploaded CSV/XLSX employee file within `import_limits` (people.import; ImportFileError
        otherwise). One file is read at a time: an XLSX reader may take `import_reader_memory_mb`, and 40 uploads
        at once must not take 40 times that."""
        gate.check(principal, access.IMPORT)
        with self._file_reader:
            return read_upload(filename, data, self.import_limits)

    def import_employees(
        self,
        principal: Principal,
        rows: Sequence[SourceRow],
        *,
        actor: Actor | None = None,
        all_or_nothing: bool = False,
        ignored_columns: Sequence[str] = (),
        create_units_under: str | None = None,
        unit_kind: str | None = None,
    ) -> importing.ImportReport:
        """Import rows (people.import), audited when written: one 'employee.import' row for the file, and one
        'employee.create' / 'employee.update' row per employee added or changed, with its state before
        and after, seen by the office admins of the unit it is in and of the unit it left.

        Every row's unit and every known employee's current unit must be within the principal's HR grants
        (AccessDenied naming the rows otherwise, nothing written); the hub's tools act as system admin
        (`Principal.tool`).

        `create_units_under`: the units the rows name that do not exist are created first under that unit
        (hub.org: the principal must be allowed to create units there), of `unit_kind` or the kind that
        fits, named by the file's `unit_name` column (else their code); without it they are reported
        (`report.unknown_units`) and their rows rejected."""
        gate.check(principal, access.IMPORT)
        scope = accounts_access.scope(principal, accounts_access.PEOPLE_IMPORTERS)
        actor = actor or audit.SYSTEM_ACTOR
        with self.pool.connection() as conn, conn.transaction():
            created: list[str] = []
            if create_units_under:  # org: units the file names, created with it
                known = repository.units_by_code(conn)
                missing = importing.missing_units(rows, known)
                if missing:
                    created = self._org.create_missing_units(
                        conn, principal, actor, missing, create_units_under, unit_kind
                    )
            try:
                report = importing.import_employees(
                    conn, rows, all_or_nothing=all_or_nothing, ignored_columns=ignored_columns, scope=scope
                )
            except importing.OutsideScope as exc:
                raise AccessDenied(str(exc)) from exc
            report.created_units = created
            if report.written:
                audit.record(
                    conn, actor, "employee.import", "employee", None,
                    after={"rows": report.rows, "inserted": report.inserted, "updated": report.updated,
                           "rejected": len(report.rejected_rows), "employee_codes": report.employee_codes},
                )  # fmt: skip
                audit.record_many(conn, actor, [
                    audit.Change(
                        "employee.create" if c.before is None else "employee.update", "employee", c.employee_code,
                        before=c.before, after=c.after, unit_path=c.unit_path,
                        other_unit_path=c.before_unit_path if c.before_unit_path != c.unit_path else None,
                    )
                    for c in report.changes
                ])  # fmt: skip
            return report
