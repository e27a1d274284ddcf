"""Each domain service checks the rule book itself, whoever calls it (issue 13 item 2): a page, a
command or a tool that reaches a service without the API's route guard gets the same refusal, and
nothing is read or written. Real PostgreSQL, the services of hub.services.HubServices."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied, AuditQuery
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.devices.config import DesiredConfigChanges
from hub.devices.models import DeviceChanges
from hub.kiosk.models import KioskKind
from hub.people import access as people_access
from hub.reports.documents import ExportFormat
from hub.services import BiometricsUnavailable, HubServices
from hub.timekeeping.calendar import CalendarAdjustments
from hub.timekeeping.engine import DayStatus
from tests.hub.devices.sites import HCM_SITE, HN_SITE, seed_devices


def path_of(conn: psycopg.Connection, code: str) -> str:
    row = conn.execute("SELECT path FROM org_units WHERE code = %s", (code,)).fetchone()
    assert row is not None
    return str(row[0])


def person(conn: psycopg.Connection, role: Role, unit: str, employee_code: str | None = None) -> Principal:
    """Someone with `role` on `unit`, who is `employee_code` (when given); no account row (user id 0)."""
    employee_id, employee_path = None, None
    if employee_code is not None:
        row = conn.execute(
            "SELECT e.id, u.path FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s",
            (employee_code,),
        ).fetchone()
        assert row is not None
        employee_id, employee_path = int(row[0]), str(row[1])
    grants = (RoleGrant(role, path_of(conn, unit)),) if role is not Role.EMPLOYEE else ()
    return Principal(0, f"{role.value}-{unit}", "x", employee_id, employee_path, grants, employee_code=employee_code)


def corrections(conn: psycopg.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM timekeeping_corrections").fetchone()[0])  # type: ignore[index]


def test_timekeeping_checks_its_actions_for_every_caller(services: HubServices, org: psycopg.Connection) -> None:
    tk = services.timekeeping
    other_manager = person(org, Role.MANAGER, "CHQHCM")
    with pytest.raises(AccessDenied):
        tk.unit_timesheet(other_manager, "CHQHN", 2025, 11)
    with pytest.raises(AccessDenied):
        tk.unit_day(other_manager, "DOI1", date(2025, 11, 4))
    with pytest.raises(AccessDenied):
        tk.person_month(other_manager, "NV001", 2025, 11)
    with pytest.raises(AccessDenied):
        tk.record_correction(other_manager, "NV001", day=date(2025, 11, 4), reason="x", status=DayStatus.PRESENT)
    own_manager = person(org, Role.MANAGER, "CHQHN", employee_code="NV001")  # a manager of their own unit
    with pytest.raises(AccessDenied, match="chính mình"):
        tk.record_correction(own_manager, "NV001", day=date(2025, 11, 4), reason="x", status=DayStatus.PRESENT)
    assert corrections(org) == 0  # nothing written by a refusal
    employee = person(org, Role.EMPLOYEE, "DOI1", employee_code="NV001")
    assert tk.person_month(employee, "NV001", 2025, 11).staff.employee_code == "NV001"  # their own month
    assert tk.calendar_year(employee, 2026).year == 2026  # anyone signed in reads the calendar
    with pytest.raises(AccessDenied):
        tk.save_calendar(employee, CalendarAdjustments(year=2026))
    with pytest.raises(AccessDenied):
        tk.save_calendar(other_manager, CalendarAdjustments(year=2026))
    stored = tk.record_correction(
        own_manager, "NV002", day=date(2025, 11, 4), reason="Quên chấm công", status=DayStatus.PRESENT
    )
    assert stored.correction.author == own_manager.username and corrections(org) == 1


def test_reports_and_their_exports_check_the_unit_and_the_device_role(
    services: HubServices, org: psycopg.Connection
) -> None:
    reports = services.reports
    other_manager = person(org, Role.MANAGER, "CHQHCM")
    first, last = date(2025, 11, 1), date(2025, 11, 30)
    for refused in (
        lambda: reports.dashboard(other_manager, "CHQHN"),
        lambda: reports.day_presence(other_manager, "CCHQNB", first),
        lambda: reports.lateness(other_manager, "CHQHN", first, last),
        lambda: reports.absences(other_manager, "DOI1", first, last),
        lambda: reports.export_timesheet(other_manager, "CHQHN", 2025, 11, ExportFormat.XLSX),
        lambda: reports.export_presence(other_manager, "CHQHN", first, ExportFormat.PDF),
    ):
        with pytest.raises(AccessDenied):
            refused()
    employee = person(org, Role.EMPLOYEE, "DOI1", employee_code="NV001")
    with pytest.raises(AccessDenied):
        reports.offline_devices(employee)
    with pytest.raises(AccessDenied):
        reports.export_device_uptime(employee, datetime(2025, 11, 1, tzinfo=UTC), datetime(2025, 11, 2, tzinfo=UTC),
                                     ExportFormat.XLSX)  # fmt: skip
    own = reports.absences(person(org, Role.HR, "CHQHCM"), "CHQHCM", first, last)
    assert own.unit.code == "CHQHCM"


def test_biometrics_checks_the_persons_unit_before_it_needs_the_models(
    services: HubServices, org: psycopg.Connection
) -> None:
    """Refused on the rule book's answer alone (403), even on a hub process that runs no biometrics (503)."""
    nv001 = int(org.execute("SELECT id FROM employees WHERE employee_code = 'NV001'").fetchone()[0])  # type: ignore[index]
    outsider = person(org, Role.HR, "CHQHCM")
    actor = Actor.of(outsider)
    for refused in (
        lambda: services.biometrics.consents(outsider, nv001),
        lambda: services.biometrics.record_consent(outsider, nv001, "written_consent", actor),
        lambda: services.biometrics.photos(outsider, nv001),
        lambda: services.biometrics.add_photo(outsider, nv001, b"\xff\xd8", actor),
        lambda: services.biometrics.erase(outsider, nv001, actor),
        lambda: services.biometrics.erase(person(org, Role.MANAGER, "CHQHN"), nv001, actor),  # not an enroller
    ):
        with pytest.raises(AccessDenied):
            refused()
    with pytest.raises(BiometricsUnavailable):  # allowed: then it needs this process's biometrics
        services.biometrics.erase(person(org, Role.HR, "CHQHN"), nv001, actor)


