"""Reporting fixtures: the seeded org (tests.hub.orgdata: TCHQ → CHQHN → CCHQNB → DOI1, and CHQHCM), the
accounts that define, fill, submit and review reports, and the services on one movable clock.

DOI1 reports to CCHQNB, CCHQNB reports to CHQHN (the regime's receiving unit)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest

from hub.accounts import service as accounts
from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal
from hub.accounts.service import GrantSpec
from hub.accounts.sessions import load_principal
from hub.db import open_pool
from hub.documents.service import DocumentsService
from hub.reporting.service import ReportingService

PASSWORD = "mat-khau-dai-du-12"

TEMPLATE = {
    "indicators": [
        {"code": "staff", "name_vi": "Số cán bộ", "name_en": "Staff", "unit": "người", "source": "staff_count"},
        {"code": "rate", "name_vi": "Tỷ lệ chuyên cần", "name_en": "Attendance rate", "unit": "%",
         "source": "attendance_rate"},
        {"code": "late", "name_vi": "Số lượt đi muộn", "name_en": "Late arrivals", "unit": "lượt",
         "source": "late_arrivals"},
        {"code": "leave", "name_vi": "Số ngày nghỉ phép", "name_en": "Leave days", "unit": "ngày",
         "source": "leave_days"},
        {"code": "received", "name_vi": "Văn bản đến", "name_en": "Documents received", "unit": "văn bản",
         "source": "documents_received"},
        {"code": "issued", "name_vi": "Văn bản đi", "name_en": "Documents issued", "unit": "văn bản",
         "source": "documents_issued"},
        {"code": "late_per_person", "name_vi": "Đi muộn bình quân", "name_en": "Late arrivals per person",
         "unit": "lượt/người", "formula": "late / staff"},
        {"code": "cases", "name_vi": "Vụ việc", "name_en": "Cases", "kind": "table", "total": True,
         "columns": [{"code": "kind", "name_vi": "Loại", "name_en": "Kind", "kind": "text"},
                     {"code": "count", "name_vi": "Số vụ", "name_en": "Count", "unit": "vụ"}]},
        {"code": "cases_total", "name_vi": "Tổng số vụ", "name_en": "Cases in all", "formula": "cases.count"},
        {"code": "summary", "name_vi": "Tình hình chung", "name_en": "Summary", "kind": "text", "required": True},
    ]
}  # fmt: skip
REPORTERS = [("DOI1", "CCHQNB"), ("CCHQNB", "CHQHN")]


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Monday 16 March 2026, 09:00 in Hà Nội

    def __call__(self) -> datetime:
        return self.now


def make_user(conn: psycopg.Connection, username: str, grants: tuple = (), email: str | None = None) -> Principal:
    user = accounts.create_user(
        conn, AccountsPolicy(), Principal.tool("test", "Test"), username=username, password=PASSWORD,
        grants=[GrantSpec(role, unit) for role, unit in grants],
    )  # fmt: skip
    if email:
        conn.execute("INSERT INTO notification_settings (user_id, email) VALUES (%s, %s)", (user.id, email))
    found = load_principal(conn, user.id)
    assert found is not None
    return found


@dataclass
class People:
    office: Principal  # office admin of CHQHN: defines regimes
    doi_manager: Principal
    doi_clerk: Principal
    cc_manager: Principal  # manager of CCHQNB: reviews DOI1's report, submits CCHQNB's
    cuc_manager: Principal  # manager of CHQHN: reviews CCHQNB's report
    hcm_manager: Principal  # outside


@pytest.fixture
def people(org: psycopg.Connection) -> People:
    return People(
        office=make_user(org, "quan-tri-cuc", (("office_admin", "CHQHN"),)),
        doi_manager=make_user(org, "doi-truong", (("manager", "DOI1"),), "doi-truong@hq.example.vn"),
        doi_clerk=make_user(org, "van-thu-doi", (("clerk", "DOI1"),)),
        cc_manager=make_user(org, "chi-cuc-truong", (("manager", "CCHQNB"),)),
        cuc_manager=make_user(org, "cuc-truong", (("manager", "CHQHN"),)),
        hcm_manager=make_user(org, "cuc-truong-hcm", (("manager", "CHQHCM"),)),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pool(database_url: str, people: People) -> Iterator:
    p = open_pool(database_url, max_size=3, name="cces-reporting-test")
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def reporting(pool, clock: Clock) -> ReportingService:  # noqa: ANN001
    return ReportingService(pool, clock)


@pytest.fixture
def documents(pool, clock: Clock) -> DocumentsService:  # noqa: ANN001
    return DocumentsService(pool, clock)
