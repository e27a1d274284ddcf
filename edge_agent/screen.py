"""The door terminal's local screen feed: the greeting state and the camera preview, on 127.0.0.1.

The greeting page (`cces terminal`, NiceGUI, `ui/kiosk/terminal.py`) may not import the agent,
and the agent must not need NiceGUI, so they meet over HTTP on the device through the
`protocol.terminal.TerminalState` contract:

- ``GET /state.json`` — the current greeting (name from the device's gallery, time, direction),
  the last few greetings, the faces of the latest frame, camera and hub-link state;
- ``GET /frame.jpg`` — the latest camera frame, downscaled to `preview_width`, faces boxed
  (green: recognised, red: unknown, amber: still deciding), with its counter in ``X-Frame``.

Everything works with no hub: the device recognises locally and the names travel in its gallery.

Cost on the camera thread is a few attribute assignments per frame (`ScreenFeed.on_frame` keeps
references, copies nothing). A JPEG is made only when someone asks for one, at most `max_fps`
per second whatever the number of viewers; a viewer asking faster gets the last one again.

The feed binds to loopback by default: it shows faces and names, which must not be readable from
the office network. Greetings are made for each decision the pipeline takes (attendance, unknown)
and for a person recognised again within the cooldown (no new record, but they are greeted, so
nobody walks away thinking the door failed to see them).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

import numpy as np

from devices.camera.video_file import Frame
from edge_agent.local_http import LocalHttpServer
from edge_agent.settings import AgentSettings, ScreenSettings
from models.gallery import Gallery
from models.stream import FrameResult
from protocol.terminal import MAX_RECENT, Direction, FaceBox, Greeting, Notice, TerminalState

log = logging.getLogger(__name__)

#: BGR colours of the preview's boxes
BOX_COLOURS = {"recognised": (60, 200, 60), "unknown": (40, 40, 230), "pending": (0, 190, 255)}
_REMEMBERED_TRACKS = 512


class ScreenFeed:
    """What the screen shows, updated by the faceid thread and read by the HTTP threads."""

    def __init__(
        self,
        settings: ScreenSettings,
        *,
        device_id: str | None = None,
        direction: Direction | None = None,
        hub_link: Callable[[], bool | None] | None = None,
        camera_state: Callable[[], str | None] | None = None,
    ) -> None:
        self._settings = settings
        self._device_id = device_id
        self._direction = direction
        self._hub_link = hub_link
        self._camera_state = camera_state
        self._lock = threading.Lock()
        self._image: np.ndarray | None = None
        self._faces: list[tuple[tuple[float, float, float, float], str]] = []
        self._frame = 0
        self._greeting_seq = 0
        self._recent: deque[Greeting] = deque(maxlen=MAX_RECENT)
        self._track_kinds: OrderedDict[int, str] = OrderedDict()  # track id -> recognised | unknown
        self._last_greeted: dict[str, float] = {}  # person_id -> monotonic time of their last greeting
        self._jpeg: tuple[int, bytes] | None = None  # (frame counter, JPEG)
        self._encoded_at = float("-inf")
        self._encode_lock = threading.Lock()
        self._notice: Notice | None = None  # the hub's show_alert, until it expires

    # -- fed by the faceid capability (its thread) -----------------------------------------

    def on_frame(self, frame: Frame, result: FrameResult, gallery: Gallery) -> None:
        """Keep the frame and its faces; greet for each decision and each re-recognised person."""
        greetings: list[Greeting] = []
        now = time.monotonic()
        with self._lock:
            for decision in result.decisions:
                if decision.kind == "attendance" and decision.person_id is not None:
                    self._remember(decision.track_id, "recognised")
                    greetings.append(self._greeting("recognised", decision.person_id, gallery, now, recorded=True))
                elif decision.kind == "unknown":
                    self._remember(decision.track_id, "unknown")
                    greetings.append(self._greeting("unknown", None, gallery, now))
            faces = []
            for seen in result.faces:
                kind = self._track_kinds.get(seen.track_id)
                if seen.person_id is not None and kind != "recognised":
                    # decided without a record: the same person again within the cooldown
                    self._remember(seen.track_id, "recognised")
                    kind = "recognised"
                    recently = now - self._last_greeted.get(seen.person_id, float("-inf")) < self._settings.greeting_s
                    if not recently:
                        greetings.append(self._greeting("recognised", seen.person_id, gallery, now, recorded=False))
                faces.append((seen.face.box, kind or "pending"))
            self._recent.extendleft(greetings)
            self._image, self._faces = frame.image, faces
            self._frame += 1

    def _remember(self, track_id: int, kind: str) -> None:
        self._track_kinds[track_id] = kind
        self._track_kinds.move_to_end(track_id)
        while len(self._track_kinds) > _REMEMBERED_TRACKS:
            self._track_kinds.popitem(last=False)

    def _greeting(
        self, kind: str, person_id: str | None, gallery: Gallery, now: float, *, recorded: bool = True
    ) -> Greeting:
        self._greeting_seq += 1
        if person_id is not None:
            self._last_greeted[person_id] = now
        return Greeting(
            seq=self._greeting_seq,
            kind=kind,  # type: ignore[arg-type]  # "recognised" | "unknown"
            person_id=person_id,
            name=gallery.display_name(person_id) if person_id is not None else None,
            ts=datetime.now(UTC),
            direction=self._direction,
            recorded=recorded,
        )

    # -- read by the HTTP server ---------------------------------------------------------

    def show_notice(self, title_vi: str, title_en: str, text_vi: str, text_en: str, show_s: float) -> Notice:
        """A notice from the hub (the show_alert command) on the screen for `show_s` seconds; a newer one replaces
        it."""
        notice = Notice(title_vi=title_vi, title_en=title_en, text_vi=text_vi, text_en=text_en,
                        until=datetime.now(UTC) + timedelta(seconds=show_s))  # fmt: skip
        with self._lock:
            self._notice = notice
        return notice

    def state(self) -> TerminalState:
        with self._lock:
            image, faces, frame = self._image, list(self._faces), self._frame
            recent = list(self._recent)
            notice = self._notice
        now = datetime.now(UTC)
        if notice is not None and notice.until <= now:
            notice = None
        width, height, scale = self._preview_size(image)
        return TerminalState(
            source="agent",
            device_id=self._device_id,
            ts=now,
            camera=self._camera() or ("streaming" if image is not None else "none"),
            frame=frame,
            frame_width=width,
            frame_height=height,
            faces=[FaceBox(box=tuple(round(v * scale, 1) for v in box), kind=kind) for box, kind in faces],  # type: ignore[arg-type]
            greeting=recent[0] if recent else None,
            recent=recent,
            hub_link=self._link(),
            direction=self._direction,
            greeting_s=self._settings.greeting_s,
            notice=notice,
        )

    def frame_jpeg(self) -> tuple[int, bytes] | None:
        """(frame counter, JPEG) of the latest frame, boxed; None before the first frame.

        Encodes at most `max_fps` times a second in all: a caller asking sooner, or for a frame
        already encoded, gets the last JPEG again.
        """
        with self._encode_lock:
            with self._lock:
                image, faces, frame = self._image, list(self._faces), self._frame
            if image is None:
                return None
            cached = self._jpeg
            too_soon = time.monotonic() - self._encoded_at < 1.0 / self._settings.max_fps
            if cached is not None and (cached[0] == frame or too_soon):
                return cached
            data = self._encode(image, faces)
            self._jpeg, self._encoded_at = (frame, data), time.monotonic()
            return frame, data

    def _encode(self, image: np.ndarray, faces: Sequence[tuple[tuple[float, float, float, float], str]]) -> bytes:
        import cv2  # only a device with a camera (and so OpenCV) ever has frames to encode

        width, height, scale = self._preview_size(image)
        preview = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA) if scale != 1.0 else image.copy()
        thickness = max(2, round(width / 240))
        for box, kind in faces:
            x1, y1, x2, y2 = (round(v * scale) for v in box)
            cv2.rectangle(preview, (x1, y1), (x2, y2), BOX_COLOURS.get(kind, BOX_COLOURS["pending"]), thickness)
        ok, data = cv2.imencode(".jpg", preview, [cv2.IMWRITE_JPEG_QUALITY, self._settings.jpeg_quality])
        if not ok:
            raise RuntimeError("OpenCV could not encode the preview frame")
        return data.tobytes()

    def _preview_size(self, image: np.ndarray | None) -> tuple[int, int, float]:
        if image is None:
            return 0, 0, 1.0
        height, width = image.shape[:2]
        scale = min(1.0, self._settings.preview_width / width)
        return max(1, round(width * scale)), max(1, round(height * scale)), scale

    def _camera(self) -> str | None:
        if self._camera_state is None:
            return None
        try:
            return self._camera_state()
        except Exception:  # the screen must keep answering even if a capability misbehaves
            log.exception("screen: camera state unavailable")
            return "unknown"

    def _link(self) -> str:
        if self._hub_link is None:
            return "unknown"
        try:
            connected = self._hub_link()
        except Exception:
            log.exception("screen: hub link state unavailable")
            return "unknown"
        return "unknown" if connected is None else ("online" if connected else "offline")


class ScreenServer(LocalHttpServer):
    """The screen feed of one `ScreenFeed` (state.json, frame.jpg) for the device's own browser."""

    def __init__(self, feed: ScreenFeed, host: str, port: int) -> None:
        super().__init__(_handler_for(feed), host, port, name="screen-http", what="screen feed (state.json, frame.jpg)")
        self.feed = feed


