"""Door portals: which way a tag passes, whether an approved movement lets its asset out, and the alert.

A portal is a reader at an exit with an inner and an outer antenna (`asset_portals`, configured as data). A tag is
leaving when the outer antenna first saw it after the inner one did, within the portal's window. Each portal read
stored by ingest is announced (migration 0413's trigger, after COMMIT) and handled here by `PortalWatcher`: the tag
is decoded to its asset (hub.assets.inventory.tags), an approved movement (hub.assets.movements: a check-out,
repair or loan in effect, a transfer or liquidation within its exit days) silences it; otherwise one alert row per
passage, the asset officers over the portal's unit notified (hub.notifications: the inbox and the bell, mail if
they want it), and the alerts page shows it live.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access
from hub.assets import repository as assets_repo
from hub.assets.checks import today
from hub.assets.inventory.tags import identify_codes
from hub.assets.models import AssetError, AssetNotFound
from hub.assets.movements import repository as movements_repo
from hub.assets.portals import repository
from hub.assets.service import AssetsService
from hub.domain import DomainError, bilingual
from hub.localtime import LOCAL_TZ
from hub.notifications.models import DEFAULT_NOTIFY, Message, NotifyConfig
from hub.notifications.service import notify

log = logging.getLogger(__name__)
CHANNEL = "cces_portal_read"
DISPLAY_SHOW_S = 60  # the alert on the door's display
DISPLAY_TTL_S = 30  # a display that gets the command later than this never shows it (a stale alarm is noise)
#: (device id, command name, arguments, ttl seconds): hub.commands.service.send_command as the hub's own sender
DisplaySender = Callable[[str, str, dict[str, Any], int], object]


class PortalService:
    def __init__(
        self,
        pool: ConnectionPool,
        now: Callable[[], datetime],
        assets: AssetsService,
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
        display: DisplaySender | None = None,
    ) -> None:
        self.pool = pool
        self.now = now
        self.assets = assets
        self.notify_config = notify_config  # how the asset officers are told (hub.notifications), the hub's
        self.display = display  # sends a command to a device (hub.commands); None: this node cannot

    def save_portal(self, principal: Principal, actor: Actor, values: dict[str, Any]) -> None:
        """Configure a portal: its reader, inner and outer antennas, the exit's location, a display, the window."""
        if values["inner_antenna"] == values["outer_antenna"]:
            raise AssetError(bilingual("ăng-ten trong và ngoài phải khác nhau", "inner and outer antennas must differ"))
        with self.pool.connection() as conn, conn.transaction():
            row = assets_repo.location_row(conn, values.pop("location_code"))
            if row is None:
                raise AssetError(bilingual("không có vị trí này", "no such location"))
            gate.check(principal, access.READERS, Target.unit(row[3]))
            try:
                with conn.transaction():
                    repository.save_portal(conn, {**values, "location_id": row[0]})
            except psycopg.errors.UniqueViolation as exc:
                raise AssetError(bilingual("đầu đọc đã gắn với cổng khác", "the reader serves another portal")) from exc
            audit.record(conn, actor, "asset_portal.save", "asset_portal", values["code"], after=values,
                         unit_path=row[3])  # fmt: skip

    def portals(self, principal: Principal) -> list[dict[str, Any]]:
        gate.check(principal, access.VIEW)
        scope = gate.reach(principal, access.VIEW)
        with self.pool.connection() as conn:
            found = repository.portals(conn)
        return [p for p in found if scope is None or any(p["unit_path"].startswith(s) for s in scope)]

    def alerts(self, principal: Principal, open_only: bool = True, limit: int = 100) -> list[dict[str, Any]]:
        gate.check(principal, access.ALERTS)
        with self.pool.connection() as conn:
            scope = gate.reach(principal, access.ALERTS)
            return repository.alerts(conn, list(scope) if scope is not None else None, open_only, limit)

    def acknowledge(self, principal: Principal, actor: Actor, alert_id: int, note: str | None) -> None:
        with self.pool.connection() as conn, conn.transaction():
            alert = repository.alert_by_id(conn, alert_id)
            if alert is None:
                raise AssetNotFound(bilingual(f"không có cảnh báo số {alert_id}", f"no alert {alert_id}"))
            gate.check(principal, access.ALERTS, Target.unit(alert["unit_path"]))
            note = " ".join((note or "").split())[:2000] or None
            repository.acknowledge(conn, alert_id, actor.username, self.now(), note)
            audit.record(conn, actor, "asset_portal_alert.acknowledge", "asset_portal_alert", alert_id,
                         after={"note": note}, unit_path=alert["unit_path"])  # fmt: skip

    def handle(self, device_id: str, epc: str, antenna: int, ts: datetime) -> int | None:
        """Internal (the watcher): one stored portal read; the new alert's id, if it raised one. Once the alert is
        stored, the door's display (if the portal has one) is sent a `show_alert` command."""
        raised = self._raise(device_id, epc, antenna, ts)
        if raised is None:
            return None
        alert_id, display_id, args = raised
        if display_id and self.display is not None:
            try:
                self.display(display_id, "show_alert", args, DISPLAY_TTL_S)
            except DomainError as exc:  # no broker now, a display not registered: the alert stands regardless
                log.warning("asset portals: alert %s not shown on display %s: %s", alert_id, display_id, exc)
        return alert_id

    def _raise(self, device_id: str, epc: str, antenna: int, ts: datetime) -> tuple[int, str | None, dict] | None:
        with self.pool.connection() as conn, conn.transaction():
            portal = repository.portal_by_device(conn, device_id)
            if portal is None or antenna not in (portal["inner_antenna"], portal["outer_antenna"]):
                return None
            window = timedelta(seconds=portal["window_s"])
            inner = repository.first_seen(conn, device_id, epc, portal["inner_antenna"], ts - window, ts + window)
            outer = repository.first_seen(conn, device_id, epc, portal["outer_antenna"], ts - window, ts + window)
            if inner is None or outer is None or outer < inner:
                return None  # not (yet) seen going out: inside, or coming in
            found = identify_codes(conn, [epc], self.assets.policy)[0]
            if found.asset_id is None:
                return None  # not one of our assets
            if movements_repo.assets_allowed_out(conn, [found.asset_id], today(outer)):
                return None  # an approved movement lets it out
            if repository.recent_alert(conn, portal["id"], found.asset_id, outer - window):
                return None
            alert_id = repository.insert_alert(conn, portal["id"], found.asset_id, epc, outer)
            if alert_id is None:
                return None
            number, name = repository.asset_name(conn, found.asset_id)
            officers = repository.officers_over(conn, portal["unit_path"])
            if officers:
                notify(conn, officers, "assets.portal_alert", Message.text(
                    f"Tài sản {number} ra cổng {portal['name']} không có phiếu điều chuyển",
                    f"Asset {number} left through {portal['name']} without an approved movement",
                    f"{name} — {outer:%H:%M:%S %d/%m/%Y} (UTC)", f"{name} — {outer:%H:%M:%S %Y-%m-%d} (UTC)",
                ), "/asset-alerts", config=self.notify_config)  # fmt: skip
            repository.announce(conn, alert_id)
            local = outer.astimezone(LOCAL_TZ)
            args = {
                "title_vi": f"CẢNH BÁO: tài sản {number} ra cổng không có phiếu điều chuyển"[:200],
                "title_en": f"ALERT: asset {number} leaving without an approved movement"[:200],
                "text_vi": f"{name} — {portal['name']}, {local:%H:%M:%S %d/%m/%Y}"[:300],
                "text_en": f"{name} — {portal['name']}, {local:%H:%M:%S %Y-%m-%d}"[:300],
                "show_s": DISPLAY_SHOW_S,
            }
            return alert_id, portal.get("display_device_id"), args


class PortalWatcher:
    """One thread LISTENing for portal reads (its own connection: LISTEN is per session), handling each."""

    def __init__(self, database_url: str, service: PortalService) -> None:
        self.database_url = database_url
        self.service = service
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="asset-portals", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.database_url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5, stop_after=200):
                            self._one(note.payload)
            except psycopg.Error as exc:
                log.warning("asset portals: listener lost its connection (%s); retrying", exc)
                self._stop.wait(2)

    def _one(self, payload: str) -> None:
        try:
            read = json.loads(payload)
            self.service.handle(
                read["device_id"], read["epc"], int(read["antenna"]), datetime.fromisoformat(read["ts"])
            )
        except Exception:  # one bad read never stops the watcher
            log.exception("asset portals: a read could not be handled: %s", payload[:200])
