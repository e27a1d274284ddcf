"""`AccountsService` (`services.accounts`): what the API, the pages and the tools call for sessions, accounts
and the audit log, over the pool. Each method checks its action of `hub.accounts.actions` first; the
account rules themselves (who manages whose account) are `hub.accounts.admin`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts import actions, audit, sessions
from hub.accounts.admin import (
    add_grant,
    change_own_password,
    create_user,
    find_users,
    get_user,
    remove_grant,
    reset_password,
    update_user,
)
from hub.accounts.bootstrap import Bootstrapped, ensure_first_admin
from hub.accounts.checks import (
    GrantSpec,
)
from hub.accounts.models import (
    AccountsPolicy,
    AuditEntry,
    AuditQuery,
    SignedIn,
    User,
)
from hub.accounts.principal import Principal, Role


class AccountsService:
    """Sessions, accounts and the audit log over the pool (`services.accounts`); each method checks its action
    (hub.accounts.actions), and `hub.accounts.admin` checks the account's units."""

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
