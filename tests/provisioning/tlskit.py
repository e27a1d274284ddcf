"""TLS test kit: a Mosquitto running the configuration we ship, and device identities from our CA."""

from __future__ import annotations

import json
import ssl
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from provisioning.ca import CertificateAuthority, key_to_pem, make_csr, new_private_key
from provisioning.mosquitto import BrokerFiles
from tests.services import MosquittoBroker


@dataclass
class Identity:
    cert: Path
    key: Path


def enroll(ca: CertificateAuthority, device_id: str, where: Path) -> Identity:
    """What a device does: its own key, a CSR, the CA's signature."""
    key = new_private_key()
    issued = ca.sign_device_csr(make_csr(device_id, key), device_id)
    (where / f"{device_id}.key").write_bytes(key_to_pem(key))
    (where / f"{device_id}.pem").write_bytes(issued.cert_pem)
    return Identity(where / f"{device_id}.pem", where / f"{device_id}.key")


@dataclass
class TlsBroker:
    broker: MosquittoBroker
    files: BrokerFiles
    ca: CertificateAuthority
    out_dir: Path


def connect(
    tls: TlsBroker, client_id: str, identity: Identity | None, ca_file: Path | None = None
) -> tuple[mqtt.Client, bool]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
    client.tls_set(
        ca_certs=str(ca_file or tls.files.ca),
        certfile=str(identity.cert) if identity else None,
        keyfile=str(identity.key) if identity else None,
        cert_reqs=ssl.CERT_REQUIRED,
    )
    accepted = threading.Event()
    client.on_connect = lambda _c, _u, _f, reason, _p: accepted.set() if not reason.is_failure else None
    try:
        client.connect("127.0.0.1", tls.broker.port, keepalive=10)
    except (ssl.SSLError, OSError):
        return client, False
    client.loop_start()
    ok = accepted.wait(3)
    if not ok:
        client.loop_stop()
    return client, ok


def hub_identity(tls: TlsBroker) -> Identity:
    return Identity(tls.files.hub_cert, tls.files.hub_key)


def event(device_id: str) -> str:
    return json.dumps(
        {
            "v": 1,
            "id": str(uuid.uuid4()),
            "device_id": device_id,
            "type": "attendance.face",
            "ts": datetime.now(UTC).isoformat(),
            "seq": 1,
            "data": {"person_id": "nv-0001", "score": 0.7, "model": "yunet-sface"},
        }
    )
