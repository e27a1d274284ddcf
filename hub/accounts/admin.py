"""Account administration: create users, link them to employees, grant and revoke roles, disable,
reset and change passwords. Every function takes the acting Principal and checks it first.

`AccountsService` (`hub.accounts.service`, `services.accounts`) is what the API, the pages and the tools call;
it checks the action of `hub.accounts.actions`, these functions the account's units (`hub.accounts.checks`).

A system admin manages everyone. An office admin (quản trị đơn vị) manages the accounts that lie
wholly inside their units (employee and every grant), and never grants or touches admin roles —
so nobody can raise themself or anyone else above what they hold. Every change is audited in its
own transaction; bad input raises AccountError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from hub.accounts import access, audit, repository
from hub.accounts.audit import Actor
from hub.accounts.checks import (
    LANGUAGES,
    GrantSpec,
    checked_username,
    employee_of,
    in_scope,
    require_grantable,
    require_manageable,
    require_user,
    resolve_grant,
    unique_error,
    visible,
)
from hub.accounts.credentials import check_new_password, hash_password, verify_password
from hub.accounts.models import (
    AccessDenied,
    AccountError,
    AccountsPolicy,
    UnknownUser,
    User,
)
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import normalise_username, token_digest


def create_user(
    conn: psycopg.Connection,
    policy: AccountsPolicy,
    actor: Principal,
    *,
    username: str,
    password: str,
    display_name: str | None = None,
    employee_code: str | None = None,
    grants: Sequence[GrantSpec] = (),
    language: str = "vi",
    client_ip: str | None = None,
) -> User:
    """A new account with its grants (audited 'user.create'); AccountError or AccessDenied, nothing written."""
    access.require_role(actor, access.USER_ADMINS, "tạo tài khoản / create accounts")
    name = checked_username(username)
    check_new_password(password, policy.min_password_length, name)
    if language not in LANGUAGES:
        raise AccountError(f"ngôn ngữ vi hoặc en / language must be one of {LANGUAGES}")
    with conn.transaction():
        employee = employee_of(conn, employee_code) if employee_code else None
        employee_unit = (employee[4], employee[3]) if employee is not None else None
        resolved = [resolve_grant(conn, g, employee_unit) for g in grants]
        if not actor.is_system_admin:
            if employee is not None and not in_scope(employee[3], access.scope(actor, access.USER_ADMINS)):
                raise AccessDenied("cán bộ này ngoài đơn vị của bạn / that employee is outside your units")
            for role, _unit_id, path in resolved:
                require_grantable(actor, role, path)
            if employee is None and not resolved:
                raise AccessDenied(
                    "tài khoản cần gắn cán bộ hoặc vai trò trong đơn vị của bạn / the account needs an employee or a"
                    " role in your units"
                )
        shown = (display_name or "").strip() or (employee[2] if employee else name)
        try:
            with conn.transaction():
                user_id = repository.insert_user(
                    conn, name, shown, employee[0] if employee else None, hash_password(password), language,
                    actor.username,
                )  # fmt: skip
        except psycopg.errors.UniqueViolation as exc:
            raise unique_error(exc, name) from None
        for role, unit_id, _path in resolved:
            repository.insert_grant(conn, user_id, role, unit_id, actor.username)
        user = require_user(conn, user_id)
        audit.record(
            conn, Actor.of(actor, client_ip), "user.create", "user", user_id, after=user,
            unit_path=_audit_unit(user),
        )  # fmt: skip
    return user


def _audit_unit(user: User) -> str | None:
    """The unit an account's audit rows belong to: its employee's, else its first unit grant's."""
    return user.employee_unit_path or next((g.unit_path for g in user.grants if g.unit_path), None)


