"""`cces agent enroll`: a new device gets its identity from the hub with a one-time token.

The device makes its own key (it never leaves the device), sends a CSR with the token, and
writes what the hub returns — certificate, CA, broker address — plus an agent config that
uses them. Only the standard library talks HTTPS here: a device install stays small.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from protocol.enrollment import ENROLL_PATH, EnrollmentRefused, EnrollmentRequest, EnrollmentResponse
from protocol.topics import check_device_id

QR_PREFIX = "cces-enroll:v1:"


class EnrollmentError(ValueError):
    """Enrollment could not be done; the message is the hub's reason or what to fix."""


@dataclass(frozen=True)
class Ticket:
    device_id: str
    token: str

    @classmethod
    def parse(cls, text: str, device_id: str | None = None) -> Ticket:
        """A QR code's text (`cces-enroll:v1:<device>:<token>`) or a bare token plus the device id."""
        if text.startswith(QR_PREFIX):
            _, _, rest = text.partition(QR_PREFIX)
            found, _, token = rest.partition(":")
            return cls(check_device_id(found), token)
        if device_id is None:
            raise EnrollmentError("a bare token needs --device-id (or pass the QR code's text)")
        return cls(check_device_id(device_id), text)


def new_key_and_csr(device_id: str) -> tuple[bytes, bytes]:
    """A new device key (PKCS#8 PEM; it never leaves the device) and a CSR naming `device_id` (PEM).

    Used at enrollment and at every certificate renewal (`edge_agent.renewal`)."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)]))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, csr.public_bytes(serialization.Encoding.PEM)


def _post(url: str, body: bytes, ca_file: Path | None) -> tuple[int, bytes]:
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:  # noqa: S310 (https/http only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except urllib.error.URLError as exc:
        raise EnrollmentError(f"cannot reach the hub at {url}: {exc.reason}") from exc


def enroll(hub_url: str, ticket: Ticket, data_dir: Path, hub_ca_file: Path | None = None) -> Path:
    """Enroll and write the identity and `agent.toml` into `data_dir`; returns the config path."""
    if not hub_url.startswith(("https://", "http://")):
        raise EnrollmentError(f"--hub must be an https:// URL, got {hub_url!r}")
    identity = data_dir / "identity"
    identity.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_pem, csr_pem = new_key_and_csr(ticket.device_id)
    body = EnrollmentRequest(token=ticket.token, csr_pem=csr_pem.decode()).model_dump_json().encode()
    status, answer = _post(hub_url.rstrip("/") + ENROLL_PATH, body, hub_ca_file)
    if status != 200:
        try:
            refused = EnrollmentRefused.model_validate_json(answer)
            raise EnrollmentError(f"the hub refused the enrollment ({refused.reason}): {refused.detail}")
        except ValueError as exc:
            if isinstance(exc, EnrollmentError):
                raise
            raise EnrollmentError(f"the hub answered {status}: {answer[:200]!r}") from exc
    response = EnrollmentResponse.model_validate_json(answer)
    key_path = identity / "device.key"
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_pem)
    os.chmod(key_path, 0o600)
    (identity / "device.pem").write_text(response.certificate_pem)
    (identity / "ca.pem").write_text(response.ca_pem)
    config = data_dir / "agent.toml"
    config.write_text(
        "\n".join(
            [
                "# written by `cces agent enroll`",
                f"device_id = {json.dumps(response.device_id)}",
                f"mqtt_url = {json.dumps(response.mqtt_url)}",
                f"tls_ca_file = {json.dumps(str(identity / 'ca.pem'))}",
                f"tls_cert_file = {json.dumps(str(identity / 'device.pem'))}",
                f"tls_key_file = {json.dumps(str(key_path))}",
                f"data_dir = {json.dumps(str(data_dir))}",
                "await_receipts = true  # keep each event until the hub confirms it is stored",
            ]
        )
        + "\n"
    )
    return config
