"""What `cces demo` puts in a hub so that it shows a living system — and only the demo calls this.

A realistic organisation of the structure since 2025-03-01 (Cục Hải quan with four central units and
three Chi cục Hải quan khu vực with their border-gate offices, teams and a division), 60 employees with
Vietnamese names on two schedules, two doors (the demo's simulated agent and a second registered one),
the offices those doors serve, and a week of attendance events up to now, written by the ingest's own
repository (`store_batch`: the path a device's events take after the broker).

Everything goes through the hub's services (audited as actor 'demo') and the hub is marked as demo
data (`demo_seed`: the /org page says so). Idempotent: units and people are added once (a hub already
marked keeps what it has, even if changed since); attendance events have stable ids, so a second run
adds only the days and hours that have passed since. Then the office work of cces.demo_office (leave,
documents, meetings, assets, reports), once.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.ingest import repository as ingest_repo
from hub.org import repository as org_repo
from hub.org.models import NewUnit
from hub.org.service import LOCAL_TZ
from hub.services import HubServices
from hub.timekeeping import repository as timekeeping_repo
from hub.timekeeping.schedule import WorkSchedule

VERSION = 1
START = date(2025, 3, 1)  # the structure's first day
DEMO = Principal.tool("demo", "Trình diễn / demo")
ACTOR = Actor("demo")
NAMESPACE = uuid.UUID("4f1c2d9e-7a35-4b8e-9d21-3c0e5a7b6f10")  # the demo's events' ids

#: (code, name, kind, parent)
UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    ("CHQ", "Cục Hải quan", "customs_department", None),
    ("CHQ-VP", "Văn phòng Cục", "central_unit", "CHQ"),
    ("CHQ-TCCB", "Ban Tổ chức cán bộ", "central_unit", "CHQ"),
    ("CHQ-NVTHQ", "Ban Nghiệp vụ thuế hải quan", "central_unit", "CHQ"),
    ("CHQ-QLRR", "Ban Quản lý rủi ro", "central_unit", "CHQ"),
    ("KV1", "Chi cục Hải quan khu vực I", "regional_branch", "CHQ"),
    ("KV1-NB", "Hải quan cửa khẩu Sân bay quốc tế Nội Bài", "border_gate", "KV1"),
    ("KV1-BD", "Hải quan Bắc Hà Nội", "border_gate", "KV1"),
    ("KV1-KS", "Đội Kiểm soát hải quan", "team", "KV1"),
    ("KV1-TH", "Phòng Tổng hợp", "division", "KV1"),
    ("KV2", "Chi cục Hải quan khu vực II", "regional_branch", "CHQ"),
    ("KV2-TSN", "Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất", "border_gate", "KV2"),
    ("KV2-CL", "Hải quan cửa khẩu cảng Sài Gòn khu vực I (Cát Lái)", "border_gate", "KV2"),
    ("KV2-KS", "Đội Kiểm soát chống buôn lậu", "team", "KV2"),
    ("KV3", "Chi cục Hải quan khu vực III", "regional_branch", "CHQ"),
    ("KV3-HP", "Hải quan cửa khẩu cảng Hải Phòng khu vực I", "border_gate", "KV3"),
    ("KV3-DV", "Hải quan cửa khẩu cảng Đình Vũ", "border_gate", "KV3"),
    ("KV3-KS", "Đội Kiểm soát hải quan", "team", "KV3"),
)
#: unit → (people, the position of the first of them)
STAFF: dict[str, tuple[int, str]] = {
    "CHQ": (2, "Cục trưởng"), "CHQ-VP": (4, "Chánh Văn phòng"), "CHQ-TCCB": (3, "Trưởng ban"),
    "CHQ-NVTHQ": (3, "Trưởng ban"), "CHQ-QLRR": (3, "Trưởng ban"),
    "KV1": (2, "Chi cục trưởng"), "KV1-NB": (6, "Đội trưởng"), "KV1-BD": (4, "Đội trưởng"),
    "KV1-KS": (4, "Đội trưởng"), "KV1-TH": (3, "Trưởng phòng"),
    "KV2": (2, "Chi cục trưởng"), "KV2-TSN": (5, "Đội trưởng"), "KV2-CL": (4, "Đội trưởng"),
    "KV2-KS": (3, "Đội trưởng"),
    "KV3": (2, "Chi cục trưởng"), "KV3-HP": (4, "Đội trưởng"), "KV3-KS": (3, "Đội trưởng"),
    "KV3-DV": (3, "Đội trưởng"),
}  # fmt: skip
#: the two doors: the simulated agent's (cces.demo) and one more; the offices they serve
DOORS = {"demo-door-01": ("Trụ sở Cục Hải quan và Chi cục khu vực I", ["CHQ-VP", "CHQ-TCCB", "CHQ-NVTHQ",
                                                                       "CHQ-QLRR", "KV1"]),
         "demo-door-02": ("Trụ sở Chi cục khu vực II và III", ["KV2", "KV3"])}  # fmt: skip
BORDER_SHIFT = WorkSchedule(
    code="CA-CK",
    name="Ca cửa khẩu (07:00–15:30)",
    start=time(7, 0),
    end=time(15, 30),
    lunch_start=time(11, 30),
    lunch_end=time(12, 0),
    check_in_opens=time(4, 0),
    check_in_closes=time(14, 0),
    check_out_opens=time(7, 30),
    check_out_closes=time(23, 0),
    late_grace_minutes=5,
    early_leave_grace_minutes=5,
)
_SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
_MEN = ("Văn Đức Minh Quang Hữu Thành Công", "Hùng Dũng Tuấn Nam Long Hải Sơn Khoa Bình Phúc Quân Thắng Hiếu Đạt")
_WOMEN = ("Thị Thu Ngọc Thanh Mai Bích Kim", "Lan Hoa Hương Trang Linh Hà Ngân Thảo Yến Nhung Huyền Phương")


@dataclass(frozen=True)
class SeedReport:
    units: int
    employees: int
    events: int
    already: bool  # the hub was marked as demo data before this run
    office: dict[str, int] = field(default_factory=dict)  # cces.demo_office: records added per part by this run
    password: str | None = None  # the leaders' accounts' password (cces.demo_office), when this run made them
    office_failed: dict[str, str] = field(default_factory=dict)  # cces.demo_office: parts that failed, and why


def _names(count: int) -> list[str]:
    rng = random.Random(2025)
    names: list[str] = []
    while len(names) < count:
        middles, givens = _MEN if rng.random() < 0.55 else _WOMEN
        name = f"{rng.choice(_SURNAMES)} {rng.choice(middles.split())} {rng.choice(givens.split())}"
        if name not in names:
            names.append(name)
    return names


def employees() -> list[dict[str, Any]]:
    """The demo's staff rows, as an HR file would give them (person ids nv-0001…, the agent's)."""
    total = sum(n for n, _ in STAFF.values())
    names = iter(_names(total))
    rows, number = [], 0
    for unit, (count, head) in STAFF.items():
        border = dict((c, k) for c, _, k, _ in UNITS)[unit] == "border_gate"
        for i in range(count):
            number += 1
            rows.append({
                "employee_code": f"CB{number:04d}", "full_name": next(names), "unit_code": unit,
                "person_id": f"nv-{number:04d}", "position": head if i == 0 else "Công chức hải quan",
                "schedule_code": BORDER_SHIFT.code if border and i > 0 else "HC",
            })  # fmt: skip
    return rows


def _door_of(unit: str) -> str:
    return "demo-door-02" if unit.startswith(("KV2", "KV3")) else "demo-door-01"


def attendance(now: datetime, days: int = 7) -> list[tuple[Any, ...]]:
    """A week of check-ins and check-outs up to `now` (working days; some late, a few absent or without a
    check-out), as ingest rows with stable ids."""
    local_now = now.astimezone(LOCAL_TZ)
    rows: list[tuple[Any, ...]] = []
    staff = employees()
    for back in range(days - 1, -1, -1):
        day = local_now.date() - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        rng = random.Random(f"cces-demo-{day.isoformat()}")
        for n, person in enumerate(staff):
            shift = BORDER_SHIFT if person["schedule_code"] == BORDER_SHIFT.code else None
            start, end = (shift.start, shift.end) if shift else (time(8, 0), time(17, 0))
            roll = rng.random()
            if roll < 0.05:
                continue  # absent
            late = roll < 0.2
            arrive = datetime.combine(day, start, LOCAL_TZ) + timedelta(
                minutes=rng.randint(8, 40) if late else rng.randint(-25, 4), seconds=rng.randint(0, 59)
            )
            leave = datetime.combine(day, end, LOCAL_TZ) + timedelta(minutes=rng.randint(0, 45))
            door = _door_of(person["unit_code"])
            for direction, at in (("in", arrive), ("out", leave)):
                if at > local_now or (direction == "out" and rng.random() < 0.04):
                    continue
                key = f"{person['person_id']}/{day.isoformat()}/{direction}"
                seq = day.toordinal() * 1000 + n * 2 + (direction == "out")
                score = round(0.62 + rng.random() * 0.3, 3)
                rows.append((uuid.uuid5(NAMESPACE, key), at, door, seq, person["person_id"], score,
                             round(0.9 + rng.random() * 0.09, 3), "yunet-sface", direction, None))  # fmt: skip
    return rows


def seed_demo(services: HubServices, now: datetime | None = None) -> SeedReport:
    """Seed (or top up) the demo organisation, people, doors and attendance; see the module."""
    from hub.devices.repository import register_device
    from hub.passwords import hash_secret

    now = now or services.now()
    with services.pool.connection() as conn:
        already = org_repo.demo_seeded(conn)
    units = staff = 0
    if not already:
        existing = {u.code for u in services.org.units(DEMO, include_closed=True)}
        for code, name, kind, parent in UNITS:
            if code not in existing:
                services.org.create(DEMO, ACTOR, NewUnit(code, name, kind, parent, START))
                units += 1
        with services.pool.connection() as conn, conn.transaction():
            timekeeping_repo.ensure_schedule(conn, BORDER_SHIFT)
        report = services.people.import_employees(DEMO, employees(), actor=ACTOR)
        staff = report.inserted
        known = {d.device_id for d in services.devices.list_devices(DEMO)}
        for device_id, (site, unit_codes) in DOORS.items():
            if device_id not in known:  # the agent's door gets fresh credentials when the demo starts it (cces.demo)
                with services.pool.connection() as conn:
                    register_device(conn, device_id, f"dev-{device_id}", hash_secret(uuid.uuid4().hex),
                                    kind="faceid", site=site, rotate=True)  # fmt: skip
            services.offices.set_site_units(DEMO, site, unit_codes, ACTOR)
    rows = attendance(now)
    events = 0
    with services.pool.connection() as conn:
        if rows:
            ingest_repo.ensure_partitions(conn, min(r[1] for r in rows), max(r[1] for r in rows))
        batch = ingest_repo.BatchRows.empty()
        batch.attendance = rows
        events = ingest_repo.store_batch(conn, "cces-demo", batch).accepted
        with conn.transaction():
            summary = {"units": len(UNITS), "employees": len(employees()), "doors": sorted(DOORS)}
            org_repo.mark_demo(conn, VERSION, summary)
    from cces.demo_office import seed_office  # the office work: leave, documents, meetings, assets, reports

    office = seed_office(services, now)
    return SeedReport(units, staff, events, already, office.added, office.password, office.failed)
