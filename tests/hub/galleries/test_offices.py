"""The office → org-unit map (trụ sở ↔ đơn vị) changed through HubServices, over a real database with
real accounts: only a system admin changes it, audited, with or without the biometrics runtime; an
office admin's device scope follows it; bad input changes nothing."""

from __future__ import annotations

import queue

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied, AuditQuery
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.devices.config import DeviceConfigService
from hub.devices.repository import register_device
from hub.galleries.jobs import rebuild_requester
from hub.galleries.offices import InvalidGalleryChange, Office, OfficeUnit, UnknownUnitCodes
from hub.galleries.runtime import BiometricsRuntime
from hub.galleries.service import GalleryService, RebuildReport
from hub.jobs.queue import JobQueue
from hub.services import HubServices
from tests.hub.conftest import PASSWORD

pytestmark = pytest.mark.timeout(180)
SITE = "Trụ sở Cục Hà Nội — tầng 2"  # spaces and diacritics, as real labels have
OTHER = "Kho ngoại quan"


def sign_in_as(services: HubServices, admin: Principal, username: str, role: Role, unit: str) -> Principal:
    services.accounts.create_user(admin, username=username, password=PASSWORD, grants=[GrantSpec(role, unit)])
    return services.accounts.sign_in(username, PASSWORD).principal


@pytest.fixture
def devices(org: psycopg.Connection) -> psycopg.Connection:
    """Two devices at SITE (one online), one at OTHER; no office mapped to any unit yet."""
    for device_id, site in (("door-hn-01", SITE), ("door-hn-02", SITE), ("door-kho-01", OTHER)):
        register_device(org, device_id, f"dev-{device_id}", "x", kind="faceid", site=site, rotate=True)
    org.execute("UPDATE devices SET online = true WHERE device_id = 'door-hn-01'")
    return org


def site_audit(services: HubServices, admin: Principal) -> list[tuple[str | None, object, object]]:
    _, rows = services.accounts.search_audit(admin, AuditQuery(action="gallery.site_units"))
    return [(r.entity_id, r.before, r.after) for r in rows]


