"""Renewing this device's certificate before it expires, without a person and without a gap.

At `renewal.at_fraction` of the certificate's lifetime (two thirds by default) the agent makes
a NEW key and a CSR for its own device id and sends it to the hub's device endpoint over HTTPS,
authenticated with its current certificate (`protocol.renewal`). It checks what comes back — its
device id, the new key, signed by the hub CA it already trusts — then swaps key and certificate
and reconnects the MQTT link with them.

The swap survives a power cut at any instant. Both new files are written and fsynced first
(`*.new`), then the key is renamed over the old key and the certificate over the old
certificate. The only torn state — new key, old certificate — is repaired at the next start by
`recover_identity`, which finishes the rename (the new certificate is still there as `*.new`).
Until the renames the old pair is intact, and the old certificate stays valid (the hub does not
revoke it at renewal: see `hub.devices.renewal`), so an interrupted renewal is simply done again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from edge_agent.enrollment import new_key_and_csr
from edge_agent.settings import AgentSettings
from protocol.renewal import RENEW_PATH, RenewalRefused, RenewalRequest, RenewalResponse
from protocol.telemetry import MetricValue

log = logging.getLogger(__name__)

NEW = ".new"


class RenewalError(RuntimeError):
    """The renewal did not happen; the certificate in use is unchanged. The message says why."""


@dataclass(frozen=True)
class Renewed:
    serial: int
    not_after: datetime


def _public(key: ec.EllipticCurvePublicKey | object) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)  # type: ignore[attr-defined]


def _pair_matches(cert_pem: bytes, key_pem: bytes) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = serialization.load_pem_private_key(key_pem, password=None)
    except ValueError:
        return False
    return _public(cert.public_key()) == _public(key.public_key())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def recover_identity(cert_path: Path, key_path: Path) -> str:
    """Finish or discard a renewal a crash interrupted; returns what it did ('ok', 'completed', 'discarded')."""
    cert_new, key_new = Path(str(cert_path) + NEW), Path(str(key_path) + NEW)
    if not cert_new.exists() and not key_new.exists():
        return "ok"
    key = key_path.read_bytes() if key_path.exists() else b""
    if (
        cert_new.exists()
        and not _pair_matches(cert_path.read_bytes(), key)
        and _pair_matches(cert_new.read_bytes(), key)
    ):
        os.replace(cert_new, cert_path)  # the key was already renamed: finish with the certificate
        _fsync_dir(cert_path.parent)
        log.warning("finished a certificate renewal interrupted by a restart")
        return "completed"
    for leftover in (cert_new, key_new):  # the old pair is intact: the renewal is simply done again
        leftover.unlink(missing_ok=True)
    return "discarded"


def install_identity(cert_path: Path, key_path: Path, cert_pem: bytes, key_pem: bytes) -> None:
    """Replace key and certificate so that a crash at any point leaves a usable (or repairable) pair."""
    if not _pair_matches(cert_pem, key_pem):
        raise RenewalError("the new certificate does not belong to the new key")
    cert_new, key_new = Path(str(cert_path) + NEW), Path(str(key_path) + NEW)
    _write_synced(key_new, key_pem, 0o600)
    _write_synced(cert_new, cert_pem, 0o644)
    _fsync_dir(key_path.parent)
    os.replace(key_new, key_path)
    os.replace(cert_new, cert_path)
    _fsync_dir(cert_path.parent)
    if key_path.parent != cert_path.parent:
        _fsync_dir(key_path.parent)


def certificate_dates(cert_path: Path) -> tuple[datetime, datetime, int]:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.not_valid_before_utc, cert.not_valid_after_utc, cert.serial_number


class CertificateRenewer:
    """Watches the certificate and renews it when due; `reload(cert, key)` reconnects the link with it."""

    def __init__(
        self,
        settings: AgentSettings,
        reload: Callable[[str, str], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if settings.tls_cert_file is None or settings.tls_key_file is None or settings.tls_ca_file is None:
            raise RenewalError("renewal needs tls_ca_file, tls_cert_file and tls_key_file")
        if not settings.hub_device_url or not settings.hub_device_url.startswith("https://"):
            raise RenewalError("renewal needs hub_device_url = https://… (the hub's device endpoint)")
        self._settings = settings
        self._cert = settings.tls_cert_file
        self._key = settings.tls_key_file
        self._ca = settings.tls_ca_file
        self._reload = reload
        self._now = now
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.renewals = 0
        self.last_error: str | None = None

    # -- when -------------------------------------------------------------------------------
    def due_at(self) -> datetime:
        not_before, not_after, _ = certificate_dates(self._cert)
        return not_before + (not_after - not_before) * self._settings.renewal.at_fraction

    def is_due(self) -> bool:
        return self._now() >= self.due_at()

    # -- the thread ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cert-renewal", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=35)
            self._thread = None

    def _run(self) -> None:
        r = self._settings.renewal
        while not self._stop.is_set():
            wait = r.check_s
            try:
                if self.is_due():
                    self.renew_now()
            except Exception as exc:  # retried later; the certificate in use stays as it is
                self.last_error = " ".join(str(exc).split())[:300]
                log.error("certificate renewal failed (retrying in %.0f s): %s", r.retry_s, self.last_error)
                wait = min(r.retry_s, r.check_s)
            self._stop.wait(wait)

    def metrics(self) -> dict[str, MetricValue]:
        try:
            _, not_after, serial = certificate_dates(self._cert)
        except (OSError, ValueError):
            return {"not_after": None, "renewals": self.renewals, "error": self.last_error}
        return {
            "not_after": not_after.isoformat(),
            "serial": format(serial, "x"),
            "renewals": self.renewals,
            "error": self.last_error,
        }

    # -- the exchange ----------------------------------------------------------------------
    def renew_now(self) -> Renewed:
        """Renew now (whether due or not); raises RenewalError with the hub's reason otherwise."""
        device_id = self._settings.device_id
        key_pem, csr_pem = new_key_and_csr(device_id)
        answer = self._post(RenewalRequest(csr_pem=csr_pem.decode()))
        cert_pem = answer.certificate_pem.encode()
        cert = self._check(cert_pem, key_pem)
        install_identity(self._cert, self._key, cert_pem, key_pem)
        self.renewals += 1
        self.last_error = None
        log.info("certificate renewed: serial %x, valid until %s", cert.serial_number, cert.not_valid_after_utc)
        self._reload(str(self._cert), str(self._key))
        return Renewed(cert.serial_number, cert.not_valid_after_utc)

    def _post(self, body: RenewalRequest) -> RenewalResponse:
        assert self._settings.hub_device_url is not None
        url = self._settings.hub_device_url.rstrip("/") + RENEW_PATH
        context = ssl.create_default_context(cafile=str(self._ca))
        context.load_cert_chain(str(self._cert), str(self._key))
        request = urllib.request.Request(
            url, data=body.model_dump_json().encode(), method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as response:  # noqa: S310 (https only)
                return RenewalResponse.model_validate_json(response.read(64 * 1024))
        except urllib.error.HTTPError as exc:
            text = exc.read(4096)
            with contextlib.suppress(ValueError):
                refused = RenewalRefused.model_validate_json(text)
                raise RenewalError(f"the hub refused the renewal ({refused.reason}): {refused.detail}") from exc
            raise RenewalError(f"the hub answered {exc.code}: {text[:200]!r}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RenewalError(f"cannot reach the hub at {url}: {getattr(exc, 'reason', exc)}") from exc
        except ValueError as exc:
            raise RenewalError(f"the hub's answer is not a renewal response: {exc}") from exc

    def _check(self, cert_pem: bytes, key_pem: bytes) -> x509.Certificate:
        """The new certificate names this device, holds the new key, and is signed by our CA."""
        try:
            cert = x509.load_pem_x509_certificate(cert_pem)
            ca = x509.load_pem_x509_certificate(self._ca.read_bytes())
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError) as exc:
            raise RenewalError(f"the renewed certificate does not verify against the hub CA: {exc}") from exc
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if [n.value for n in names] != [self._settings.device_id]:
            raise RenewalError(f"the renewed certificate names {names!r}, not {self._settings.device_id!r}")
        if not _pair_matches(cert_pem, key_pem):
            raise RenewalError("the renewed certificate is not for the key this device just made")
        if cert.not_valid_after_utc <= self._now():
            raise RenewalError("the renewed certificate has already expired")
        return cert
