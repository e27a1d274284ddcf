"""A current-structure organisation (since 2025-03-01), built through the org service on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.org.models import NewUnit
from hub.org.service import LOCAL_TZ, OrgService
from hub.people.importing import import_employees

START = date(2025, 3, 1)
#: "now" for these tests: 15 June 2026, 10:00 in Hanoi
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=LOCAL_TZ)
ADMIN = Principal.tool("test-admin", "Quản trị thử")
ACTOR = Actor("test-admin")

UNITS = [
    NewUnit("CHQ", "Cục Hải quan", "customs_department", None, START),
    NewUnit("VP", "Văn phòng Cục", "central_unit", "CHQ", START),
    NewUnit("KV1", "Chi cục Hải quan khu vực I", "regional_branch", "CHQ", START),
    NewUnit("KV2", "Chi cục Hải quan khu vực II", "regional_branch", "CHQ", START),
    NewUnit("NB", "Hải quan cửa khẩu Sân bay quốc tế Nội Bài", "border_gate", "KV1", START),
    NewUnit("DOIA", "Đội Kiểm soát hải quan", "team", "KV1", START),
    NewUnit("DOIB", "Đội Thủ tục hàng hóa", "team", "KV1", START),
    NewUnit("DOIC", "Đội Kiểm soát", "team", "KV2", START),
]
EMPLOYEES = [
    {"employee_code": "E1", "full_name": "Nguyễn Thị Hoa", "unit_code": "DOIA", "person_id": "p-1"},
    {"employee_code": "E2", "full_name": "Trần Văn Bình", "unit_code": "DOIA", "person_id": "p-2"},
    {"employee_code": "E3", "full_name": "Lê Quang Huy", "unit_code": "DOIB", "person_id": "p-3"},
    {"employee_code": "E4", "full_name": "Phạm Thu Trang", "unit_code": "KV2", "person_id": "p-4"},
]


@pytest.fixture
def org_service(database_url: str) -> Iterator[OrgService]:
    pool = open_pool(database_url, max_size=3, name="cces-org-test")
    try:
        yield OrgService(pool, lambda: NOW)
    finally:
        pool.close()


@pytest.fixture
def current_org(org_service: OrgService, conn: psycopg.Connection) -> OrgService:
    for unit in UNITS:
        org_service.create(ADMIN, ACTOR, unit)
    report = import_employees(conn, EMPLOYEES)
    assert report.rejected == [] and report.inserted == len(EMPLOYEES)
    return org_service
