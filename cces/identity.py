"""The hub's certificate authority, opened with its passphrase (setting or generated secret)."""

from __future__ import annotations

import secrets

from hub.settings import HubSettings
from provisioning.ca import CertificateAuthority, IssuedCertificate


def certificate_authority(settings: HubSettings) -> CertificateAuthority:
    """Open the CA in the data dir, creating it (and its passphrase secret) on first use."""
    if settings.devices.ca_passphrase:
        passphrase = settings.devices.ca_passphrase.get_secret_value()
    else:
        path = settings.secrets_dir / "ca-passphrase"
        if not path.exists():
            settings.secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32))
        passphrase = path.read_text().strip()
    return CertificateAuthority.open_or_create(settings.ca_dir, passphrase.encode())


class DeviceCertificateSigner:
    """The CA as enrollment and renewal use it: device certificates valid `days` (the hub's setting)."""

    def __init__(self, ca: CertificateAuthority, days: int) -> None:
        self._ca = ca
        self.days = days

    @property
    def ca_pem(self) -> bytes:
        return self._ca.cert_pem

    def sign(self, csr_pem: bytes, device_id: str, days: int | None = None) -> IssuedCertificate:
        return self._ca.sign_device_csr(csr_pem, device_id, days or self.days)
