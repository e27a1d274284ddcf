"""The hub's one configuration object.

Read from environment variables (`CCES_…`) over a TOML file (`--config` or `CCES_CONFIG`),
over the defaults written here: no other module keeps a default of its own. With no database
or broker URL the hub starts its embedded PostgreSQL and MQTT broker in the data dir.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


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
    embedded_mqtt_broker: Literal["auto", "mosquitto", "amqtt"] = Field(
        default="auto",
        description="the embedded broker: auto = Mosquitto when its binary is installed, else amqtt in-process",
    )
    embedded_mqtt_host: str = "127.0.0.1"
    embedded_mqtt_port: int = Field(default=1883, ge=1, le=65535)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        max_length=100,
        description="reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For/-Proto the hub"
        " believes; empty: none, the client address is the connection's own",
    )
    metrics_trusted: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        max_length=100,
        description="addresses or networks (comma-separated, as CCES_TRUSTED_PROXIES) that may read /metrics"
        " without a token; with neither this nor metrics_token /metrics is off (404)",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        min_length=16,
        max_length=512,
        description="a bearer token that may read /metrics from any address (Authorization: Bearer …);"
        " a user session never does",
    )
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
    ingest_stuck_after_s: int = Field(
        default=30, ge=1, le=3600, description="messages waiting this long with no commit: health says ingest is stuck"
    )
    partitions_months_ahead: int = Field(default=3, ge=1, le=24)
    retention_days_events: int = Field(default=1830, ge=31, description="attendance, RFID, device events: 5 years")
    retention_days_rejects: int = Field(
        default=90, ge=1, le=3650, description="dead-lettered messages (ingest_rejects) are deleted after this"
    )
    retention_days_telemetry: int = Field(default=92, ge=7, description="device heartbeats and metrics")
    snapshot_retention_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="face snapshots of door events are deleted this many days after the event (the row stays)",
    )
    pool_max_size: int = Field(default=10, ge=2, le=200)
    database_wait_s: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description="a request waits this long for a database connection (all busy, the database just went away),"
        " then is answered 503 with Retry-After; while connecting fails it waits only a moment",
    )
    database_reconnect_s: float = Field(
        default=5.0,
        ge=1,
        le=3600,
        description="a lost database connection is re-made in the background (with backoff) for this long, then"
        " again at the next request: bounds how long after an outage the hub may still answer 503",
    )
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
    gallery_rebuild_interval_s: float = Field(
        default=900, ge=10, le=86_400, description="scheduled gallery rebuild (must divide a minute, hour or day)"
    )
    command_resend_interval_s: float = Field(
        default=60,
        ge=1,
        le=86_400,
        description="unanswered device commands are sent again this often until expiry (divides a minute/hour/day)",
    )
    # --- the job queue (hub.jobs, issue 13 item 7) ---
    jobs_concurrency: int = Field(default=2, ge=1, le=16, description="jobs one hub process runs at the same time")
    jobs_retry_attempts: int = Field(
        default=5, ge=1, le=100, description="attempts of a failing job before it stays failed (shown with its error)"
    )
    jobs_retry_backoff_s: float = Field(
        default=30, gt=0, le=3600, description="wait after a job's first failure; doubled after each next one"
    )
    jobs_keep_days: int = Field(default=14, ge=1, le=3650, description="finished jobs and their log are kept this long")
    jobs_stalled_after_s: float = Field(
        default=30, ge=15, le=3600, description="a worker silent this long is taken for dead; its jobs run again"
    )
    # --- notifications and mail (hub.notifications) ---
    public_url: str | None = Field(
        default=None, description="the hub's address in mails' links (https://cces.example.gov.vn); default: http_host"
    )
    smtp_host: str | None = Field(default=None, description="SMTP server of outgoing mail; empty: no mail (inbox only)")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = Field(default=None, description="SMTP login; empty: none")
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = Field(default=False, description="STARTTLS after connecting (port 587)")
    smtp_ssl: bool = Field(default=False, description="implicit TLS from the start (port 465)")
    smtp_from: str = Field(default="CCES <cces@localhost>", max_length=300, description="the From of every mail")
    smtp_timeout_s: float = Field(default=30, gt=0, le=600, description="per SMTP connection and command")
    smtp_max_attempts: int = Field(default=8, ge=1, le=100, description="tries of one mail before it stays failed")
    smtp_retry_backoff_s: float = Field(default=60, gt=0, le=86_400, description="wait after a mail's first failure")
    smtp_max_backoff_s: float = Field(default=21_600, gt=0, le=7 * 86_400, description="the longest wait between tries")
    mail_send_interval_s: float = Field(
        default=15, ge=1, le=3600, description="the outbox is sent this often (divides a minute or an hour)"
    )
    notify_action_ttl_hours: float = Field(
        default=72, gt=0, le=24 * 90, description="action links in mails expire after this"
    )
    notify_action_secret: SecretStr | None = Field(
        default=None, description="signs action links; empty: <data_dir>/secrets/notify-action-secret (shared dir)"
    )
    notify_keep_days: int = Field(default=180, ge=1, le=3650, description="notifications and sent mail kept this long")
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
    # employee import (nhập danh sách nhân viên, hub.people.sheets): what one CSV/XLSX file may hold
    import_max_file_mb: float = Field(
        default=10, gt=0, le=1024, description="largest employee file (CSV or XLSX) an import reads"
    )
    import_max_rows: int = Field(default=20_000, ge=1, le=1_048_575, description="data rows per file (header aside)")
    import_max_columns: int = Field(default=64, ge=8, le=16_384, description="columns holding anything, per row")
    import_max_cell_chars: int = Field(default=1_000, ge=64, le=100_000, description="characters in one cell")
    import_reader_memory_mb: int = Field(
        default=512,
        ge=256,
        le=65_536,
        description="address space of the separate process that reads an XLSX file (openpyxl loads a workbook's"
        " styles and strings whole: a crafted 10 MB file could otherwise take gigabytes of the hub's memory)",
    )
    import_reader_seconds: float = Field(
        default=60, gt=0, le=3600, description="time allowed to that process; it is stopped after it"
    )
    # --- rfid: the EPC each asset's tag carries (protocol.epc.assets, DOMAIN.md §12.2) ---
    assets_gs1_company_prefix: str | None = Field(
        default=None,
        pattern=r"^[0-9]{6,12}$",
        description="the agency's GS1 company prefix (893…): assets get GIAI-96/GIAI-202; empty: GID-96",
    )
    assets_gid_manager: int | None = Field(
        default=None, ge=0, le=(1 << 28) - 1, description="GID-96 general manager number, without a GS1 prefix"
    )
    assets_gid_class: int = Field(default=1, ge=0, le=(1 << 24) - 1, description="GID-96 object class of assets")
    assets_epc_filter: int = Field(default=0, ge=0, le=7, description="GIAI filter value (0 all others)")
    # --- end rfid ---
    # --- assets: wear (hub.assets.wear; DOMAIN.md §12.1 gives no partial-year rule: [U], so a setting) ---
    assets_first_year_wear: Literal["full", "months", "next"] = Field(
        default="full",
        description="the year an asset is put into use: full year's wear at 31 Dec, months in use / 12, or none",
    )

    # --- backups (hub.backup, issue 19) ---------------------------------------------------------
    backup_dir: Path | None = Field(
        default=None, description="where backups go (best another disk or machine); set: a backup every interval"
    )
    backup_secrets_dir: Path | None = Field(
        default=None, description="the encrypted secrets of each backup go here instead, apart from the rest"
    )
    backup_passphrase: SecretStr | None = Field(default=None, description="encrypts the secrets, signs the manifest")
    backup_passphrase_file: Path | None = Field(default=None, description="a file holding the passphrase instead")
    backup_interval_s: int = Field(default=86400, ge=3600, le=86400, description="scheduled backups: how often")
    backup_keep_daily: int = Field(default=7, ge=0, le=366, description="retention: newest backup of N last days")
    backup_keep_weekly: int = Field(default=4, ge=0, le=520, description="… of N last ISO weeks")
    backup_keep_monthly: int = Field(default=12, ge=0, le=1200, description="… of N last months")
    backup_alert_after_h: float = Field(default=24, gt=0, le=24 * 31, description="alert: no success this long")
    backup_pg_bin: Path | None = Field(default=None, description="folder of pg_dump/pg_restore (default: found)")
    # --- end of backups ---------------------------------------------------------------------------

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
        if self.mqtt_version == "5" and self.mqtt_url is None and self.embedded_mqtt_broker != "mosquitto":
            raise ValueError(
                "mqtt_version 5 needs Mosquitto: a production broker (CCES_MQTT_URL) or"
                " CCES_EMBEDDED_MQTT_BROKER=mosquitto (the embedded amqtt speaks MQTT 3.1.1 only)"
            )
        return self

    @field_validator("trusted_proxies", "metrics_trusted", mode="before")
    @classmethod
    def _check_trusted_proxies(cls, value: object) -> object:
        """'10.0.0.1, 10.1.0.0/16' (env) or a TOML list; each an IP address or network, nothing else."""
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return value
        cleaned = [str(item).strip() for item in items if str(item).strip()]
        for item in cleaned:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/24)") from None
        return cleaned

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("expected postgresql://user:password@host:port/dbname")
        return value

    @field_validator("smtp_username", "smtp_password")
    @classmethod
    def _smtp_login_is_ascii(cls, value: str | SecretStr | None) -> str | SecretStr | None:
        """smtplib sends the SMTP login as ASCII: a login it cannot send is refused here, not at the first mail."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text and not text.isascii():
            raise ValueError("the SMTP login must be ASCII (smtplib sends it so)")
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
        """The content store; earlier versions kept face snapshots here in clear (sealed away at start)."""
        return self.data_dir / "files"

    @property
    def snapshots_dir(self) -> Path:
        """Face snapshots of door events, sealed (hub.snapshots.store)."""
        return self.data_dir / "snapshots"

    @property
    def device_https_base_url(self) -> str | None:
        """Where devices fetch galleries (None when the device endpoint is off)."""
        if self.device_https_url:
            return self.device_https_url.rstrip("/")
        if not self.device_https_port:
            return None
        return f"https://{self.device_https_host or self.http_host}:{self.device_https_port}"
