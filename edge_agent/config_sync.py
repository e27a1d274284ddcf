"""Applying the hub's retained desired config (`cces/v1/devices/{id}/config`).

The link hands each config message to `on_message` (paho's thread: it only parses and queues);
a worker thread applies the newest one:

1. the gallery it names, when that is not the one on disk: fetched, verified and swapped in
   (`gallery_sync`); the faceid capability's watcher picks the new file up between two frames;
2. faceid threshold and cooldown, live; a changed camera restarts the capability;
3. a room display's room (`display_room`), when the config names one;
4. the rfid reader's settings (reader, port, zone, power, antennas, RSSI floor, window): handed to the
   capability, which reopens the reader when the reader, port or power changed;
5. the heartbeat interval.

Only when every step succeeded does `applied_version` become the config's version — the figure
the heartbeat reports as `config.version`, which the hub shows next to the desired one. A step
that failed (the hub's HTTPS endpoint unreachable, say) is retried with backoff; meanwhile the
device keeps running what it had. A config older than the one applied is ignored (a stale
retained message); the same version arriving again after a reconnect is applied again, which
changes nothing (the gallery on disk already has its version).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import ValidationError

from edge_agent.gallery_sync import GallerySyncError, fetch_gallery, gallery_files, install_gallery, installed_version
from edge_agent.rfid_settings import RfidSettings, with_hub_config
from edge_agent.settings import AgentSettings, CameraSettings, FaceIdSettings
from protocol.config import CameraConfig, DeviceConfig, FaceIdConfig
from protocol.telemetry import MetricValue

log = logging.getLogger(__name__)

RETRY_MIN_S = 2.0
RETRY_MAX_S = 300.0


@runtime_checkable
class Tunable(Protocol):
    """The faceid capability as config sync sees it: live tuning, and its settings (camera)."""

    name: str

    @property
    def settings(self) -> FaceIdSettings: ...

    def tune(self, threshold: float | None, cooldown_s: float | None) -> None: ...


@runtime_checkable
class RfidTunable(Protocol):
    """The rfid capability as config sync sees it: its own settings, and new ones to take."""

    name: str
    base_settings: RfidSettings

    def configure(self, settings: RfidSettings) -> None: ...


@runtime_checkable
class RoomFollower(Protocol):
    """The display capability as config sync sees it: the room whose display state it shows."""

    name: str

    def set_room(self, room: str | None) -> None: ...


#: replaces a running capability by a new instance (the agent's restart, shared with the restart command)
Restart = Callable[[str, object], object]


def camera_settings(camera: CameraConfig) -> CameraSettings:
    return CameraSettings(
        file=Path(camera.file) if camera.file is not None else None,
        device=camera.device,
        realtime=camera.realtime,
        loop=camera.loop,
    )


class ConfigSync:
    def __init__(
        self,
        settings: AgentSettings,
        capabilities: Sequence[object] = (),
        restart: Restart | None = None,
    ) -> None:
        self._settings = settings
        self._capabilities = capabilities  # the agent's own list: a restart replaces items in it
        self._restart = restart
        self._pending: DeviceConfig | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.applied_version: int | None = None
        self.applied: DeviceConfig | None = None
        self.error: str | None = None
        self.received = 0
        self.rejected = 0
        self.telemetry_interval_s: float | None = None
        self.applied_event = threading.Event()  # set after each successful apply (tests, commands)

    # -- input (paho's network thread) --------------------------------------------------------

    def on_message(self, payload: bytes) -> None:
        try:
            config = DeviceConfig.model_validate_json(payload)
        except ValidationError as exc:
            self.rejected += 1
            self.error = f"invalid config: {exc.errors()[0]['msg']}"
            log.error("ignored an invalid config message: %s", exc.errors()[0]["msg"])
            return
        self.received += 1
        with self._cond:
            if self.applied_version is not None and config.version < self.applied_version:
                log.warning("ignored config %d: version %d already applied", config.version, self.applied_version)
                return
            if self._pending is None or config.version >= self._pending.version:
                self._pending = config
            self._cond.notify()

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="config-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def sync_now(self) -> dict[str, MetricValue]:
        """Fetch the gallery of the latest config again, even when the file on disk has its version
        (the `resync_gallery` command: a file damaged on disk); returns what is installed."""
        config = self.applied or self._pending
        if config is None:
            raise GallerySyncError("no config received from the hub yet")
        self._sync_gallery(config, force=True)
        path, _ = gallery_files(self._settings)
        return {"gallery_version": installed_version(path), "config_version": config.version}

    def metrics(self) -> dict[str, MetricValue]:
        path, _ = gallery_files(self._settings)
        return {
            "version": self.applied_version,
            "gallery_version": installed_version(path),
            "error": self.error,
        }

    # -- the worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stop.is_set():
            with self._cond:
                while self._pending is None and not self._stop.is_set():
                    self._cond.wait(1.0)
                config = self._pending
            if config is None:
                return
            try:
                self.apply(config)
            except Exception as exc:  # keep what runs; retry the same config (or a newer one) later
                self.error = " ".join(str(exc).split())[:300]
                log.error("config %d not applied (retry in %.0f s): %s", config.version, delay, self.error)
                with self._cond:
                    self._cond.wait(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            delay = RETRY_MIN_S
            with self._cond:
                if self._pending is config:
                    self._pending = None

    def apply(self, config: DeviceConfig) -> None:
        """Apply one config in order (gallery, capabilities, heartbeat); raises when a step fails."""
        self._sync_gallery(config)
        faceid = config.faceid or FaceIdConfig()
        for capability in list(self._capabilities):
            if not isinstance(capability, Tunable):
                continue
            camera = camera_settings(faceid.camera) if faceid.camera is not None else None
            if camera is not None and camera != capability.settings.camera:
                if self._restart is None:
                    raise RuntimeError("a new camera needs a capability restart, which this agent cannot do")
                from edge_agent.capabilities.faceid import FaceIdCapability

                fresh = FaceIdCapability(capability.settings.model_copy(update={"camera": camera}))
                fresh.tune(faceid.threshold, faceid.cooldown_s)
                self._restart(capability.name, fresh)
                log.info("faceid restarted with camera %s for config %d", camera.file or camera.device, config.version)
            else:
                capability.tune(faceid.threshold, faceid.cooldown_s)
        for capability in list(self._capabilities):
            if isinstance(capability, RoomFollower):  # a room display moved to another room by the hub
                capability.set_room(config.display_room)
        for capability in list(self._capabilities):
            if isinstance(capability, RfidTunable):  # reader, antennas, zone, power: the capability applies them
                capability.configure(with_hub_config(capability.base_settings, config.rfid))
        self.telemetry_interval_s = config.telemetry_interval_s
        self.applied, self.applied_version, self.error = config, config.version, None
        self.applied_event.set()
        log.info("config %d applied (gallery %s)", config.version, config.gallery_version)

    def _sync_gallery(self, config: DeviceConfig, force: bool = False) -> None:
        if config.gallery_url is None or config.gallery_version is None:
            return
        if self._settings.simulated.enabled and not self._settings.faceid.enabled:
            # a simulated door (`cces demo`, a test rig) sends made-up events and recognises nobody: a gallery has no
            # use there, and such a device usually has no certificates to fetch one with
            log.info("gallery %s not fetched: this simulated device recognises no faces", config.gallery_version)
            return
        path, key_path = gallery_files(self._settings)
        if not force and installed_version(path) == config.gallery_version:
            return
        pack = config.model_pack or self._settings.faceid.pack
        if self._settings.faceid.enabled and pack != self._settings.faceid.pack:
            raise GallerySyncError(f"config names pack {pack}; this device runs {self._settings.faceid.pack}")
        payload = fetch_gallery(
            self._settings,
            config.gallery_url,
            pack_id=pack,
            expected_sha256=config.gallery_sha256,
            expected_version=config.gallery_version,
        )
        info = install_gallery(payload, path, key_path)
        log.info("gallery %s installed: %d embeddings of pack %s", info.version, info.rows, info.pack_id)
