"""The hub's one configuration object, in sections.

Read from environment variables over a TOML file (`--config` or `CCES_CONFIG`), over the defaults
written here: no other module keeps a default of its own. With no database or broker URL the hub
starts its embedded PostgreSQL and MQTT broker in the data dir.

The settings are grouped by section (`settings.database.url`, `settings.mqtt.client_id`, …), and a
TOML file may be written in sections (`[database]` / `url = …`). Every setting also keeps the one flat
name it always had — `CCES_DATABASE_URL`, `CCES_POOL_MAX_SIZE`, a flat `pool_max_size = 20` in an older
TOML file, `HubSettings(pool_max_size=20)` — so no deployment's environment breaks. `CCES_<SECTION>__<NAME>`
(`CCES_DATABASE__POOL_MAX_SIZE`) works too. `flat_names()` lists every flat name with its section and field.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

ENV_PREFIX = "CCES_"


class ConfigError(ValueError):
    """A configuration a person must fix; its message is one line naming what is wrong."""


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("cces", appauthor=False))


def _flat(name: str) -> Any:
    """The flat name of a section's field when it is not `<section prefix><field>` (its env name since ever)."""
    return {"flat": name}


def _address_list(value: object) -> object:
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


class Section(BaseModel):
    """One section of the settings. `FLAT_PREFIX` + the field's name is its flat (env) name unless the field
    names another (`json_schema_extra={"flat": …}`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
    FLAT_PREFIX: ClassVar[str] = ""

    @classmethod
    def flat_name(cls, field: str, info: FieldInfo) -> str:
        extra = info.json_schema_extra
        if isinstance(extra, dict) and isinstance(extra.get("flat"), str):
            return str(extra["flat"])
        return f"{cls.FLAT_PREFIX}{field}"


class DatabaseSettings(Section):
    """[database]: PostgreSQL and the connection pool."""

    FLAT_PREFIX: ClassVar[str] = "database_"
    url: str | None = Field(default=None, description="production PostgreSQL; empty = embedded pgserver")
    pool_max_size: int = Field(default=10, ge=2, le=200, json_schema_extra=_flat("pool_max_size"))
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
        json_schema_extra=_flat("device_mqtt_url"),
    )
    embedded_broker: Literal["auto", "mosquitto", "amqtt"] = Field(
        default="auto",
        description="the embedded broker: auto = Mosquitto when its binary is installed, else amqtt in-process",
        json_schema_extra=_flat("embedded_mqtt_broker"),
    )
    embedded_host: str = Field(default="127.0.0.1", json_schema_extra=_flat("embedded_mqtt_host"))
    embedded_port: int = Field(default=1883, ge=1, le=65535, json_schema_extra=_flat("embedded_mqtt_port"))

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
        json_schema_extra=_flat("trusted_proxies"),
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
        json_schema_extra=_flat("public_url"),
    )
    storage_secret: SecretStr | None = Field(
        default=None,
        description="NiceGUI session signing; generated if empty",
        json_schema_extra=_flat("storage_secret"),
    )

    _check_proxies = field_validator("trusted_proxies", mode="before")(lambda cls, v: _address_list(v))

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

    _check_trusted = field_validator("trusted", mode="before")(lambda cls, v: _address_list(v))


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
    partitions_months_ahead: int = Field(default=3, ge=1, le=24, json_schema_extra=_flat("partitions_months_ahead"))
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
        json_schema_extra=_flat("snapshot_retention_days"),
    )


class AccountsSettings(Section):
    """[accounts]: the first admin, sessions and sign-in limits (hub.accounts)."""

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


class BiometricsSettings(Section):
    """[biometrics]: enrollment photos, face model packs, office galleries (sinh trắc học)."""

    secret: SecretStr | None = Field(
        default=None,
        description="seals enrollment crops and embeddings at rest; generated into the data dir if empty",
        json_schema_extra=_flat("biometrics_secret"),
    )
    models_dir: Path | None = Field(default=None, description="installed face model packs (CCES_MODELS_DIR)")
    default_model_pack: str = Field(
        default="yunet-sface", description="checks enrollment photos; the pack of devices that report none"
    )
    gallery_rebuild_interval_s: float = Field(
        default=900, ge=10, le=86_400, description="scheduled gallery rebuild (must divide a minute, hour or day)"
    )


class DevicesSettings(Section):
    """[devices]: the device endpoint (galleries over mutual TLS), device certificates, command re-sends."""

    FLAT_PREFIX: ClassVar[str] = "device_"
    https_port: int = Field(
        default=8443, ge=0, le=65535, description="galleries for devices, client certificate required; 0: off"
    )
    https_host: str | None = Field(default=None, description="its bind address; default: http_host")
    https_url: str | None = Field(
        default=None, description="the base URL devices fetch from; default: https://<host>:<port>"
    )
    cert_days: int = Field(
        default=365, ge=1, le=3650, description="validity of device certificates; devices renew at 2/3 of it"
    )
    ca_passphrase: SecretStr | None = Field(
        default=None,
        description="encrypts the device CA key at rest; generated into the data dir if empty",
        json_schema_extra=_flat("ca_passphrase"),
    )
    command_resend_interval_s: float = Field(
        default=60,
        ge=1,
        le=86_400,
        description="unanswered device commands are sent again this often until expiry (divides a minute/hour/day)",
        json_schema_extra=_flat("command_resend_interval_s"),
    )


class JobsSettings(Section):
    """[jobs]: the job queue (hub.jobs)."""

    FLAT_PREFIX: ClassVar[str] = "jobs_"
    concurrency: int = Field(default=2, ge=1, le=16, description="jobs one hub process runs at the same time")
    retry_attempts: int = Field(
        default=5, ge=1, le=100, description="attempts of a failing job before it stays failed (shown with its error)"
    )
    retry_backoff_s: float = Field(
        default=30, gt=0, le=3600, description="wait after a job's first failure; doubled after each next one"
    )
    keep_days: int = Field(default=14, ge=1, le=3650, description="finished jobs and their log are kept this long")
    stalled_after_s: float = Field(
        default=30, ge=15, le=3600, description="a worker silent this long is taken for dead; its jobs run again"
    )


class MailSettings(Section):
    """[mail]: outgoing notification mail over SMTP (hub.notifications.mail)."""

    FLAT_PREFIX: ClassVar[str] = "smtp_"
    host: str | None = Field(default=None, description="SMTP server of outgoing mail; empty: no mail (inbox only)")
    port: int = Field(default=25, ge=1, le=65535)
    username: str | None = Field(default=None, description="SMTP login; empty: none")
    password: SecretStr | None = None
    starttls: bool = Field(default=False, description="STARTTLS after connecting (port 587)")
    ssl: bool = Field(default=False, description="implicit TLS from the start (port 465)")
    sender: str = Field(
        default="CCES <cces@localhost>",
        max_length=300,
        description="the From of every mail",
        json_schema_extra=_flat("smtp_from"),
    )
    timeout_s: float = Field(default=30, gt=0, le=600, description="per SMTP connection and command")
    max_attempts: int = Field(default=8, ge=1, le=100, description="tries of one mail before it stays failed")
    retry_backoff_s: float = Field(default=60, gt=0, le=86_400, description="wait after a mail's first failure")
    max_backoff_s: float = Field(default=21_600, gt=0, le=7 * 86_400, description="the longest wait between tries")
    send_interval_s: float = Field(
        default=15,
        ge=1,
        le=3600,
        description="the outbox is sent this often (divides a minute or an hour)",
        json_schema_extra=_flat("mail_send_interval_s"),
    )

    @field_validator("username", "password")
    @classmethod
    def _login_is_ascii(cls, value: str | SecretStr | None) -> str | SecretStr | None:
        """smtplib sends the SMTP login as ASCII: a login it cannot send is refused here, not at the first mail."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text and not text.isascii():
            raise ValueError("the SMTP login must be ASCII (smtplib sends it so)")
        return value

    @property
    def domain(self) -> str:
        """The right side of Message-IDs: the sender's mail domain."""
        found = self.sender.rsplit("@", 1)[-1].strip("> ") if "@" in self.sender else ""
        return found or "cces.local"


