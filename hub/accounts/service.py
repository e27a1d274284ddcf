"""Account administration: create users, link them to employees, grant and revoke roles, disable,
reset and change passwords. Every function takes the acting Principal and checks it first.

`AccountsService` (`services.accounts`, at the end) is what the API, the pages and the tools call: sessions,
accounts and the audit log over the pool, each method checking its action of `hub.accounts.actions`.

A system admin manages everyone. An office admin (quản trị đơn vị) manages the accounts that lie
wholly inside their units (employee and every grant), and never grants or touches admin roles —
so nobody can raise themself or anyone else above what they hold. Every change is audited in its
own transaction; bad input raises AccountError and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts import access, actions, audit, repository, sessions
from hub.accounts.audit import Actor
from hub.accounts.bootstrap import Bootstrapped, ensure_first_admin
from hub.accounts.credentials import check_new_password, hash_password, verify_password
from hub.accounts.models import (
    AccessDenied,
    AccountError,
    AccountsPolicy,
    AuditEntry,
    AuditQuery,
    SignedIn,
    UnknownUser,
    User,
)
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import normalise_username, token_digest

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class GrantSpec:
    """A grant to give: the role and the unit code (None only for system admin, or employee: their unit)."""

    role: Role | str
    unit_code: str | None = None


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise AccountError(f"vai trò không hợp lệ / unknown role {value!r}; one of: {names}") from None


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not re.match(USERNAME_PATTERN, name):
        raise AccountError(
            "tên đăng nhập 2–64 ký tự a-z, 0-9, '.', '_', '-' / a username is 2–64 characters of a-z, 0-9,"
            f" '.', '_', '-' starting with a letter or digit, got {username!r}"
        )
    return name


def _employee(conn: psycopg.Connection, code: str) -> tuple[int, str, str, str, int]:
    found = repository.employee_ref(conn, code)
    if found is None:
        raise AccountError(f"không có cán bộ mã {code!r} / no employee has the code {code!r}")
    return found


def _unit(conn: psycopg.Connection, code: str) -> tuple[int, str]:
    found = repository.unit_ref(conn, code)
    if found is None:
        raise AccountError(f"không có đơn vị mã {code!r} / no org unit has the code {code!r}")
    return found


def _require_user(conn: psycopg.Connection, user_id: int) -> User:
    user = repository.user_by_id(conn, user_id)
    if user is None:
        raise UnknownUser(f"không có tài khoản số {user_id} / no account has the id {user_id}")
    return user


def _in_scope(path: str | None, paths: tuple[str, ...] | None) -> bool:
    return paths is None or (path is not None and any(path.startswith(p) for p in paths))


def _visible(actor: Principal, user: User) -> bool:
    if actor.is_system_admin or actor.user_id == user.id:
        return True
    paths = access.scope(actor, access.USER_ADMINS)
    places = [user.employee_unit_path, *(g.unit_path for g in user.grants)]
    return any(_in_scope(p, paths) for p in places if p is not None)


def _require_manageable(actor: Principal, user: User) -> None:
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
    if not places or not all(_in_scope(p, paths) for p in places):
        raise AccessDenied("tài khoản này có phần ngoài đơn vị của bạn / this account reaches outside your units")


def _require_grantable(actor: Principal, role: Role, unit_path: str | None) -> None:
    if actor.is_system_admin:
        return
    if role in access.ADMIN_ROLES:
        raise AccessDenied(f"chỉ quản trị hệ thống cấp vai trò {role.value} / only a system admin grants {role.value}")
    if not _in_scope(unit_path, access.scope(actor, access.USER_ADMINS)):
        raise AccessDenied("đơn vị này ngoài phạm vi của bạn / that unit is outside your units")


def _resolve_grant(
    conn: psycopg.Connection, spec: GrantSpec, employee_unit: tuple[int, str] | None
) -> tuple[Role, int | None, str | None]:
    """(role, unit id, unit path) of a grant to give, checked."""
    role = _role(spec.role)
    if role is Role.SYSTEM_ADMIN:
        if spec.unit_code:
            raise AccountError("quản trị hệ thống không gắn với đơn vị / the system admin role takes no unit")
        return role, None, None
    if spec.unit_code:
        unit_id, path = _unit(conn, spec.unit_code)
        return role, unit_id, path
    if role is Role.EMPLOYEE and employee_unit is not None:
        return role, employee_unit[0], employee_unit[1]
    raise AccountError(f"vai trò {role.value} cần một đơn vị / the role {role.value} needs a unit (--unit CODE)")


def _unique(exc: psycopg.errors.UniqueViolation, username: str) -> AccountError:
    if "employee" in str(exc):
        return AccountError("cán bộ này đã có tài khoản / that employee already has an account")
    return AccountError(f"tên đăng nhập {username!r} đã có / the username {username!r} is taken")


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
    name = _check_username(username)
    check_new_password(password, policy.min_password_length, name)
    if language not in LANGUAGES:
        raise AccountError(f"ngôn ngữ vi hoặc en / language must be one of {LANGUAGES}")
    with conn.transaction():
        employee = _employee(conn, employee_code) if employee_code else None
        employee_unit = (employee[4], employee[3]) if employee is not None else None
        resolved = [_resolve_grant(conn, g, employee_unit) for g in grants]
        if not actor.is_system_admin:
            if employee is not None and not _in_scope(employee[3], access.scope(actor, access.USER_ADMINS)):
                raise AccessDenied("cán bộ này ngoài đơn vị của bạn / that employee is outside your units")
            for role, _unit_id, path in resolved:
                _require_grantable(actor, role, path)
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
            raise _unique(exc, name) from None
        for role, unit_id, _path in resolved:
            repository.insert_grant(conn, user_id, role, unit_id, actor.username)
        user = _require_user(conn, user_id)
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
    user = _require_user(conn, user_id)
    if actor.user_id != user.id:
        access.require_role(actor, access.USER_ADMINS, "xem tài khoản / see accounts")
        if not _visible(actor, user):
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
        before = _require_user(conn, user_id)
        _require_manageable(actor, before)
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
                employee = _employee(conn, str(employee_code))
                if not actor.is_system_admin and not _in_scope(employee[3], access.scope(actor, access.USER_ADMINS)):
                    raise AccessDenied("cán bộ này ngoài đơn vị của bạn / that employee is outside your units")
                changes["employee_id"] = employee[0]
        if not changes:
            raise AccountError("không có gì để sửa / nothing to change")
        try:
            with conn.transaction():
                repository.update_user(conn, user_id, changes)
        except psycopg.errors.UniqueViolation as exc:
            raise _unique(exc, before.username) from None
        if disabled:
            repository.revoke_user_sessions(conn, user_id)
        after = _require_user(conn, user_id)
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
        before = _require_user(conn, user_id)
        _require_manageable(actor, before)
        employee_unit = None
        if before.employee_code is not None:
            employee = _employee(conn, before.employee_code)
            employee_unit = (employee[4], employee[3])
        grant_role, unit_id, path = _resolve_grant(conn, GrantSpec(role, unit_code), employee_unit)
        _require_grantable(actor, grant_role, path)
        if repository.insert_grant(conn, user_id, grant_role, unit_id, actor.username) is None:
            return before
        after = _require_user(conn, user_id)
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
        before = _require_user(conn, user_id)
        _require_manageable(actor, before)
        target = next((g for g in before.grants if g.id == grant_id), None)
        if target is None:
            raise UnknownUser(
                f"tài khoản {user_id} không có quyền số {grant_id} / account {user_id} has no grant {grant_id}"
            )
        if target.role is Role.SYSTEM_ADMIN and _is_last_system_admin(conn, before):
            raise AccountError("đây là quản trị hệ thống cuối cùng / this is the last enabled system admin")
        repository.delete_grant(conn, user_id, grant_id)
        after = _require_user(conn, user_id)
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
        user = _require_user(conn, user_id)
        if user.id != actor.user_id:
            _require_manageable(actor, user)
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


class AccountsService:
    """Sessions, accounts and the audit log over the pool (`services.accounts`); each method checks its action
    (hub.accounts.actions), and the functions above check the account's units."""

    def __init__(self, pool: ConnectionPool, policy: AccountsPolicy) -> None:
        self.pool = pool
        self.policy = policy  # sessions, lockout, password length ([accounts])

    # --- sessions: the password or the token is the proof (accounts.sign_in, public) ----------------

    def sign_in(
        self, username: str, password: str, client_ip: str | None = None, user_agent: str | None = None
    ) -> SignedIn:
        """`.token` (give it to the client, once) and `.principal`; raises SignInRefused (`.reason`
        'bad_credentials' | 'locked' | 'disabled', `.message` vi / en, `.retry_after_s` when locked).
        Public (accounts.sign_in): the password is the proof."""
        with self.pool.connection() as conn:
            return sessions.sign_in(conn, self.policy, username, password, client_ip, user_agent)

    def principal_for_session(self, token: str | None) -> Principal | None:
        """Who holds this session token, pushing its idle expiry forward; None: signed out/expired/unknown.
        The token is the proof (the route guard and the pages ask this before any action)."""
        with self.pool.connection() as conn:
            return sessions.principal_for_session(conn, self.policy, token)

    def session_is_live(self, token: str | None) -> bool:
        """Whether the session still holds, without counting this as use (an open page asking is not
        activity: its idle expiry is not pushed forward). The token is the proof."""
        with self.pool.connection() as conn:
            return sessions.session_is_live(conn, token)

    def sign_out(self, token: str | None, client_ip: str | None = None) -> bool:
        """Revoke the session (audited); False when it was not a live session. The token is the proof."""
        with self.pool.connection() as conn:
            return sessions.sign_out(conn, token, client_ip)

    def ensure_first_admin(self, data_dir: Path | Any, password: str | None = None) -> Bootstrapped | None:
        """Internal (the hub when it starts, tests): create `admin` when there is no account at all
        (see hub.accounts.bootstrap)."""
        with self.pool.connection() as conn:
            return ensure_first_admin(conn, data_dir, password, self.policy.min_password_length)

    # --- one's own account (accounts.own_session) ------------------------------------------------

    def change_own_password(
        self, principal: Principal, current_password: str, new_password: str, keep_token: str | None = None,
        client_ip: str | None = None,
    ) -> None:  # fmt: skip
        """The signed-in user changes their password, proving the current one; their other sessions end."""
        gate.check(principal, actions.OWN_SESSION)
        with self.pool.connection() as conn:
            change_own_password(conn, self.policy, principal, current_password, new_password, keep_token, client_ip)

    # --- accounts (accounts.manage_users; one's own through accounts.own_session) ----------------------

    def find_users(
        self, principal: Principal, query: str = "", limit: int = 50, offset: int = 0
    ) -> tuple[int, list[User]]:
        gate.check(principal, actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return find_users(conn, principal, query, limit, offset)

    def get_user(self, principal: Principal, user_id: int) -> User:
        """One account: one's own (accounts.own_session), others in the units one manages (accounts.manage_users)."""
        gate.check(principal, actions.OWN_SESSION if user_id == principal.user_id else actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return get_user(conn, principal, user_id)

    def create_user(
        self,
        principal: Principal,
        *,
        username: str,
        password: str,
        display_name: str | None = None,
        employee_code: str | None = None,
        grants: Sequence[GrantSpec] = (),
        language: str = "vi",
        client_ip: str | None = None,
    ) -> User:
        gate.check(principal, actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return create_user(
                conn, self.policy, principal, username=username, password=password, display_name=display_name,
                employee_code=employee_code, grants=grants, language=language, client_ip=client_ip,
            )  # fmt: skip

    def update_user(self, principal: Principal, user_id: int, *, client_ip: str | None = None, **changes: Any) -> User:
        """changes: display_name, language, disabled (bool), employee_code (a code, or None to unlink)."""
        gate.check(principal, actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return update_user(conn, principal, user_id, client_ip=client_ip, **changes)

    def add_grant(
        self, principal: Principal, user_id: int, role: Role | str, unit_code: str | None = None,
        client_ip: str | None = None,
    ) -> User:  # fmt: skip
        gate.check(principal, actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return add_grant(conn, principal, user_id, role, unit_code, client_ip)

    def remove_grant(self, principal: Principal, user_id: int, grant_id: int, client_ip: str | None = None) -> User:
        gate.check(principal, actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            return remove_grant(conn, principal, user_id, grant_id, client_ip)

    def reset_password(
        self, principal: Principal, user_id: int, new_password: str, client_ip: str | None = None
    ) -> None:
        """Set an account's password (accounts.manage_users; one's own: accounts.own_session); its sessions end."""
        gate.check(principal, actions.OWN_SESSION if user_id == principal.user_id else actions.MANAGE_USERS)
        with self.pool.connection() as conn:
            reset_password(conn, self.policy, principal, user_id, new_password, client_ip)

    # --- the audit log (audit.read) ------------------------------------------------------------

    def search_audit(self, principal: Principal, query: AuditQuery) -> tuple[int, list[AuditEntry]]:
        """System admin: every row; office admin: the rows about their units."""
        gate.check(principal, actions.READ_AUDIT)
        with self.pool.connection() as conn:
            return audit.search(conn, query, gate.reach(principal, actions.READ_AUDIT))
