"""One-time enrollment tokens (stored by SHA-256) and the device a claimed token registers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

# --- enrollment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollmentClaim:
    device_id: str
    kind: str
    site: str | None
    room: str | None


def add_enrollment_token(
    conn: psycopg.Connection,
    token_sha256: str,
    device_id: str,
    kind: str,
    site: str | None,
    room: str | None,
    created_by: str,
    expires_at: datetime,
) -> None:
    conn.execute(
        "INSERT INTO enrollment_tokens (token_sha256, device_id, kind, site, room, created_by, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (token_sha256, device_id, kind, site, room, created_by, expires_at),
    )


def claim_enrollment_token(conn: psycopg.Connection, token_sha256: str) -> tuple[str, EnrollmentClaim | None]:
    """Mark a token used, in the caller's transaction. Returns ('ok', claim) or (refusal reason, None)."""
    row = conn.execute(
        "SELECT device_id, kind, site, room, expires_at <= now(), used_at IS NOT NULL"
        " FROM enrollment_tokens WHERE token_sha256 = %s FOR UPDATE",
        (token_sha256,),
    ).fetchone()
    if row is None:
        return "wrong_token", None
    if row[5]:
        return "already_used", None
    if row[4]:
        return "expired", None
    conn.execute("UPDATE enrollment_tokens SET used_at = now() WHERE token_sha256 = %s", (token_sha256,))
    return "ok", EnrollmentClaim(row[0], row[1], row[2], row[3])


def register_enrolled_device(
    conn: psycopg.Connection, claim: EnrollmentClaim, serial: int, not_after: datetime
) -> None:
    """The device exists from its enrollment on; its broker identity is the certificate."""
    conn.execute(
        "INSERT INTO devices (device_id, kind, site, room) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (device_id) DO UPDATE SET kind = EXCLUDED.kind, site = EXCLUDED.site, room = EXCLUDED.room",
        (claim.device_id, claim.kind, claim.site, claim.room),
    )
    conn.execute(
        "INSERT INTO device_certificates (serial, device_id, not_after) VALUES (%s, %s, %s)",
        (serial, claim.device_id, not_after),
    )
