"""What the API and the UI may ask of the hub: one object over the pool and running parts.

The UI never writes SQL; it calls these methods, which call each domain's repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg_pool import ConnectionPool

from hub.devices import repository as devices_repo
from hub.ingest import repository as ingest_repo
from hub.ingest.consumer import IngestService

VERSION_UNKNOWN = "0.0.0"


def cces_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return VERSION_UNKNOWN


@dataclass
class HealthReport:
    database: str
    mqtt: str
    version: str

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.mqtt in ("ok", "n/a")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "degraded",
            "database": self.database,
            "mqtt": self.mqtt,
            "version": self.version,
        }


class HubServices:
    def __init__(self, pool: ConnectionPool, ingest: IngestService | None) -> None:
        self.pool = pool
        self.ingest = ingest

    def health(self) -> HealthReport:
        try:
            with self.pool.connection(timeout=2.0) as conn:
                conn.execute("SELECT 1")
            database = "ok"
        except Exception as exc:  # any failure means down; the reason is reported, not raised
            database = f"down: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        if self.ingest is None:
            mqtt = "n/a"  # an API-only node does not consume MQTT
        else:
            mqtt = "ok" if self.ingest.connected else "down: not connected to the broker"
        return HealthReport(database=database, mqtt=mqtt, version=cces_version())

    def ingest_stats(self) -> dict[str, int]:
        with self.pool.connection() as conn:
            return ingest_repo.ingest_stats(conn)

    def recent_rejects(self, limit: int, offset: int) -> list[ingest_repo.RejectRow]:
        with self.pool.connection() as conn:
            return ingest_repo.recent_rejects(conn, limit, offset)

    def devices(self) -> list[devices_repo.Device]:
        with self.pool.connection() as conn:
            return devices_repo.list_devices(conn)
