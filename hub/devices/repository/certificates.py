"""Device certificates issued at enrollment and renewal, their revocation, and revoked broker credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

# --- device certificates (chứng thư thiết bị): issued at enrollment and renewal ---------------------


@dataclass(frozen=True, slots=True)
class CertificateRow:
    serial: int
    device_id: str
    issued_at: datetime
    not_after: datetime
    revoked_at: datetime | None


_CERT_COLUMNS = "serial, device_id, issued_at, not_after, revoked_at"


def _certificate(row: tuple[Any, ...]) -> CertificateRow:
    return CertificateRow(int(row[0]), *row[1:])


def add_certificate(conn: psycopg.Connection, device_id: str, serial: int, not_after: datetime) -> None:
    conn.execute(
        "INSERT INTO device_certificates (serial, device_id, not_after) VALUES (%s, %s, %s)",
        (serial, device_id, not_after),
    )


def get_certificate(conn: psycopg.Connection, serial: int) -> CertificateRow | None:
    row = conn.execute(f"SELECT {_CERT_COLUMNS} FROM device_certificates WHERE serial = %s", (serial,)).fetchone()
    return _certificate(row) if row else None


def list_certificates(conn: psycopg.Connection, device_id: str | None = None) -> list[CertificateRow]:
    """Every certificate issued (to one device, or to all), by device then newest first."""
    rows = conn.execute(
        f"SELECT {_CERT_COLUMNS} FROM device_certificates WHERE %(d)s::text IS NULL OR device_id = %(d)s"
        " ORDER BY device_id, not_after DESC",
        {"d": device_id},
    ).fetchall()
    return [_certificate(r) for r in rows]


def revoke_certificates(conn: psycopg.Connection, device_id: str) -> list[int]:
    """Mark every certificate of the device revoked; returns the serials revoked now (not before)."""
    rows = conn.execute(
        "UPDATE device_certificates SET revoked_at = now() WHERE device_id = %s AND revoked_at IS NULL"
        " RETURNING serial",
        (device_id,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def revoked_serials(conn: psycopg.Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT serial FROM device_certificates WHERE revoked_at IS NOT NULL")}


def revoke_credentials(conn: psycopg.Connection, device_id: str) -> bool:
    """Stop the device's broker password from working (embedded broker); False when it had none live."""
    return (
        conn.execute(
            "UPDATE device_credentials SET revoked_at = now() WHERE device_id = %s AND revoked_at IS NULL",
            (device_id,),
        ).rowcount
        > 0
    )
