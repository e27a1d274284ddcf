"""The device API scoped to org units through each device's office, over a real database with real
sign-ins: an office admin of one Cục lists, opens, edits, configures, commands and enrolls only the
devices of their offices; a refusal is 403 with the usual message and changes nothing; reports of
devices cover the caller's offices; the system admin sees everything."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from hub.accounts import audit
from hub.accounts.principal import Role
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.devices.config import DeviceConfigService
from hub.devices.enrollment_api import Enrollment, enrollment_router
from hub.galleries.runtime import BiometricsRuntime
from hub.galleries.service import GalleryService
from tests.hub.api.conftest import Api, make_api
from tests.hub.devices.sites import ALL_DEVICES, HCM_SITE, HN_DEVICES, HN_SITE, UNMAPPED_SITE, seed_devices

OUTSIDE = ["door-hcm-01", "door-kho-01", "door-none-01"]  # another Cục's office, an unmapped one, none


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    """The app as `cces hub` composes it: with the enrollment routes and the device-config part."""
    seed_devices(org)
    for api in make_api(database_url, tmp_path):
        api.app.include_router(enrollment_router())
        api.app.state.enrollment = Enrollment(api.services.pool, None, "mqtt://127.0.0.1:1883")  # type: ignore[arg-type]
        pool, sealer, engines = api.services.pool, Sealer(secrets.token_bytes(32)), EngineCache(tmp_path)
        device_config = DeviceConfigService(
            pool, None, gallery_base_url=None, default_pack="yunet-sface", audit=audit.record
        )
        galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface")
        biometrics = BiometricsService(pool, sealer, engines, check_pack="yunet-sface")
        api.services.attach_biometrics(BiometricsRuntime(biometrics, galleries, device_config, None, 900))
        yield api


@pytest.fixture
def hn(api: Api) -> TestClient:
    """The office admin of Cục Hải quan Hà Nội (its office: HN_SITE)."""
    return api.client_as("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))


def snapshot(org: psycopg.Connection) -> list[tuple]:
    """Everything a device change could touch: the registry, desired configs, commands, tokens, audit rows."""
    return [
        org.execute("SELECT * FROM devices ORDER BY device_id").fetchall(),
        org.execute("SELECT * FROM device_desired_config ORDER BY device_id").fetchall(),
        org.execute("SELECT count(*) FROM device_commands").fetchall(),
        org.execute("SELECT count(*) FROM enrollment_tokens").fetchall(),
        org.execute("SELECT count(*) FROM audit_log").fetchall(),
    ]


def refused(response: object) -> bool:
    status, body = response.status_code, response.json()  # type: ignore[attr-defined]
    return status == 403 and "không có quyền" in body["detail"] and "not allowed to" in body["detail"]


def test_an_office_admin_lists_only_the_devices_of_their_offices(api: Api, hn: TestClient, client: TestClient) -> None:
    page = hn.get("/api/v1/devices").json()
    assert (page["total"], [d["device_id"] for d in page["items"]]) == (2, HN_DEVICES)
    second = hn.get("/api/v1/devices", params={"limit": 1, "offset": 1}).json()
    assert (second["total"], [d["device_id"] for d in second["items"]]) == (2, ["door-hn-02"])
    assert hn.get("/api/v1/devices", params={"site": HCM_SITE}).json()["total"] == 0
    everything = client.get("/api/v1/devices").json()  # the system admin
    assert (everything["total"], [d["device_id"] for d in everything["items"]]) == (5, ALL_DEVICES)
    hcm = api.client_as("qt-hcm", (Role.OFFICE_ADMIN, "CHQHCM"))
    assert [d["device_id"] for d in hcm.get("/api/v1/devices").json()["items"]] == ["door-hcm-01"]


def test_another_offices_device_is_403_everywhere_and_nothing_changes(
    hn: TestClient, client: TestClient, org: psycopg.Connection
) -> None:
    before = snapshot(org)
    for device_id in OUTSIDE:
        base = f"/api/v1/devices/{device_id}"
        assert refused(hn.get(base))
        assert refused(hn.get(f"{base}/telemetry"))
        assert refused(hn.patch(base, json={"room": "Cổng phụ", "direction": "in"}))
        assert refused(hn.get(f"{base}/config"))
        assert refused(hn.patch(f"{base}/config", json={"threshold": 0.3}))
        assert refused(hn.post(f"{base}/commands", json={"name": "ping"}))
        assert refused(hn.get(f"{base}/commands"))
        assert refused(hn.get(f"{base}/commands/0192f7a4-0000-7000-8000-000000000001"))
    assert snapshot(org) == before
    assert hn.get("/api/v1/devices/door-zz-99").status_code == 404  # unknown stays 404
    # the system admin opens and edits them; the office admin their own
    assert client.get("/api/v1/devices/door-hcm-01").json()["site"] == HCM_SITE
    assert client.patch("/api/v1/devices/door-kho-01", json={"room": "Kho 2"}).status_code == 200
    assert hn.get("/api/v1/devices/door-hn-01").status_code == 200
    assert hn.get("/api/v1/devices/door-hn-01/config").status_code == 200
    changed = hn.patch("/api/v1/devices/door-hn-01/config", json={"threshold": 0.41})
    assert changed.status_code == 200 and changed.json()["threshold"] == 0.41
    # in scope, a command gets as far as the broker channel (this app has none: 503, nothing stored)
    assert hn.post("/api/v1/devices/door-hn-01/commands", json={"name": "ping"}).status_code == 503
    assert hn.get("/api/v1/devices/door-hn-01/commands").json()["total"] == 0


def test_a_device_cannot_be_moved_out_of_the_admins_offices(
    hn: TestClient, client: TestClient, org: psycopg.Connection
) -> None:
    before = snapshot(org)
    for site in (HCM_SITE, UNMAPPED_SITE, None):
        response = hn.patch("/api/v1/devices/door-hn-01", json={"site": site, "room": "Sảnh"})
        assert refused(response) and "đặt thiết bị" in response.json()["detail"]
    assert snapshot(org) == before
    kept = hn.patch("/api/v1/devices/door-hn-01", json={"site": HN_SITE, "room": "Sảnh"})
    assert kept.status_code == 200 and (kept.json()["site"], kept.json()["room"]) == (HN_SITE, "Sảnh")
    # the system admin moves a device between offices; it then belongs to the other Cục's admin
    assert client.patch("/api/v1/devices/door-hn-02", json={"site": HCM_SITE}).status_code == 200
    assert [d["device_id"] for d in hn.get("/api/v1/devices").json()["items"]] == ["door-hn-01"]
    assert refused(hn.get("/api/v1/devices/door-hn-02"))


def test_enrollment_tokens_only_for_the_admins_offices(
    hn: TestClient, client: TestClient, org: psycopg.Connection
) -> None:
    url = "/api/v1/devices/enrollment-tokens"
    before = snapshot(org)
    assert refused(hn.post(url, json={"device_id": "door-hcm-09", "site": HCM_SITE}))
    assert refused(hn.post(url, json={"device_id": "door-x-09"}))  # no office: the system admin's alone
    assert refused(hn.post(url, json={"device_id": "door-hcm-01", "site": HN_SITE}))  # taking another's device
    assert snapshot(org) == before
    assert hn.post(url, json={"device_id": "door-hn-09", "site": HN_SITE}).status_code == 201
    assert client.post(url, json={"device_id": "door-hcm-09", "site": HCM_SITE}).status_code == 201
    stored = org.execute("SELECT device_id, site, created_by FROM enrollment_tokens ORDER BY device_id").fetchall()
    assert stored == [("door-hcm-09", HCM_SITE, "admin"), ("door-hn-09", HN_SITE, "qt-hn")]


def test_device_reports_cover_the_callers_offices(api: Api, client: TestClient) -> None:
    manager = api.client_as("ld-hn", (Role.MANAGER, "CHQHN"))
    offline = manager.get("/api/v1/reports/devices/offline")
    assert [d["device_id"] for d in offline.json()] == ["door-hn-02"]
    window = {"from": "2026-01-01T00:00:00+07:00", "to": "2026-01-02T00:00:00+07:00"}
    uptime = manager.get("/api/v1/reports/devices/uptime", params=window).json()
    assert sorted(r["device_id"] for r in uptime["rows"]) == HN_DEVICES
    board = manager.get("/api/v1/reports/dashboard/CHQHN").json()
    assert (board["devices_total"], board["devices_online"]) == (2, 1)
    assert [d["device_id"] for d in board["offline_devices"]] == ["door-hn-02"]
    sheet = manager.get("/api/v1/reports/devices/offline", params={"format": "xlsx"})
    cells = {c for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True) for c in row}
    assert "door-hn-02" in cells and "door-hcm-01" not in cells
    hr = api.client_as("tccb-hcm", (Role.HR, "CHQHCM"))
    assert [d["device_id"] for d in hr.get("/api/v1/reports/devices/offline").json()] == ["door-hcm-01"]
    every = client.get("/api/v1/reports/devices/offline").json()
    assert sorted(d["device_id"] for d in every) == ["door-hcm-01", "door-hn-02", "door-kho-01", "door-none-01"]
