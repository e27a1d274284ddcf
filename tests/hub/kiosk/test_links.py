"""Kiosk screen links on a real database: a key opens its own screen only, until revoked; only the key's
hash is stored; making and revoking are audited (without the key); an office admin reaches only the
doors of their offices; bad input changes nothing."""

from __future__ import annotations

import hashlib

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied, AuditQuery
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.kiosk.models import KioskKind, KioskLinkError
from hub.services import HubServices
from tests.hub.conftest import PASSWORD
from tests.hub.devices.sites import seed_devices

TERMINAL, ROOM = KioskKind.TERMINAL, KioskKind.ROOM


@pytest.fixture(autouse=True)
def offices(org: psycopg.Connection) -> None:
    seed_devices(org)  # door-hn-01/02 at the Hà Nội office (CHQHN), door-hcm-01 at the HCM office (CHQHCM)


def account(services: HubServices, admin: Principal, username: str, role: Role, unit: str) -> Principal:
    services.accounts.create_user(admin, username=username, password=PASSWORD, grants=[GrantSpec(role, unit)])
    return services.accounts.sign_in(username, PASSWORD).principal


def link_count(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM kiosk_links").fetchone()
    assert row is not None
    return int(row[0])


def test_a_key_opens_its_own_screen_only_until_revoked(
    services: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    actor = Actor.of(admin)
    door = services.kiosk.make_link(admin, TERMINAL, "door-hn-01", "  Sảnh tầng 1 ", actor)
    room = services.kiosk.make_link(admin, ROOM, "phong-hop-3", None, actor)
    assert door.link.label == "Sảnh tầng 1" and door.link.active and door.link.last_used_at is None
    assert door.path_with_key == f"/kiosk/terminal/door-hn-01?key={door.key}" and len(door.key) >= 32

    assert services.kiosk.admits(TERMINAL, "door-hn-01", door.key)
    assert not services.kiosk.admits(TERMINAL, "door-hn-02", door.key)  # another door
    assert not services.kiosk.admits(ROOM, "door-hn-01", door.key)  # another kind of screen
    assert not services.kiosk.admits(TERMINAL, "door-hn-01", room.key)  # another screen's key
    assert not services.kiosk.admits(TERMINAL, "door-hn-01", door.key[:-1])
    assert not services.kiosk.admits(TERMINAL, "door-hn-01", None)
    assert not services.kiosk.admits(TERMINAL, "door-hn-01", "x" * 10_000)
    assert services.kiosk.admits(ROOM, "phong-hop-3", room.key, touch=True)

    stored = org.execute("SELECT key_sha256 FROM kiosk_links WHERE id = %s", (door.link.id,)).fetchone()
    assert stored is not None and bytes(stored[0]) == hashlib.sha256(door.key.encode()).digest()
    rows = [str(r[0]) for r in org.execute("SELECT row_to_json(k) FROM kiosk_links k").fetchall()]
    assert len(rows) == 2 and not any(door.key in r or room.key in r for r in rows)  # never the key itself

    revoked = services.kiosk.revoke_link(admin, door.link.id, actor)
    assert not revoked.active and revoked.revoked_by == "admin"
    assert not services.kiosk.admits(TERMINAL, "door-hn-01", door.key)
    again = services.kiosk.revoke_link(admin, door.link.id, actor)  # twice: the first revocation stays
    assert again.revoked_at == revoked.revoked_at
    listed = {link.id: link for link in services.kiosk.links(admin)}
    assert not listed[door.link.id].active and listed[room.link.id].last_used_at is not None

    _, entries = services.accounts.search_audit(admin, AuditQuery(action="kiosk_link."))
    assert sorted(e.action for e in entries) == ["kiosk_link.create", "kiosk_link.create", "kiosk_link.revoke"]
    assert all(door.key not in str(e.after) and room.key not in str(e.after) for e in entries)


def test_bad_input_is_refused_and_changes_nothing(
    services: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    actor = Actor.of(admin)
    with pytest.raises(KioskLinkError, match="door-nowhere-01"):
        services.kiosk.make_link(admin, TERMINAL, "door-nowhere-01", None, actor)  # not registered
    with pytest.raises(KioskLinkError, match="invalid room id"):
        services.kiosk.make_link(admin, ROOM, "Phòng 3", None, actor)
    with pytest.raises(KioskLinkError, match="120"):
        services.kiosk.make_link(admin, ROOM, "phong-3", "x" * 121, actor)
    with pytest.raises(KioskLinkError, match="999"):
        services.kiosk.revoke_link(admin, 999, actor)
    assert link_count(org) == 0


def test_an_office_admin_reaches_only_the_doors_of_their_offices(
    services: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    hanoi = account(services, admin, "qt-hn", Role.OFFICE_ADMIN, "CHQHN")
    hcm_link = services.kiosk.make_link(admin, TERMINAL, "door-hcm-01", None, Actor.of(admin))
    with pytest.raises(AccessDenied):
        services.kiosk.make_link(hanoi, TERMINAL, "door-hcm-01", None, Actor.of(hanoi))
    with pytest.raises(AccessDenied):
        services.kiosk.revoke_link(hanoi, hcm_link.link.id, Actor.of(hanoi))
    assert services.kiosk.admits(TERMINAL, "door-hcm-01", hcm_link.key), "a refused revocation changed nothing"
    own = services.kiosk.make_link(hanoi, TERMINAL, "door-hn-02", None, Actor.of(hanoi))
    room = services.kiosk.make_link(hanoi, ROOM, "phong-hop-hn", None, Actor.of(hanoi))
    assert [link.id for link in services.kiosk.links(hanoi)] == [room.link.id, own.link.id]  # not HCM's door
    assert len(services.kiosk.links(admin)) == 3

    hr = account(services, admin, "ns-hn", Role.HR, "CHQHN")  # no device role at all
    with pytest.raises(AccessDenied):
        services.kiosk.make_link(hr, ROOM, "phong-hop-hn", None, Actor.of(hr))
    with pytest.raises(AccessDenied):
        services.kiosk.links(hr)
    assert link_count(org) == 3
