"""The door and room screens (màn hình) as the pages and the CLI ask for them: their links and what a
door screen shows.

Making, listing and revoking links checks `kiosk.manage_links` whoever calls (a page, `cces demo`, a
tool): the role first, then for a door's link the door's office against the offices the caller reaches
(hub.devices.service.device_scope). What a screen shows (`admits`, `door_screen`) is `kiosk.show`: public,
authorised by the link's key, which the screen's page checks with `admits` before asking for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.access import DEVICE_ADMINS
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.devices import repository as devices_repo
from hub.devices.models import DeviceRecord
from hub.devices.service import device_scope
from hub.kiosk import access, links
from hub.kiosk import repository as repo
from hub.kiosk.models import DoorGreeting, KioskKind, KioskLink, KioskLinkError, NewKioskLink


class KioskService:
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    def _check_door(self, conn: psycopg.Connection, principal: Principal, device_id: str) -> None:
        """`kiosk.manage_links` on the door's office; KioskLinkError when no device has the id."""
        device = devices_repo.get_device(conn, device_id)
        if device is None:
            raise KioskLinkError(f"Không có thiết bị {device_id} / no device has the id {device_id!r}")
        scope = device_scope(conn, principal, DEVICE_ADMINS)
        gate.check(principal, access.MANAGE_LINKS, Target.office(device.site, scope.sites or frozenset()))

    # -- links (kiosk.manage_links) ---------------------------------------------------------------

    def make_link(
        self, principal: Principal, kind: KioskKind, target: str, label: str | None, actor: Actor
    ) -> NewKioskLink:
        """A screen's link with its key (shown once), audited without the key; raises AccessDenied (a door
        outside the caller's offices) or KioskLinkError (a bad id, a device not registered)."""
        gate.check(principal, access.MANAGE_LINKS)
        with self.pool.connection() as conn, conn.transaction():
            if kind is KioskKind.TERMINAL:
                links.check_target(kind, target)
                self._check_door(conn, principal, target)
            new = links.make_link(conn, kind, target, label, actor.username)
            audit.record(
                conn, actor, "kiosk_link.create", "kiosk_link", new.link.id,
                after={"kind": kind.value, "target": target, "label": new.link.label},
            )  # fmt: skip
            return new

    def links(self, principal: Principal, kind: KioskKind | None = None) -> list[KioskLink]:
        """Every screen link the principal reaches (doors: of their offices' devices), newest first, revoked
        ones too (for the record); raises AccessDenied."""
        gate.check(principal, access.MANAGE_LINKS)
        with self.pool.connection() as conn:
            scope = device_scope(conn, principal, DEVICE_ADMINS)
            return links.links(conn, kind, scope.site_list())

    def revoke_link(self, principal: Principal, link_id: int, actor: Actor) -> KioskLink:
        """Revoke a screen's link (the screen blanks at its next re-read), audited; raises AccessDenied (a
        door outside the caller's offices: nothing changes) or KioskLinkError (no such link)."""
        gate.check(principal, access.MANAGE_LINKS)
        with self.pool.connection() as conn, conn.transaction():
            before = repo.get_link(conn, link_id)
            if before is not None and before.kind is KioskKind.TERMINAL:
                self._check_door(conn, principal, before.target)
            link = links.revoke(conn, link_id, actor.username)
            if before is not None and before.active:
                audit.record(
                    conn, actor, "kiosk_link.revoke", "kiosk_link", link_id,
                    before={"kind": link.kind.value, "target": link.target, "revoked_at": None},
                    after={"kind": link.kind.value, "target": link.target, "revoked_at": link.revoked_at},
                )  # fmt: skip
            return link

    # -- what a screen shows (kiosk.show: public, the link's key) -------------------------------------

    def admits(self, kind: KioskKind, target: str, key: str | None, *, touch: bool = False) -> bool:
        """Whether `key` is a live link of this screen (`touch`: record the use, when a screen opens)."""
        with self.pool.connection() as conn:
            return links.admitted(conn, kind, target, key, touch=touch) is not None

    def door_screen(
        self, device_id: str, limit: int = 5, hours: float = 12.0
    ) -> tuple[DeviceRecord, list[DoorGreeting]] | None:
        """A door's registry row and its last `limit` greetings of the last `hours` (name, time, direction),
        newest first — what its screen shows once `admits` let it in; None when no device has that id."""
        now = self.clock()
        with self.pool.connection() as conn:
            device = devices_repo.get_device(conn, device_id)
            if device is None:
                return None
            since, until = now - timedelta(hours=hours), now + timedelta(minutes=5)  # a door clock a little ahead
            return device, repo.door_greetings(conn, device_id, since, until, limit)
