"""The rules of the people domain, over its repository: what may be created, how the tree is shown.

The API and the UI call these (through `hub.services.HubServices`); SQL stays in `repository`.
"""

from __future__ import annotations

from datetime import date

import psycopg

from hub.access import Target
from hub.accounts import repository as accounts_repo
from hub.domain import Invalid, NotFound
from hub.people import repository
from hub.people.models import Employee, OrgUnit, OrgUnitNode, UnitKind
from hub.people.text import search_terms


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
