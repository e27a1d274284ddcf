"""The hub's one configuration object, in sections.

Read from environment variables over a TOML file (`--config` or `CCES_CONFIG`), over the defaults
written here: no other module keeps a default of its own. With no database or broker URL the hub
starts its embedded PostgreSQL and MQTT broker in the data dir.

The settings are grouped by section (`settings.database.url`, `settings.mqtt.client_id`, …), and a
TOML file may be written in sections (`[database]` / `url = …`). Every setting also keeps the one flat
name it always had — `CCES_DATABASE_URL`, `CCES_POOL_MAX_SIZE`, a flat `pool_max_size = 20` in an older
TOML file, `HubSettings(pool_max_size=20)` — so no deployment's environment breaks. `CCES_<SECTION>__<NAME>`
(`CCES_DATABASE__POOL_MAX_SIZE`) works too. `flat_names()` lists every flat name with its section and field.

The package: `base` (the `Section` base, `ConfigError`), `infrastructure` and `modules` (the sections),
`model` (`HubSettings`), `names` (the flat-name map and the sources reading through it). Importers use
the names re-exported here.
"""

from hub.settings.base import ENV_PREFIX, ConfigError, Section
from hub.settings.infrastructure import (
    DatabaseSettings,
    HttpSettings,
    IngestSettings,
    MetricsSettings,
    MqttSettings,
    RetentionSettings,
)
from hub.settings.model import HubSettings
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
from hub.settings.names import FLAT_NAMES, SECTIONS, TOP_LEVEL, flat_names, nest

__all__ = [
    "ENV_PREFIX",
    "FLAT_NAMES",
    "SECTIONS",
    "TOP_LEVEL",
    "AccountsSettings",
    "AssetsSettings",
    "BackupSettings",
    "BiometricsSettings",
    "ConfigError",
    "DatabaseSettings",
    "DevicesSettings",
    "DocumentsSettings",
    "HttpSettings",
    "HubSettings",
    "ImportSettings",
    "IngestSettings",
    "JobsSettings",
    "MailSettings",
    "MeetingsSettings",
    "MetricsSettings",
    "MqttSettings",
    "NotificationsSettings",
    "RetentionSettings",
    "Section",
    "flat_names",
    "nest",
]
