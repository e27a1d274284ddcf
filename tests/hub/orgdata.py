"""A small customs organisation and raw FaceID events, written through the real code paths."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from hub.ingest.repository import ensure_partitions
from hub.people.importing import import_employees
from hub.people.models import UnitKind
from hub.people.service import create_unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

UNITS = [
    ("TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT, None),
    ("CHQHN", "Cục Hải quan Hà Nội", UnitKind.DEPARTMENT, "TCHQ"),
    ("CCHQNB", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài", UnitKind.BRANCH, "CHQHN"),
    ("DOI1", "Đội Thủ tục hàng hóa xuất nhập khẩu", UnitKind.TEAM, "CCHQNB"),
    ("CHQHCM", "Cục Hải quan TP. Hồ Chí Minh", UnitKind.DEPARTMENT, "TCHQ"),
]
EMPLOYEES = [
    {"employee_code": "NV001", "full_name": "Nguyễn Văn Đức", "unit_code": "DOI1", "person_id": "nv-0001",
     "position": "Công chức"},
    {"employee_code": "NV002", "full_name": "Trần Thị Lan", "unit_code": "CCHQNB", "person_id": "nv-0002",
     "position": "Phó Chi cục trưởng"},
    {"employee_code": "NV003", "full_name": "Lê Minh Đạt", "unit_code": "CHQHCM", "person_id": "nv-0003"},
]  # fmt: skip


def seed_org(conn: psycopg.Connection) -> None:
    for code, name, kind, parent in UNITS:
        create_unit(conn, code, name, kind, parent)
    report = import_employees(conn, EMPLOYEES)
    assert report.rejected == [] and report.inserted == len(EMPLOYEES)


def add_event(
    conn: psycopg.Connection, person_id: str, local: datetime, direction: str | None = None, device: str = "door-hq-01"
) -> uuid.UUID:
    """One `attendance_events` row as ingest stores it; `local` is a naive Hanoi wall-clock time."""
    ts = local.replace(tzinfo=HANOI)
    ensure_partitions(conn, ts - timedelta(days=2), ts + timedelta(days=2))
    event_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, liveness, model, direction)"
        " VALUES (%s, %s, %s, 1, %s, 0.81, 0.97, 'yunet-sface', %s)",
        (event_id, ts, device, person_id, direction),
    )
    return event_id