def count(conn: psycopg.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]


def test_kiosk_links_check_the_doors_office_for_every_caller(services: HubServices, org: psycopg.Connection) -> None:
    """kiosk.manage_links: the role, then a door's office against the caller's offices (no route guard here)."""
    seed_devices(org)  # door-hn-01 at the Hà Nội office (CHQHN), door-hcm-01 at the HCM office (CHQHCM)
    kiosk = services.kiosk
    hcm_admin = person(org, Role.OFFICE_ADMIN, "CHQHCM")
    hn_admin = person(org, Role.OFFICE_ADMIN, "CHQHN")
    theirs = kiosk.make_link(hn_admin, KioskKind.TERMINAL, "door-hn-01", None, Actor.of(hn_admin))
    for refused in (
        lambda: kiosk.make_link(hcm_admin, KioskKind.TERMINAL, "door-hn-01", None, Actor.of(hcm_admin)),
        lambda: kiosk.revoke_link(hcm_admin, theirs.link.id, Actor.of(hcm_admin)),
        lambda: kiosk.links(person(org, Role.HR, "CHQHN")),  # no device role at all
        lambda: kiosk.make_link(person(org, Role.MANAGER, "CHQHN"), KioskKind.ROOM, "phong-1", None, Actor("x")),
    ):
        with pytest.raises(AccessDenied):
            refused()
    assert count(org, "kiosk_links") == 1 and kiosk.admits(KioskKind.TERMINAL, "door-hn-01", theirs.key)
    assert [link.id for link in kiosk.links(hcm_admin)] == []  # not the Hà Nội door's link


