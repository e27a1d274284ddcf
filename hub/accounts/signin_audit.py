"""Failed and refused sign-ins in the audit log: counted on one row each, never written one by one.

Guessing passwords must not grow the database without limit, yet an administrator must see it:

- a run of failures of one username (from its first failure until a successful sign-in, or until
  its failures age out of the rate limit's window + lockout) is ONE `sign_in.failed` row; each
  further failure updates its `after` (`failures`, `last_at`);
- the failure that locks a username or an address writes ONE `sign_in.locked` row (entity `user`
  with the username, or `client_address` with the address; `after`: `by`, `failures`,
  `retry_after_s`, `refused`); every attempt refused while the lock lasts adds one to that row's
  `refused` (and sets `last_at`) instead of writing a row of its own.

So any amount of guessing adds at most one row per username per run and one per lock. The rate
limit itself counts in `sign_in_failures` (hub.accounts.ratelimit), in PostgreSQL, shared by every
hub process; these rows are written in the same transaction, under the same per-username lock.
"""

from __future__ import annotations

import psycopg

from hub.accounts import audit, repository
from hub.accounts.audit import Actor
from hub.accounts.models import AccountsPolicy
from hub.accounts.ratelimit import SignInLimits

FAILED = "sign_in.failed"
LOCKED = "sign_in.locked"
USER = "user"
ADDRESS = "client_address"


def failed(
    conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None, now: SignInLimits
) -> None:
    """A wrong password or unknown username, already counted for the rate limit; `now` is the
    limits after counting it (a lock it started gets its own row)."""
    span = policy.failure_window + policy.lockout
    row = None if now.user_failures <= 1 else repository.recent_audit_id(conn, FAILED, USER, username, span)
    if row is None:
        audit.record(conn, Actor(username, None, client_ip), FAILED, USER, username,
                     after={"failures": max(1, now.user_failures)})  # fmt: skip
    else:
        repository.update_audit_after(conn, row, {"failures": now.user_failures})
    if now.user_locked:
        _lock_row(conn, username, client_ip, USER, username, now.user_failures, now.retry_after_s, refused=0)
    if now.address_locked and client_ip and repository.recent_audit_id(conn, LOCKED, ADDRESS, client_ip, span) is None:
        _lock_row(conn, username, client_ip, ADDRESS, client_ip, now.address_failures, now.retry_after_s, refused=0)


def refused(
    conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None, now: SignInLimits
) -> None:
    """An attempt refused because the username or the address is locked: counted on the lock's row."""
    span = policy.failure_window + policy.lockout
    scopes = [(USER, username, now.user_failures)] if now.user_locked else []
    if now.address_locked and client_ip:
        scopes.append((ADDRESS, client_ip, now.address_failures))
    for entity, key, failures in scopes:
        row = repository.recent_audit_id(conn, LOCKED, entity, key, span)
        if row is None:  # a lock older than this code, or its row rolled back: start counting now
            _lock_row(conn, username, client_ip, entity, key, failures, now.retry_after_s, refused=1)
        else:
            repository.update_audit_after(conn, row, {}, increment="refused")


def _lock_row(
    conn: psycopg.Connection,
    username: str,
    client_ip: str | None,
    entity: str,
    key: str,
    failures: int,
    retry_after_s: int | None,
    *,
    refused: int,
) -> None:
    audit.record(
        conn,
        Actor(username, None, client_ip),
        LOCKED,
        entity,
        key,
        after={
            "by": "username" if entity == USER else "address",
            "failures": failures,
            "retry_after_s": retry_after_s,
            "refused": refused,
        },
    )