class NotificationsSettings(Section):
    """[notifications]: action links in mails, and how long notifications are kept."""

    FLAT_PREFIX: ClassVar[str] = "notify_"
    action_ttl_hours: float = Field(default=72, gt=0, le=24 * 90, description="action links in mails expire after this")
    action_secret: SecretStr | None = Field(
        default=None, description="signs action links; empty: <data_dir>/secrets/notify-action-secret (shared dir)"
    )
    keep_days: int = Field(default=180, ge=1, le=3650, description="notifications and sent mail kept this long")


class ImportSettings(Section):
    """[imports]: what one employee or org file (CSV/XLSX) may hold (hub.people.sheets)."""

    FLAT_PREFIX: ClassVar[str] = "import_"
    max_file_mb: float = Field(default=10, gt=0, le=1024, description="largest file (CSV or XLSX) an import reads")
    max_rows: int = Field(default=20_000, ge=1, le=1_048_575, description="data rows per file (header aside)")
    max_columns: int = Field(default=64, ge=8, le=16_384, description="columns holding anything, per row")
    max_cell_chars: int = Field(default=1_000, ge=64, le=100_000, description="characters in one cell")
    reader_memory_mb: int = Field(
        default=512,
        ge=256,
        le=65_536,
        description="address space of the separate process that reads an XLSX file (openpyxl loads a workbook's"
        " styles and strings whole: a crafted 10 MB file could otherwise take gigabytes of the hub's memory)",
    )
    reader_seconds: float = Field(default=60, gt=0, le=3600, description="time allowed to that process")