def test_devices_check_the_devices_office_for_every_caller(services: HubServices, org: psycopg.Connection) -> None:
    """devices.view / change / command / enrollment_token on the device's office, whoever calls; a refusal
    reads and writes nothing (and comes before asking for this process's broker or biometrics)."""
    seed_devices(org)
    devices = services.devices
    hcm_admin = person(org, Role.OFFICE_ADMIN, "CHQHCM")
    manager = person(org, Role.MANAGER, "CHQHN")  # no device role
    day = timedelta(days=1)
    for refused in (
        lambda: devices.detail(hcm_admin, "door-hn-01"),
        lambda: devices.update(hcm_admin, "door-hn-01", DeviceChanges(room="Cổng phụ")),
        lambda: devices.update(hcm_admin, "door-hcm-01", DeviceChanges(site=HN_SITE)),  # into another's office
        lambda: devices.telemetry(hcm_admin, "door-hn-01"),
        lambda: devices.send_command(hcm_admin, "door-hn-01", "reboot", {}, 60),
        lambda: devices.commands(hcm_admin, "door-hn-01"),
        lambda: devices.config_state(hcm_admin, "door-hn-01"),
        lambda: devices.update_config(hcm_admin, "door-hn-01", DesiredConfigChanges(cooldown_s=5), Actor("x")),
        lambda: devices.create_enrollment_token(hcm_admin, "door-hn-09", "faceid", HN_SITE, None, Actor("x"), day),
        lambda: devices.create_enrollment_token(hcm_admin, "door-hn-01", "faceid", HCM_SITE, None, Actor("x"), day),
        lambda: devices.find(manager),
        lambda: devices.sites(manager),
        lambda: devices.detail(manager, "door-hn-01"),
    ):
        with pytest.raises(AccessDenied):
            refused()
    assert devices.list_devices(manager) == []  # the start page: nothing to list
    assert count(org, "enrollment_tokens") == 0 and count(org, "device_commands") == 0
    assert org.execute("SELECT site, room FROM devices WHERE device_id = 'door-hcm-01'").fetchone() == (HCM_SITE, None)
    assert [d.device_id for d in devices.find(hcm_admin)[1]] == ["door-hcm-01"]
    with pytest.raises(BiometricsUnavailable):  # allowed on their own door: then it needs the biometrics
        devices.config_state(hcm_admin, "door-hcm-01")


def test_offices_check_their_actions_for_every_caller(services: HubServices, org: psycopg.Connection) -> None:
    """offices.view for device admins over their offices; offices.assign_units a system admin's alone."""
    seed_devices(org)
    offices = services.offices
    hn_admin = person(org, Role.OFFICE_ADMIN, "CHQHN")
    with pytest.raises(AccessDenied):
        offices.offices(person(org, Role.HR, "CHQHN"))  # no device role
    for refused in (
        lambda: offices.set_site_units(hn_admin, HCM_SITE, ["CHQHN"], Actor.of(hn_admin)),  # another unit's office
        lambda: offices.set_site_units(hn_admin, HN_SITE, ["CHQHN", "CCHQNB"], Actor.of(hn_admin)),  # even their own
    ):
        with pytest.raises(AccessDenied):
            refused()
    assert offices.site_units(HCM_SITE) == ["CHQHCM"] and offices.site_units(HN_SITE) == ["CHQHN"]  # unchanged
    assert [o.site for o in offices.offices(hn_admin)] == [HN_SITE]


