"""Sign-in, sessions and sign-out.

A session token is 256 random bits handed to the client once (cookie `cces_session` or a bearer
header); the database keeps only its SHA-256, so every API node recognises it and a database
dump cannot be replayed. A session ends when idle too long, at its absolute lifetime, at
sign-out, when the password changes or when the account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import psycopg

from hub.accounts import audit, ratelimit, repository, signin_audit
from hub.accounts.audit import Actor
from hub.accounts.credentials import hash_password, needs_rehash, verify_password
from hub.accounts.models import AccountsPolicy, SignedIn, SignInRefused
from hub.accounts.principal import Principal, Role, RoleGrant

MAX_TOKEN_LENGTH = 128  # ours are 43 characters; anything much longer is not one of ours
MAX_USERNAME_LENGTH = 64

BAD_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu / Wrong username or password"
DISABLED = "Tài khoản đã bị khoá, liên hệ quản trị / This account is disabled; contact an administrator"


def _locked_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return (
        f"Đăng nhập sai quá nhiều lần, tạm khoá; thử lại sau {minutes} phút / Too many failed sign-ins;"
        f" try again in {minutes} minute(s)"
    )


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def normalise_username(username: str) -> str:
    """Usernames are stored lower case; what a person types is matched the same way."""
    return username.strip().lower()[:MAX_USERNAME_LENGTH]


def load_principal(conn: psycopg.Connection, user_id: int) -> Principal | None:
    row = repository.principal_row(conn, user_id)
    if row is None:
        return None
    uid, username, display_name, employee_id, employee_code, unit_path, language = row
    grants = tuple(RoleGrant(Role(role), path) for role, path in repository.principal_grants(conn, uid))
    return Principal(
        user_id=uid,
        username=username,
        display_name=display_name,
        employee_id=employee_id,
        employee_unit_path=unit_path,
        grants=grants,
        language=language,
        employee_code=employee_code,
    )


def sign_in(
    conn: psycopg.Connection,
    policy: AccountsPolicy,
    username: str,
    password: str,
    client_ip: str | None = None,
    user_agent: str | None = None,
) -> SignedIn:
    """A new session, or SignInRefused: 'bad_credentials' (an unknown username and a wrong password
    answer alike, in about the same time), 'locked' (too many failures; `retry_after_s`) or 'disabled'.

    Failures are counted for the rate limit in the same transaction; the audit log gets a success,
    and failures and refusals counted on one row per run and per lock (hub.accounts.signin_audit).
    """
    name = normalise_username(username)
    refused: SignInRefused | None = None
    signed: SignedIn | None = None
    with conn.transaction():
        repository.lock_sign_in(conn, name)
        limits = ratelimit.limits(conn, policy, name, client_ip)
        if limits.retry_after_s is not None:
            signin_audit.refused(conn, policy, name, client_ip, limits)
            refused = SignInRefused("locked", _locked_message(limits.retry_after_s), limits.retry_after_s)
        else:
            found = repository.credentials(conn, name)
            if not verify_password(found[1] if found else None, password) or found is None:
                ratelimit.record_failure(conn, policy, name, client_ip)
                signin_audit.failed(conn, policy, name, client_ip, ratelimit.limits(conn, policy, name, client_ip))
                refused = SignInRefused("bad_credentials", BAD_CREDENTIALS)
            elif found[2]:
                audit.record(conn, Actor(name, found[0], client_ip), "sign_in.disabled", "user", found[0])
                refused = SignInRefused("disabled", DISABLED)
            else:
                signed = _open_session(conn, policy, found[0], found[1], password, client_ip, user_agent)
                repository.clear_failures(conn, name)
    if refused is not None:
        raise refused
    assert signed is not None
    return signed


def _open_session(
    conn: psycopg.Connection,
    policy: AccountsPolicy,
    user_id: int,
    stored_hash: str,
    password: str,
    client_ip: str | None,
    user_agent: str | None,
) -> SignedIn:
    if needs_rehash(stored_hash):
        repository.rehash_password(conn, user_id, hash_password(password))
    token = secrets.token_urlsafe(32)
    expires_at, idle_expires_at = repository.insert_session(
        conn,
        token_digest(token),
        user_id,
        policy.session_idle,
        policy.session_max,
        client_ip,
        (user_agent or "")[:300] or None,
    )
    repository.prune_sessions(conn, timedelta(days=1))
    principal = load_principal(conn, user_id)
    assert principal is not None
    audit.record(
        conn,
        Actor.of(principal, client_ip),
        "sign_in.success",
        "user",
        user_id,
        after={"expires_at": expires_at, "user_agent": user_agent},
        unit_path=principal.employee_unit_path,
    )
    return SignedIn(token, principal, expires_at, idle_expires_at)


def refresh_interval(policy: AccountsPolicy) -> timedelta:
    """How stale `last_seen_at` may get before a request writes it again (not one write per request)."""
    return min(timedelta(seconds=30), policy.session_idle / 10)


def principal_for_session(conn: psycopg.Connection, policy: AccountsPolicy, token: str | None) -> Principal | None:
    """The signed-in user of a live session (and its idle expiry pushed forward); None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = token_digest(token)
    live = repository.live_session(conn, digest)
    if live is None:
        return None
    user_id, last_seen = live
    principal = load_principal(conn, user_id)
    if principal is not None and datetime.now(UTC) - last_seen >= refresh_interval(policy):
        repository.touch_session(conn, digest, policy.session_idle)
    return principal


def session_is_live(conn: psycopg.Connection, token: str | None) -> bool:
    """The session is neither revoked nor expired (nor its user disabled); reading only, never a touch."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    return repository.live_session(conn, token_digest(token)) is not None


def sign_out(conn: psycopg.Connection, token: str | None, client_ip: str | None = None) -> bool:
    """Revoke the session (audited); False when the token named no live session."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    with conn.transaction():
        user_id = repository.revoke_session(conn, token_digest(token))
        if user_id is None:
            return False
        principal = load_principal(conn, user_id)
        assert principal is not None
        audit.record(
            conn,
            Actor.of(principal, client_ip),
            "sign_out.success",
            "user",
            user_id,
            unit_path=principal.employee_unit_path,
        )
    return True
