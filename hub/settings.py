"""The hub's one configuration object.

Read from environment variables (`CCES_…`) over a TOML file (`--config` or `CCES_CONFIG`),
over the defaults written here: no other module keeps a default of its own. With no database
or broker URL the hub starts its embedded PostgreSQL and MQTT broker in the data dir.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


class ConfigError(ValueError):
    """A configuration a person must fix; its message is one line naming what is wrong."""


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("cces", appauthor=False))


class HubSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCES_", extra="forbid", toml_file=None)

    data_dir: Path = Field(default_factory=_default_data_dir, description="embedded database, broker secrets, files")
    database_url: str | None = Field(default=None, description="production PostgreSQL; empty = embedded pgserver")
    mqtt_url: str | None = Field(
        default=None, description="production broker, mqtt[s]://host:port; empty = embedded amqtt"
    )
    mqtt_username: str = "cces-hub"
    mqtt_password: SecretStr | None = Field(default=None, description="the hub's broker password (production broker)")
    mqtt_ca_file: Path | None = Field(default=None, description="CA of the broker's certificate (mqtts)")
    mqtt_cert_file: Path | None = Field(default=None, description="the hub's client certificate (mutual TLS)")
    mqtt_key_file: Path | None = Field(default=None, description="the key of that certificate")
    mqtt_client_id: str = Field(
        default="cces-hub-ingest", description="stable: the broker keeps its queued QoS 1 messages"
    )
    mqtt_shared_subscription: bool = Field(
        default=False, description="join $share/cces-hub/… (Mosquitto and EMQX accept it from MQTT 3.1.1 clients too)"
    )
    mqtt_version: Literal["3.1.1", "5"] = Field(
        default="3.1.1",
        description="the hub's MQTT protocol: 5 for Mosquitto/EMQX in production (the embedded amqtt speaks 3.1.1)",
    )
    device_mqtt_url: str | None = Field(default=None, description="broker URL handed to devices; default: the hub's")
    embedded_mqtt_host: str = "127.0.0.1"
    embedded_mqtt_port: int = Field(default=1883, ge=1, le=65535)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    http_max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description="largest request body of any route (413 above it); routes that take files allow the next",
    )
    http_max_upload_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        le=4 * 1024**3,
        description="largest request body of the routes that take files (employee import, the UI's photo upload)",
    )
    role: Literal["all", "ingest", "api"] = Field(default="all", description="what this process runs")
    worker_name: str = Field(default_factory=lambda: f"{os.uname().nodename}-{os.getpid()}")
    ingest_batch_size: int = Field(default=500, ge=1, le=50_000)
    ingest_batch_wait_ms: int = Field(default=50, ge=0, le=10_000)
    ingest_queue_size: int = Field(default=5_000, ge=10)
    ingest_receipts: bool = Field(
        default=True, description="publish commit receipts to devices (agents with await_receipts rely on them)"
    )
    ingest_max_future_s: int = Field(default=86_400, ge=0, description="events further ahead are rejected")
    partitions_months_ahead: int = Field(default=3, ge=1, le=24)
    retention_days_events: int = Field(default=1830, ge=31, description="attendance, RFID, device events: 5 years")
    retention_days_telemetry: int = Field(default=92, ge=7, description="device heartbeats and metrics")
    pool_max_size: int = Field(default=10, ge=2, le=200)
    storage_secret: SecretStr | None = Field(default=None, description="NiceGUI session signing; generated if empty")
    ca_passphrase: SecretStr | None = Field(
        default=None, description="encrypts the device CA key at rest; generated into the data dir if empty"
    )
    log_level: str = "INFO"
    device_cert_days: int = Field(
        default=365, ge=1, le=3650, description="validity of device certificates; devices renew at 2/3 of it"
    )
    # biometrics and galleries (sinh trắc học): enrollment photos, office galleries, the device endpoint
    biometrics_secret: SecretStr | None = Field(
        default=None, description="seals enrollment crops and embeddings at rest; generated into the data dir if empty"
    )
    models_dir: Path | None = Field(default=None, description="installed face model packs (CCES_MODELS_DIR)")
    default_model_pack: str = Field(
        default="yunet-sface", description="checks enrollment photos; the pack of devices that report none"
    )
    gallery_rebuild_interval_s: float = Field(default=900, ge=10, le=86_400, description="scheduled gallery rebuild")
    command_resend_interval_s: float = Field(
        default=60, ge=1, le=86_400, description="unanswered device commands are sent again this often until expiry"
    )
    device_https_port: int = Field(
        default=8443, ge=0, le=65535, description="galleries for devices, client certificate required; 0: off"
    )
    device_https_host: str | None = Field(default=None, description="its bind address; default: http_host")
    device_https_url: str | None = Field(
        default=None, description="the base URL devices fetch from; default: https://<host>:<port>"
    )
    # accounts (tài khoản): sessions and sign-in limits (hub.accounts)
    admin_password: SecretStr | None = Field(
        default=None, description="first 'admin' account's password; empty: generated into <data_dir>/admin-password"
    )
    session_idle_minutes: float = Field(default=30, gt=0, le=7 * 24 * 60, description="signed out after this idle time")
    session_max_hours: float = Field(default=12, gt=0, le=24 * 30, description="absolute session lifetime")
    session_cookie_secure: bool = Field(default=False, description="mark the session cookie Secure (hub behind HTTPS)")
    signin_max_failures: int = Field(default=5, ge=1, le=1000, description="per username within the window")
    signin_max_failures_per_ip: int = Field(default=20, ge=1, le=100_000, description="per client address")
    signin_window_minutes: float = Field(default=15, gt=0, le=24 * 60)
    signin_lockout_minutes: float = Field(default=15, gt=0, le=24 * 60, description="refused this long after the limit")
    password_min_length: int = Field(default=8, ge=6, le=128)

    @field_validator("mqtt_url", "device_mqtt_url")
    @classmethod
    def _check_mqtt_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
            raise ValueError(f"expected mqtt://host:port or mqtts://host:port, got {value!r}")
        return value

    @model_validator(mode="after")
    def _embedded_broker_speaks_3_1_1(self) -> HubSettings:
        if self.mqtt_version == "5" and self.mqtt_url is None:
            raise ValueError(
                "mqtt_version 5 needs a production broker (CCES_MQTT_URL): the embedded amqtt speaks MQTT 3.1.1 only"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("expected postgresql://user:password@host:port/dbname")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    @classmethod
    def load(cls, config_file: Path | None = None, **overrides: object) -> HubSettings:
        """Settings from env over `config_file` (or `CCES_CONFIG`); ConfigError on any mistake."""
        path = config_file or (Path(os.environ["CCES_CONFIG"]) if os.environ.get("CCES_CONFIG") else None)
        if path is not None and not path.is_file():
            raise ConfigError(f"config file not found: {path}")

        class _FromFile(cls):  # type: ignore[valid-type,misc]
            model_config = SettingsConfigDict(**{**cls.model_config, "toml_file": path})

        try:
            return _FromFile(**overrides)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            source = f" in {path}" if path else ""
            if not where:  # a rule across several settings: its message names them
                raise ConfigError(f"settings{source}: {first['msg'].removeprefix('Value error, ')}") from exc
            raise ConfigError(f"setting '{where}'{source}: {first['msg']}") from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def uses_embedded_broker(self) -> bool:
        return self.mqtt_url is None

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def ca_dir(self) -> Path:
        return self.data_dir / "ca"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def device_https_base_url(self) -> str | None:
        """Where devices fetch galleries (None when the device endpoint is off)."""
        if self.device_https_url:
            return self.device_https_url.rstrip("/")
        if not self.device_https_port:
            return None
        return f"https://{self.device_https_host or self.http_host}:{self.device_https_port}"
