"""The hub's certificate authority, opened with its passphrase (setting or generated secret)."""

from __future__ import annotations

import secrets

from hub.settings import HubSettings
from provisioning.ca import CertificateAuthority


def certificate_authority(settings: HubSettings) -> CertificateAuthority:
    """Open the CA in the data dir, creating it (and its passphrase secret) on first use."""
    if settings.ca_passphrase:
        passphrase = settings.ca_passphrase.get_secret_value()
    else:
        path = settings.secrets_dir / "ca-passphrase"
        if not path.exists():
            settings.secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32))
        passphrase = path.read_text().strip()
    return CertificateAuthority.open_or_create(settings.ca_dir, passphrase.encode())
