"""The `display` capability: a meeting room's screen, fed by the room's retained display state.

It subscribes (through the agent's MQTT link) to `cces/v1/rooms/{room}/display`, retained, so a
display that starts or reconnects has the room's current state from the broker at once, whether
the hub is up or not. It keeps the newest state (`RoomDisplayState.newer_than`), also on disk
(`display-state.json` in the agent's data dir), so a display restarted during an outage still
shows what it last knew. It serves, on the device (127.0.0.1:8766 by default):

- ``GET /`` — the full-screen page (`edge_agent.display_page`; a kiosk browser opens it), which
  reads ``/state.json`` every second and draws the room: now and next meeting, the colour, the
  current agenda item and speaker, vote results, the check-in QR (``/qr.svg``);
- ``GET /state.json`` — `{"room_id", "state", "link", "notice", "alert", "received_at", "now"}`: the last
  state and whether it can be trusted. `notice` is `offline` while the broker is unreachable,
  `stale` when the state's `valid_until` passed (plus `stale_grace_s`) with nothing newer from
  the hub, `waiting` before the first state, None otherwise: the page keeps the last state on
  screen and shows the notice above it (Vietnamese first). `alert`: the hub's `show_alert` command
  (a door portal's alert: an asset leaving the room's door without an approved movement) until it
  expires — a red banner over everything.

It makes no events. The room is the hub config's `display_room` when set (`set_room`, called by
config sync), else `[display] room` from agent.toml.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from edge_agent.capabilities.base import EventSink, Link
from edge_agent.local_http import LocalHttpServer
from edge_agent.settings import DisplaySettings
from protocol.display import RoomDisplayState
from protocol.telemetry import MetricValue
from protocol.terminal import Notice
from protocol.topics import Topics, check_room_id

log = logging.getLogger(__name__)

STATE_FILE = "display-state.json"


def _now() -> datetime:
    return datetime.now(UTC)


class DisplayCapability:
    name = "display"

    def __init__(self, settings: DisplaySettings, data_dir: Path, *, clock: Callable[[], datetime] = _now) -> None:
        self.settings = settings
        self._clock = clock
        self._path = data_dir / STATE_FILE
        self._lock = threading.Lock()
        self._room: str | None = settings.room
        self._link: Link | None = None
        self._topic: str | None = None
        self._server: LocalHttpServer | None = None
        self._state: RoomDisplayState | None = None
        self._received_at: datetime | None = None
        self._qr: tuple[str, bytes] | None = None  # (payload, SVG)
        self._alert: Notice | None = None  # the hub's show_alert, until it expires (memory only: never replayed)
        self.received = 0
        self.rejected = 0
        self._load()

    # -- the room and its topic ---------------------------------------------------------------

    @property
    def room(self) -> str | None:
        return self._room

    def attach_link(self, link: Link) -> None:
        """The agent's link, before it connects: subscribe to the room's display state."""
        self._link = link
        self._follow(self._room)

    def set_room(self, room: str | None) -> None:
        """The hub's `display_room` (None: keep the configured one)."""
        if room is None or room == self._room:
            return
        check_room_id(room)
        log.info("display: following room %s (was %s)", room, self._room)
        with self._lock:
            self._room = room
            if self._state is not None and self._state.room_id != room:
                self._state, self._received_at, self._qr = None, None, None
        self._follow(room)

    def _follow(self, room: str | None) -> None:
        if self._link is None:
            return
        topic = Topics.room_display(room) if room is not None else None
        if topic == self._topic:
            return
        if self._topic is not None:
            self._link.unsubscribe(self._topic)
        self._topic = topic
        if topic is not None:
            self._link.subscribe(topic, 1, self.on_message)

    # -- states from the broker (paho's thread) -----------------------------------------------

    def on_message(self, payload: bytes) -> None:
        if not payload:  # the retained state was cleared (the room is gone): nothing to show
            with self._lock:
                self._state, self._received_at, self._qr = None, self._clock(), None
            self._save(None)
            return
        try:
            state = RoomDisplayState.model_validate_json(payload)
        except ValidationError as exc:
            self.rejected += 1
            log.warning("display: ignored an invalid room state: %s", exc.errors()[0]["msg"])
            return
        with self._lock:
            if state.room_id != self._room:
                self.rejected += 1
                log.warning("display: ignored a state of room %s (this display is in %s)", state.room_id, self._room)
                return
            self.received += 1
            self._received_at = self._clock()
            if not state.newer_than(self._state) or state == self._state:
                return
            self._state = state
        self._save(state)

    def _save(self, state: RoomDisplayState | None) -> None:
        """Kept on disk (written aside, then renamed): a display restarted in an outage shows it again."""
        try:
            if state is None:
                self._path.unlink(missing_ok=True)
                return
            self._path.parent.mkdir(parents=True, exist_ok=True)
            aside = self._path.with_suffix(".tmp")
            aside.write_bytes(state.model_dump_json().encode())
            os.replace(aside, self._path)
        except OSError as exc:  # a full or read-only disk: the screen still shows the state from memory
            log.warning("display: could not keep the state on disk: %s", exc)

    def _load(self) -> None:
        try:
            state = RoomDisplayState.model_validate_json(self._path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("display: ignored the state kept on disk: %s", exc)
            return
        if self._room is None or state.room_id == self._room:
            self._state, self._room = state, state.room_id

    def show_alert(self, title_vi: str, title_en: str, text_vi: str, text_en: str, show_s: float) -> Notice:
        """The hub's alert (the show_alert command) over the room's state for `show_s` seconds; a newer one
        replaces it. Not kept on disk: an alarm must not come back after a restart."""
        alert = Notice(title_vi=title_vi, title_en=title_en, text_vi=text_vi, text_en=text_en,
                       until=self._clock() + timedelta(seconds=show_s))  # fmt: skip
        with self._lock:
            self._alert = alert
        return alert

    # -- what the page reads ------------------------------------------------------------------

    @property
    def state(self) -> RoomDisplayState | None:
        with self._lock:
            return self._state

    def view(self) -> dict[str, Any]:
        """What `/state.json` answers: the last state, the link, and the notice to show over it."""
        now = self._clock()
        with self._lock:
            state, received_at, room, alert = self._state, self._received_at, self._room, self._alert
        if alert is not None and alert.until <= now:
            alert = None
        link = "unknown" if self._link is None else ("online" if self._link.connected else "offline")
        if link == "offline":
            notice = "offline"
        elif state is None:
            notice = "waiting"
        elif state.stale(now, self.settings.stale_grace_s):
            notice = "stale"
        else:
            notice = None
        return {
            "room_id": room,
            "state": state.model_dump(mode="json") if state is not None else None,
            "link": link,
            "notice": notice,
            "alert": alert.model_dump(mode="json") if alert is not None else None,
            "received_at": received_at.isoformat() if received_at else None,
            "now": now.isoformat(),
        }

    def qr_svg(self) -> bytes | None:
        """The check-in QR of the current state as SVG; None when the state has none (or qrcode is missing)."""
        state = self.state
        if state is None or state.checkin is None:
            return None
        payload = state.checkin.payload
        cached = self._qr
        if cached is not None and cached[0] == payload:
            return cached[1]
        try:
            import qrcode
            import qrcode.image.svg
        except ImportError:  # the agent extra brings it; without it the page shows no QR
            return None
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        qr.add_data(payload)
        qr.make(fit=True)
        svg = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string()
        self._qr = (payload, svg)
        return svg

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, sink: EventSink) -> None:
        """Serve the page; a port that is taken is logged, not fatal (the state is still followed)."""
        if self._server is not None:
            return
        try:
            self._server = LocalHttpServer(
                _handler_for(self),
                self.settings.host,
                self.settings.port,
                name="display-http",
                what="room display page",
            )
        except OSError as exc:
            log.error(
                "display page not started: cannot listen on %s:%d (%s); set [display] port to a free one",
                self.settings.host,
                self.settings.port,
                exc.strerror or exc,
            )
            return
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def url(self) -> str | None:
        return self._server.url if self._server is not None else None

    def metrics(self) -> dict[str, MetricValue]:
        state = self.state
        return {
            "room": self._room,
            "colour": state.colour if state is not None else None,
            "updated_at": state.updated_at.isoformat() if state is not None else None,
            "received": self.received,
            "rejected": self.rejected,
        }


def _handler_for(display: DisplayCapability) -> type[BaseHTTPRequestHandler]:
    from edge_agent.display_page import PAGE_HTML

    page = PAGE_HTML.encode()

    class Handler(BaseHTTPRequestHandler):
        server_version = "cces-display"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            try:
                if path == "/":
                    self._send(200, "text/html; charset=utf-8", page)
                elif path == "/state.json":
                    self._send(200, "application/json", json.dumps(display.view(), ensure_ascii=False).encode())
                elif path == "/qr.svg":
                    svg = display.qr_svg()
                    if svg is None:
                        self._send(404, "application/json", b'{"error": "no check-in code"}')
                    else:
                        self._send(200, "image/svg+xml", svg)
                else:
                    self._send(404, "application/json", json.dumps({"error": f"no such path {path}"}).encode())
            except Exception as exc:  # answered and logged; the server thread lives on
                log.exception("display: %s failed", path)
                self._send(500, "application/json", json.dumps({"error": str(exc)[:200]}).encode())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
            log.debug("display: " + format, *args)

    return Handler