def test_people_look_ups_and_the_import_check_their_actions_for_every_caller(
    services: HubServices, org: psycopg.Connection
) -> None:
    """people.view_person / list / import in the service: a page or a tool that calls it without the route
    guard gets the rule book's answer, and a refused import writes nothing."""
    people = services.people
    employee = person(org, Role.EMPLOYEE, "DOI1", employee_code="NV001")
    outsider = person(org, Role.MANAGER, "CHQHCM")
    hn_manager = person(org, Role.MANAGER, "CHQHN")
    before = count(org, "employees"), count(org, "audit_log")
    moved = [{"employee_code": "NV003", "full_name": "Lê Minh Đạt", "unit_code": "DOI1", "person_id": "nv-0003"}]
    for refused in (
        lambda: people.employee(employee, "NV002"),  # another person's record
        lambda: people.employee(outsider, "NV001"),  # outside their units
        lambda: people.find_employees(employee),  # no staff list for a plain employee
        lambda: people.find_employees(outsider, unit_code="CHQHN"),
        lambda: people.positions(employee),
        lambda: people.positions(outsider, "CHQHN"),
        lambda: people.org_tree(outsider, "CHQHN"),
        lambda: people.read_upload(hn_manager, "ds.csv", b"employee_code,full_name\n"),  # not HR
        lambda: people.import_employees(hn_manager, moved, actor=Actor.of(hn_manager)),  # not HR
        lambda: people.import_employees(person(org, Role.HR, "CHQHN"), moved),  # HR, but NV003 is in CHQHCM
        lambda: people.authorize(outsider, people_access.VIEW_PERSON, employee_code="NV001"),
    ):
        with pytest.raises(AccessDenied):
            refused()
    assert (count(org, "employees"), count(org, "audit_log")) == before
    assert org.execute("SELECT u.code FROM employees e JOIN org_units u ON u.id = e.unit_id"
                       " WHERE e.employee_code = 'NV003'").fetchone() == ("CHQHCM",)  # fmt: skip
    assert people.employee(employee, "NV001").employee_code == "NV001"  # their own record
    assert people.unit(employee, "CHQHCM").code == "CHQHCM"  # a unit by code: anyone signed in
    assert people.units(employee, people_access.LIST) == []  # a page's pick list: nothing
    assert [u.code for u in people.units(hn_manager, people_access.LIST)] == ["CHQHN", "CCHQNB", "DOI1"]
    assert sorted(e.employee_code for e in people.find_employees(hn_manager)[1]) == ["NV001", "NV002"]
    assert [n.unit.code for n in people.org_tree(employee)] == ["DOI1"]  # their own unit


def test_accounts_and_ingest_figures_check_their_actions_for_every_caller(
    services: HubServices, org: psycopg.Connection
) -> None:
    """accounts.manage_users, audit.read, ingest.stats and ingest.rejects in the services themselves."""
    manager = person(org, Role.MANAGER, "CHQHN")
    office_admin = person(org, Role.OFFICE_ADMIN, "CHQHN")
    accounts, figures = services.accounts, services.ingest_figures
    users = count(org, "users")
    for refused in (
        lambda: accounts.find_users(manager),
        lambda: accounts.get_user(manager, 12345),  # someone else's account
        lambda: accounts.create_user(manager, username="moi", password="mat-khau-dai-du-1", employee_code="NV001"),
        lambda: accounts.update_user(manager, 12345, disabled=True),
        lambda: accounts.add_grant(manager, 12345, Role.HR, "DOI1"),
        lambda: accounts.remove_grant(manager, 12345, 1),
        lambda: accounts.reset_password(manager, 12345, "mat-khau-dai-du-1"),
        lambda: accounts.search_audit(manager, AuditQuery()),
        lambda: figures.stats(manager),
        lambda: figures.recent_rejects(office_admin, 10, 1024),  # raw payloads: the system admin's alone
    ):
        with pytest.raises(AccessDenied):
            refused()
    assert count(org, "users") == users
    assert set(figures.stats(office_admin)) == {"accepted", "duplicates", "rejected"}  # the home page's counters
    assert accounts.find_users(office_admin)[0] == 0
    assert figures.health().database == "ok"  # public
