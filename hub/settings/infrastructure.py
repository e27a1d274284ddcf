"""The sections of the hub's own plumbing: PostgreSQL, the MQTT broker, HTTP, /metrics, the ingest and
what it keeps (retention). The business modules' sections are in `hub.settings.modules`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    NoDecode,
)

from hub.settings.base import Section, address_list, flat


class DatabaseSettings(Section):
    """[database]: PostgreSQL and the connection pool."""

    FLAT_PREFIX: ClassVar[str] = "database_"
    url: str | None = Field(default=None, description="production PostgreSQL; empty = embedded pgserver")
    pool_max_size: int = Field(default=10, ge=2, le=200, json_schema_extra=flat("pool_max_size"))
    wait_s: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description="a request waits this long for a database connection (all busy, the database just went away),"
        " then is answered 503 with Retry-After; while connecting fails it waits only a moment",
    )
    reconnect_s: float = Field(
        default=5.0,
        ge=1,
        le=3600,
        description="a lost database connection is re-made in the background (with backoff) for this long, then"
        " again at the next request: bounds how long after an outage the hub may still answer 503",
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("expected postgresql://user:password@host:port/dbname")
        return value


class MqttSettings(Section):
    """[mqtt]: the broker the hub's MQTT clients connect to (hub.mqtt builds them), and the embedded one."""

    FLAT_PREFIX: ClassVar[str] = "mqtt_"
    url: str | None = Field(default=None, description="production broker, mqtt[s]://host:port; empty = embedded")
    username: str = "cces-hub"
    password: SecretStr | None = Field(default=None, description="the hub's broker password (production broker)")
    ca_file: Path | None = Field(default=None, description="CA of the broker's certificate (mqtts)")
    cert_file: Path | None = Field(default=None, description="the hub's client certificate (mutual TLS)")
    key_file: Path | None = Field(default=None, description="the key of that certificate")
    client_id: str = Field(default="cces-hub-ingest", description="stable: the broker keeps its queued QoS 1 messages")
    shared_subscription: bool = Field(
        default=False, description="join $share/cces-hub/… (Mosquitto and EMQX accept it from MQTT 3.1.1 clients too)"
    )
    version: Literal["3.1.1", "5"] = Field(
        default="3.1.1",
        description="the hub's MQTT protocol: 5 for Mosquitto/EMQX in production (the embedded amqtt speaks 3.1.1)",
    )
    device_url: str | None = Field(
        default=None,
        description="broker URL handed to devices; default: the hub's",
        json_schema_extra=flat("device_mqtt_url"),
    )
    embedded_broker: Literal["auto", "mosquitto", "amqtt"] = Field(
        default="auto",
        description="the embedded broker: auto = Mosquitto when its binary is installed, else amqtt in-process",
        json_schema_extra=flat("embedded_mqtt_broker"),
    )
    embedded_host: str = Field(default="127.0.0.1", json_schema_extra=flat("embedded_mqtt_host"))
    embedded_port: int = Field(default=1883, ge=1, le=65535, json_schema_extra=flat("embedded_mqtt_port"))

    @field_validator("url", "device_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
            raise ValueError(f"expected mqtt://host:port or mqtts://host:port, got {value!r}")
        return value

    @model_validator(mode="after")
    def _embedded_broker_speaks_3_1_1(self) -> MqttSettings:
        if self.version == "5" and self.url is None and self.embedded_broker != "mosquitto":
            raise ValueError(
                "mqtt_version 5 needs Mosquitto: a production broker (CCES_MQTT_URL) or"
                " CCES_EMBEDDED_MQTT_BROKER=mosquitto (the embedded amqtt speaks MQTT 3.1.1 only)"
            )
        return self


class HttpSettings(Section):
    """[http]: where the API and the UI listen, what they accept, and who they believe."""

    FLAT_PREFIX: ClassVar[str] = "http_"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        max_length=100,
        description="reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For/-Proto the hub"
        " believes; empty: none, the client address is the connection's own",
        json_schema_extra=flat("trusted_proxies"),
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description="largest request body of any route (413 above it); routes that take files allow the next",
    )
    max_upload_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        le=4 * 1024**3,
        description="largest request body of the routes that take files (employee import, the UI's photo upload)",
    )
    public_url: str | None = Field(
        default=None,
        description="the hub's address in mails' links (https://cces.example.gov.vn); default: http://host:port",
        json_schema_extra=flat("public_url"),
    )
    storage_secret: SecretStr | None = Field(
        default=None,
        description="NiceGUI session signing; generated if empty",
        json_schema_extra=flat("storage_secret"),
    )

    _check_proxies = field_validator("trusted_proxies", mode="before")(lambda cls, v: address_list(v))

    @property
    def base_url(self) -> str:
        """The hub's own address as people reach it (mail links)."""
        return self.public_url or f"http://{self.host}:{self.port}"


class MetricsSettings(Section):
    """[metrics]: who may read /metrics (with neither setting it answers 404)."""

    FLAT_PREFIX: ClassVar[str] = "metrics_"
    trusted: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        max_length=100,
        description="addresses or networks (comma-separated, as CCES_TRUSTED_PROXIES) that may read /metrics"
        " without a token; with neither this nor metrics_token /metrics is off (404)",
    )
    token: SecretStr | None = Field(
        default=None,
        min_length=16,
        max_length=512,
        description="a bearer token that may read /metrics from any address (Authorization: Bearer …);"
        " a user session never does",
    )

    _check_trusted = field_validator("trusted", mode="before")(lambda cls, v: address_list(v))


class IngestSettings(Section):
    """[ingest]: batching, backpressure and the contract checks of the MQTT ingest."""

    FLAT_PREFIX: ClassVar[str] = "ingest_"
    batch_size: int = Field(default=500, ge=1, le=50_000)
    batch_wait_ms: int = Field(default=50, ge=0, le=10_000)
    queue_size: int = Field(default=5_000, ge=10)
    receipts: bool = Field(
        default=True, description="publish commit receipts to devices (agents with await_receipts rely on them)"
    )
    max_future_s: int = Field(default=86_400, ge=0, description="events further ahead are rejected")
    stuck_after_s: int = Field(
        default=30, ge=1, le=3600, description="messages waiting this long with no commit: health says ingest is stuck"
    )


class RetentionSettings(Section):
    """[retention]: partitions made ahead, and how long events, rejects, telemetry and snapshots are kept."""

    FLAT_PREFIX: ClassVar[str] = "retention_"
    partitions_months_ahead: int = Field(default=3, ge=1, le=24, json_schema_extra=flat("partitions_months_ahead"))
    days_events: int = Field(default=1830, ge=31, description="attendance, RFID, device events: 5 years")
    days_rejects: int = Field(
        default=90, ge=1, le=3650, description="dead-lettered messages (ingest_rejects) are deleted after this"
    )
    days_telemetry: int = Field(default=92, ge=7, description="device heartbeats and metrics")
    snapshot_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="face snapshots of door events are deleted this many days after the event (the row stays)",
        json_schema_extra=flat("snapshot_retention_days"),
    )
