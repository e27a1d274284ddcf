"""Opening a snapshot is for those who may see the person (or the door), and every opening is in the audit log
with the viewer, the event and the person; a refused opening shows nothing and writes nothing."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.devices.repository import register_device
from hub.passwords import hash_secret
from hub.snapshots.service import SnapshotService, UnknownSnapshot
from hub.snapshots.store import SnapshotStore
from tests.hub.snapshots.conftest import face_event, face_jpeg, ingest, unknown_face_event


def _unit_path(conn: psycopg.Connection, code: str) -> str:
    return conn.execute("SELECT path FROM org_units WHERE code = %s", (code,)).fetchone()[0]


def _employee_id(conn: psycopg.Connection, code: str) -> int:
    return conn.execute("SELECT id FROM employees WHERE employee_code = %s", (code,)).fetchone()[0]


def _opened(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT actor, entity, entity_id, unit_path, after->>'person', after->>'device_id', client_ip FROM audit_log"
        " WHERE action = 'snapshot.open' ORDER BY id"
    ).fetchall()


def _principal(username: str, *grants: RoleGrant, employee_id: int | None = None) -> Principal:
    return Principal(7, username, username, employee_id, None, grants)


def test_opening_an_attendance_snapshot_writes_who_opened_which_event_of_whom(
    database_url: str, org: psycopg.Connection, store: SnapshotStore, snapshots: SnapshotService
) -> None:
    face = face_jpeg(1)
    event = face_event("nv-0001", face)  # NV001, of DOI1 under CCHQNB
    ingest(database_url, store, event)
    event_id = uuid.UUID(event["id"])
    hr_nb = _principal("hr-noibai", RoleGrant(Role.HR, _unit_path(org, "CCHQNB")))

    opened = snapshots.open(hr_nb, "attendance", event_id, Actor("hr-noibai", None, "10.0.0.7"))

    assert opened.jpeg == face and opened.employee_code == "NV001"
    assert _opened(org) == [
        ("hr-noibai", "attendance_event", str(event_id), _unit_path(org, "DOI1"), "NV001", "door-hq-01", "10.0.0.7")
    ]
    myself = _principal("nv001", employee_id=_employee_id(org, "NV001"))  # the person may see their own
    assert snapshots.open(myself, "attendance", event_id, Actor("nv001")).jpeg == face
    assert len(_opened(org)) == 2


def test_a_viewer_without_the_right_sees_nothing_and_nothing_is_written(
    database_url: str, org: psycopg.Connection, store: SnapshotStore, snapshots: SnapshotService
) -> None:
    event = face_event("nv-0001", face_jpeg(1))
    ingest(database_url, store, event)
    hr_hcm = _principal("hr-hcm", RoleGrant(Role.HR, _unit_path(org, "CHQHCM")))  # another Cục
    colleague = _principal("nv002", employee_id=_employee_id(org, "NV002"))
    for viewer in (hr_hcm, colleague):
        with pytest.raises(AccessDenied, match="see the face snapshot"):
            snapshots.open(viewer, "attendance", uuid.UUID(event["id"]), Actor(viewer.username))
    with pytest.raises(UnknownSnapshot, match="no stored event"):
        snapshots.open(hr_hcm, "attendance", uuid.uuid4(), Actor("hr-hcm"))
    assert _opened(org) == []


def test_an_unknown_face_is_for_the_office_admins_of_its_door(
    database_url: str, org: psycopg.Connection, store: SnapshotStore, snapshots: SnapshotService
) -> None:
    register_device(org, "door-nb-01", "door-nb-01", hash_secret("not-used-here"), kind="faceid", site="Nội Bài")
    org.execute(
        "INSERT INTO site_units (site, unit_id, added_by) SELECT 'Nội Bài', id, 'test' FROM org_units"
        " WHERE code = 'CCHQNB'"
    )
    stranger = face_jpeg(9)
    event = unknown_face_event("door-nb-01", stranger)
    ingest(database_url, store, event)
    event_id = uuid.UUID(event["id"])
    admin_hn = _principal("admin-hanoi", RoleGrant(Role.OFFICE_ADMIN, _unit_path(org, "CHQHN")))
    hr_nb = _principal("hr-noibai", RoleGrant(Role.HR, _unit_path(org, "CCHQNB")))

    with pytest.raises(AccessDenied, match="Nội Bài"):
        snapshots.open(hr_nb, "unknown_face", event_id, Actor("hr-noibai"))
    assert snapshots.open(admin_hn, "unknown_face", event_id, Actor("admin-hanoi")).jpeg == stranger
    assert _opened(org) == [
        ("admin-hanoi", "unknown_face", str(event_id), _unit_path(org, "CCHQNB"), None, "door-nb-01", None)
    ]
