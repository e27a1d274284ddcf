"""The hub's health and ingest figures (`services.ingest_figures`): what the health route, the ingest
routes and the home page show, each method checking its action of `hub.ingest.access`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts.principal import Principal
from hub.ingest import access
from hub.ingest import repository as ingest_repo

if TYPE_CHECKING:
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
    ingest: str = "n/a"  # "ok", "n/a" on an API-only node, or "down: …" / "stuck: …"
    ingest_detail: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.mqtt in ("ok", "n/a") and self.ingest in ("ok", "n/a")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "degraded",
            "database": self.database,
            "mqtt": self.mqtt,
            "ingest": self.ingest,
            "ingest_detail": self.ingest_detail,
            "version": self.version,
        }


class IngestFigures:
    """Health (public), ingest totals and refused payloads over the pool and this process's ingest consumer."""

    def __init__(self, pool: ConnectionPool, ingest: IngestService | None) -> None:
        self.pool = pool
        self.ingest = ingest  # None on an API-only node (its ingest reads "n/a")

    def health(self) -> HealthReport:
        """The database, the broker link and ingest of this process (ingest.health: public, no session)."""
        try:
            with self.pool.connection(timeout=2.0) as conn:
                ingest_repo.ping(conn)
            database = "ok"
        except Exception as exc:  # any failure means down; the reason is reported, not raised
            database = f"down: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        if self.ingest is None:
            return HealthReport(database=database, mqtt="n/a", version=cces_version())  # an API-only node
        state = self.ingest.health()
        return HealthReport(
            database=database,
            mqtt="ok" if state.connected else "down: not connected to the broker",
            version=cces_version(),
            ingest=state.problem or "ok",
            ingest_detail={
                "writer_alive": state.writer.alive,
                "writer_restarts": state.writer.restarts,
                "writer_last_error": state.writer.last_error,
                "backlog": state.backlog,
                "last_commit_age_s": round(state.last_commit_age_s, 1),
            },
        )

    def stats(self, principal: Principal) -> dict[str, int]:
        """Totals over all ingest workers (ingest.stats): accepted, duplicates, rejected."""
        gate.check(principal, access.STATS)
        with self.pool.connection() as conn:
            return ingest_repo.ingest_stats(conn)

    def recent_rejects(
        self, principal: Principal, limit: int, max_bytes: int, before_id: int | None = None, offset: int = 0
    ) -> list[ingest_repo.RejectRow]:
        """Dead-lettered payloads, newest first (ingest.rejects: they hold raw device payloads)."""
        gate.check(principal, access.REJECTS)
        with self.pool.connection() as conn:
            return ingest_repo.recent_rejects(conn, limit, max_bytes, before_id, offset)
