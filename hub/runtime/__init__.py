"""The hub's running parts, started in dependency order and stopped in reverse.

database (embedded or production) → migrations → broker (embedded or production) →
connection pool → ingest → … → the job queue's worker. The HTTP server is composed on top by the
`cces hub` command. Whatever was started is stopped again, also when a later part fails to start.

Scheduled and background work (partitions and retention, snapshot retention, command re-send rounds,
gallery rebuilds) runs on the job queue (hub.jobs), once across hub processes. What stays here, on the
`hub-maintenance` thread, is per process by nature: warming this process's report cache (its memory).

The package: `runtime` (`HubRuntime`: the order of starting and stopping), `parts` (each part built
from the settings), `connections` (the database and the broker, production or embedded).
"""

from hub.runtime.connections import device_broker_url, resolve_database
from hub.runtime.runtime import MAINTENANCE_TICK_S, HubRuntime

__all__ = ["MAINTENANCE_TICK_S", "HubRuntime", "device_broker_url", "resolve_database"]