class AssetsSettings(Section):
    """[assets]: the EPC each asset's tag carries (protocol.epc.assets) and the first year's wear."""

    FLAT_PREFIX: ClassVar[str] = "assets_"
    gs1_company_prefix: str | None = Field(
        default=None,
        pattern=r"^[0-9]{6,12}$",
        description="the agency's GS1 company prefix (893…): assets get GIAI-96/GIAI-202; empty: GID-96",
    )
    gid_manager: int | None = Field(
        default=None, ge=0, le=(1 << 28) - 1, description="GID-96 general manager number, without a GS1 prefix"
    )
    gid_class: int = Field(default=1, ge=0, le=(1 << 24) - 1, description="GID-96 object class of assets")
    epc_filter: int = Field(default=0, ge=0, le=7, description="GIAI filter value (0 all others)")
    first_year_wear: Literal["full", "months", "next"] = Field(
        default="full",
        description="the year an asset is put into use: full year's wear at 31 Dec, months in use / 12, or none",
    )


class DocumentsSettings(Section):
    """[documents]: files of incoming documents (hub.documents.files) and handling deadlines (issue 15)."""

    FLAT_PREFIX: ClassVar[str] = "documents_"
    max_file_mb: float = Field(default=50, gt=0, le=1024, description="largest file of a document")
    scan_command: str | None = Field(
        default=None,
        max_length=1000,
        description="virus scanner run on every uploaded file, {path} its name (exit 0 clean, 1 infected);"
        " e.g. 'clamdscan --no-summary --fdpass {path}'; empty: no scan",
    )
    scan_timeout_s: float = Field(default=60, gt=0, le=3600, description="time allowed to the virus scanner")
    ocr_languages: str = Field(
        default="vie", pattern=r"^[a-z_]{3,16}(\+[a-z_]{3,16}){0,3}$", description="Tesseract languages of OCR"
    )
    remind_days: int = Field(
        default=1, ge=0, le=30, description="working days before a handling deadline the handlers are reminded"
    )
    deadline_check_s: float = Field(
        default=900, ge=60, le=86400, description="how often deadlines are checked (reminders and escalation)"
    )
    signing_key: Path | None = Field(
        default=None, description="the agency's private key (PEM/DER) that signs outgoing PDFs at release (PAdES)"
    )
    signing_cert: Path | None = Field(default=None, description="the agency's certificate (PEM/DER) beside that key")
    signing_chain: Path | None = Field(
        default=None, description="the intermediate CA certificates of that certificate (a PEM bundle)"
    )
    signing_key_passphrase: SecretStr | None = Field(default=None, description="the private key's passphrase")
    signing_trust_roots: Path | None = Field(
        default=None,
        description="root CA certificates (a PEM bundle) trusted when checking signed incoming PDFs;"
        " none: signatures are checked for integrity and shown as not trusted",
    )