def get_user(conn: psycopg.Connection, actor: Principal, user_id: int) -> User:
    """One account; yourself always, others if you manage accounts in one of its units."""
    user = require_user(conn, user_id)
    if actor.user_id != user.id:
        access.require_role(actor, access.USER_ADMINS, "xem tài khoản / see accounts")
        if not visible(actor, user):
            raise AccessDenied("tài khoản này ngoài đơn vị của bạn / that account is outside your units")
    return user


def find_users(
    conn: psycopg.Connection, actor: Principal, query: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, list[User]]:
    """(total, one page by username) of the accounts the actor may see; `query` words match username,
    display name or employee code (case-insensitive)."""
    access.require_role(actor, access.USER_ADMINS, "xem tài khoản / see accounts")
    patterns = ["%" + audit.like_escape(w) + "%" for w in query.lower().split()]
    return repository.find_users(
        conn, patterns=patterns, unit_paths=access.scope(actor, access.USER_ADMINS), limit=limit, offset=offset
    )


_UNSET = object()


def update_user(
    conn: psycopg.Connection,
    actor: Principal,
    user_id: int,
    *,
    display_name: str | None = None,
    language: str | None = None,
    disabled: bool | None = None,
    employee_code: object = _UNSET,  # a code to link, None to unlink, left out: unchanged
    client_ip: str | None = None,
) -> User:
    """Change an account (audited 'user.update' with before/after). Disabling revokes its sessions."""
    with conn.transaction():
        before = require_user(conn, user_id)
        require_manageable(actor, before)
        changes: dict[str, object] = {}
        if display_name is not None:
            if not display_name.strip():
                raise AccountError("tên hiển thị không được trống / the display name cannot be blank")
            changes["display_name"] = display_name.strip()
        if language is not None:
            if language not in LANGUAGES:
                raise AccountError(f"ngôn ngữ vi hoặc en / language must be one of {LANGUAGES}")
            changes["language"] = language
        if disabled is not None:
            if disabled and before.id == actor.user_id:
                raise AccountError("không thể tự khoá tài khoản của mình / you cannot disable your own account")
            if disabled and _is_last_system_admin(conn, before):
                raise AccountError("đây là quản trị hệ thống cuối cùng / this is the last enabled system admin")
            changes["disabled"] = disabled
        if employee_code is not _UNSET:
            if employee_code is None:
                changes["employee_id"] = None
            else:
                employee = employee_of(conn, str(employee_code))
                if not actor.is_system_admin and not in_scope(employee[3], access.scope(actor, access.USER_ADMINS)):
                    raise AccessDenied("cán bộ này ngoài đơn vị của bạn / that employee is outside your units")
                changes["employee_id"] = employee[0]
        if not changes:
            raise AccountError("không có gì để sửa / nothing to change")
        try:
            with conn.transaction():
                repository.update_user(conn, user_id, changes)
        except psycopg.errors.UniqueViolation as exc:
            raise unique_error(exc, before.username) from None
        if disabled:
            repository.revoke_user_sessions(conn, user_id)
        after = require_user(conn, user_id)
        audit.record(
            conn, Actor.of(actor, client_ip), "user.update", "user", user_id, before=before, after=after,
            unit_path=_audit_unit(after) or _audit_unit(before),
        )  # fmt: skip
    return after


def _is_last_system_admin(conn: psycopg.Connection, user: User) -> bool:
    holds = any(g.role is Role.SYSTEM_ADMIN for g in user.grants)
    return holds and not user.disabled and repository.count_system_admins(conn) <= 1


def add_grant(
    conn: psycopg.Connection,
    actor: Principal,
    user_id: int,
    role: Role | str,
    unit_code: str | None = None,
    client_ip: str | None = None,
) -> User:
    """Grant a role on a unit (audited 'grant.create'); granting one already held changes nothing."""
    with conn.transaction():
        before = require_user(conn, user_id)
        require_manageable(actor, before)
        employee_unit = None
        if before.employee_code is not None:
            employee = employee_of(conn, before.employee_code)
            employee_unit = (employee[4], employee[3])
        grant_role, unit_id, path = resolve_grant(conn, GrantSpec(role, unit_code), employee_unit)
        require_grantable(actor, grant_role, path)
        if repository.insert_grant(conn, user_id, grant_role, unit_id, actor.username) is None:
            return before
        after = require_user(conn, user_id)
        audit.record(
            conn, Actor.of(actor, client_ip), "grant.create", "user", user_id,
            before={"grants": before.grants}, after={"grants": after.grants}, unit_path=path or _audit_unit(after),
        )  # fmt: skip
    return after


