"""Sign-in rate limiting, kept in PostgreSQL so that every API node counts the same failures.

N failures of one username (or M from one client address) within the window lock further
attempts until `lockout` has passed since the last of them. Usernames that do not exist are
counted like real ones, so the lock itself does not tell which accounts exist.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from hub.accounts import repository
from hub.accounts.models import AccountsPolicy


def locked_until(failures: Sequence[datetime], limit: int, window: timedelta, lockout: timedelta) -> datetime | None:
    """When the lock ends, if `limit` failures (newest first) fall within one `window`; else None."""
    for i in range(len(failures) - limit + 1):
        newest, oldest = failures[i], failures[i + limit - 1]
        if newest - oldest <= window:
            return newest + lockout  # the newest such run ends the latest
    return None


def check(conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None) -> int | None:
    """Seconds until sign-in is allowed again for this username/address; None when it is allowed now."""
    span = policy.failure_window + policy.lockout
    now, by_user, by_ip = repository.recent_failures(conn, username, client_ip, span)
    ends = [
        t
        for t in (
            locked_until(by_user, policy.max_failures_per_user, policy.failure_window, policy.lockout),
            locked_until(by_ip, policy.max_failures_per_ip, policy.failure_window, policy.lockout),
        )
        if t is not None and t > now
    ]
    if not ends:
        return None
    return max(1, math.ceil((max(ends) - now).total_seconds()))


def record_failure(conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None) -> None:
    repository.add_failure(conn, username, client_ip)
    repository.prune_failures(conn, (policy.failure_window + policy.lockout) * 2)