def test_a_system_admin_maps_an_office_and_an_office_admins_scope_follows(
    services: HubServices, admin: Principal, devices: psycopg.Connection
) -> None:
    hn = sign_in_as(services, admin, "qt-hn", Role.OFFICE_ADMIN, "CHQHN")
    assert services.devices.scope(hn).sites == frozenset()
    assert services.offices.offices(hn) == []

    # no biometrics runtime on this hub (the fixture has none): the map is still changed, and audited
    assert services.offices.set_site_units(admin, f"  {SITE} ", ["CCHQNB", "CHQHN", "CCHQNB"], Actor.of(admin)) == [
        "CHQHN",
        "CCHQNB",
    ]
    assert services.devices.scope(hn).sites == {SITE}
    assert services.offices.offices(hn) == [
        Office(
            SITE,
            (OfficeUnit("CHQHN", "Cục Hải quan Hà Nội"),
             OfficeUnit("CCHQNB", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài")),
            devices=2, online=1, allowances=0,
        )
    ]  # fmt: skip
    everything = services.offices.offices(admin)
    assert [(o.site, o.devices, o.online, [u.code for u in o.units]) for o in everything] == [
        (OTHER, 1, 0, []),
        (SITE, 2, 1, ["CHQHN", "CCHQNB"]),
    ]
    assert site_audit(services, admin) == [(SITE, [], ["CHQHN", "CCHQNB"])]

    # mapped away to another Cục: the Hà Nội admin loses the office's devices
    assert services.offices.set_site_units(admin, SITE, ["CHQHCM"], Actor.of(admin)) == ["CHQHCM"]
    assert services.devices.scope(hn).sites == frozenset()
    assert services.offices.offices(hn) == []
    assert site_audit(services, admin)[0] == (SITE, ["CHQHN", "CCHQNB"], ["CHQHCM"])
    hcm = sign_in_as(services, admin, "qt-hcm", Role.OFFICE_ADMIN, "CHQHCM")
    assert [o.site for o in services.offices.offices(hcm)] == [SITE]

    # an empty list unmaps the office; it stays listed while it has devices
    assert services.offices.set_site_units(admin, SITE, [], Actor.of(admin)) == []
    assert services.devices.scope(hcm).sites == frozenset()
    assert [(o.site, o.units) for o in services.offices.offices(admin)] == [(OTHER, ()), (SITE, ())]


def test_only_a_system_admin_changes_the_map_and_bad_input_changes_nothing(
    services: HubServices, admin: Principal, devices: psycopg.Connection
) -> None:
    services.offices.set_site_units(admin, SITE, ["CHQHN"], Actor.of(admin))
    hn = sign_in_as(services, admin, "qt-hn", Role.OFFICE_ADMIN, "CHQHN")
    hr = sign_in_as(services, admin, "tccb-hn", Role.HR, "CHQHN")

    # an office admin must never pull another office into their scope (nor change their own)
    with pytest.raises(AccessDenied):
        services.offices.set_site_units(hn, OTHER, ["CHQHN"], Actor.of(hn))
    with pytest.raises(AccessDenied):
        services.offices.set_site_units(hn, SITE, [], Actor.of(hn))
    with pytest.raises(AccessDenied):
        services.offices.offices(hr)  # not a device admin at all
    assert services.devices.scope(hn).sites == {SITE}

    with pytest.raises(UnknownUnitCodes) as refused:
        services.offices.set_site_units(admin, SITE, ["CHQHCM", "NOPE", "KHONG-CO"], Actor.of(admin))
    assert refused.value.codes == ["KHONG-CO", "NOPE"]
    assert "KHONG-CO" in str(refused.value) and "NOPE" in str(refused.value)
    for blank_site in ("", "   "):
        with pytest.raises(InvalidGalleryChange):
            services.offices.set_site_units(admin, blank_site, ["CHQHN"], Actor.of(admin))
    with pytest.raises(InvalidGalleryChange):
        services.offices.set_site_units(admin, SITE, ["CHQHN", " "], Actor.of(admin))
    with pytest.raises(InvalidGalleryChange):
        services.offices.set_site_units(admin, "x" * 129, ["CHQHN"], Actor.of(admin))

    assert services.offices.site_units(SITE) == ["CHQHN"]  # every refusal changed nothing
    assert services.devices.scope(hn).sites == {SITE}
    assert len(site_audit(services, admin)) == 1


def test_with_biometrics_running_a_change_requests_a_gallery_rebuild(
    services: HubServices,
    admin: Principal,
    devices: psycopg.Connection,
    pool: ConnectionPool,
    sealer: Sealer,
    engines: EngineCache,
    biometrics: BiometricsService,
    database_url: str,
) -> None:
    reports: queue.Queue[RebuildReport] = queue.Queue()
    jobs = JobQueue(database_url, pool, worker_name="offices-test", poll_s=0.5)  # as `cces hub` runs the rebuilds
    galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface", on_rebuilt=reports.put,
                               audit=audit.record, requester=rebuild_requester(jobs.defer))  # fmt: skip
    config = DeviceConfigService(pool, None, gallery_base_url=None, default_pack="yunet-sface")
    runtime = BiometricsRuntime(biometrics, galleries, config, None, 3600.0)
    services.attach_biometrics(runtime)
    jobs.add(*runtime.jobs())
    jobs.start()  # the first build runs at start; then only on request (the hour's period aside)
    try:
        assert reports.get(timeout=120).scheduled
        assert services.offices.set_site_units(admin, SITE, ["CCHQNB"], Actor.of(admin)) == ["CCHQNB"]
        requested = reports.get(timeout=120)  # within the hour only because the change asked for it
        assert not requested.scheduled and requested.failed == []
    finally:
        jobs.stop()
    assert services.offices.site_units(SITE) == ["CCHQNB"]
    assert site_audit(services, admin) == [(SITE, [], ["CCHQNB"])]  # audited through the gallery service
    hn = sign_in_as(services, admin, "qt-nb", Role.OFFICE_ADMIN, "CCHQNB")
    assert services.devices.scope(hn).sites == {SITE}
    with pytest.raises(AccessDenied):  # the runtime changes nothing about who may
        services.offices.set_site_units(hn, OTHER, ["CCHQNB"], Actor.of(hn))
    assert services.offices.site_units(OTHER) == []
