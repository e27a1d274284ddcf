"""What each hub command does on this agent (`AgentCommands.handlers`): alerts on the screen, ping,
gallery re-sync, capability restarts, camera snapshots, outbox flushes, model pack updates. The channel
that receives, checks, deduplicates and answers them is `edge_agent.commands`."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from edge_agent.commands import CommandRefused, Handler
from protocol.commands import (
    FlushOutboxArgs,
    PackOffer,
    RestartCapabilityArgs,
    ShowAlertArgs,
    SnapshotArgs,
)

if TYPE_CHECKING:
    import numpy as np

    from edge_agent.agent import Agent
    from edge_agent.capabilities.base import Capability, EventSink


class AgentCommands:
    """The five commands of contract v1, carried out on a running `Agent`."""

    def __init__(self, agent: Agent, sink: EventSink) -> None:
        self._agent = agent
        self._sink = sink
        self._lock = threading.Lock()
        self._frame: tuple[np.ndarray, float] | None = None  # the faceid camera's latest frame, when seen
        for capability in agent.capabilities:
            self._watch_frames(capability)
        if agent.settings.faceid.enabled and any(c.name == "faceid" for c in agent.capabilities):
            from edge_agent.pack_update import PackUpdater

            agent.pack_updater = PackUpdater(agent.settings, self._restart_faceid, self._gallery_for_pack)

    def handlers(self) -> dict[str, Handler]:
        return {
            "ping": self.ping,
            "resync_gallery": self.resync_gallery,
            "restart_capability": self.restart_capability,
            "snapshot": self.snapshot,
            "flush_outbox": self.flush_outbox,
            "update_pack": self.update_pack,
            "show_alert": self.show_alert,
        }

    def show_alert(self, args: BaseModel) -> dict[str, Any]:
        """The hub's notice (a door portal's alert) on this device's screen feed, or on its room display page,
        for `show_s` seconds."""
        assert isinstance(args, ShowAlertArgs)
        server = getattr(self._agent, "screen", None)
        if server is None:
            display = next((c for c in self._agent.capabilities if c.name == "display"), None)
            if display is None or not hasattr(display, "show_alert"):
                raise CommandRefused("unavailable", "this device has no screen ([screen] or [display] is not enabled)")
            shown = display.show_alert(args.title_vi, args.title_en, args.text_vi, args.text_en, args.show_s)
            return {"shown": True, "until": shown.until.isoformat(), "on": "room display"}
        notice = server.feed.show_notice(args.title_vi, args.title_en, args.text_vi, args.text_en, args.show_s)
        return {"shown": True, "until": notice.until.isoformat()}

    def ping(self, _args: BaseModel) -> dict[str, Any]:
        agent = self._agent
        return {
            "pong": True,
            "uptime_s": round(agent.uptime_s, 1),
            "software_version": agent.settings.software_version,
            "capabilities": [c.name for c in agent.capabilities],
        }

    def resync_gallery(self, _args: BaseModel) -> dict[str, Any]:
        sync = getattr(self._agent, "gallery_sync", None)
        if sync is None:
            raise CommandRefused("unavailable", "this device has no gallery sync (no faceid gallery from the hub)")
        from edge_agent.gallery_sync import GallerySyncError

        try:
            result = sync.sync_now()
        except GallerySyncError as exc:  # no config yet, no hub endpoint, a gallery that does not verify
            raise CommandRefused("unavailable", str(exc)) from exc
        return dict(result) if isinstance(result, Mapping) else {"result": str(result)}

    def restart_capability(self, args: BaseModel) -> dict[str, Any]:
        assert isinstance(args, RestartCapabilityArgs)
        with self._lock:
            return self.restart(args.capability)

    def restart(self, name: str, replacement: Capability | None = None) -> dict[str, Any]:
        """Stop capability `name` and start a fresh instance (from the settings, or `replacement`)."""
        agent = self._agent
        index = next((i for i, c in enumerate(agent.capabilities) if c.name == name), None)
        if index is None:
            known = ", ".join(c.name for c in agent.capabilities) or "none"
            raise CommandRefused("unavailable", f"no capability {name!r} on this device (running: {known})")
        old = agent.capabilities[index]
        started = time.monotonic()
        old.stop()
        new = replacement or _fresh(agent, old)
        if (observer := getattr(old, "frame_observer", None)) is not None and hasattr(new, "frame_observer"):
            new.frame_observer = observer  # the door screen (and our snapshot) keep watching
        new.start(self._sink)
        agent.capabilities[index] = new
        if replacement is not None or new is not old:
            self._watch_frames(new)
        return {"capability": name, "restarted": True, "seconds": round(time.monotonic() - started, 2)}

    def snapshot(self, args: BaseModel) -> dict[str, Any]:
        assert isinstance(args, SnapshotArgs)
        import cv2  # only a device with a camera gets here

        if self._frame is None:
            raise CommandRefused("unavailable", "no camera frame yet (is faceid running on this device?)")
        image, seen_at = self._frame
        height, width = image.shape[:2]
        scale = min(1.0, args.max_side / max(height, width))
        if scale < 1.0:
            image = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, args.quality])
        if not ok:
            raise CommandRefused("failed", "the frame could not be encoded as JPEG")
        return {
            "jpeg_base64": base64.b64encode(data.tobytes()).decode("ascii"),
            "width": int(image.shape[1]),
            "height": int(image.shape[0]),
            "bytes": len(data),
            "age_s": round(time.monotonic() - seen_at, 2),
        }

    def flush_outbox(self, args: BaseModel) -> dict[str, Any]:
        """Wait (up to `timeout_s`) for what the outbox holds to reach the broker; report the backlog."""
        assert isinstance(args, FlushOutboxArgs)
        agent = self._agent
        outbox, link = agent.outbox, agent.link
        if outbox is None or link is None:
            raise CommandRefused("unavailable", "the agent is not running")
        before = outbox.stats().pending_count
        deadline = time.monotonic() + args.timeout_s
        while outbox.stats().pending_count > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        after = outbox.stats().pending_count
        return {"pending_before": before, "pending_after": after, "drained": after == 0, "connected": link.connected}

    def update_pack(self, args: BaseModel) -> dict[str, Any]:
        """Switch to an offered model pack, or keep the one in use (see edge_agent.pack_update)."""
        assert isinstance(args, PackOffer)
        from edge_agent.pack_update import PackUpdateError

        updater = getattr(self._agent, "pack_updater", None)
        if updater is None:
            raise CommandRefused("unavailable", "this device runs no faceid capability to update")
        try:
            result = updater.apply(args)
        except PackUpdateError as exc:
            raise CommandRefused("failed", f"{exc}; still running {updater.active}") from exc
        agent = self._agent  # a later restart_capability must start the pack in use, not the original one
        agent.settings = agent.settings.model_copy(update={"faceid": updater.faceid})
        return result

    def _restart_faceid(self, settings: Any, timeout_s: float = 120.0) -> str:
        """faceid on these settings; returns its state once it has loaded (running) or failed."""
        from edge_agent.capabilities.faceid import FaceIdCapability

        fresh = FaceIdCapability(settings)
        with self._lock:
            self.restart("faceid", fresh)
        deadline = time.monotonic() + timeout_s
        while fresh.state in ("idle", "loading") and time.monotonic() < deadline:
            time.sleep(0.05)
        return fresh.state

    def _gallery_for_pack(self, pack_id: str) -> Any:
        """This office's current gallery for `pack_id`, from the hub's device endpoint (H7's fetch)."""
        from edge_agent.gallery_sync import fetch_gallery
        from protocol.gallery import GALLERY_PATH

        base = self._agent.settings.hub_device_url
        if not base:
            raise CommandRefused("unavailable", "no hub_device_url: cannot fetch the gallery for a new pack")
        url = f"{base.rstrip('/')}{GALLERY_PATH}/{pack_id}"
        return fetch_gallery(self._agent.settings, url, pack_id=pack_id, expected_sha256=None)

    def _watch_frames(self, capability: Capability) -> None:
        """Keep a reference to the faceid camera's latest frame (no copy), for `snapshot`."""
        if not hasattr(capability, "frame_observer"):
            return
        previous = capability.frame_observer
        if getattr(previous, "_keeps_snapshot", False):
            return

        def observe(frame: Any, result: Any, gallery: Any) -> None:
            self._frame = (frame.image, time.monotonic())
            if previous is not None:
                previous(frame, result, gallery)

        observe._keeps_snapshot = True  # type: ignore[attr-defined]
        capability.frame_observer = observe


def _fresh(agent: Agent, old: Capability) -> Capability:
    """A new instance of a capability made from the agent's settings (else the old one, restarted)."""
    settings = agent.settings
    if old.name == "faceid" and settings.faceid.enabled:
        from edge_agent.capabilities.faceid import FaceIdCapability

        return FaceIdCapability(settings.faceid)
    if old.name == "simulated" and settings.simulated.enabled:
        from edge_agent.capabilities.simulated import SimulatedCapability

        return SimulatedCapability(settings.simulated)
    return old