class BackupSettings(Section):
    """[backup]: scheduled backups, their retention and alert (hub.backup)."""

    FLAT_PREFIX: ClassVar[str] = "backup_"
    dir: Path | None = Field(
        default=None, description="where backups go (best another disk or machine); set: a backup every interval"
    )
    secrets_dir: Path | None = Field(
        default=None, description="the encrypted secrets of each backup go here instead, apart from the rest"
    )
    passphrase: SecretStr | None = Field(default=None, description="encrypts the secrets, signs the manifest")
    passphrase_file: Path | None = Field(default=None, description="a file holding the passphrase instead")
    interval_s: int = Field(default=86400, ge=3600, le=86400, description="scheduled backups: how often")
    keep_daily: int = Field(default=7, ge=0, le=366, description="retention: newest backup of N last days")
    keep_weekly: int = Field(default=4, ge=0, le=520, description="… of N last ISO weeks")
    keep_monthly: int = Field(default=12, ge=0, le=1200, description="… of N last months")
    alert_after_h: float = Field(default=24, gt=0, le=24 * 31, description="alert: no success this long")
    pg_bin: Path | None = Field(default=None, description="folder of pg_dump/pg_restore (default: found)")


class MeetingsSettings(Section):
    """[meetings]: paperless meetings (hub.meetings): releasing unattended bookings."""

    FLAT_PREFIX: ClassVar[str] = "meetings_"
    checkin_minutes: int = Field(
        default=15, ge=1, le=240, description="a booking nobody checked in to this long after its start is released"
    )
    release_check_s: float = Field(default=60, ge=10, le=3600, description="how often unattended bookings are sought")


class HubSettings(BaseSettings):
    """Everything one hub process is configured with; built once (`load`) and handed to what needs it."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", toml_file=None)

    data_dir: Path = Field(default_factory=_default_data_dir, description="embedded database, broker secrets, files")
    role: Literal["all", "ingest", "api"] = Field(default="all", description="what this process runs")
    worker_name: str = Field(default_factory=lambda: f"{os.uname().nodename}-{os.getpid()}")
    log_level: str = "INFO"
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    mqtt: MqttSettings = Field(default_factory=MqttSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    accounts: AccountsSettings = Field(default_factory=AccountsSettings)
    biometrics: BiometricsSettings = Field(default_factory=BiometricsSettings)
    devices: DevicesSettings = Field(default_factory=DevicesSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    notifications: NotificationsSettings = Field(default_factory=NotificationsSettings)
    imports: ImportSettings = Field(default_factory=ImportSettings)
    assets: AssetsSettings = Field(default_factory=AssetsSettings)
    documents: DocumentsSettings = Field(default_factory=DocumentsSettings)
    backup: BackupSettings = Field(default_factory=BackupSettings)
    meetings: MeetingsSettings = Field(default_factory=MeetingsSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            _Nested(settings_cls, init_settings),
            _Environment(settings_cls),
            _NestedToml(settings_cls),
        )

    @classmethod
    def load(cls, config_file: Path | None = None, **overrides: object) -> HubSettings:
        """Settings from env over `config_file` (or `CCES_CONFIG`); ConfigError on any mistake.

        `overrides` (flat names or sections) win over both, as a command's own options do."""
        path = config_file or (Path(os.environ["CCES_CONFIG"]) if os.environ.get("CCES_CONFIG") else None)
        if path is not None and not path.is_file():
            raise ConfigError(f"config file not found: {path}")

        class _FromFile(cls):  # type: ignore[valid-type,misc]
            model_config = SettingsConfigDict(**{**cls.model_config, "toml_file": path})

        try:
            return _FromFile(**overrides)
        except ValidationError as exc:
            first = exc.errors()[0]
            source = f" in {path}" if path else ""
            where = _describe_location(tuple(str(p) for p in first["loc"]))
            if where is None:  # a rule across several settings: its message names them
                raise ConfigError(f"settings{source}: {first['msg'].removeprefix('Value error, ')}") from exc
            raise ConfigError(f"setting {where}{source}: {first['msg']}") from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc

    @property
    def uses_embedded_database(self) -> bool:
        return self.database.url is None

    @property
    def uses_embedded_broker(self) -> bool:
        return self.mqtt.url is None

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
        d = self.devices
        if d.https_url:
            return d.https_url.rstrip("/")
        if not d.https_port:
            return None
        return f"https://{d.https_host or self.http.host}:{d.https_port}"


