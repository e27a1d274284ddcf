"""Desired device configuration, published retained by the hub.

The device applies it and reports the `version` it runs in its telemetry (metric
`config.version`), so the hub can show, per device, the desired version next to the applied one
and see which devices lag behind. `version` only grows: a device ignores a config whose version
is lower than the one it runs (a stale retained message from a restored broker, say).

The gallery is named, not carried: `gallery_version` and `gallery_sha256` say which gallery the
device must run, `gallery_url` where to fetch it (HTTPS with the device's certificate, see
`protocol.gallery`). The digest arrives over the broker's mutual-TLS connection from the hub,
so a payload that does not hash to it is refused whoever served it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from protocol._base import UtcTimestamp, WireModel


class CameraConfig(WireModel):
    """Where the faceid capability reads frames: exactly one of `file` or `device`."""

    file: str | None = Field(default=None, max_length=1024, description="a video file played as the camera")
    device: int | str | None = Field(default=None, description="V4L2 index or a URL / device path")
    realtime: bool = True
    loop: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> CameraConfig:
        if (self.file is None) == (self.device is None):
            raise ValueError("camera: set exactly one of file or device")
        if isinstance(self.device, str) and len(self.device) > 1024:
            raise ValueError("camera.device: at most 1024 characters")
        return self


class FaceIdConfig(WireModel):
    """Door settings the hub may change while the device runs (None: keep the device's own)."""

    threshold: float | None = Field(default=None, gt=-1.0, lt=1.0, description="cosine; None: the pack's")
    cooldown_s: float | None = Field(default=None, ge=0, le=86_400)
    camera: CameraConfig | None = Field(default=None, description="a change restarts the capability")


RfidZone = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


class RfidAntennaConfig(WireModel):
    """One antenna port of the reader: its zone (a portal's inside / outside) and power, if not the reader's."""

    port: int = Field(ge=0, le=64)
    zone: RfidZone | None = None
    power_dbm: float | None = Field(default=None, ge=0, le=33)


class RfidConfig(WireModel):
    """The reader settings the hub may set (None: keep the device's own, from its agent.toml).

    A new `reader`, `port` or `power_dbm` reopens the reader; the rest applies at once."""

    reader: Literal["chafon", "yrm100", "wedge", "llrp"] | None = None
    port: str | None = Field(
        default=None, min_length=1, max_length=1024, description="serial or input device path, or host[:port]"
    )
    zone: RfidZone | None = None
    power_dbm: float | None = Field(default=None, ge=0, le=33)
    antennas: list[RfidAntennaConfig] | None = Field(default=None, max_length=64)
    rssi_floor_dbm: float | None = Field(default=None, ge=-128, le=20)
    dedup_s: float | None = Field(default=None, ge=0.1, le=3600)

    @model_validator(mode="after")
    def _antennas_once(self) -> RfidConfig:
        ports = [a.port for a in self.antennas or ()]
        if len(ports) != len(set(ports)):
            raise ValueError("rfid.antennas: each port once")
        return self


class DeviceConfig(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    version: int = Field(ge=0, description="monotonic config version")
    issued_at: UtcTimestamp
    telemetry_interval_s: float = Field(default=30.0, gt=0, le=3600)
    model_pack: str | None = Field(default=None, max_length=64)
    gallery_version: str | None = Field(default=None, max_length=64)
    gallery_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="of the payload bytes")
    gallery_url: str | None = Field(default=None, max_length=2048, description="https://…/v1/gallery/{pack}/{version}")
    gallery_people: int | None = Field(default=None, ge=0)
    display_room: str | None = Field(default=None, max_length=64)
    faceid: FaceIdConfig | None = None
    rfid: RfidConfig | None = None
    capabilities: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="settings of capabilities without a typed section above"
    )

    @model_validator(mode="after")
    def _gallery_complete(self) -> DeviceConfig:
        parts = (self.gallery_version, self.gallery_sha256, self.gallery_url)
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            raise ValueError("gallery_version, gallery_sha256 and gallery_url go together")
        if self.gallery_url is not None and not self.gallery_url.startswith("https://"):
            raise ValueError("gallery_url must be https://")
        return self
