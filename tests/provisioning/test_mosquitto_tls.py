"""Mosquitto with the TLS configuration we ship: certificates are identities, ACLs bind topics.

Real Mosquitto, real TLS handshakes, certificates from the hub's own CA.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from protocol.topics import Topics
from provisioning.ca import CertificateAuthority, CertificateError, make_csr, new_private_key
from provisioning.mosquitto import refresh_crl
from tests.provisioning.tlskit import TlsBroker, connect, enroll, event, hub_identity

pytestmark = pytest.mark.timeout(120)


def test_enrolled_device_connects_and_the_hub_receives_its_events(tls_broker: TlsBroker, tmp_path: Path) -> None:
    device = enroll(tls_broker.ca, "door-tls-01", tmp_path)
    received: list[str] = []
    hub, ok = connect(tls_broker, "cces-hub-ingest", hub_identity(tls_broker))
    assert ok, "the hub's own certificate must be accepted"
    hub.on_message = lambda _c, _u, m: received.append(m.topic)
    hub.subscribe(Topics.all_events(), 1)
    time.sleep(0.3)
    client, ok = connect(tls_broker, "door-tls-01", device)
    assert ok
    client.publish(Topics("door-tls-01").events, event("door-tls-01"), qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received == [Topics("door-tls-01").events]
    client.disconnect()
    hub.disconnect()


def test_no_certificate_or_another_cas_certificate_cannot_connect(tls_broker: TlsBroker, tmp_path: Path) -> None:
    _, ok = connect(tls_broker, "door-tls-02", None)
    assert not ok, "a client without a certificate got in"
    other = CertificateAuthority.create(tmp_path / "other-ca", b"other")
    forged = enroll(other, "door-tls-02", tmp_path)
    _, ok = connect(tls_broker, "door-tls-02", forged)
    assert not ok, "a certificate from another CA got in"


def test_revoked_certificate_cannot_connect(tls_broker: TlsBroker, tmp_path: Path) -> None:
    device = enroll(tls_broker.ca, "door-tls-03", tmp_path)
    client, ok = connect(tls_broker, "door-tls-03", device)
    assert ok
    client.disconnect()
    client.loop_stop()
    tls_broker.ca.revoke(device.cert.read_bytes())
    refresh_crl(tls_broker.out_dir, tls_broker.ca)
    tls_broker.broker.stop()  # Mosquitto 2.0 reads the CRL when the listener starts
    tls_broker.broker.start()
    _, ok = connect(tls_broker, "door-tls-03", device)
    assert not ok, "a revoked certificate got in"
    other, ok = connect(tls_broker, "door-tls-06", enroll(tls_broker.ca, "door-tls-06", tmp_path))
    assert ok, "a valid certificate must still get in after the CRL changed"
    other.disconnect()


def test_device_cannot_publish_on_another_devices_topic(tls_broker: TlsBroker, tmp_path: Path) -> None:
    a = enroll(tls_broker.ca, "door-tls-04", tmp_path)
    received: list[str] = []
    hub, _ = connect(tls_broker, "cces-hub-ingest", hub_identity(tls_broker))
    hub.on_message = lambda _c, _u, m: received.append(m.topic)
    hub.subscribe(Topics.all_events(), 1)
    time.sleep(0.3)
    client, ok = connect(tls_broker, "door-tls-04", a)
    assert ok
    info = client.publish(Topics("door-tls-05").events, event("door-tls-05"), qos=1)
    info.wait_for_publish(3) if info.rc == 0 else None
    client2, _ = connect(tls_broker, "door-tls-04", a)
    client2.publish(Topics("door-tls-04").events, event("door-tls-04"), qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert received == [Topics("door-tls-04").events]
    hub.disconnect()


def test_the_ca_refuses_bad_requests(tmp_path: Path) -> None:
    ca = CertificateAuthority.create(tmp_path / "ca", b"pp")
    key = new_private_key()
    with pytest.raises(CertificateError, match="only CN"):
        ca.sign_device_csr(make_csr("door-x-01", key), "door-y-01")  # CSR for another device
    with pytest.raises(CertificateError, match="not a PEM"):
        ca.sign_device_csr(b"garbage", "door-x-01")
    with pytest.raises(CertificateError, match="passphrase"):
        CertificateAuthority.load(tmp_path / "ca", b"wrong")
    assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "ca" / "ca.key.pem").read_bytes()  # encrypted at rest
    with pytest.raises(CertificateError, match="already exists"):
        CertificateAuthority.create(tmp_path / "ca", b"pp")


def test_hub_ingest_over_mutual_tls_stores_an_enrolled_devices_events(
    tls_broker: TlsBroker, tmp_path: Path, database_url: str
) -> None:
    from hub.db import open_pool
    from hub.files import ContentStore
    from hub.ingest.consumer import IngestService
    from hub.ingest.records import IngestConfig
    from protocol.broker_url import BrokerAddress
    from tests.hubstack import IngestStack, provision

    provision(database_url, "door-tls-07")  # registered at the hub; its broker identity is the certificate
    device = enroll(tls_broker.ca, "door-tls-07", tmp_path)
    pool = open_pool(database_url, 2)
    ingest = IngestService(
        IngestConfig(
            broker=BrokerAddress("127.0.0.1", tls_broker.broker.port, tls=True),
            username="cces-hub",
            password=None,
            client_id="cces-hub-ingest",
            worker="tls",
            tls_ca_file=str(tls_broker.files.ca),
            tls_cert_file=str(tls_broker.files.hub_cert),
            tls_key_file=str(tls_broker.files.hub_key),
        ),
        pool,
        ContentStore(tmp_path / "files"),
    )
    ingest.start()
    try:
        assert ingest.wait_connected(10), "the hub could not connect with its certificate"
        client, ok = connect(tls_broker, "door-tls-07", device)
        assert ok
        client.publish(Topics("door-tls-07").events, event("door-tls-07"), qos=1).wait_for_publish(5)
        IngestStack(database_url, ingest.config.broker, "").wait_for("SELECT count(*) FROM attendance_events", 1)
        client.disconnect()
    finally:
        ingest.stop()
        pool.close()
