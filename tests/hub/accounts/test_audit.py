"""The audit log commits and rolls back with the change it records, and its search filters as documented."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied, AuditQuery
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.devices.models import DeviceChanges
from hub.services import HubServices
from hub.timekeeping.engine import DayStatus
from tests.hub.conftest import PASSWORD


def test_an_audit_row_rolls_back_with_its_change(conn: psycopg.Connection, org: psycopg.Connection) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), conn.transaction():
        conn.execute("UPDATE employees SET position = 'x' WHERE employee_code = 'NV001'")
        audit.record(conn, Actor("someone"), "employee.update", "employee", "NV001", after={"position": "x"})
        raise Boom
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
    with conn.transaction():
        audit.record(conn, Actor("someone", None, "10.0.0.1"), "employee.update", "employee", "NV001")
    assert conn.execute("SELECT actor, client_ip FROM audit_log").fetchall() == [("someone", "10.0.0.1")]


def test_service_changes_write_their_audit_row_in_the_same_transaction(
    services: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    org.execute("INSERT INTO devices (device_id, kind) VALUES ('door-a-01', 'faceid')")
    services.devices.update(admin, "door-a-01", DeviceChanges(site="Nội Bài"), Actor.of(admin, "10.0.0.2"))
    stored = services.timekeeping.record_correction(
        admin, "NV001", day=date(2025, 11, 4), reason="Quên chấm công", status=DayStatus.PRESENT
    )
    with pytest.raises(Exception, match="has not begun"):
        services.timekeeping.record_correction(
            admin, "NV001", day=date(2999, 1, 1), reason="x", status=DayStatus.PRESENT
        )
    rows = org.execute("SELECT action, entity_id, actor, unit_path IS NOT NULL FROM audit_log ORDER BY id").fetchall()
    assert rows[-2:] == [("device.update", "door-a-01", "admin", False), ("correction.create", "NV001", "admin", True)]
    total, found = services.accounts.search_audit(admin, AuditQuery(action="correction.create"))
    assert total == 1 and found[0].after["reason"] == stored.correction.reason


def test_search_filters_and_escapes_like_patterns(conn: psycopg.Connection, org: psycopg.Connection) -> None:
    with conn.transaction():
        audit.record(conn, Actor("a"), "user.update", "user", 1, after={"note": "50% off_peak"})
        audit.record(conn, Actor("b"), "user.update", "user", 2, after={"note": "500 offpeak"})
        audit.record(conn, Actor("b"), "user.create", "user", 3, unit_path="/1/2/")
    assert audit.search(conn, AuditQuery(text="50%"))[0] == 1
    assert audit.search(conn, AuditQuery(text="off_peak"))[0] == 1
    assert audit.search(conn, AuditQuery(actor="b"))[0] == 2
    assert audit.search(conn, AuditQuery(action="user."))[0] == 3
    assert audit.search(conn, AuditQuery(action="user"))[0] == 0  # exact unless it ends with "."
    assert audit.search(conn, AuditQuery(entity="user", entity_id="3"))[0] == 1
    assert audit.search(conn, AuditQuery(), unit_paths=("/1/",))[0] == 1
    assert audit.search(conn, AuditQuery(), unit_paths=("/9/",))[0] == 0


def test_who_may_read_the_audit_log(services: HubServices, admin: Principal) -> None:
    services.accounts.create_user(
        admin, username="qt", password=PASSWORD, grants=[GrantSpec(Role.OFFICE_ADMIN, "CHQHN")]
    )
    services.accounts.create_user(admin, username="sep", password=PASSWORD, grants=[GrantSpec(Role.MANAGER, "TCHQ")])
    office = services.accounts.sign_in("qt", PASSWORD).principal
    manager = services.accounts.sign_in("sep", PASSWORD).principal
    assert services.accounts.search_audit(admin, AuditQuery())[0] >= 4
    seen = services.accounts.search_audit(office, AuditQuery())[1]
    assert seen and all(e.unit_path and e.unit_path.startswith(office.grants[0].unit_path or "") for e in seen)
    with pytest.raises(AccessDenied):
        services.accounts.search_audit(manager, AuditQuery())
