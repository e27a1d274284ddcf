"""Sign-in rate limiting, kept in PostgreSQL so that every API node counts the same failures.

N failures of one username (or M from one client address) within the window lock further
attempts until `lockout` has passed since the last of them. Usernames that do not exist are
counted like real ones, so the lock itself does not tell which accounts exist.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class SignInLimits:
    """Where one username and one address stand: their recent failures, and the lock, if any."""

    user_failures: int  # failures of the username within window + lockout
    address_failures: int  # failures from the address within window + lockout
    retry_after_s: int | None  # seconds until sign-in is allowed again; None: allowed now
    user_locked: bool
    address_locked: bool


def limits(conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None) -> SignInLimits:
    """The failures counted for this username and address, and whether either is locked now."""
    span = policy.failure_window + policy.lockout
    now, by_user, by_ip = repository.recent_failures(conn, username, client_ip, span)
    user_end = locked_until(by_user, policy.max_failures_per_user, policy.failure_window, policy.lockout)
    ip_end = locked_until(by_ip, policy.max_failures_per_ip, policy.failure_window, policy.lockout)
    ends = [t for t in (user_end, ip_end) if t is not None and t > now]
    return SignInLimits(
        user_failures=len(by_user),
        address_failures=len(by_ip),
        retry_after_s=max(1, math.ceil((max(ends) - now).total_seconds())) if ends else None,
        user_locked=user_end is not None and user_end > now,
        address_locked=ip_end is not None and ip_end > now,
    )


def record_failure(conn: psycopg.Connection, policy: AccountsPolicy, username: str, client_ip: str | None) -> None:
    repository.add_failure(conn, username, client_ip)
    repository.prune_failures(conn, (policy.failure_window + policy.lockout) * 2)