# --- flat names: every setting's name before the sections, still read everywhere --------------------

SECTIONS: dict[str, type[Section]] = {
    name: info.annotation
    for name, info in HubSettings.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, Section)
}
TOP_LEVEL = tuple(name for name in HubSettings.model_fields if name not in SECTIONS)


def _flat_names() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for section, model in SECTIONS.items():
        for field, info in model.model_fields.items():
            flat = model.flat_name(field, info)
            if flat in names or flat in TOP_LEVEL or flat in SECTIONS:
                raise RuntimeError(f"two settings have the flat name {flat!r}")  # caught by any import in tests
            names[flat] = (section, field)
    return names


FLAT_NAMES: Mapping[str, tuple[str, str]] = _flat_names()


def flat_names() -> Iterator[tuple[str, str, str]]:
    """(flat name, section, field) of every sectioned setting; its env name is CCES_ + the flat name, upper."""
    for flat, (section, field) in FLAT_NAMES.items():
        yield flat, section, field


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat names (`pool_max_size`) moved into their sections (`database.pool_max_size`); sections and
    top-level names kept. Within one source a flat name and its section form: the later one wins."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in FLAT_NAMES:
            section, field = FLAT_NAMES[key]
            _section_dict(out, section)[field] = value
        elif key in SECTIONS and isinstance(value, Mapping | BaseModel):
            given = value.model_dump(exclude_unset=True) if isinstance(value, BaseModel) else dict(value)
            _section_dict(out, key).update(given)
        else:
            out[key] = value  # a top-level setting, or an unknown name extra="forbid" refuses by name
    return out


def _section_dict(out: dict[str, Any], section: str) -> dict[str, Any]:
    current = out.get(section)
    if not isinstance(current, dict):
        current = out[section] = {}
    return current


def _describe_location(loc: tuple[str, ...]) -> str | None:
    """'pool_max_size' (CCES_POOL_MAX_SIZE, [database] pool_max_size) for an error at database.pool_max_size."""
    if not loc or (len(loc) == 1 and loc[0] in SECTIONS):
        return None
    if loc[0] in SECTIONS and len(loc) >= 2:
        section, field = loc[0], loc[1]
        model = SECTIONS[section]
        info = model.model_fields.get(field)
        flat = model.flat_name(field, info) if info is not None else field
        return f"'{flat}' ({ENV_PREFIX}{flat.upper()}, [{section}] {field})"
    return f"'{'.'.join(loc)}' ({ENV_PREFIX}{loc[0].upper()})"


class _Nested(PydanticBaseSettingsSource):
    """Another source (the constructor's arguments) with its flat names put into sections."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self._inner = inner

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ gives the whole dict

    def __call__(self) -> dict[str, Any]:
        return nest(self._inner())


class _NestedToml(TomlConfigSettingsSource):
    """The TOML file (`toml_file`), in sections or with the flat names of older files."""

    def __call__(self) -> dict[str, Any]:
        return nest(super().__call__())


class _Environment(PydanticBaseSettingsSource):
    """CCES_<FLAT NAME> (every name the hub ever read) and CCES_<SECTION>__<FIELD>, case-insensitive; the
    section form wins when both are set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env = {key.upper(): value for key, value in os.environ.items() if key.upper().startswith(ENV_PREFIX)}
        out: dict[str, Any] = {}
        for name in TOP_LEVEL:
            if (value := env.get(f"{ENV_PREFIX}{name.upper()}")) is not None:
                out[name] = value
        for flat, (section, field) in FLAT_NAMES.items():
            value = env.get(f"{ENV_PREFIX}{section.upper()}__{field.upper()}", env.get(f"{ENV_PREFIX}{flat.upper()}"))
            if value is not None:
                _section_dict(out, section)[field] = value
        return out
