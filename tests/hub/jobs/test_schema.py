"""The job queue's schema, as the hub's migrations build it, is procrastinate's own for the installed version.

procrastinate's schema comes in through hub/migrations (0210_job_queue.sql is its schema.sql of the
pinned version). A procrastinate upgrade that changes the schema without a hub migration bringing its
migration files fails here, naming what differs, before any worker meets a missing function.
"""

from __future__ import annotations

import psycopg
from procrastinate import SyncPsycopgConnector
from procrastinate.schema import SchemaManager

CATALOGUE = {
    "columns": "SELECT table_name, column_name, data_type, column_default, is_nullable"
    " FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'procrastinate%'",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid::regclass::text LIKE 'procrastinate%'",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'procrastinate%'",
    "functions": "SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)"
    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname = 'public' AND p.proname LIKE 'procrastinate%'",
    "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'procrastinate%'",
    "enums": "SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
    " WHERE t.typname LIKE 'procrastinate%'",
    "composites": "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_class c"
    " JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relkind = 'c' AND c.relname LIKE 'procrastinate%'",
}


def catalogue(database_url: str) -> dict[str, set[tuple[object, ...]]]:
    with psycopg.connect(database_url) as conn:
        return {name: set(conn.execute(sql).fetchall()) for name, sql in CATALOGUE.items()}  # type: ignore[arg-type]


def test_the_migrated_job_queue_schema_is_the_installed_procrastinates(
    database_url: str, empty_database_url: str
) -> None:
    connector = SyncPsycopgConnector(conninfo=empty_database_url)
    connector.open()
    try:
        SchemaManager(connector).apply_schema()
    finally:
        connector.close()
    ours, theirs = catalogue(database_url), catalogue(empty_database_url)
    assert ours["functions"] and ours["triggers"] and ours["columns"]
    for part in CATALOGUE:
        assert ours[part] == theirs[part], (
            f"{part}: only after hub/migrations: {sorted(ours[part] - theirs[part])};"
            f" only in procrastinate's schema.sql: {sorted(theirs[part] - ours[part])}"
        )