def _handler_for(feed: ScreenFeed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "cces-screen"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            try:
                if path == "/state.json":
                    self._send(200, "application/json", feed.state().model_dump_json().encode())
                elif path == "/frame.jpg":
                    latest = feed.frame_jpeg()
                    if latest is None:
                        self._send(404, "application/json", json.dumps({"error": "no camera frame yet"}).encode())
                    else:
                        self._send(200, "image/jpeg", latest[1], {"X-Frame": str(latest[0])})
                else:
                    self._send(404, "application/json", json.dumps({"error": f"no such path {path}"}).encode())
            except Exception as exc:  # an error is answered and logged; the server thread lives on
                log.exception("screen: %s failed", path)
                self._send(500, "application/json", json.dumps({"error": str(exc)[:200]}).encode())

        def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
            log.debug("screen: " + format, *args)

    return Handler


def start_screen(
    settings: AgentSettings, capabilities: Sequence[object], hub_link: Callable[[], bool]
) -> ScreenServer | None:
    """The agent's screen feed, hooked to its faceid capability; None when disabled or the port is taken.

    A screen that cannot start is logged, not fatal: the door keeps recording attendance.
    """
    if not settings.screen.enabled:
        return None
    if settings.screen.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("screen feed listens on %s: faces and names are readable from the network", settings.screen.host)
    faceid = next((c for c in capabilities if getattr(c, "name", None) == "faceid"), None)

    def camera_state() -> str | None:
        # looked up each time: a restart command swaps in a new faceid instance (in the same list)
        current = next((c for c in capabilities if getattr(c, "name", None) == "faceid"), None)
        metrics = getattr(current, "metrics", None)
        return str(metrics().get("camera_state")) if metrics is not None else None

    feed = ScreenFeed(
        settings.screen,
        device_id=settings.device_id,
        direction=settings.faceid.direction,
        hub_link=hub_link,
        camera_state=camera_state if faceid is not None else None,
    )
    if faceid is not None:
        faceid.frame_observer = feed.on_frame  # type: ignore[attr-defined]
    try:
        server = ScreenServer(feed, settings.screen.host, settings.screen.port)
    except OSError as exc:
        log.error(
            "screen feed not started: cannot listen on %s:%d (%s); set [screen] port to a free one",
            settings.screen.host,
            settings.screen.port,
            exc.strerror or exc,
        )
        return None
    server.start()
    return server
