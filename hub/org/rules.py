"""The organisation's checks, shared by its operations (hub.org.service) and its pages: who may change
which unit (the rule book's actions, hub.org.access), reading units, and the validity of a change (dates,
kinds and parents, names and codes); and the audit row every change writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

import psycopg

from hub.access import Action
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.localtime import LOCAL_TZ
from hub.org import access as org_access
from hub.org import repository
from hub.org.models import (
    InvalidOrgChange,
    OrgConflict,
    Unit,
    UnitDetail,
    UnitKindInfo,
    UnitNode,
    UnitNotFound,
    bilingual,
)

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
