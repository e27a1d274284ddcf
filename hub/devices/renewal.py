"""Certificate renewal: a device trades its current certificate for a new one, with a new key.

The request arrives over the device HTTPS endpoint, whose TLS handshake has already checked the
client certificate against the hub CA and its dates. Here the hub checks the rest, in one
transaction: the certificate is one it issued to this device and has not revoked; the CSR names
the same device (the CA refuses any other CN) and a NEW key (a renewal that keeps a key that
may have leaked renews nothing). The new certificate is recorded next to the old one.

The old certificate is NOT revoked at renewal: the device holds it until it has stored the new
pair and reconnected, and a device that loses power in between must be able to renew again
with it. It is left to expire, which happens at most a third of a lifetime later (devices renew
at two thirds); an admin who suspects a key was stolen revokes the device (`cces provision
revoke`), which revokes every certificate it has.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import psycopg
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from hub.devices import repository as repo
from hub.devices.enrollment import SignedCertificate
from hub.galleries.server import DeviceRequest
from protocol.renewal import RenewalRefused as RefusedBody
from protocol.renewal import RenewalRequest, RenewalResponse

log = logging.getLogger(__name__)


class RenewalRefused(Exception):
    def __init__(self, reason: str, detail: str, status: int = 403) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status


class RenewalSigner(Protocol):
    """Signs a device CSR for a given validity (the CA, wired in by the composition root);
    raises ValueError with the reason when it must be refused."""

    def sign(self, csr_pem: bytes, device_id: str, days: int) -> SignedCertificate: ...


@dataclass(frozen=True)
class Presented:
    """The client certificate of the request, as the TLS layer verified it."""

    device_id: str  # its CN
    serial: int
    der: bytes


def renew(
    conn: psycopg.Connection,
    signer: RenewalSigner,
    presented: Presented,
    csr_pem: str,
    days: int,
    is_revoked: Callable[[int], bool] | None = None,
) -> RenewalResponse:
    """Sign a new certificate for `presented.device_id`; raises RenewalRefused (nothing written) otherwise."""
    now = datetime.now(UTC)
    current = x509.load_der_x509_certificate(presented.der)
    with conn.transaction():
        row = repo.get_certificate(conn, presented.serial)
        if row is None or row.device_id != presented.device_id:
            raise RenewalRefused("unknown_certificate", "this certificate was not issued to this device by the hub")
        if row.revoked_at is not None or (is_revoked is not None and is_revoked(presented.serial)):
            raise RenewalRefused("revoked", "this certificate is revoked; the device must be enrolled again")
        if current.not_valid_after_utc <= now:
            raise RenewalRefused("expired", "this certificate has expired; the device must be enrolled again")
        try:
            csr = x509.load_pem_x509_csr(csr_pem.encode())
        except ValueError as exc:
            raise RenewalRefused("bad_csr", "not a PEM certificate signing request", 422) from exc
        if _public_der(csr.public_key()) == _public_der(current.public_key()):
            raise RenewalRefused("same_key", "a renewal needs a new key; make a new key pair and CSR", 422)
        try:
            signed = signer.sign(csr_pem.encode(), presented.device_id, days)
        except ValueError as exc:  # the CA's CertificateError: wrong CN, bad signature, not EC…
            raise RenewalRefused("bad_csr", str(exc), 422) from exc
        repo.add_certificate(conn, presented.device_id, signed.serial, signed.not_after)
    log.info(
        "renewed the certificate of %s: serial %x until %s (was %x)",
        presented.device_id,
        signed.serial,
        signed.not_after,
        presented.serial,
    )
    return RenewalResponse(certificate_pem=signed.cert_pem.decode(), not_after=signed.not_after)


def _public_der(key: object) -> bytes:
    return key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def renewal_route(
    pool: ConnectionPool, signer: RenewalSigner, days: int, is_revoked: Callable[[int], bool] | None = None
) -> Callable[[DeviceRequest], tuple[int, str, bytes]]:
    """`POST /v1/renew` on the device HTTPS endpoint (registered there by the composition root)."""

    def route(request: DeviceRequest) -> tuple[int, str, bytes]:
        try:
            body = RenewalRequest.model_validate_json(request.body)
            if request.serial is None:
                raise RenewalRefused("unknown_certificate", "the client certificate has no serial number")
            presented = Presented(request.device_id, request.serial, request.peer_der)
            with pool.connection() as conn:
                answer = renew(conn, signer, presented, body.csr_pem, days, is_revoked)
        except ValidationError as exc:
            return _refusal(RenewalRefused("bad_request", f"not a renewal request: {exc.errors()[0]['msg']}", 422))
        except RenewalRefused as refused:
            log.warning("renewal for %s refused (%s): %s", request.device_id, refused.reason, refused.detail)
            return _refusal(refused)
        return 200, "application/json", answer.model_dump_json().encode()

    return route


def _refusal(refused: RenewalRefused) -> tuple[int, str, bytes]:
    body = RefusedBody(reason=refused.reason, detail=refused.detail)
    return refused.status, "application/json", body.model_dump_json().encode()
