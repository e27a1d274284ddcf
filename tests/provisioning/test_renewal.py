"""Certificate renewal end to end: real Mosquitto with TLS and client certificates, the hub's device
HTTPS endpoint with the renewal route, the hub's ingest on a real database, and the real agent.

A device whose certificate is past its renewal point (the test sets the point at 0.3 % of a
lifetime, i.e. "near expiry" without waiting a year) gets a new certificate for a new key, swaps
it in, reconnects and keeps publishing: its events before and after are stored. A revoked device
cannot renew, and nothing on it changes.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from cryptography import x509

from cces.identity import DeviceCertificateSigner
from edge_agent.agent import Agent
from edge_agent.renewal import (
    CertificateRenewer,
    RenewalError,
    certificate_dates,
    install_identity,
    recover_identity,
)
from edge_agent.settings import AgentSettings
from hub.db import open_pool
from hub.devices import repository as devices_repo
from hub.devices.renewal import renewal_route
from hub.files import ContentStore
from hub.galleries.server import DeviceHttpsServer, server_context
from hub.galleries.service import GalleryRefused
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from protocol.broker_url import BrokerAddress
from protocol.renewal import RENEW_PATH
from provisioning.ca import key_to_pem, make_csr, new_private_key
from tests.edge_agent.helpers import running_agent, wait_until
from tests.provisioning.tlskit import TlsBroker, hub_identity
from tests.services import new_workdir

pytestmark = pytest.mark.timeout(180)


@dataclass
class Hub:
    database_url: str
    endpoint: DeviceHttpsServer
    ingest: IngestService

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.endpoint.port}"

    def scalar(self, sql: str, *params: object) -> object:
        with psycopg.connect(self.database_url) as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


def no_gallery(*_args: object) -> object:
    raise GalleryRefused(404, "no galleries in this test")


@pytest.fixture
def hub(tls_broker: TlsBroker, database_url: str) -> Iterator[Hub]:
    ca = tls_broker.ca
    pool = open_pool(database_url, 4, name="renewal-test")
    folder = new_workdir("cces-device-https-")
    issued = ca.issue_server(["127.0.0.1", "localhost"])
    (folder / "server.key").write_bytes(issued.key_pem or b"")
    (folder / "server.pem").write_bytes(issued.cert_pem)
    (folder / "ca.pem").write_bytes(ca.cert_pem)
    revoked = lambda serial: serial in ca.revoked()  # noqa: E731
    endpoint = DeviceHttpsServer(
        "127.0.0.1",
        0,
        server_context(folder / "server.pem", folder / "server.key", folder / "ca.pem"),
        no_gallery,  # type: ignore[arg-type]
        is_revoked=revoked,
        routes={("POST", RENEW_PATH): renewal_route(pool, DeviceCertificateSigner(ca, 30), 30, revoked)},
    )
    endpoint.start()
    hub_id = hub_identity(tls_broker)
    ingest = IngestService(
        IngestConfig(
            broker=BrokerAddress("127.0.0.1", tls_broker.broker.port, tls=True),
            username="cces-hub",
            password=None,
            client_id="cces-hub-ingest",
            worker="renewal-test",
            batch_wait_s=0.02,
            tls_ca_file=str(tls_broker.files.ca),
            tls_cert_file=str(hub_id.cert),
            tls_key_file=str(hub_id.key),
        ),
        pool,
        ContentStore(folder / "files"),
    )
    ingest.start()
    assert ingest.wait_connected(20)
    yield Hub(database_url, endpoint, ingest)
    ingest.stop()
    endpoint.stop()
    pool.close()


def enrolled_device(hub: Hub, tls_broker: TlsBroker, device_id: str, where: Path) -> AgentSettings:
    """What enrollment leaves on a device and in the hub's registry: a 1-day certificate, already past
    the renewal point the test sets (0.3 % of its lifetime); the renewed one (30 days) is not."""
    identity = where / "identity"
    identity.mkdir(parents=True)
    key = new_private_key()
    issued = tls_broker.ca.sign_device_csr(make_csr(device_id, key), device_id, days=1)
    (identity / "device.key").write_bytes(key_to_pem(key))
    (identity / "device.pem").write_bytes(issued.cert_pem)
    (identity / "ca.pem").write_bytes(tls_broker.ca.cert_pem)
    with psycopg.connect(hub.database_url) as conn:
        devices_repo.register_enrolled_device(
            conn, devices_repo.EnrollmentClaim(device_id, "faceid", "hq", None), issued.serial, issued.not_after
        )
    return AgentSettings(
        device_id=device_id,
        mqtt_url=f"mqtts://127.0.0.1:{tls_broker.broker.port}",
        tls_ca_file=identity / "ca.pem",
        tls_cert_file=identity / "device.pem",
        tls_key_file=identity / "device.key",
        data_dir=where,
        hub_device_url=hub.url,
        telemetry_interval_s=0.5,
        reconnect_max_delay_s=1,
        await_receipts=True,
        renewal={"at_fraction": 0.003, "check_s": 1.0, "retry_s": 1.0},
        simulated={"enabled": True, "interval_s": 0.05, "count": None},
    )


def test_a_device_near_expiry_renews_and_keeps_publishing(hub: Hub, tls_broker: TlsBroker, tmp_path: Path) -> None:
    settings = enrolled_device(hub, tls_broker, "door-renew-01", tmp_path / "device")
    assert settings.tls_cert_file is not None and settings.tls_key_file is not None
    old_key = settings.tls_key_file.read_bytes()
    _, old_not_after, old_serial = certificate_dates(settings.tls_cert_file)
    agent = Agent(settings)
    with running_agent(agent, timeout=20):
        assert agent.link is not None and agent.link.wait_connected(15)
        stored = lambda: int(hub.scalar("SELECT count(*) FROM attendance_events WHERE device_id = 'door-renew-01'"))  # noqa: E731
        assert wait_until(lambda: stored() >= 5, 20), "no events stored before the renewal"
        assert agent.renewer is not None
        assert wait_until(lambda: agent.renewer.renewals == 1, 30), agent.renewer.last_error  # type: ignore[union-attr]
        _, new_not_after, new_serial = certificate_dates(settings.tls_cert_file)
        assert new_serial != old_serial and new_not_after > old_not_after
        assert settings.tls_key_file.read_bytes() != old_key  # a new key, not a re-signed old one
        assert settings.tls_key_file.stat().st_mode & 0o077 == 0
        # connected with the new identity (the link dropped the old connection and loaded only the new
        # pair; when the renewal came before the first CONNACK there was no old connection), events keep coming
        assert wait_until(lambda: agent.link.connected, 20)  # type: ignore[union-attr]
        after_renewal = stored()
        assert wait_until(lambda: stored() >= after_renewal + 10, 20), "events stopped after the renewal"
    rows = hub.scalar("SELECT array_agg(serial::text ORDER BY issued_at) FROM device_certificates")
    assert rows == [str(old_serial), str(new_serial)]
    assert hub.scalar("SELECT count(*) FROM ingest_rejects") == 0
    # the old certificate is left to expire, not revoked (see hub.devices.renewal)
    assert hub.scalar("SELECT count(*) FROM device_certificates WHERE revoked_at IS NOT NULL") == 0


def test_a_revoked_device_cannot_renew_and_keeps_its_files(hub: Hub, tls_broker: TlsBroker, tmp_path: Path) -> None:
    settings = enrolled_device(hub, tls_broker, "door-renew-02", tmp_path / "device")
    assert settings.tls_cert_file is not None and settings.tls_key_file is not None
    with psycopg.connect(hub.database_url) as conn:
        for serial in devices_repo.revoke_certificates(conn, "door-renew-02"):
            tls_broker.ca.revoke_serial(serial)
    before = (settings.tls_cert_file.read_bytes(), settings.tls_key_file.read_bytes())
    renewer = CertificateRenewer(settings, reload=lambda *_: pytest.fail("must not reload"))
    with pytest.raises(RenewalError, match="revoked"):
        renewer.renew_now()
    assert (settings.tls_cert_file.read_bytes(), settings.tls_key_file.read_bytes()) == before
    assert hub.scalar("SELECT count(*) FROM device_certificates WHERE device_id = 'door-renew-02'") == 1


def test_registry_revocation_alone_also_refuses(hub: Hub, tls_broker: TlsBroker, tmp_path: Path) -> None:
    """Revoked in the hub's registry but not (yet) in the CA's list: the renewal route still refuses."""
    settings = enrolled_device(hub, tls_broker, "door-renew-03", tmp_path / "device")
    with psycopg.connect(hub.database_url) as conn:
        devices_repo.revoke_certificates(conn, "door-renew-03")
    with pytest.raises(RenewalError, match="revoked"):
        CertificateRenewer(settings, reload=lambda *_: None).renew_now()


def test_the_hub_signs_only_a_new_key_for_the_same_device(hub: Hub, tls_broker: TlsBroker, tmp_path: Path) -> None:
    import json
    import urllib.error
    import urllib.request

    settings = enrolled_device(hub, tls_broker, "door-renew-04", tmp_path / "device")
    assert settings.tls_cert_file and settings.tls_key_file and settings.tls_ca_file
    from cryptography.hazmat.primitives import serialization

    current_key = serialization.load_pem_private_key(settings.tls_key_file.read_bytes(), password=None)
    context = ssl.create_default_context(cafile=str(settings.tls_ca_file))
    context.load_cert_chain(str(settings.tls_cert_file), str(settings.tls_key_file))

    def post(csr: bytes) -> tuple[int, dict[str, str]]:
        body = json.dumps({"csr_pem": csr.decode()}).encode()
        request = urllib.request.Request(hub.url + RENEW_PATH, data=body, method="POST")
        try:
            with urllib.request.urlopen(request, context=context, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    assert post(make_csr("door-renew-04", current_key))[1]["reason"] == "same_key"  # type: ignore[arg-type]
    status, answer = post(make_csr("door-someone-else", new_private_key()))
    assert (status, answer["reason"]) == (422, "bad_csr") and "door-renew-04" in answer["detail"]
    assert hub.scalar("SELECT count(*) FROM device_certificates WHERE device_id = 'door-renew-04'") == 1
    status, answer = post(make_csr("door-renew-04", new_private_key()))
    assert status == 200
    cert = x509.load_pem_x509_certificate(answer["certificate_pem"].encode())
    assert cert.subject.rfc4514_string() == "CN=door-renew-04"
    assert 29 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 30  # the hub's validity setting


def test_a_bad_content_length_is_refused_at_once(hub: Hub, tls_broker: TlsBroker, tmp_path: Path) -> None:
    """A negative or unreadable Content-Length gets a 400 answer (it is not read as 'until the end')."""
    import http.client
    import json

    settings = enrolled_device(hub, tls_broker, "door-renew-05", tmp_path / "device")
    assert settings.tls_cert_file and settings.tls_key_file and settings.tls_ca_file
    context = ssl.create_default_context(cafile=str(settings.tls_ca_file))
    context.load_cert_chain(str(settings.tls_cert_file), str(settings.tls_key_file))
    for length in ("-1", "lots"):
        conn = http.client.HTTPSConnection("127.0.0.1", hub.endpoint.port, context=context, timeout=5)
        try:
            conn.putrequest("POST", RENEW_PATH)
            conn.putheader("Content-Length", length)
            conn.endheaders()
            response = conn.getresponse()
            assert (response.status, json.loads(response.read())) == (400, {"reason": "bad Content-Length"})
        finally:
            conn.close()
    assert hub.scalar("SELECT count(*) FROM device_certificates WHERE device_id = 'door-renew-05'") == 1


def test_a_renewal_torn_by_a_power_cut_is_finished_at_the_next_start(tmp_path: Path) -> None:
    from provisioning.ca import CertificateAuthority
    from tests.provisioning.tlskit import enroll

    ca = CertificateAuthority.create(tmp_path / "ca", b"pw")
    old = enroll(ca, "door-renew-05", tmp_path)
    key = new_private_key()
    new_cert = ca.sign_device_csr(make_csr("door-renew-05", key), "door-renew-05").cert_pem
    # the state after `os.replace(key.new, key)` and before `os.replace(cert.new, cert)`
    Path(str(old.cert) + ".new").write_bytes(new_cert)
    old.key.write_bytes(key_to_pem(key))
    assert recover_identity(old.cert, old.key) == "completed"
    assert old.cert.read_bytes() == new_cert and not Path(str(old.cert) + ".new").exists()
    # a crash before any rename: the old pair stays, the leftovers go
    install_identity(old.cert, old.key, new_cert, key_to_pem(key))
    Path(str(old.key) + ".new").write_bytes(b"half")
    assert recover_identity(old.cert, old.key) == "discarded"
    assert old.cert.read_bytes() == new_cert and not Path(str(old.key) + ".new").exists()
    with pytest.raises(RenewalError):
        install_identity(old.cert, old.key, new_cert, key_to_pem(new_private_key()))


def test_cli_lists_expiry_per_device_and_revokes_a_device(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from cces.cli import main
    from cces.identity import certificate_authority
    from hub.settings import HubSettings

    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "hub"))
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    ca = certificate_authority(HubSettings())
    with psycopg.connect(database_url) as conn:
        for device_id, days in (("door-cli-01", 30), ("door-cli-01", 90), ("door-cli-02", 10)):
            issued = ca.sign_device_csr(make_csr(device_id, new_private_key()), device_id, days)
            claim = devices_repo.EnrollmentClaim(device_id, "faceid", None, None)
            devices_repo.register_enrolled_device(conn, claim, issued.serial, issued.not_after)

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().out

    code, out = run("provision", "certs", "--json")
    listed = json.loads(out)
    assert code == 0 and [(c["device_id"], c["state"]) for c in listed] == [
        ("door-cli-01", "valid"),
        ("door-cli-01", "superseded"),
        ("door-cli-02", "valid"),
    ]
    assert [round(c["days_left"]) for c in listed] == [90, 30, 10]

    broker_dir = tmp_path / "broker"
    broker_dir.mkdir()
    code, out = run("provision", "revoke", "door-cli-01", "--broker-dir", str(broker_dir), "--json")
    revoked = json.loads(out)
    assert code == 0 and len(revoked["revoked_serials"]) == 2 and revoked["crl"] == str(broker_dir / "crl.pem")
    crl = x509.load_pem_x509_crl((broker_dir / "crl.pem").read_bytes())
    assert {format(r.serial_number, "x") for r in crl} == set(revoked["revoked_serials"])
    assert {format(s, "x") for s in ca.revoked()} == set(revoked["revoked_serials"])
    code, out = run("provision", "certs", "door-cli-01", "--json")
    assert [c["state"] for c in json.loads(out)] == ["revoked", "revoked"]
    code, out = run("provision", "revoke", "door-cli-01", "--json")
    assert json.loads(out)["revoked_serials"] == [] and len(json.loads(out)["already_revoked"]) == 2
    assert run("provision", "revoke", "door-nobody")[0] == 2
