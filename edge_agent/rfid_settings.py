"""Settings of the agent's `rfid` capability (`[rfid]` in agent.toml); the hub may override the reader,
its antennas, zone and power, the RSSI floor and the de-duplication window (`protocol.config.RfidConfig`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from protocol.config import RfidConfig

ZONE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
ReaderKind = Literal["chafon", "yrm100", "wedge", "llrp"]


class AntennaSettings(BaseModel):
    """One antenna port: its zone (a door portal's inside / outside) and transmit power, if not the reader's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    port: int = Field(ge=0, le=64)
    zone: str | None = Field(default=None, pattern=ZONE_PATTERN)
    power_dbm: float | None = Field(default=None, ge=0, le=33)


class RfidSettings(BaseModel):
    """A reader, where it reads, and how its reads become `rfid.read` events (README: RFID readers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    reader: ReaderKind = Field(
        default="chafon", description="chafon (UHFReader18), yrm100, wedge (USB keyboard), llrp (network, sllurp)"
    )
    port: str | None = Field(
        default=None,
        max_length=1024,
        description="serial device (/dev/serial/by-id/…), the wedge's input device (/dev/input/by-id/…-event-kbd)"
        " or an LLRP reader's host[:port] (port 5084 by default)",
    )
    baudrate: int | None = Field(default=None, ge=1200, le=921_600, description="default: the reader kind's")
    name: str = Field(default="reader-1", pattern=ZONE_PATTERN, description="the reader's name in events")
    zone: str | None = Field(default=None, pattern=ZONE_PATTERN, description="where it reads (a room code)")
    power_dbm: float | None = Field(default=None, ge=0, le=33, description="transmit power; None: the reader's own")
    antennas: tuple[AntennaSettings, ...] = Field(default=(), max_length=64)
    rssi_floor_dbm: float | None = Field(
        default=None, ge=-128, le=20, description="reads weaker than this are ignored (readers without RSSI pass)"
    )
    dedup_s: float = Field(default=10.0, ge=0.1, le=3600, description="one event per (EPC, antenna) per window")
    batch_s: float = Field(default=0.5, ge=0.05, le=60, description="how often new reads are stored as events")
    zone_absent_s: float = Field(
        default=60.0, ge=1, le=86_400, description="a tag not read in a zone for this long has left it"
    )
    decode: bool = Field(default=True, description="add the decoded EPC (scheme, pure URI) to each event")
    reconnect_min_s: float = Field(default=0.5, gt=0, le=60)
    reconnect_max_s: float = Field(default=30.0, gt=0, le=3600)

    @model_validator(mode="after")
    def _complete(self) -> RfidSettings:
        if self.enabled and not self.port:
            raise ValueError("rfid is enabled but rfid.port is not set")
        ports = [a.port for a in self.antennas]
        if len(ports) != len(set(ports)):
            raise ValueError("rfid.antennas: each port once")
        return self

    def zone_of(self, antenna: int) -> str | None:
        for item in self.antennas:
            if item.port == antenna and item.zone is not None:
                return item.zone
        return self.zone


def with_hub_config(base: RfidSettings, config: RfidConfig | None) -> RfidSettings:
    """The device's own settings (agent.toml) with what the hub's config sets over them; a field the hub
    leaves out (None) keeps the device's own, so clearing it on the hub goes back to agent.toml's."""
    if config is None:
        return base
    changes: dict[str, object] = {
        name: getattr(config, name)
        for name in ("reader", "port", "zone", "power_dbm", "rssi_floor_dbm", "dedup_s")
        if getattr(config, name) is not None
    }
    if config.antennas is not None:
        changes["antennas"] = tuple(AntennaSettings(**a.model_dump()) for a in config.antennas)
    return RfidSettings.model_validate({**base.model_dump(), **changes})
