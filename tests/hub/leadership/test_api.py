"""REST for the leadership screen (/api/v1/leadership) over the real app and database with the seeded records of
every module: the overview and its drill-down for the system admin and for a Chi cục manager, who gets 403 for
any unit outside their subtree, on the overview and on the records; an employee is refused the route."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.api.app import create_app
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.api.conftest import ADMIN_PASSWORD, Api
from tests.hub.leadership.seed import EXPECTED, Clock, seed


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    pool = open_pool(database_url, max_size=4, name="cces-leadership-api-test")
    try:
        clock = Clock()
        services = HubServices(pool, None, clock=clock)
        services.accounts.ensure_first_admin(tmp_path, ADMIN_PASSWORD)  # (made only while no account exists)
        seed(org, services, clock)
        admin = services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
        api = Api(create_app(services), services, admin)
        yield api
        for client in api.clients:
            client.close()
    finally:
        pool.close()


def figures(client: TestClient, unit: str | None = None) -> dict:
    response = client.get("/api/v1/leadership/overview", params={"unit": unit} if unit else {})
    assert response.status_code == 200, response.text
    return response.json()


def test_overview_and_drill_down_for_the_admin(api: Api) -> None:
    admin = api.sign_in("admin", ADMIN_PASSWORD)
    top = figures(admin)
    assert top["unit"]["code"] == "TCHQ" and top["day"] == "2026-03-16"
    assert {r["unit"]["code"]: r["drill"] for r in top["rows"]} == {
        "TCHQ": None,
        "CHQHN": "/api/v1/leadership/overview?unit=CHQHN",
        "CHQHCM": "/api/v1/leadership/overview?unit=CHQHCM",
    }
    assert top["totals"]["docs_overdue"] == 2 and top["totals"]["present"] == 2
    assert {f["key"] for f in top["figures"]} == set(top["totals"])
    cuc = figures(admin, "CHQHN")
    assert [r["unit"]["code"] for r in cuc["rows"]] == ["CHQHN", "CCHQNB"]
    assert cuc["rows"][1]["figures"]["docs_open"] == EXPECTED["DOI1"]["docs_open"] + EXPECTED["CCHQNB"]["docs_open"]
    hcm = admin.get("/api/v1/leadership/records/tasks", params={"unit": "CHQHCM"}).json()
    assert [(i["title"], i["figure"], i["status_vi"]) for i in hcm["items"]] == [
        ("Nhiệm vụ của NV003", "tasks_overdue", "Đang thực hiện quá hạn")
    ]


def test_a_chi_cuc_manager_is_kept_inside_the_subtree(api: Api) -> None:
    chi_cuc = api.client_as("chi-cuc-truong", (Role.MANAGER, "CCHQNB"))
    mine = figures(chi_cuc)
    assert mine["unit"]["code"] == "CCHQNB" and mine["parent"] is None
    assert {r["unit"]["code"]: r["figures"]["docs_open"] for r in mine["rows"]} == {"CCHQNB": 2, "DOI1": 1}
    team = figures(chi_cuc, "DOI1")
    assert team["parent"]["code"] == "CCHQNB" and team["totals"]["asset_not_returned"] == 1
    docs = chi_cuc.get("/api/v1/leadership/records/documents", params={"unit": "DOI1"}).json()
    assert [(i["unit_code"], i["figure"]) for i in docs["items"]] == [("DOI1", "docs_overdue")]
    for unit in ("CHQHN", "CHQHCM", "TCHQ"):
        refused = chi_cuc.get("/api/v1/leadership/overview", params={"unit": unit})
        assert refused.status_code == 403, refused.text
        assert "không có quyền" in refused.text and "not allowed" in refused.text
        assert chi_cuc.get("/api/v1/leadership/records/presence", params={"unit": unit}).status_code == 403
    assert chi_cuc.get("/api/v1/leadership/overview", params={"unit": "KHONG-CO"}).status_code == 404
    assert chi_cuc.get("/api/v1/leadership/records/weather").status_code == 422
    employee = api.client_as("can-bo", (Role.EMPLOYEE, "DOI1"))
    assert employee.get("/api/v1/leadership/overview").status_code == 403
