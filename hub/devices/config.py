"""Desired device configuration: what an admin sets, and the retained config each device gets.

Each device has a row of desired settings (None: keep the device's own) and a config `version`.
`sync` builds every device's `protocol.config.DeviceConfig` from that row, the registry and the
current gallery of its office for its pack; when the content differs from what was last
published, the version goes up by one and the config is published retained (QoS 1) on
`cces/v1/devices/{id}/config`. Only a publish the broker acknowledged is recorded, so a config
that could not be sent is sent by the next sync, with the same new version.

The device reports the version it runs in its heartbeat (`config.version`); `state` puts the
two side by side for the UI (applied vs desired).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

from psycopg_pool import ConnectionPool
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.accounts.audit import ActorLike, AuditSink
from hub.devices import repository as repo
from hub.devices.models import UnknownDevice
from hub.inputs import Code, FiniteFloat, ShortText, Text
from protocol.config import CameraConfig, DeviceConfig, FaceIdConfig, RfidAntennaConfig, RfidConfig
from protocol.gallery import GALLERY_PATH
from protocol.topics import Topics

log = logging.getLogger(__name__)


class ConfigPublisher(Protocol):
    """Publishes one retained config; True once the broker acknowledged it."""

    def publish_retained(self, topic: str, payload: bytes) -> bool: ...


class CameraChange(CameraConfig):
    """The contract's camera source, read with the hub's input types (`protocol` cannot import them)."""

    file: Text | None = Field(default=None, max_length=1024, description="a video file played as the camera")
    device: Annotated[int, Field(ge=0, le=1024)] | Annotated[ShortText, Field(max_length=1024)] | None = Field(
        default=None, description="V4L2 index or a URL / device path"
    )

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """The contract's whole-message check (if it has one) is done field by field by the types above,
        so that a refusal names the field (`camera.file`), in Vietnamese and English."""
        return data


class RfidAntennaChange(RfidAntennaConfig):
    """One antenna as an admin sets it; refusals name the field (see CameraChange)."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        return data


class RfidChange(RfidConfig):
    """The contract's reader settings, with the port read as the hub's text input (no controls, trimmed)."""

    port: ShortText | None = Field(default=None, description="device path")
    antennas: list[RfidAntennaChange] | None = Field(default=None, max_length=64)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        return data  # checked field by field (see CameraChange)


