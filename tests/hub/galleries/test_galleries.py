"""Office galleries: only that office's people (plus those allowed there), versioned by content,
served over HTTPS only to a device with a valid certificate of the hub CA, for its own office."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts.audit import Actor
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.galleries.server import DeviceHttpsServer, server_context
from hub.galleries.service import GalleryRefused, GalleryService, InvalidGalleryChange
from protocol import gallery as wire
from provisioning.ca import CertificateAuthority, key_to_pem, make_csr, new_private_key
from tests.hub.biometrics.conftest import employee_id

pytestmark = pytest.mark.timeout(180)
ADMIN = Actor("admin")


@pytest.fixture
def galleries(pool: ConnectionPool, sealer: Sealer, engines: EngineCache) -> GalleryService:
    return GalleryService(pool, sealer, engines, default_pack="yunet-sface")


def add_device(conn: psycopg.Connection, device_id: str, site: str | None, serial: int | None = None) -> None:
    conn.execute("INSERT INTO devices (device_id, kind, site) VALUES (%s, 'faceid', %s)", (device_id, site))
    if serial is not None:
        conn.execute(
            "INSERT INTO device_certificates (serial, device_id, not_after) VALUES (%s, %s, now() + interval '1 year')",
            (serial, device_id),
        )


def enroll(biometrics: BiometricsService, who: int, photo: Path) -> None:
    biometrics.record_consent(who, "written_consent", ADMIN)
    assert biometrics.add_photo(who, photo.read_bytes(), ADMIN).accepted


def people_of(galleries: GalleryService, device_id: str) -> set[str]:
    served = galleries.gallery_for_device(device_id, None, "yunet-sface", None)
    return set(wire.decode(served.payload, served.sha256).person_ids)


@pytest.fixture
def enrolled(org: psycopg.Connection, biometrics: BiometricsService, faces: Path) -> psycopg.Connection:
    """NV001 (Đội under Chi cục Nội Bài), NV002 (Chi cục Nội Bài), NV003 (Cục HCM), each with a photo."""
    enroll(biometrics, employee_id(org, "NV001"), faces / "enroll/obama/obama.jpg")
    enroll(biometrics, employee_id(org, "NV002"), faces / "enroll/biden/biden.jpg")
    enroll(biometrics, employee_id(org, "NV003"), faces / "enroll/kit_harington/john1.jpeg")
    return org


def test_a_gallery_holds_only_the_offices_people_and_those_allowed_there(
    enrolled: psycopg.Connection, galleries: GalleryService, biometrics: BiometricsService
) -> None:
    org = enrolled
    add_device(org, "door-nb-01", "nb")
    add_device(org, "door-hcm-01", "hcm")
    galleries.set_site_units("nb", ["CCHQNB"], ADMIN)
    galleries.set_site_units("hcm", ["CHQHCM"], ADMIN)
    with pytest.raises(InvalidGalleryChange):
        galleries.set_site_units("nb", ["NOPE"], ADMIN)
    assert galleries.site_units("nb") == ["CCHQNB"]  # the refused change changed nothing

    report = galleries.rebuild()
    assert sorted((s, p) for s, p, _ in report.built) == [("hcm", "yunet-sface"), ("nb", "yunet-sface")]
    assert people_of(galleries, "door-nb-01") == {"nv-0001", "nv-0002"}  # the Chi cục and its Đội
    assert people_of(galleries, "door-hcm-01") == {"nv-0003"}
    nb_version = galleries.gallery_for_device("door-nb-01", None, "yunet-sface", None).version

    again = galleries.rebuild()  # nothing changed: same content, same version, nothing published
    assert again.built == [] and again.unchanged == 2

    galleries.allow("nb", employee_id(org, "NV003"), "thanh tra định kỳ", ADMIN)
    galleries.rebuild()
    assert people_of(galleries, "door-nb-01") == {"nv-0001", "nv-0002", "nv-0003"}
    assert galleries.gallery_for_device("door-nb-01", None, "yunet-sface", None).version != nb_version
    with pytest.raises(GalleryRefused) as superseded:
        galleries.gallery_for_device("door-nb-01", None, "yunet-sface", nb_version)
    assert superseded.value.status == 409

    biometrics.erase_biometrics(employee_id(org, "NV002"), ADMIN)
    galleries.rebuild()
    assert people_of(galleries, "door-nb-01") == {"nv-0001", "nv-0003"}

    org.execute("UPDATE employees SET active_to = current_date - 1 WHERE employee_code = 'NV003'")  # left
    galleries.rebuild()
    assert people_of(galleries, "door-nb-01") == {"nv-0001"}
    assert people_of(galleries, "door-hcm-01") == set()
    stored = org.execute("SELECT sealed FROM galleries").fetchall()
    assert all(wire.MAGIC not in bytes(row[0]) for row in stored)  # sealed at rest, not the payload


# --- the device HTTPS endpoint ----------------------------------------------------------------


class DeviceClient:
    def __init__(self, ca_file: Path, cert: Path | None, key: Path | None) -> None:
        self.context = ssl.create_default_context(cafile=str(ca_file))
        if cert is not None and key is not None:
            self.context.load_cert_chain(str(cert), str(key))

    def get(self, url: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=10, context=self.context) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def identity(ca: CertificateAuthority, device_id: str, folder: Path) -> tuple[Path, Path, int]:
    key = new_private_key()
    issued = ca.sign_device_csr(make_csr(device_id, key), device_id)
    (folder / f"{device_id}.key").write_bytes(key_to_pem(key))
    (folder / f"{device_id}.pem").write_bytes(issued.cert_pem)
    return folder / f"{device_id}.pem", folder / f"{device_id}.key", issued.serial


@pytest.fixture
def endpoint(galleries: GalleryService, tmp_path: Path) -> Iterator[tuple[DeviceHttpsServer, CertificateAuthority]]:
    ca = CertificateAuthority.create(tmp_path / "ca", b"pass")
    server = ca.issue_server(["127.0.0.1"])
    (tmp_path / "server.pem").write_bytes(server.cert_pem)
    (tmp_path / "server.key").write_bytes(server.key_pem or b"")
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem)
    context = server_context(tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem")
    https = DeviceHttpsServer("127.0.0.1", 0, context, galleries.gallery_for_device, lambda s: s in ca.revoked())
    https.start()
    yield https, ca
    https.stop()


def test_only_a_valid_certificate_of_the_hub_ca_gets_its_own_offices_gallery(
    enrolled: psycopg.Connection,
    galleries: GalleryService,
    endpoint: tuple[DeviceHttpsServer, CertificateAuthority],
    tmp_path: Path,
) -> None:
    https, ca = endpoint
    org = enrolled
    ca_file = tmp_path / "ca.pem"
    good_cert, good_key, good_serial = identity(ca, "door-nb-01", tmp_path)
    revoked_cert, revoked_key, revoked_serial = identity(ca, "door-nb-02", tmp_path)
    add_device(org, "door-nb-01", "nb", good_serial)
    add_device(org, "door-nb-02", "nb", revoked_serial)
    add_device(org, "door-hcm-01", "hcm")
    galleries.set_site_units("nb", ["CCHQNB"], ADMIN)
    galleries.set_site_units("hcm", ["CHQHCM"], ADMIN)
    galleries.rebuild()
    url = f"https://127.0.0.1:{https.port}{wire.GALLERY_PATH}/yunet-sface"

    status, body = DeviceClient(ca_file, good_cert, good_key).get(url)
    assert status == 200
    payload = wire.decode(body)
    assert payload.header.site == "nb" and set(payload.person_ids) == {"nv-0001", "nv-0002"}
    assert DeviceClient(ca_file, good_cert, good_key).get(f"{url}/{payload.header.version}")[0] == 200

    ca.revoke(revoked_cert.read_bytes())
    assert DeviceClient(ca_file, revoked_cert, revoked_key).get(url)[0] == 403
    org.execute("UPDATE device_certificates SET revoked_at = now() WHERE serial = %s", (good_serial,))
    assert DeviceClient(ca_file, good_cert, good_key).get(url)[0] == 403  # revoked in the registry too
    org.execute("UPDATE device_certificates SET revoked_at = NULL WHERE serial = %s", (good_serial,))

    other_ca = CertificateAuthority.create(tmp_path / "other-ca", b"pass")
    (tmp_path / "other").mkdir()
    forged_cert, forged_key, _ = identity(other_ca, "door-hcm-01", tmp_path / "other")
    for cert, key in ((forged_cert, forged_key), (None, None)):  # another CA's certificate; none at all
        with pytest.raises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
            DeviceClient(ca_file, cert, key).get(url)
    # a certificate of a device the registry does not know
    stray_cert, stray_key, _ = identity(ca, "door-unknown-01", tmp_path)
    assert DeviceClient(ca_file, stray_cert, stray_key).get(url)[0] == 403
