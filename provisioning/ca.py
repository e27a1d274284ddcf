"""The hub's certificate authority: device identities for mutual TLS at the broker.

A device makes its own key and sends only a CSR, so its private key never leaves it. The CA
key is kept encrypted at rest (PKCS#8 with the best available encryption) and the list of
revoked certificates is a file next to it, from which the CRL the broker reads is made.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from protocol.topics import check_device_id

CA_KEY = "ca.key.pem"
CA_CERT = "ca.cert.pem"
REVOKED = "revoked.json"


class CertificateError(ValueError):
    """A CSR or certificate request that must be refused; the message says why."""


@dataclass(frozen=True)
class IssuedCertificate:
    key_pem: bytes | None  # None when the requester kept its own key (CSR)
    cert_pem: bytes
    serial: int
    not_after: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_private_key() -> ec.EllipticCurvePrivateKey:
    """P-256: small, fast on a Raspberry Pi, and supported by Mosquitto/OpenSSL everywhere."""
    return ec.generate_private_key(ec.SECP256R1())


def key_to_pem(key: ec.EllipticCurvePrivateKey, passphrase: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def make_csr(common_name: str, key: ec.EllipticCurvePrivateKey) -> bytes:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM)


class CertificateAuthority:
    def __init__(self, directory: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> None:
        self.directory = directory
        self._key = key
        self.cert = cert

    # -- lifecycle --------------------------------------------------------------------------
    @classmethod
    def create(
        cls, directory: Path, passphrase: bytes, name: str = "CCES Hub CA", years: int = 10
    ) -> CertificateAuthority:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if (directory / CA_KEY).exists():
            raise CertificateError(f"a CA already exists in {directory}")
        key = new_private_key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        key_path = directory / CA_KEY
        key_path.touch(mode=0o600)
        key_path.write_bytes(key_to_pem(key, passphrase))
        (directory / CA_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (directory / REVOKED).write_text("[]")
        return cls(directory, key, cert)

    @classmethod
    def load(cls, directory: Path, passphrase: bytes) -> CertificateAuthority:
        try:
            key = serialization.load_pem_private_key((directory / CA_KEY).read_bytes(), password=passphrase)
        except FileNotFoundError as exc:
            raise CertificateError(f"no CA in {directory} (create one first)") from exc
        except (ValueError, TypeError) as exc:
            raise CertificateError(f"cannot open the CA key in {directory}: wrong passphrase?") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CertificateError("the CA key is not an EC key")
        cert = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
        return cls(directory, key, cert)

    @classmethod
    def open_or_create(cls, directory: Path, passphrase: bytes) -> CertificateAuthority:
        if (directory / CA_KEY).exists():
            return cls.load(directory, passphrase)
        return cls.create(directory, passphrase)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    # the hub's `CertificateSigner` seam (hub.devices.enrollment)
    @property
    def ca_pem(self) -> bytes:
        return self.cert_pem

    def sign(self, csr_pem: bytes, device_id: str, days: int = 365) -> IssuedCertificate:
        return self.sign_device_csr(csr_pem, device_id, days)

    # -- issuing ----------------------------------------------------------------------------
    def _issue(
        self,
        subject_cn: str,
        public_key: ec.EllipticCurvePublicKey,
        days: int,
        usage: x509.ObjectIdentifier,
        hostnames: list[str] | None = None,
    ) -> x509.Certificate:
        now = _now()
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
        )
        if hostnames:
            names: list[x509.GeneralName] = []
            for host in hostnames:
                try:
                    names.append(x509.IPAddress(ipaddress.ip_address(host)))
                except ValueError:
                    names.append(x509.DNSName(host))
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(self._key, hashes.SHA256())

    def sign_device_csr(self, csr_pem: bytes, device_id: str, days: int = 365) -> IssuedCertificate:
        """Sign a device's CSR; its CN must be the device id it was enrolled for."""
        check_device_id(device_id)
        try:
            csr = x509.load_pem_x509_csr(csr_pem)
        except ValueError as exc:
            raise CertificateError("not a PEM certificate signing request") from exc
        if not csr.is_signature_valid:
            raise CertificateError("the CSR's signature does not verify")
        names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if len(names) != 1 or names[0].value != device_id:
            raise CertificateError(f"the CSR must name the device {device_id!r} as its only CN")
        public_key = csr.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise CertificateError("device keys must be EC (P-256)")
        cert = self._issue(device_id, public_key, days, ExtendedKeyUsageOID.CLIENT_AUTH)
        return IssuedCertificate(
            None, cert.public_bytes(serialization.Encoding.PEM), cert.serial_number, cert.not_valid_after_utc
        )

    def issue_client(self, name: str, days: int = 365) -> IssuedCertificate:
        """A key and certificate made here (the hub's own broker identity)."""
        key = new_private_key()
        cert = self._issue(name, key.public_key(), days, ExtendedKeyUsageOID.CLIENT_AUTH)
        return IssuedCertificate(
            key_to_pem(key), cert.public_bytes(serialization.Encoding.PEM), cert.serial_number, cert.not_valid_after_utc
        )

    def issue_server(self, hostnames: list[str], days: int = 825) -> IssuedCertificate:
        key = new_private_key()
        cert = self._issue(hostnames[0], key.public_key(), days, ExtendedKeyUsageOID.SERVER_AUTH, hostnames)
        return IssuedCertificate(
            key_to_pem(key), cert.public_bytes(serialization.Encoding.PEM), cert.serial_number, cert.not_valid_after_utc
        )

    # -- revocation -------------------------------------------------------------------------
    def revoked(self) -> dict[int, str]:
        path = self.directory / REVOKED
        entries = json.loads(path.read_text()) if path.exists() else []
        return {int(e["serial"]): e["at"] for e in entries}

    def revoke(self, cert_pem: bytes) -> int:
        cert = x509.load_pem_x509_certificate(cert_pem)
        if cert.issuer != self.cert.subject:
            raise CertificateError("this certificate was not issued by this CA")
        return self.revoke_serial(cert.serial_number)

    def revoke_serial(self, serial: int) -> int:
        """Revoke by serial (the hub's registry keeps serials, not certificates); idempotent."""
        entries = self.revoked()
        entries.setdefault(serial, _now().isoformat())
        path = self.directory / REVOKED
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps([{"serial": str(serial), "at": at} for serial, at in sorted(entries.items())], indent=1)
        )
        tmp.replace(path)  # a crash leaves the old list or the new one, never half of one
        return serial

    def crl_pem(self, days: int = 7) -> bytes:
        now = _now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - dt.timedelta(minutes=5))
            .next_update(now + dt.timedelta(days=days))
        )
        for serial, at in self.revoked().items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(dt.datetime.fromisoformat(at))
                .build()
            )
        return builder.sign(self._key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
