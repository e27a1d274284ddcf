"""Who is acting: the seam where sign-in and roles will plug in.

Every route that changes something (a correction, the calendar, an import) depends on
`acting_user` and records its `username` as the author. There is no sign-in yet: it returns
a fixed system user. The UI issue replaces this one function (sessions, argon2 passwords,
roles scoped to org units) — or a deployment overrides it with
`app.dependency_overrides[acting_user] = …` — and every route is then protected and audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ActingUser:
    username: str  # recorded as author / approved_by
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)


SYSTEM_USER = ActingUser("system", "Hệ thống CCES", frozenset({"admin"}))


def acting_user() -> ActingUser:
    """The user behind the request. Today: always the system user (no authentication yet)."""
    return SYSTEM_USER
