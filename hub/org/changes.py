"""The organisation's changes — create, rename, move, merge and close a unit — each checked (hub.org.rules),
audited and kept in the history, in the caller's transaction. `OrgService` (hub.org.service) runs them over
the pool; the import (hub.org.importing) runs `create` row by row."""

from __future__ import annotations

from datetime import date, datetime

import psycopg

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.galleries import offices
from hub.org import repository
from hub.org.models import (
    InvalidOrgChange,
    NewUnit,
    OrgConflict,
    UnitChange,
    bilingual,
)
from hub.org.rules import (
    _after_history,
    _audit,
    _effective,
    _open,
    _placement,
    check_code,
    check_name,
    kinds,
    require,
    require_below,
    require_under,
    start_of,
    today,
)


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