def remove_grant(
    conn: psycopg.Connection, actor: Principal, user_id: int, grant_id: int, client_ip: str | None = None
) -> User:
    """Take a grant away (audited 'grant.delete'). The last enabled system admin keeps theirs."""
    with conn.transaction():
        before = require_user(conn, user_id)
        require_manageable(actor, before)
        target = next((g for g in before.grants if g.id == grant_id), None)
        if target is None:
            raise UnknownUser(
                f"tài khoản {user_id} không có quyền số {grant_id} / account {user_id} has no grant {grant_id}"
            )
        if target.role is Role.SYSTEM_ADMIN and _is_last_system_admin(conn, before):
            raise AccountError("đây là quản trị hệ thống cuối cùng / this is the last enabled system admin")
        repository.delete_grant(conn, user_id, grant_id)
        after = require_user(conn, user_id)
        audit.record(
            conn, Actor.of(actor, client_ip), "grant.delete", "user", user_id,
            before={"grants": before.grants}, after={"grants": after.grants},
            unit_path=target.unit_path or _audit_unit(before),
        )  # fmt: skip
    return after


def reset_password(
    conn: psycopg.Connection,
    policy: AccountsPolicy,
    actor: Principal,
    user_id: int,
    new_password: str,
    client_ip: str | None = None,
) -> None:
    """An admin sets another account's password (audited 'user.password_reset'); its sessions end."""
    with conn.transaction():
        user = require_user(conn, user_id)
        if user.id != actor.user_id:
            require_manageable(actor, user)
        check_new_password(new_password, policy.min_password_length, user.username)
        repository.set_password_hash(conn, user_id, hash_password(new_password))
        ended = repository.revoke_user_sessions(conn, user_id)
        audit.record(
            conn, Actor.of(actor, client_ip), "user.password_reset", "user", user_id,
            after={"sessions_ended": ended}, unit_path=_audit_unit(user),
        )  # fmt: skip


def change_own_password(
    conn: psycopg.Connection,
    policy: AccountsPolicy,
    actor: Principal,
    current_password: str,
    new_password: str,
    keep_token: str | None = None,
    client_ip: str | None = None,
) -> None:
    """The signed-in user changes their password, proving the current one; their other sessions end."""
    with conn.transaction():
        stored = repository.password_hash(conn, actor.user_id)
        if stored is None or not verify_password(stored, current_password):
            raise AccountError("mật khẩu hiện tại không đúng / the current password is wrong")
        check_new_password(new_password, policy.min_password_length, actor.username)
        repository.set_password_hash(conn, actor.user_id, hash_password(new_password))
        ended = repository.revoke_user_sessions(conn, actor.user_id, token_digest(keep_token) if keep_token else None)
        audit.record(
            conn, Actor.of(actor, client_ip), "user.password_change", "user", actor.user_id,
            after={"other_sessions_ended": ended}, unit_path=actor.employee_unit_path,
        )  # fmt: skip


def all_users(conn: psycopg.Connection) -> list[User]:
    """Every account (the `cces users list` command, which runs with the machine's own authority)."""
    return repository.all_users(conn)


def user_by_username(conn: psycopg.Connection, username: str) -> User:
    user = repository.user_by_username(conn, normalise_username(username))
    if user is None:
        raise UnknownUser(f"không có tài khoản {username!r} / no account is named {username!r}")
    return user
