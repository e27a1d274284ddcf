"""Seeded records of every module the leadership screen reads, on the small org of tests.hub.orgdata
(TCHQ ▸ CHQHN ▸ CCHQNB ▸ DOI1, and CHQHCM; NV001 in DOI1, NV002 in CCHQNB, NV003 in CHQHCM), for Monday
16 March 2026, 09:00 in Hà Nội. Documents and reports go through their services; meetings, tasks, leave and
assets are written as those modules store them. `EXPECTED` is what each unit's figures must be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import psycopg

from hub.accounts.principal import Principal
from hub.documents.handling.models import HandlerSpec
from hub.services import HubServices
from tests.hub.documents.conftest import make_user
from tests.hub.orgdata import add_event

NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Monday 16 March 2026, 09:00 in Hà Nội
ADMIN = Principal.tool("test", "Test")
TEMPLATE = {"indicators": [{"code": "staff", "name_vi": "Số cán bộ", "name_en": "Staff", "source": "staff_count"}]}

#: unit → figures over the unit's own staff and records (not its sub-units); unlisted figures are 0
EXPECTED: dict[str, dict[str, int]] = {
    "DOI1": {"docs_open": 1, "docs_overdue": 1, "meetings_today": 1, "staff": 1, "present": 1, "asset_portal": 1,
             "asset_not_returned": 1, "reports_open": 2, "reports_late": 1, "tasks_open": 1, "tasks_overdue": 1},
    "CCHQNB": {"docs_open": 2, "meetings_today": 1, "staff": 1, "away": 1, "asset_waiting": 1, "reports_open": 2,
               "reports_late": 1, "tasks_open": 1},
    "CHQHCM": {"docs_open": 1, "docs_overdue": 1, "meetings_today": 1, "staff": 1, "present": 1, "asset_waiting": 1,
               "tasks_open": 1, "tasks_overdue": 1},
}  # fmt: skip


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour - 7, 0, tzinfo=UTC)


def seed(conn: psycopg.Connection, services: HubServices, clock: Clock) -> None:
    """Everything the screen shows on 16 March (see EXPECTED), and records it must leave out."""
    # documents (hub.documents handling), assigned on Monday 2 March
    clock.now = _at(2)
    with conn.transaction():
        nv002_user = conn.execute(
            "INSERT INTO users (username, display_name, password_hash, employee_id, created_by)"
            " SELECT 'tran-thi-lan', 'Trần Thị Lan', 'x', id, 'test' FROM employees WHERE employee_code = 'NV002'"
            " RETURNING id"
        ).fetchone()
    assert nv002_user is not None
    docs = services.documents

    def incoming(unit: str, number: str, secrecy: int = 0) -> int:
        return docs.register_incoming(
            ADMIN, unit, type_key="cong_van", code_number=number, code_notation="BTC-CHQ", organ_name="Bộ Tài chính",
            issued_date=date(2026, 2, 27), subject=f"Về việc {number}", secrecy=secrecy,
        ).id  # fmt: skip

    a = incoming("CCHQNB", "101")  # DOI1 leads by the 10th (overdue), NV002 (CCHQNB) supports by the 20th
    docs.handling.assign(ADMIN, a, HandlerSpec(date(2026, 3, 10), unit_code="DOI1"),
                         [HandlerSpec(date(2026, 3, 20), username="tran-thi-lan")])  # fmt: skip
    b = incoming("CCHQNB", "102")  # CCHQNB leads by the 20th: in time
    docs.handling.assign(ADMIN, b, HandlerSpec(date(2026, 3, 20), unit_code="CCHQNB"))
    c = incoming("CHQHCM", "103")  # another Cục: overdue, outside a Chi cục's scope
    docs.handling.assign(ADMIN, c, HandlerSpec(date(2026, 3, 5), unit_code="CHQHCM"))
    d = incoming("CCHQNB", "104")  # finished: not counted
    done = docs.handling.assign(ADMIN, d, HandlerSpec(date(2026, 3, 6), unit_code="DOI1"))
    officer = make_user(conn, "can-bo-doi-1", (("employee", "DOI1"),))  # a member of the handling unit finishes
    docs.handling.finish(officer, done.handlers[0].id, note="Đã xử lý")
    incoming("CCHQNB", "105")  # registered, never assigned: not counted

    # reports (hub.reporting): DOI1 → CCHQNB → CHQHN; February's are late on the 16th, March's not yet due
    clock.now = NOW
    services.reporting.define(
        ADMIN, "hoat-dong-thang", valid_from=date(2026, 1, 1), name_vi="Báo cáo tháng", name_en="Monthly report",
        basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly", deadline_days=2, owner_unit="CHQHN",
        template=TEMPLATE, reporters=[("DOI1", "CCHQNB"), ("CCHQNB", "CHQHN")],
    )  # fmt: skip
    assert services.reporting.open_period(ADMIN, "hoat-dong-thang", "2026-02") == 2
    assert services.reporting.open_period(ADMIN, "hoat-dong-thang", "2026-03") == 2

    with conn.transaction():
        unit = {c: i for c, i in conn.execute("SELECT code, id FROM org_units").fetchall()}
        emp = {c: i for c, i in conn.execute("SELECT employee_code, id FROM employees").fetchall()}
        # meetings (hub.meetings): today in DOI1, CCHQNB and CHQHCM; one cancelled today, one yesterday
        meeting = {}
        for key, code, start, end, status in (
            ("doi", "DOI1", _at(16, 10), _at(16, 11), "planned"),
            ("cc", "CCHQNB", _at(16, 14), _at(16, 15), "planned"),
            ("hcm", "CHQHCM", _at(16, 8), _at(16, 10), "in_progress"),
            ("off", "DOI1", _at(16, 15), _at(16, 16), "cancelled"),
            ("old", "DOI1", _at(15, 9), _at(15, 10), "closed"),
        ):
            meeting[key] = conn.execute(
                "INSERT INTO meetings (unit_id, title, starts_at, ends_at, status, created_by)"
                " VALUES (%s, %s, %s, %s, %s, 'test') RETURNING id",
                (unit[code], f"Họp giao ban {key}", start, end, status),
            ).fetchone()[0]
        # tasks from the conclusions: by their owner's unit
        for owner, deadline, finished in (
            ("NV001", date(2026, 3, 10), None), ("NV001", date(2026, 3, 20), _at(12)),
            ("NV002", date(2026, 3, 20), None), ("NV003", date(2026, 3, 1), None),
        ):  # fmt: skip
            conn.execute(
                "INSERT INTO meeting_tasks (meeting_id, title, owner_id, deadline, assigned_by, assigned_at,"
                " finished_at) VALUES (%s, %s, %s, %s, 'test', %s, %s)",
                (meeting["old"], f"Nhiệm vụ của {owner}", emp[owner], deadline, _at(15, 10), finished),
            )
        # leave (hub.leave): NV002 away today; NV001's last week and NV003's still pending do not count
        for code, first, last, status in (
            ("NV002", date(2026, 3, 16), date(2026, 3, 17), "approved"),
            ("NV001", date(2026, 3, 9), date(2026, 3, 10), "approved"),
            ("NV003", date(2026, 3, 16), date(2026, 3, 16), "pending"),
        ):
            conn.execute(
                "INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, working_days,"
                " status, requested_by) SELECT id, unit_id, 'annual', %s, %s, 1, %s, 'test' FROM employees"
                " WHERE employee_code = %s",
                (first, last, status, code),
            )
        # assets (hub.assets): a portal alert open (DOI1) and one acknowledged, movements waiting (CCHQNB, CHQHCM),
        # a check-out not back by its day (DOI1)
        asset = {}
        for number, code in (("TS-1", "DOI1"), ("TS-2", "CCHQNB"), ("TS-3", "CHQHCM"), ("TS-4", "DOI1")):
            asset[number] = conn.execute(
                "INSERT INTO assets (asset_number, name, search_text, category_code, unit_id, cost, funding_source,"
                " acquired_on) VALUES (%s, %s, %s, 'may-vi-tinh', %s, 15000000, 'state_budget', '2025-01-02')"
                " RETURNING id",
                (number, f"Máy tính {number}", number.lower(), unit[code]),
            ).fetchone()[0]
        office = conn.execute(
            "INSERT INTO asset_locations (kind, code, name, unit_id) VALUES ('office', 'TS-NB', 'Trụ sở Nội Bài', %s)"
            " RETURNING id",
            (unit["CCHQNB"],),
        ).fetchone()[0]
        portal = conn.execute(
            "INSERT INTO asset_portals (code, name, device_id, inner_antenna, outer_antenna, location_id)"
            " VALUES ('cong-1', 'Cổng chính', 'portal-01', 1, 2, %s) RETURNING id",
            (office,),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO asset_portal_alerts (portal_id, asset_id, epc, passed_at, acknowledged_by, acknowledged_at)"
            " VALUES (%s, %s, 'E1', %s, NULL, NULL), (%s, %s, 'E4', %s, 'test', %s)",
            (portal, asset["TS-1"], _at(16, 8), portal, asset["TS-4"], _at(13), _at(13, 10)),
        )
        for number, kind, status, due in (
            ("TS-2", "transfer", "requested", None), ("TS-3", "transfer", "requested", None),
            ("TS-4", "checkout", "approved", date(2026, 3, 12)),
        ):  # fmt: skip
            conn.execute(
                "INSERT INTO asset_movements (asset_id, kind, status, to_employee_id, to_unit_id, reason, due_on,"
                " requested_by) VALUES (%s, %s, %s, %s, %s, 'Công tác', %s, 'test')",
                (asset[number], kind, status, emp["NV001"] if kind == "checkout" else None,
                 unit["DOI1"] if kind == "transfer" else None, due),
            )  # fmt: skip
    # presence (timekeeping): NV001 and NV003 seen this morning, NV002 only last week
    add_event(conn, "nv-0001", datetime(2026, 3, 16, 7, 55))
    add_event(conn, "nv-0003", datetime(2026, 3, 16, 8, 10))
    add_event(conn, "nv-0002", datetime(2026, 3, 13, 7, 50))
