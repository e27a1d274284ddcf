"""The offices API (trụ sở ↔ đơn vị) over a real database with real sign-ins: the system admin maps an
office to units (audited) and an office admin's devices follow; an office admin reads only their
offices and changes nothing (403); unknown units are 422 naming them; labels with spaces, diacritics
and "/" travel URL-encoded."""

from __future__ import annotations

from urllib.parse import quote

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.models import AuditQuery
from hub.accounts.principal import Role
from tests.hub.api.conftest import Api
from tests.hub.devices.sites import HCM_SITE, HN_DEVICES, HN_SITE, UNMAPPED_SITE, seed_devices

SLASHED = "Chi cục HQ Bắc Ninh / KCN Yên Phong"


@pytest.fixture(autouse=True)
def offices(org: psycopg.Connection) -> None:
    seed_devices(org)  # HN_SITE → CHQHN, HCM_SITE → CHQHCM, UNMAPPED_SITE with a device and no unit


def units_url(site: str) -> str:
    return f"/api/v1/offices/{quote(site, safe='')}/units"


def device_ids(client: TestClient) -> list[str]:
    response = client.get("/api/v1/devices")
    assert response.status_code == 200, response.text
    return [d["device_id"] for d in response.json()["items"]]


def audit_rows(api: Api) -> list[tuple[str | None, object, object]]:
    _, rows = api.services.accounts.search_audit(api.admin, AuditQuery(action="gallery.site_units"))
    return [(r.entity_id, r.before, r.after) for r in rows]


def test_the_system_admin_maps_an_office_and_an_office_admins_devices_follow(api: Api, client: TestClient) -> None:
    hcm = api.client_as("qt-hcm", (Role.OFFICE_ADMIN, "CHQHCM"))
    assert device_ids(hcm) == ["door-hcm-01"]

    listed = client.get("/api/v1/offices").json()
    assert [(o["site"], [u["code"] for u in o["units"]], o["devices"], o["online"]) for o in listed] == sorted(
        [(HCM_SITE, ["CHQHCM"], 1, 0), (UNMAPPED_SITE, [], 1, 0), (HN_SITE, ["CHQHN"], 2, 1)]
    )
    by_site = {o["site"]: o for o in listed}
    assert by_site[HCM_SITE]["units"] == [{"code": "CHQHCM", "name": "Cục Hải quan TP. Hồ Chí Minh"}]

    response = client.put(units_url(UNMAPPED_SITE), json={"units": ["CHQHCM"]})
    assert response.status_code == 200, response.text
    assert response.json() == {"site": UNMAPPED_SITE, "units": ["CHQHCM"]}
    assert device_ids(hcm) == ["door-hcm-01", "door-kho-01"]
    assert [o["site"] for o in hcm.get("/api/v1/offices").json()] == sorted([HCM_SITE, UNMAPPED_SITE])

    # mapped away: the office admin loses the office's devices and its row
    assert client.put(units_url(UNMAPPED_SITE), json={"units": ["CHQHN"]}).status_code == 200
    assert device_ids(hcm) == ["door-hcm-01"]
    assert [o["site"] for o in hcm.get("/api/v1/offices").json()] == [HCM_SITE]
    assert audit_rows(api) == [(UNMAPPED_SITE, ["CHQHCM"], ["CHQHN"]), (UNMAPPED_SITE, [], ["CHQHCM"])]

    # a new office, labelled with a "/" (URL-encoded as %2F), before any device is there
    response = client.put(units_url(SLASHED), json={"units": ["CCHQNB"]})
    assert response.status_code == 200, response.text
    assert api.services.offices.site_units(SLASHED) == ["CCHQNB"]
    assert SLASHED in [o["site"] for o in client.get("/api/v1/offices").json()]


def test_an_office_admin_reads_their_offices_and_changes_nothing(api: Api, client: TestClient) -> None:
    hn = api.client_as("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    listed = hn.get("/api/v1/offices").json()
    assert [(o["site"], o["devices"], o["online"]) for o in listed] == [(HN_SITE, 2, 1)]

    for site, units in ((UNMAPPED_SITE, ["CHQHN"]), (HCM_SITE, ["CHQHN"]), (HN_SITE, [])):
        response = hn.put(units_url(site), json={"units": units})
        assert response.status_code == 403, response.text
    assert device_ids(hn) == HN_DEVICES
    assert api.services.offices.site_units(UNMAPPED_SITE) == [] and api.services.offices.site_units(HCM_SITE) == [
        "CHQHCM"
    ]
    assert audit_rows(api) == []

    manager = api.client_as("ld-hn", (Role.MANAGER, "CHQHN"))
    assert manager.get("/api/v1/offices").status_code == 403


def test_unknown_units_and_blank_sites_are_refused_and_change_nothing(api: Api, client: TestClient) -> None:
    response = client.put(units_url(HN_SITE), json={"units": ["CHQHCM", "NOPE", "KHONG-CO"]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["unknown_units"] == ["KHONG-CO", "NOPE"] and "NOPE" in detail["message"]

    assert client.put(units_url("   "), json={"units": ["CHQHN"]}).status_code == 422
    assert client.put(units_url(HN_SITE), json={"units": ["CHQHN", ""]}).status_code == 422
    assert client.put(units_url(HN_SITE), json={"unit": ["CHQHN"]}).status_code == 422
    assert client.put(units_url("x" * 129), json={"units": ["CHQHN"]}).status_code == 422
    assert client.put("/api/v1/offices//units", json={"units": ["CHQHN"]}).status_code in (404, 422)

    assert api.services.offices.site_units(HN_SITE) == ["CHQHN"]
    assert audit_rows(api) == []
