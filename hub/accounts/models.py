"""What the accounts domain hands out and refuses with: users, grants, audit rows, its errors and policy.

Plain immutable records; the rules live in `service`, `sessions`, `access` and `audit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub.accounts.principal import Principal, Role
from hub.domain import Invalid, NotFound, Refused


@dataclass(frozen=True, slots=True)
class AccountsPolicy:
    """Session lifetimes and sign-in limits, from HubSettings (see `from_settings`)."""

    session_idle: timedelta = timedelta(minutes=30)  # signed out after this long without a request
    session_max: timedelta = timedelta(hours=12)  # signed out this long after signing in, whatever happens
    max_failures_per_user: int = 5  # failed sign-ins of one username within `failure_window` …
    max_failures_per_ip: int = 20  # … or from one address (higher: a whole office may share one NAT address)
    failure_window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)  # … refuse sign-in for this long after the last one
    min_password_length: int = 8
    cookie_secure: bool = False  # the session cookie only over HTTPS

    @classmethod
    def from_settings(cls, settings: Any) -> AccountsPolicy:  # an AccountsSettings ([accounts])
        """From the settings' section (hub.settings; typed loosely so that this module needs no settings import)."""
        return cls(
            session_idle=timedelta(minutes=settings.session_idle_minutes),
            session_max=timedelta(hours=settings.session_max_hours),
            max_failures_per_user=settings.signin_max_failures,
            max_failures_per_ip=settings.signin_max_failures_per_ip,
            failure_window=timedelta(minutes=settings.signin_window_minutes),
            lockout=timedelta(minutes=settings.signin_lockout_minutes),
            min_password_length=settings.password_min_length,
            cookie_secure=settings.session_cookie_secure,
        )


@dataclass(frozen=True, slots=True)
class GrantRecord:
    """A stored role grant, with its unit as people see it (None: system admin, everywhere)."""

    id: int
    role: Role
    unit_code: str | None
    unit_name: str | None
    unit_path: str | None
    granted_by: str
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    """An account (tài khoản) as the admin pages show it; never carries the password hash."""

    id: int
    username: str
    display_name: str
    employee_id: int | None
    employee_code: str | None
    employee_name: str | None
    employee_unit_path: str | None
    language: str
    disabled: bool
    created_at: datetime
    created_by: str
    password_changed_at: datetime
    grants: tuple[GrantRecord, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A successful sign-in: the token goes to the client (cookie or bearer), once."""

    token: str
    principal: Principal
    expires_at: datetime  # absolute end of the session
    idle_expires_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    actor_user_id: int | None
    action: str
    entity: str
    entity_id: str | None
    unit_path: str | None
    before: Any
    after: Any
    client_ip: str | None
    other_unit_path: str | None = None  # the second unit of a change about two (the unit an employee left)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of the audit search; a field left None does not filter."""

    actor: str | None = None  # exact username
    action: str | None = None  # exact ("correction.create") or a prefix ending in "." ("sign_in.")
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    text: str = ""  # words that must all occur (diacritics ignored) anywhere in the row
    limit: int = 50
    offset: int = 0


class AccountError(Invalid):
    """Bad input for an account (weak password, unknown role, username taken): a clear 422, nothing written."""


class UnknownUser(NotFound):
    """No account has this id or username."""


class AccessDenied(Refused):
    """The signed-in user may not do this (403). The message says which role or unit is missing."""


class SignInRefused(Exception):
    """Sign-in refused. `reason`: 'bad_credentials' | 'locked' | 'disabled'; `message` is Vietnamese then English."""

    def __init__(self, reason: str, message: str, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.retry_after_s = retry_after_s
