"""Units change and history holds: a rename and a merge keep the unit every earlier record was made in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.galleries.offices import site_units
from hub.org import repository
from hub.org.models import InvalidOrgChange, NewUnit, OrgConflict, UnitNotFound
from hub.org.service import LOCAL_TZ, OrgService
from tests.hub.devices.sites import map_sites
from tests.hub.org.conftest import ACTOR, ADMIN, START
from tests.hub.orgdata import add_event


def _unit_at(conn: psycopg.Connection, event_id: object) -> str:
    row = conn.execute(
        "SELECT u.code FROM attendance_event_units a JOIN org_units u ON u.id = a.unit_id WHERE a.event_id = %s",
        (event_id,),
    ).fetchone()
    assert row is not None
    return row[0]


def test_history_is_kept_across_a_rename_and_a_merge(current_org: OrgService, conn: psycopg.Connection) -> None:
    map_sites(conn, {"Trụ sở Nội Bài": ["DOIA", "NB"]})  # the door that knows DOIA's people
    before = add_event(conn, "p-1", datetime(2026, 5, 11, 7, 55))  # in DOIA, under its first name
    renamed = current_org.rename(ADMIN, ACTOR, "DOIA", "Đội Kiểm soát hải quan số 1", date(2026, 6, 1))
    assert renamed.unit.name == "Đội Kiểm soát hải quan số 1"
    between = add_event(conn, "p-2", datetime(2026, 6, 5, 8, 1))
    merged = current_org.merge(ADMIN, ACTOR, "DOIA", "DOIB", date(2026, 6, 10))
    assert merged.moved_employees == ("E1", "E2")
    after = add_event(conn, "p-1", datetime(2026, 6, 12, 8, 0))

    # records made before keep their unit; later ones are the successor's
    assert _unit_at(conn, before) == "DOIA" and _unit_at(conn, between) == "DOIA"
    assert _unit_at(conn, after) == "DOIB"
    assert current_org.unit_of_person_at("p-1", datetime(2026, 6, 9, 23, 59, tzinfo=LOCAL_TZ)).code == "DOIA"
    assert current_org.unit_of_person_at("p-1", datetime(2026, 6, 10, 0, 0, tzinfo=LOCAL_TZ)).code == "DOIB"
    assert current_org.unit_of_person_at("nobody", datetime(2026, 6, 10, tzinfo=LOCAL_TZ)) is None
    periods = current_org.employee_periods("E1")
    assert [(p.unit_code, p.valid_to) for p in periods] == [
        ("DOIA", datetime(2026, 6, 10, tzinfo=LOCAL_TZ)),
        ("DOIB", None),
    ]

    # the unit's names over time, and the name it had on a day
    detail = current_org.detail(ADMIN, "DOIA")
    assert [(v.name, v.valid_from, v.valid_to) for v in detail.versions] == [
        ("Đội Kiểm soát hải quan", START, date(2026, 6, 1)),
        ("Đội Kiểm soát hải quan số 1", date(2026, 6, 1), date(2026, 6, 10)),
    ]
    assert detail.unit.valid_to == date(2026, 6, 10) and detail.unit.successor_code == "DOIB"
    assert repository.version_at(conn, detail.unit.id, date(2026, 5, 11)).name == "Đội Kiểm soát hải quan"
    assert [p.code for p in current_org.detail(ADMIN, "DOIB").predecessors] == ["DOIA"]

    # the current tree leaves the merged unit out; the history keeps it
    assert "DOIA" not in {u.code for u in current_org.units(ADMIN)}
    assert "DOIA" in {u.code for u in current_org.units(ADMIN, include_closed=True)}
    with pytest.raises(OrgConflict, match="đã giải thể.*/ unit DOIA was closed"):
        current_org.rename(ADMIN, ACTOR, "DOIA", "Đội mới")

    assert sorted(site_units(conn, "Trụ sở Nội Bài")) == ["DOIB", "NB"]  # the door now knows DOIB's people
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE entity_id IN ('DOIA') ORDER BY id")]
    assert actions == ["org_unit.create", "org_unit.rename", "org_unit.merge"]
    moved = conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'employee.update' AND after->>'unit_code' = 'DOIB'"
    ).fetchone()
    assert moved == (2,)


def test_a_move_keeps_the_old_parent_in_the_history(current_org: OrgService, conn: psycopg.Connection) -> None:
    moved = current_org.move(ADMIN, ACTOR, "NB", "KV2", date(2026, 6, 2))
    assert moved.unit.parent_code == "KV2"
    assert [(v.parent_code, v.valid_to) for v in current_org.detail(ADMIN, "NB").versions] == [
        ("KV1", date(2026, 6, 2)),
        ("KV2", None),
    ]
    kv2 = repository.unit_by_code(conn, "KV2")
    assert moved.unit.path.startswith(kv2.path)
    with pytest.raises(InvalidOrgChange, match="own sub-unit"):
        current_org.move(ADMIN, ACTOR, "KV1", "DOIA")
    with pytest.raises(InvalidOrgChange, match="cannot sit under"):
        current_org.move(ADMIN, ACTOR, "NB", "CHQ")  # a border gate belongs to a regional branch


def test_refusals_change_nothing(current_org: OrgService, conn: psycopg.Connection) -> None:
    def snapshot() -> list[tuple]:
        return conn.execute(
            "SELECT (SELECT count(*) FROM org_units), (SELECT count(*) FROM org_unit_versions),"
            " (SELECT count(*) FROM audit_log), (SELECT count(*) FROM employee_unit_history)"
        ).fetchall()

    was = snapshot()
    refusals = [
        (OrgConflict, "already taken", lambda: current_org.create(ADMIN, ACTOR, NewUnit("KV1", "X", "team", "KV2"))),
        (InvalidOrgChange, "cannot sit under",
         lambda: current_org.create(ADMIN, ACTOR, NewUnit("X1", "X", "border_gate", "CHQ"))),
        (InvalidOrgChange, "not in force",
         lambda: current_org.create(ADMIN, ACTOR, NewUnit("X2", "Chi cục cũ", "branch", "CHQ"))),
        (InvalidOrgChange, "needs a parent", lambda: current_org.create(ADMIN, ACTOR, NewUnit("X3", "X", "team"))),
        (InvalidOrgChange, "no unit kind", lambda: current_org.create(ADMIN, ACTOR, NewUnit("X4", "X", "vu", "CHQ"))),
        (InvalidOrgChange, "not valid", lambda: current_org.create(ADMIN, ACTOR, NewUnit("a b", "X", "team", "KV1"))),
        (InvalidOrgChange, "needs a name", lambda: current_org.rename(ADMIN, ACTOR, "DOIC", "   ")),
        (InvalidOrgChange, "in the future",
         lambda: current_org.rename(ADMIN, ACTOR, "DOIC", "Đội", date(2026, 6, 16))),
        (InvalidOrgChange, "exists only from",
         lambda: current_org.rename(ADMIN, ACTOR, "DOIC", "Đội", date(2025, 1, 1))),
        (OrgConflict, "still has sub-units", lambda: current_org.close(ADMIN, ACTOR, "KV1")),
        (InvalidOrgChange, "merge into itself or its own sub-unit",
         lambda: current_org.merge(ADMIN, ACTOR, "KV2", "DOIC")),
        (InvalidOrgChange, "cannot sit under the Division", lambda: current_org.merge(ADMIN, ACTOR, "KV1", "PH")),
        (UnitNotFound, "no org unit", lambda: current_org.close(ADMIN, ACTOR, "NOPE")),
    ]  # fmt: skip
    current_org.create(ADMIN, ACTOR, NewUnit("PH", "Phòng Tổng hợp", "division", "KV2", START))
    was = snapshot()
    for error, text, attempt in refusals:
        with pytest.raises(error, match=text):
            attempt()
    assert snapshot() == was


def test_close_needs_an_empty_unit(current_org: OrgService, conn: psycopg.Connection) -> None:
    with pytest.raises(OrgConflict, match="still has 1 employees"):
        current_org.close(ADMIN, ACTOR, "DOIB")
    closed = current_org.close(ADMIN, ACTOR, "DOIC", date(2026, 6, 15))
    assert closed.unit.valid_to == date(2026, 6, 15) and closed.unit.successor_code is None
    assert "DOIC" not in {u.code for u in current_org.units(ADMIN)}


def test_an_office_admin_changes_only_units_below_their_own(current_org: OrgService, conn: psycopg.Connection) -> None:
    kv1 = repository.unit_by_code(conn, "KV1")
    office = Principal(9, "qt-kv1", "Quản trị KV1", None, None, (RoleGrant(Role.OFFICE_ADMIN, kv1.path),))
    actor = Actor("qt-kv1")
    made = current_org.create(office, actor, NewUnit("DOID", "Đội mới", "team", "KV1"))
    assert made.unit.parent_code == "KV1"
    current_org.rename(office, actor, "DOID", "Đội Giám sát")
    for attempt in (
        lambda: current_org.rename(office, actor, "KV1", "Chi cục khác"),  # their own unit: its reach
        lambda: current_org.create(office, actor, NewUnit("DOIE", "Đội", "team", "KV2")),
        lambda: current_org.create(office, actor, NewUnit("CHQ2", "Cục", "customs_department")),
        lambda: current_org.move(office, actor, "DOID", "KV2"),
        lambda: current_org.merge(office, actor, "DOID", "DOIC"),
    ):
        with pytest.raises(AccessDenied, match="không có quyền"):
            attempt()
    hr = Principal(10, "hr", "HR", None, None, (RoleGrant(Role.HR, kv1.path),))
    with pytest.raises(AccessDenied):
        current_org.rename(hr, actor, "DOID", "X")
    assert [u.code for u in current_org.units(office)][0] == "KV1"  # they see their subtree only


def test_kinds_are_data_with_seals_and_offices(current_org: OrgService) -> None:
    kinds = {k.code: k for k in current_org.kinds()}
    assert kinds["customs_department"].is_root and kinds["regional_branch"].has_seal
    assert kinds["border_gate"].is_office and not kinds["division"].has_seal
    assert kinds["general_department"].valid_to == date(2025, 3, 1)
    unit = current_org.detail(ADMIN, "KV1").unit
    assert unit.has_seal and unit.is_office
    assert not current_org.detail(ADMIN, "VP").unit.has_seal


def test_a_unit_of_person_at_time_t_is_a_database_function(current_org: OrgService, conn: psycopg.Connection) -> None:
    current_org.merge(ADMIN, ACTOR, "DOIB", "DOIA", date(2026, 6, 15))
    at = datetime(2026, 6, 14, 12, tzinfo=LOCAL_TZ)
    code = conn.execute("SELECT code FROM org_units WHERE id = cces_unit_of_person_at('p-3', %s)", (at,)).fetchone()
    assert code == ("DOIB",)
    later = conn.execute(
        "SELECT code FROM org_units WHERE id = cces_unit_of_person_at('p-3', %s)", (at + timedelta(days=1),)
    ).fetchone()
    assert later == ("DOIA",)