class DesiredConfigChanges(BaseModel):
    """A partial update of a device's desired config: fields present change, `null` clears one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: FiniteFloat | None = Field(default=None, gt=-1.0, lt=1.0, description="cosine; null: the pack's")
    cooldown_s: FiniteFloat | None = Field(default=None, ge=0, le=86_400)
    camera: CameraChange | None = None
    display_room: Code | None = Field(default=None, pattern=r"^[a-z0-9-]{1,64}$")
    model_pack: Code | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")
    telemetry_interval_s: FiniteFloat | None = Field(default=None, gt=0, le=3600)
    rfid: RfidChange | None = Field(default=None, description="the RFID reader: reader, port, zone, power, antennas")

    @model_validator(mode="after")
    def _says_something(self) -> DesiredConfigChanges:
        if not self.model_fields_set:
            raise ValueError(f"nothing to change: give at least one of {', '.join(repo.DESIRED_COLUMNS)}")
        return self

    @field_validator("display_room", "model_pack", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value

    def columns(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            values[name] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        return values


@dataclass(frozen=True)
class ConfigState:
    """Desired vs applied, for the devices page."""

    device_id: str
    desired: repo.DesiredConfigRow
    desired_version: int
    published_at: datetime | None
    applied_version: int | None  # from the latest heartbeat; None: never reported
    applied_gallery_version: str | None
    desired_gallery_version: str | None

    @property
    def in_sync(self) -> bool:
        return self.applied_version == self.desired_version


def _content(source: repo.ConfigSource, gallery_base_url: str | None) -> dict[str, Any]:
    """The config without version and time: what the content hash covers."""
    d = source.desired
    faceid = FaceIdConfig(
        threshold=d.threshold,
        cooldown_s=d.cooldown_s,
        camera=CameraConfig.model_validate(d.camera) if d.camera else None,
    )
    content: dict[str, Any] = {
        "model_pack": source.pack_id,
        "display_room": d.display_room or (source.room if source.kind == "display" else None),
        "faceid": faceid.model_dump(mode="json"),
    }
    if d.telemetry_interval_s is not None:
        content["telemetry_interval_s"] = d.telemetry_interval_s
    if d.rfid:  # only when set: a device without it keeps its config hash (and version)
        content["rfid"] = RfidConfig.model_validate(d.rfid).model_dump(mode="json", exclude_none=True)
    if source.gallery_version is not None and gallery_base_url:
        content["gallery_version"] = source.gallery_version
        content["gallery_sha256"] = source.gallery_sha256
        content["gallery_people"] = source.gallery_people
        content["gallery_url"] = (
            f"{gallery_base_url.rstrip('/')}{GALLERY_PATH}/{source.pack_id}/{source.gallery_version}"
        )
    return content


def _hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class DeviceConfigService:
    def __init__(
        self,
        pool: ConnectionPool,
        publisher: ConfigPublisher | None,
        *,
        gallery_base_url: str | None,
        default_pack: str,
        audit: AuditSink | None = None,
    ) -> None:
        self._audit = audit
        self.pool = pool
        self.publisher = publisher
        self.gallery_base_url = gallery_base_url
        self.default_pack = default_pack
        self._lock = threading.Lock()

    def desired(self, device_id: str) -> repo.DesiredConfigRow:
        with self.pool.connection() as conn:
            row = repo.desired_config(conn, device_id)
        if row is None:
            raise UnknownDevice(f"no device has the id {device_id!r}")
        return row

    def update(self, device_id: str, changes: DesiredConfigChanges, actor: ActorLike) -> repo.DesiredConfigRow:
        """Store an admin's change and publish the device's new config at once."""
        with self.pool.connection() as conn, conn.transaction():
            before = repo.desired_config(conn, device_id)
            row = repo.set_desired_config(conn, device_id, changes.columns(), actor.username)
            if row is None:
                raise UnknownDevice(f"no device has the id {device_id!r}")
            if self._audit is not None:
                old = {k: getattr(before, k) for k in changes.columns()} if before else None
                self._audit(conn, actor, "device.config", "device", device_id, before=old, after=changes.columns())
        self.sync([device_id])
        return self.desired(device_id)

    def sync(self, device_ids: list[str] | None = None, *, republish: bool = False) -> list[DeviceConfig]:
        """Publish every changed config (all devices' when `republish`, e.g. at hub start); returns those sent."""
        sent: list[DeviceConfig] = []
        with self._lock, self.pool.connection() as conn, conn.transaction():
            if device_ids is None:
                repo.ensure_desired_rows(conn)
            for source in repo.config_sources(conn, device_ids, self.default_pack):
                content = _content(source, self.gallery_base_url)
                digest = _hash(content)
                changed = digest != source.desired.published_hash
                if not changed and not republish:
                    continue
                version = source.desired.version + 1 if changed else source.desired.version
                config = DeviceConfig(version=version, issued_at=datetime.now(UTC), **content)
                if not self._publish(source.desired.device_id, config):
                    continue
                if changed:
                    repo.set_published(conn, source.desired.device_id, version, digest)
                sent.append(config)
        return sent

    def _publish(self, device_id: str, config: DeviceConfig) -> bool:
        if self.publisher is None:
            return False
        ok = self.publisher.publish_retained(Topics(device_id).config, config.model_dump_json().encode())
        if ok:
            log.info("config %d published to %s (gallery %s)", config.version, device_id, config.gallery_version)
        else:
            log.warning("config %d for %s not acknowledged by the broker; retried at the next sync", config.version,
                        device_id)  # fmt: skip
        return ok

    def state(self, device_id: str) -> ConfigState:
        with self.pool.connection() as conn:
            row = repo.desired_config(conn, device_id)
            if row is None:
                raise UnknownDevice(f"no device has the id {device_id!r}")
            sources = repo.config_sources(conn, [device_id], self.default_pack)
            latest = repo.latest_telemetry(conn, device_id)
        metrics = latest.metrics if latest else {}
        applied = metrics.get("config.version")
        return ConfigState(
            device_id=device_id,
            desired=row,
            desired_version=row.version,
            published_at=row.published_at,
            applied_version=int(applied) if isinstance(applied, int | float) else None,
            applied_gallery_version=metrics.get("config.gallery_version")
            if isinstance(metrics.get("config.gallery_version"), str)
            else None,
            desired_gallery_version=sources[0].gallery_version if sources else None,
        )
