"""Which roles may do what, in one place for the API and the UI (a page and a route must not disagree).

A system admin passes every check. The other roles act within the units they are granted (and
those units' subtrees). Everyone signed in with an employee record sees their own timekeeping.
The route-by-route table is in `hub.api.auth`; these are the role sets it and the UI use.
"""

from __future__ import annotations

from collections.abc import Collection

from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role

# a unit's day, its monthly sheet, anyone's month in the unit: office admins read them too (issue 13: they saw the
# same data through reports and snapshots already; one rule for the API and the UI, see docs/ARCHITECTURE.md)
TIMEKEEPING_VIEWERS = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)
CORRECTORS = (Role.MANAGER, Role.HR)  # điều chỉnh chấm công, on the employee's unit
CALENDAR_EDITORS = (Role.HR,)  # the year's holidays, nghỉ bù, make-up days (hub-wide)
PEOPLE_VIEWERS = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)  # employee search within their units
PEOPLE_IMPORTERS = (Role.HR,)  # employee import: every row's unit must be theirs
DEVICE_ADMINS = (Role.OFFICE_ADMIN,)  # device registry, enrollment tokens — the devices of their offices
DEVICE_REPORT_VIEWERS = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)  # uptime, offline: the devices of their offices
USER_ADMINS = (Role.OFFICE_ADMIN,)  # accounts and grants within their units (never admin roles)
AUDIT_READERS = (Role.OFFICE_ADMIN,)  # the audit rows of their units
UNIT_ROLES = (Role.OFFICE_ADMIN, Role.HR, Role.MANAGER, Role.ASSET_OFFICER, Role.CLERK)  # roles that see a subtree
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.OFFICE_ADMIN)  # only a system admin grants these

_ROLE_NAMES = {
    Role.SYSTEM_ADMIN: "quản trị hệ thống / system admin",
    Role.OFFICE_ADMIN: "quản trị đơn vị / office admin",
    Role.HR: "tổ chức cán bộ / HR",
    Role.MANAGER: "lãnh đạo, quản lý / manager",
    Role.ASSET_OFFICER: "quản lý tài sản / asset officer",
    Role.CLERK: "văn thư / clerk",
    Role.EMPLOYEE: "cán bộ, công chức / employee",
}


def role_names(roles: tuple[Role, ...]) -> str:
    return ", ".join(_ROLE_NAMES[r] for r in (Role.SYSTEM_ADMIN, *roles))


def require_role(principal: Principal, roles: tuple[Role, ...], what: str) -> None:
    """One of `roles` on any unit (or system admin); AccessDenied naming the roles otherwise."""
    if not (principal.is_system_admin or principal.has_role(*roles)):
        raise AccessDenied(f"không có quyền {what} / not allowed to {what}: needs {role_names(roles)}")


def require_system_admin(principal: Principal, what: str) -> None:
    require_role(principal, (), what)


def require_unit(principal: Principal, unit_path: str, roles: tuple[Role, ...], what: str) -> None:
    """One of `roles` granted on this unit or an ancestor (or system admin)."""
    if not principal.can_in_unit(unit_path, *roles):
        raise AccessDenied(
            f"không có quyền {what} của đơn vị này / not allowed to {what} of this unit: needs {role_names(roles)}"
            " on it or a unit above it"
        )


def require_employee(
    principal: Principal, employee_id: int, unit_path: str, roles: tuple[Role, ...], what: str
) -> None:
    """The employee themself, or one of `roles` covering the employee's unit."""
    if not principal.can_see_employee(employee_id, unit_path, *roles):
        raise AccessDenied(
            f"không có quyền {what} của người khác / not allowed to {what} of another person: needs"
            f" {role_names(roles)} on their unit"
        )


def scope(principal: Principal, roles: tuple[Role, ...]) -> tuple[str, ...] | None:
    """The subtrees `roles` reach, none inside another (None: everything, for a system admin)."""
    paths = principal.unit_scope(*roles)
    if paths is None:
        return None
    return tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def require_site(
    principal: Principal, site: str | None, visible_sites: Collection[str], roles: tuple[Role, ...], what: str
) -> None:
    """A device's office (site) is one the principal reaches (or system admin); AccessDenied otherwise.

    `visible_sites` are the offices `site_units` maps to a unit inside the subtrees the principal's
    `roles` reach (hub.devices.service.device_scope). A device with no site, or at an office mapped
    to no unit, is the system admin's alone."""
    if principal.is_system_admin or (site is not None and site in visible_sites):
        return
    vi, _, en = what.partition(" / ")
    raise AccessDenied(
        f"không có quyền {vi} tại cơ quan {f'«{site}»' if site else '(chưa gán)'} / not allowed to {en or vi}"
        f" at office {f'«{site}»' if site else '(none)'}: needs {role_names(roles)} on a unit the office serves"
    )
