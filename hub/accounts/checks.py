"""What account administration checks before it writes: a username's and a role's form, the employee and
unit a code names, and who may see, manage or grant what (a system admin: anyone; an office admin: the
non-admin accounts wholly inside their units, never an admin role)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from hub.accounts import access, repository
from hub.accounts.models import (
    AccessDenied,
    AccountError,
    UnknownUser,
    User,
)
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import normalise_username

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class GrantSpec:
    """A grant to give: the role and the unit code (None only for system admin, or employee: their unit)."""

    role: Role | str
    unit_code: str | None = None


def checked_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise AccountError(f"vai trò không hợp lệ / unknown role {value!r}; one of: {names}") from None


def checked_username(username: str) -> str:
    name = normalise_username(username)
    if not re.match(USERNAME_PATTERN, name):
        raise AccountError(
            "tên đăng nhập 2–64 ký tự a-z, 0-9, '.', '_', '-' / a username is 2–64 characters of a-z, 0-9,"
            f" '.', '_', '-' starting with a letter or digit, got {username!r}"
        )
    return name


def employee_of(conn: psycopg.Connection, code: str) -> tuple[int, str, str, str, int]:
    found = repository.employee_ref(conn, code)
    if found is None:
        raise AccountError(f"không có cán bộ mã {code!r} / no employee has the code {code!r}")
    return found


def unit_of(conn: psycopg.Connection, code: str) -> tuple[int, str]:
    found = repository.unit_ref(conn, code)
    if found is None:
        raise AccountError(f"không có đơn vị mã {code!r} / no org unit has the code {code!r}")
    return found


def require_user(conn: psycopg.Connection, user_id: int) -> User:
    user = repository.user_by_id(conn, user_id)
    if user is None:
        raise UnknownUser(f"không có tài khoản số {user_id} / no account has the id {user_id}")
    return user


def in_scope(path: str | None, paths: tuple[str, ...] | None) -> bool:
    return paths is None or (path is not None and any(path.startswith(p) for p in paths))


def visible(actor: Principal, user: User) -> bool:
    if actor.is_system_admin or actor.user_id == user.id:
        return True
    paths = access.scope(actor, access.USER_ADMINS)
    places = [user.employee_unit_path, *(g.unit_path for g in user.grants)]
    return any(in_scope(p, paths) for p in places if p is not None)


def require_manageable(actor: Principal, user: User) -> None:
    """System admin: anyone. Office admin: a non-admin account wholly inside their units."""
    access.require_role(actor, access.USER_ADMINS, "quản lý tài khoản / manage accounts")
    if actor.is_system_admin:
        return
    if any(g.role in access.ADMIN_ROLES for g in user.grants):
        raise AccessDenied(
            "chỉ quản trị hệ thống sửa tài khoản quản trị / only a system admin changes an admin account"
        )
    paths = access.scope(actor, access.USER_ADMINS)
    places = [p for p in (user.employee_unit_path, *(g.unit_path for g in user.grants)) if p is not None]
    if not places or not all(in_scope(p, paths) for p in places):
        raise AccessDenied("tài khoản này có phần ngoài đơn vị của bạn / this account reaches outside your units")


def require_grantable(actor: Principal, role: Role, unit_path: str | None) -> None:
    if actor.is_system_admin:
        return
    if role in access.ADMIN_ROLES:
        raise AccessDenied(f"chỉ quản trị hệ thống cấp vai trò {role.value} / only a system admin grants {role.value}")
    if not in_scope(unit_path, access.scope(actor, access.USER_ADMINS)):
        raise AccessDenied("đơn vị này ngoài phạm vi của bạn / that unit is outside your units")


def resolve_grant(
    conn: psycopg.Connection, spec: GrantSpec, employee_unit: tuple[int, str] | None
) -> tuple[Role, int | None, str | None]:
    """(role, unit id, unit path) of a grant to give, checked."""
    role = checked_role(spec.role)
    if role is Role.SYSTEM_ADMIN:
        if spec.unit_code:
            raise AccountError("quản trị hệ thống không gắn với đơn vị / the system admin role takes no unit")
        return role, None, None
    if spec.unit_code:
        unit_id, path = unit_of(conn, spec.unit_code)
        return role, unit_id, path
    if role is Role.EMPLOYEE and employee_unit is not None:
        return role, employee_unit[0], employee_unit[1]
    raise AccountError(f"vai trò {role.value} cần một đơn vị / the role {role.value} needs a unit (--unit CODE)")


def unique_error(exc: psycopg.errors.UniqueViolation, username: str) -> AccountError:
    if "employee" in str(exc):
        return AccountError("cán bộ này đã có tài khoản / that employee already has an account")
    return AccountError(f"tên đăng nhập {username!r} đã có / the username {username!r} is taken")
