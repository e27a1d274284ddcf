"""The agent: wires the outbox, the MQTT link, the capabilities and a telemetry heartbeat.

It owns their lifecycle and nothing else: capabilities write events to the outbox through an
`EventSink`, the link drains the outbox, and the heartbeat reports the outbox's health so the
hub can see a device falling behind (pending rows, bytes, telemetry dropped by the budget).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from edge_agent.capabilities.base import Capability, ReadsBroker, ReportsMetrics
from edge_agent.capabilities.simulated import SimulatedCapability
from edge_agent.link import MqttLink
from edge_agent.outbox import Outbox
from edge_agent.outbox_file import Event
from edge_agent.settings import AgentSettings
from protocol.telemetry import MetricValue, Telemetry
from protocol.topics import Topics

if TYPE_CHECKING:
    from edge_agent.config_sync import ConfigSync

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)


class OutboxSink:
    """The `EventSink` capabilities see: stores each event (with its seq) in the outbox."""

    def __init__(self, device_id: str, outbox: Outbox) -> None:
        self._device_id = device_id
        self._outbox = outbox

    @property
    def device_id(self) -> str:
        return self._device_id

    @property
    def last_seq(self) -> int:
        return self._outbox.last_seq()

    def emit(self, build: Callable[[int], E]) -> E:
        _, event = self._outbox.put_new_event(build)
        return event

    def emit_many(self, builds: Sequence[Callable[[int], E]]) -> list[E]:
        """Many events in one outbox transaction (`BatchSink`)."""
        return self._outbox.put_new_events(builds)


def capabilities_from(settings: AgentSettings) -> list[Capability]:
    """The capabilities the settings enable."""
    found: list[Capability] = []
    if settings.simulated.enabled:
        found.append(SimulatedCapability(settings.simulated))
    if settings.faceid.enabled:
        # imported only when enabled: it pulls in onnxruntime and OpenCV, which an RFID-only device may lack
        from edge_agent.capabilities.faceid import FaceIdCapability

        found.append(FaceIdCapability(settings.faceid))
    if settings.rfid.enabled:
        from edge_agent.capabilities.rfid import RfidCapability  # pyserial/evdev only where a reader is

        found.append(RfidCapability(settings.rfid))
    if settings.display.enabled:
        from edge_agent.capabilities.display import DisplayCapability  # a room's screen (no hardware library)

        found.append(DisplayCapability(settings.display, settings.data_dir))
    return found


class Agent:
    """One device's agent process; `run` blocks until `stop_event` is set."""

    def __init__(self, settings: AgentSettings, capabilities: Sequence[Capability] | None = None) -> None:
        self.settings = settings
        if capabilities is None and settings.faceid.enabled:
            from edge_agent.pack_update import with_active_pack  # the pack an update switched to

            settings = self.settings = with_active_pack(settings)
        self.capabilities = list(capabilities) if capabilities is not None else capabilities_from(settings)
        self.outbox: Outbox | None = None
        self.link: MqttLink | None = None
        self.commands = None  # the CommandRunner (edge_agent.commands) while running
        self.renewer = None  # the CertificateRenewer (edge_agent.renewal) when it can renew
        self.pack_updater = None  # the PackUpdater (edge_agent.pack_update) on a faceid device
        self.screen = None  # the door screen's feed server (edge_agent.screen) when [screen] is enabled
        self.config_sync: ConfigSync | None = None  # applies the hub's desired config (edge_agent.config_sync)
        self.gallery_sync: ConfigSync | None = None  # the same object, under the name the commands use
        self.started = threading.Event()
        self._started_at = time.monotonic()

    def run(self, stop_event: threading.Event) -> None:
        """Start everything, send a heartbeat every `telemetry_interval_s`, shut down cleanly on stop."""
        s = self.settings
        self._started_at = time.monotonic()
        outbox = Outbox(s.outbox_path, max_bytes=s.outbox_max_bytes)
        self.outbox = outbox
        try:
            if s.tls_cert_file is not None and s.tls_key_file is not None:
                from edge_agent.renewal import recover_identity  # a renewal a power cut interrupted

                recover_identity(s.tls_cert_file, s.tls_key_file)
            link = MqttLink(s, outbox, capabilities=[c.name for c in self.capabilities])
        except BaseException:
            outbox.close()
            raise
        self.link = link
        started: list[Capability] = []
        screen = None
        try:
            from edge_agent.command_handlers import AgentCommands
            from edge_agent.commands import CommandRunner

            # subscribed before the first "online" reaches the hub, which sends pending commands again then;
            # they wait in the runner until the capabilities they act on run
            self.commands = CommandRunner(s.device_id, outbox, {})
            self.commands.listen(link)
            for capability in self.capabilities:  # the room display: subscribed before the first connection
                if isinstance(capability, ReadsBroker):
                    capability.attach_link(link)
            link.start()
            if s.renewal.enabled and s.hub_device_url and s.tls_cert_file and s.tls_ca_file:
                from edge_agent.renewal import CertificateRenewer

                self.renewer = CertificateRenewer(s, link.reload_identity)
                self.renewer.start()
            if s.screen.enabled:  # imported only when enabled, like faceid
                from edge_agent.screen import start_screen

                self.screen = screen = start_screen(s, self.capabilities, lambda: link.connected)
            sink = OutboxSink(s.device_id, outbox)
            for capability in self.capabilities:
                capability.start(sink)
                started.append(capability)
            commands = AgentCommands(self, sink)
            self.commands.start(link, commands.handlers())
            from edge_agent.config_sync import ConfigSync  # the hub's retained desired config

            self.gallery_sync = self.config_sync = ConfigSync(s, self.capabilities, restart=commands.restart)
            self.config_sync.start()
            link.subscribe(Topics(s.device_id).config, 1, self.config_sync.on_message)
            log.info(
                "agent %s running: capabilities %s, outbox %s (%d pending)",
                s.device_id,
                [c.name for c in started] or "none",
                s.outbox_path,
                outbox.stats().pending_count,
            )
            self.started.set()
            while not stop_event.is_set():
                self._heartbeat(outbox, link)
                stop_event.wait(self.config_sync.telemetry_interval_s or s.telemetry_interval_s)
        finally:
            if self.renewer is not None:
                self.renewer.stop()
            if self.config_sync is not None:
                self.config_sync.stop()
            if self.commands is not None:
                self.commands.stop()
            # the instances running now: a restart_capability command may have replaced some
            for capability in reversed(self.capabilities[: len(started)]):
                try:
                    capability.stop()
                except Exception:
                    log.exception("capability %s did not stop cleanly", capability.name)
            if screen is not None:
                screen.stop()
            link.stop(reason="shutdown")
            outbox.close()
            log.info("agent %s stopped", s.device_id)

    @property
    def uptime_s(self) -> float:
        return time.monotonic() - self._started_at

    def _heartbeat(self, outbox: Outbox, link: MqttLink) -> None:
        stats = outbox.stats()
        telemetry = Telemetry(
            device_id=self.settings.device_id,
            ts=datetime.now(UTC),
            uptime_s=round(time.monotonic() - self._started_at, 3),
            software_version=self.settings.software_version,
            outbox_pending=stats.pending_count,
            outbox_bytes=stats.pending_bytes,
            telemetry_dropped=stats.telemetry_dropped,
            metrics={
                "connected": link.connected,
                "outbox_over_budget": outbox.over_budget,
                "mqtt_connects": link.connects,
                "mqtt_published": link.published,
                "mqtt_acknowledged": link.acknowledged,
                **self._capability_metrics(),
                **self._config_metrics(),
                **({f"cert.{k}": v for k, v in self.renewer.metrics().items()} if self.renewer else {}),
                **({f"pack.{k}": v for k, v in self.pack_updater.metrics().items()} if self.pack_updater else {}),
            },
        )
        outbox.put_telemetry(telemetry)

    def _config_metrics(self) -> dict[str, MetricValue]:
        """`config.version` (the desired config this device runs), its gallery version, the last error."""
        if self.config_sync is None:
            return {}
        return {f"config.{key}": value for key, value in self.config_sync.metrics().items()}

    def _capability_metrics(self) -> dict[str, MetricValue]:
        """Each capability's own metrics, keyed `<capability>.<metric>`; a failing one is logged, not fatal."""
        merged: dict[str, MetricValue] = {}
        for capability in self.capabilities:
            if not isinstance(capability, ReportsMetrics):
                continue
            try:
                values = capability.metrics()
            except Exception:
                log.exception("capability %s could not report its metrics", capability.name)
                continue
            merged.update({f"{capability.name}.{key}": value for key, value in values.items()})
        return merged
