"""Who is signed in and what they may touch: the one object every API route and UI page checks.

Roles are granted on an org unit and reach its whole subtree (a manager of a Chi cục sees its
Đội too). A system admin's grant has no unit: it reaches everything. The checks live here, in
one place, so that a route and the page showing the same data cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"  # quản trị hệ thống
    OFFICE_ADMIN = "office_admin"  # quản trị đơn vị
    HR = "hr"  # tổ chức cán bộ
    MANAGER = "manager"  # lãnh đạo, quản lý
    ASSET_OFFICER = "asset_officer"  # cán bộ quản lý tài sản
    CLERK = "clerk"  # văn thư
    EMPLOYEE = "employee"  # cán bộ, công chức


@dataclass(frozen=True, slots=True)
class RoleGrant:
    role: Role
    unit_path: str | None  # materialised path of the unit ("/1/7/"); None: every unit (system admin)

    def covers(self, unit_path: str) -> bool:
        return self.unit_path is None or unit_path.startswith(self.unit_path)


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in user as the checks see it (immutable; rebuilt from the session on each request)."""

    user_id: int
    username: str
    display_name: str
    employee_id: int | None  # the employee this account belongs to, if any
    employee_unit_path: str | None
    grants: tuple[RoleGrant, ...] = field(default_factory=tuple)
    language: str = "vi"
    employee_code: str | None = None  # mã cán bộ of that employee, for "my timesheet" links

    @classmethod
    def tool(cls, username: str, display_name: str) -> Principal:
        """The hub's own tools acting as system admin (the CLI, the demo): no account row (user id 0),
        audited under `username` without a user id."""
        return cls(0, username, display_name, None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))

    def has_role(self, *roles: Role) -> bool:
        return any(g.role in roles for g in self.grants)

    @property
    def is_system_admin(self) -> bool:
        return self.has_role(Role.SYSTEM_ADMIN)

    def can_in_unit(self, unit_path: str, *roles: Role) -> bool:
        """True when one of `roles` (or system admin) is granted on this unit or an ancestor."""
        return any(g.role == Role.SYSTEM_ADMIN or (g.role in roles and g.covers(unit_path)) for g in self.grants)

    def unit_scope(self, *roles: Role) -> tuple[str, ...] | None:
        """Unit paths where `roles` apply; None means every unit (system admin). Empty: none."""
        if self.is_system_admin:
            return None
        return tuple(sorted({g.unit_path for g in self.grants if g.role in roles and g.unit_path is not None}))

    def can_see_employee(self, employee_id: int, unit_path: str, *roles: Role) -> bool:
        """An employee sees themself; otherwise one of `roles` must cover the employee's unit."""
        return employee_id == self.employee_id or self.can_in_unit(unit_path, *roles)
