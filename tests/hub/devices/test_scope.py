"""Devices scoped to org units through their office (thiết bị theo đơn vị), at the service level, over a
real database with real accounts: who reaches which office, the SQL filter of the fleet, and refusals
that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.devices import repository
from hub.devices.models import DeviceChanges
from hub.devices.service import UnknownDevice
from hub.services import HubServices
from tests.hub.conftest import PASSWORD
from tests.hub.devices.sites import ALL_DEVICES, HCM_SITE, HN_DEVICES, HN_SITE, UNMAPPED_SITE, seed_devices


class People:
    """Real accounts, signed in through the accounts service: `people.principal("qt-hn", (role, unit))`."""

    def __init__(self, services: HubServices, admin: Principal) -> None:
        self.services = services
        self.admin = admin

    def principal(self, username: str, *grants: tuple[Role, str | None]) -> Principal:
        self.services.accounts.create_user(
            self.admin, username=username, password=PASSWORD, grants=[GrantSpec(r, u) for r, u in grants]
        )
        return self.services.accounts.sign_in(username, PASSWORD).principal


@pytest.fixture(autouse=True)
def offices(org: psycopg.Connection) -> None:
    seed_devices(org)


@pytest.fixture
def people(services: HubServices, admin: Principal) -> People:
    return People(services, admin)


def test_the_offices_a_role_reaches_are_those_mapped_inside_its_subtrees(services: HubServices, people: People) -> None:
    assert services.devices.scope(people.admin).sites is None  # a system admin: every device
    hn = people.principal("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    assert services.devices.scope(hn).sites == {HN_SITE}
    top = people.principal("qt-tchq", (Role.OFFICE_ADMIN, "TCHQ"))
    assert services.devices.scope(top).sites == {HN_SITE, HCM_SITE}  # never the unmapped office
    # a Chi cục's admin: the Cục's office serves a unit above theirs, not inside their subtree
    branch = people.principal("qt-nb", (Role.OFFICE_ADMIN, "CCHQNB"))
    assert services.devices.scope(branch).sites == frozenset()
    # the role counts: a manager of the Cục reaches its office in reports, not in the registry
    boss = people.principal("ld-hn", (Role.MANAGER, "CHQHN"))
    assert services.devices.scope(boss).sites == frozenset()
    assert services.devices.scope(boss, (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)).sites == {HN_SITE}


def test_the_fleet_is_filtered_in_sql_with_correct_totals_and_pages(services: HubServices, people: People) -> None:
    hn = people.principal("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    total, found = services.devices.find(hn)
    assert (total, [d.device_id for d in found]) == (2, HN_DEVICES)
    total, page = services.devices.find(hn, limit=1, offset=1)
    assert (total, [d.device_id for d in page]) == (2, ["door-hn-02"])
    assert services.devices.find(hn, site=HCM_SITE) == (0, [])  # asking for another office finds nothing
    assert services.devices.find(hn, online=False)[0] == 1
    total, every = services.devices.find(people.admin)
    assert (total, [d.device_id for d in every]) == (5, ALL_DEVICES)


def test_sites_within_reads_subtrees(org: psycopg.Connection, services: HubServices) -> None:
    paths = dict(org.execute("SELECT code, path FROM org_units").fetchall())
    assert repository.sites_within(org, [paths["TCHQ"]]) == sorted([HN_SITE, HCM_SITE])
    assert repository.sites_within(org, [paths["CHQHCM"]]) == [HCM_SITE]
    assert repository.sites_within(org, [paths["DOI1"], paths["CCHQNB"]]) == []
    assert repository.sites_within(org, []) == []
    assert UNMAPPED_SITE not in repository.sites_within(org, [paths["TCHQ"]])


def test_a_device_outside_the_scope_is_refused_and_left_as_it_was(
    services: HubServices, people: People, org: psycopg.Connection
) -> None:
    hn = people.principal("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    before = org.execute("SELECT * FROM devices ORDER BY device_id").fetchall()
    audit_rows = org.execute("SELECT count(*) FROM audit_log").fetchone()
    for device_id in ("door-hcm-01", "door-kho-01", "door-none-01"):
        with pytest.raises(AccessDenied, match="không có quyền .* tại cơ quan .* / not allowed to"):
            services.devices.detail(hn, device_id)
        with pytest.raises(AccessDenied):
            services.devices.update(hn, device_id, DeviceChanges(room="Cổng phụ"))
        with pytest.raises(AccessDenied):
            services.devices.telemetry(hn, device_id)
        with pytest.raises(AccessDenied):
            services.devices.commands(hn, device_id)
    # moving one's own device away, or clearing its office, is refused too
    for site in (HCM_SITE, UNMAPPED_SITE, None):
        with pytest.raises(AccessDenied, match="đặt thiết bị"):
            services.devices.update(hn, "door-hn-01", DeviceChanges(site=site))
    assert org.execute("SELECT * FROM devices ORDER BY device_id").fetchall() == before
    assert org.execute("SELECT count(*) FROM audit_log").fetchone() == audit_rows
    with pytest.raises(UnknownDevice):  # an unknown id is still 404, not 403
        services.devices.detail(hn, "door-zz-99")

    moved = services.devices.update(hn, "door-hn-02", DeviceChanges(room="Cổng phụ"), Actor.of(hn))
    assert moved.room == "Cổng phụ" and moved.site == HN_SITE
    assert services.devices.update(people.admin, "door-hcm-01", DeviceChanges(site=HN_SITE)).site == HN_SITE
    assert [d.device_id for d in services.devices.find(hn)[1]] == ["door-hcm-01", *HN_DEVICES]


def test_enrollment_tokens_only_for_the_admins_offices(
    services: HubServices, people: People, org: psycopg.Connection
) -> None:
    hn = people.principal("qt-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    day = timedelta(hours=24)
    for device_id, site in (("door-hcm-09", HCM_SITE), ("door-x-09", None), ("door-hcm-01", HN_SITE)):
        with pytest.raises(AccessDenied):  # another office; no office; a device registered at another office
            services.devices.create_enrollment_token(hn, device_id, "faceid", site, None, Actor.of(hn), day)
    assert org.execute("SELECT count(*) FROM enrollment_tokens").fetchone() == (0,)
    assert services.devices.sites(hn) == [HN_SITE] and services.devices.sites(people.admin) is None
    services.devices.create_enrollment_token(hn, "door-hn-09", "faceid", HN_SITE, None, Actor.of(hn), day)
    services.devices.create_enrollment_token(
        hn, "door-hn-02", "faceid", HN_SITE, None, Actor.of(hn), day
    )  # re-enrol own
    services.devices.create_enrollment_token(
        people.admin, "door-hcm-09", "faceid", HCM_SITE, None, Actor.of(people.admin), day
    )
    stored = org.execute("SELECT device_id, site FROM enrollment_tokens ORDER BY device_id").fetchall()
    assert stored == [("door-hcm-09", HCM_SITE), ("door-hn-02", HN_SITE), ("door-hn-09", HN_SITE)]


def test_device_reports_cover_the_callers_offices(services: HubServices, people: People) -> None:
    viewers = people.principal("ld-hn", (Role.MANAGER, "CHQHN"))
    hr_hcm = people.principal("tccb-hcm", (Role.HR, "CHQHCM"))
    assert [d.device_id for d in services.reports.offline_devices(viewers)] == ["door-hn-02"]
    assert [d.device_id for d in services.reports.offline_devices(hr_hcm)] == ["door-hcm-01"]
    assert sorted(d.device_id for d in services.reports.offline_devices(people.admin)) == [
        "door-hcm-01", "door-hn-02", "door-kho-01", "door-none-01",
    ]  # fmt: skip
    now = datetime.now(UTC)
    uptime = services.reports.device_uptime(viewers, now - timedelta(hours=1), now)
    assert sorted(r.device_id for r in uptime.rows) == HN_DEVICES
    board = services.reports.dashboard(viewers, "CHQHN")
    assert (board.devices_total, board.devices_online) == (2, 1)
    assert [d.device_id for d in board.offline_devices] == ["door-hn-02"]
    everything = services.reports.dashboard(people.admin, "CHQHN")
    assert (everything.devices_total, everything.devices_online) == (5, 1)
    nobody = people.principal("ld-nb", (Role.MANAGER, "CCHQNB"))  # below the mapped unit: no office
    assert (
        services.reports.offline_devices(nobody) == []
        and services.reports.dashboard(nobody, "CCHQNB").devices_total == 0
    )
