"""Mosquitto configuration for production: TLS, client certificates as identities, ACLs.

The device's certificate CN is its username (`use_identity_as_username`), so the ACL patterns
of `protocol.broker_acl` bind each device to its own topics without any password.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from protocol.broker_acl import mosquitto_acl
from provisioning.ca import CertificateAuthority


@dataclass(frozen=True)
class BrokerFiles:
    config: Path
    ca: Path
    crl: Path
    hub_cert: Path
    hub_key: Path


def write_broker_config(
    out_dir: Path,
    ca: CertificateAuthority,
    hostnames: list[str],
    port: int = 8883,
    bind: str = "0.0.0.0",
    hub_username: str = "cces-hub",
    extra: str = "",
) -> BrokerFiles:
    """Write mosquitto.conf, the CA, the broker's own certificate, the CRL, the ACL and the hub's client cert."""
    out_dir.mkdir(parents=True, exist_ok=True)
    server = ca.issue_server(hostnames)
    hub = ca.issue_client(hub_username)
    files = {
        "ca.pem": ca.cert_pem,
        "server.pem": server.cert_pem,
        "server.key": server.key_pem or b"",
        "crl.pem": ca.crl_pem(),
        "hub.pem": hub.cert_pem,
        "hub.key": hub.key_pem or b"",
    }
    for name, data in files.items():
        path = out_dir / name
        path.touch(mode=0o600 if name.endswith(".key") else 0o644)
        path.write_bytes(data)
    (out_dir / "acl").write_text(mosquitto_acl(hub_username))
    config = out_dir / "mosquitto.conf"
    config.write_text(
        "\n".join(
            [
                "# written by `cces provision broker-config`",
                "per_listener_settings false",
                "allow_anonymous false",
                f"acl_file {out_dir / 'acl'}",
                "persistence true",
                f"persistence_location {out_dir}/",
                "# ingest acknowledges after COMMIT: let a whole batch be in flight; never drop its queue",
                "max_inflight_messages 1000",
                "max_queued_messages 0",
                f"listener {port} {bind}",
                f"cafile {out_dir / 'ca.pem'}",
                f"certfile {out_dir / 'server.pem'}",
                f"keyfile {out_dir / 'server.key'}",
                f"crlfile {out_dir / 'crl.pem'}",
                "require_certificate true",
                "use_identity_as_username true",
                "tls_version tlsv1.2",
                extra,
            ]
        )
        + "\n"
    )
    return BrokerFiles(config, out_dir / "ca.pem", out_dir / "crl.pem", out_dir / "hub.pem", out_dir / "hub.key")


def refresh_crl(out_dir: Path, ca: CertificateAuthority) -> Path:
    """Rewrite the CRL after a revocation; Mosquitto reads it again on SIGHUP."""
    path = out_dir / "crl.pem"
    path.write_bytes(ca.crl_pem())
    return path
