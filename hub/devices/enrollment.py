"""Enrollment of a new device: a one-time token from an admin, a CSR from the device.

The hub does not sign certificates itself (the CA is `provisioning`'s, which the hub may not
import); the `cces` composition root hands it a `CertificateSigner`. Redeeming a token is one
transaction: a wrong, expired or used token, or a CSR the CA refuses, changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import psycopg

from hub.devices import repository as repo
from protocol.enrollment import EnrollmentResponse
from protocol.topics import check_device_id


class EnrollmentRefused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SignedCertificate:
    cert_pem: bytes
    serial: int
    not_after: datetime


class CertificateSigner(Protocol):
    """Signs a device's CSR (raising ValueError with a reason when it must be refused)."""

    @property
    def ca_pem(self) -> bytes: ...

    def sign(self, csr_pem: bytes, device_id: str) -> SignedCertificate: ...


@dataclass(frozen=True)
class EnrollmentToken:
    token: str
    device_id: str
    expires_at: datetime

    @property
    def qr_text(self) -> str:
        """What the QR code holds: enough for a device to enroll, nothing else."""
        return f"cces-enroll:v1:{self.device_id}:{self.token}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    conn: psycopg.Connection,
    device_id: str,
    kind: str,
    site: str | None,
    room: str | None,
    created_by: str,
    valid_for: timedelta = timedelta(hours=24),
) -> EnrollmentToken:
    check_device_id(device_id)
    token = secrets.token_urlsafe(24)
    expires_at = datetime.now(UTC) + valid_for
    with conn.transaction():
        repo.add_enrollment_token(conn, _digest(token), device_id, kind, site, room, created_by, expires_at)
    return EnrollmentToken(token, device_id, expires_at)


_REFUSALS = {
    "wrong_token": "no such enrollment token (mistyped or tampered with?)",
    "already_used": "this token has been used already; ask for a new one",
    "expired": "this token has expired; ask for a new one",
}


def redeem(
    conn: psycopg.Connection, token: str, csr_pem: str, signer: CertificateSigner, mqtt_url: str
) -> EnrollmentResponse:
    """Sign the device's CSR against a valid token; raises EnrollmentRefused (and rolls back) otherwise."""
    with conn.transaction():
        outcome, claim = repo.claim_enrollment_token(conn, _digest(token))
        if claim is None:
            raise EnrollmentRefused(outcome, _REFUSALS[outcome])
        try:
            signed = signer.sign(csr_pem.encode(), claim.device_id)
        except ValueError as exc:
            raise EnrollmentRefused("bad_csr", str(exc)) from exc
        repo.register_enrolled_device(conn, claim, signed.serial, signed.not_after)
    return EnrollmentResponse(
        device_id=claim.device_id,
        kind=claim.kind,
        site=claim.site,
        room=claim.room,
        certificate_pem=signed.cert_pem.decode(),
        ca_pem=signer.ca_pem.decode(),
        not_after=signed.not_after,
        mqtt_url=mqtt_url,
    )
