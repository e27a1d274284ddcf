"""`HubSettings`, the one object a hub process is configured with: its top-level settings and one field
per section. How its sources read flat names is `hub.settings.names`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from hub.settings.base import ENV_PREFIX, ConfigError, default_data_dir
from hub.settings.infrastructure import (
    DatabaseSettings,
    HttpSettings,
    IngestSettings,
    MetricsSettings,
    MqttSettings,
    RetentionSettings,
)
from hub.settings.modules import (
    AccountsSettings,
    AssetsSettings,
    BackupSettings,
    BiometricsSettings,
    DevicesSettings,
    DocumentsSettings,
    ImportSettings,
    JobsSettings,
    MailSettings,
    MeetingsSettings,
    NotificationsSettings,
)


class HubSettings(BaseSettings):
    """Everything one hub process is configured with; built once (`load`) and handed to what needs it."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", toml_file=None)

    data_dir: Path = Field(default_factory=default_data_dir, description="embedded database, broker secrets, files")
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
        # the sources read the flat-name map, which is derived from this class: imported once it exists
        from hub.settings.names import Environment, Nested, NestedToml

        return (
            Nested(settings_cls, init_settings),
            Environment(settings_cls),
            NestedToml(settings_cls),
        )

    @classmethod
    def load(cls, config_file: Path | None = None, **overrides: object) -> HubSettings:
        """Settings from env over `config_file` (or `CCES_CONFIG`); ConfigError on any mistake.

        `overrides` (flat names or sections) win over both, as a command's own options do."""
        from hub.settings.names import describe_location

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
            where = describe_location(tuple(str(p) for p in first["loc"]))
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
