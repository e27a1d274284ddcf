"""Backup and restore time of a hub with 1,000,000 events and 1 GB of files (issue 19).

    cces bench backup [--events 1000000] [--files-mb 1024] [--file-kb 256] [--json] [--keep DIR]

Builds a hub's data dir on an embedded PostgreSQL (pgserver): the migrated schema, `--events` attendance
events over the last two months (one INSERT … SELECT; partitions made first), `--files-mb` of random
(incompressible) attachments in the content store, the biometrics key and a CA. Then times, with the
real code of `cces backup`: create (pg_dump in the exported snapshot, files tar, secrets sealed), verify
(every digest, pg_restore --list, every content-store name), and restore into a fresh data dir with its
own embedded PostgreSQL (verify again, pg_restore into a staging database, unpack, swap). Checks that the
restored hub has every event. Loading the data is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from hub.backup.archive import Source, Target
from hub.backup.dump import create_backup
from hub.backup.restore import restore_backup
from hub.backup.verify import verify_backup
from hub.biometrics.crypto import load_or_create_key
from hub.db import migrate
from hub.embedded.postgres import EmbeddedPostgres
from hub.files import ContentStore
from hub.ingest.repository import ensure_partitions
from provisioning.ca import CertificateAuthority

PASSPHRASE = "bench passphrase, long enough"


def _load(url: str, data_dir: Path, events: int, files_mb: int, file_kb: int) -> dict[str, float]:
    now = datetime.now(UTC)
    started = time.monotonic()
    with psycopg.connect(url) as conn:
        ensure_partitions(conn, now - timedelta(days=62), now + timedelta(days=1))
        conn.execute(
            "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, liveness, model, direction)"
            " SELECT gen_random_uuid(), %s - (i * interval '5 seconds'), 'door-' || (i %% 500), i,"
            " 'nv-' || lpad((i %% 10000)::text, 5, '0'), 0.7, 0.9, 'yunet-sface', 'in'"
            " FROM generate_series(1, %s) i",
            (now, events),
        )
        conn.execute("ANALYZE attendance_events")
    loaded_db = time.monotonic() - started
    store = ContentStore(data_dir / "files")
    count = files_mb * 1024 // file_kb
    for _ in range(count):
        store.put(os.urandom(file_kb * 1024))
    load_or_create_key(data_dir / "secrets")
    CertificateAuthority.create(data_dir / "ca", b"bench-ca-passphrase")
    return {"load_db_s": round(loaded_db, 1), "files": count}


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(events: int, files_mb: int, file_kb: int, workdir: Path) -> dict[str, object]:
    source_dir, target_dir, backups = workdir / "source", workdir / "target", workdir / "backups"
    source_pg = EmbeddedPostgres(source_dir)
    source_url = source_pg.start()
    try:
        migrate(source_url)
        loaded = _load(source_url, source_dir, events, files_mb, file_kb)
        with psycopg.connect(source_url) as conn:
            db_bytes = int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])  # type: ignore[index]
        started = time.monotonic()
        created = create_backup(Source(source_url, source_dir, embedded=True), backups, PASSPHRASE)
        create_s = time.monotonic() - started
    finally:
        source_pg.stop()
    started = time.monotonic()
    verify_backup(created.path, PASSPHRASE)
    verify_s = time.monotonic() - started

    target_pg = EmbeddedPostgres(target_dir)
    target_url = target_pg.start()
    try:
        started = time.monotonic()
        restore_backup(created.path, Target(target_dir, target_url, embedded=True), PASSPHRASE)
        restore_s = time.monotonic() - started
        with psycopg.connect(target_url) as conn:
            restored = int(conn.execute("SELECT count(*) FROM attendance_events").fetchone()[0])  # type: ignore[index]
    finally:
        target_pg.stop()
    pieces = {p["name"]: p["size"] for p in created.manifest["pieces"]}
    return {
        "events": events,
        "files": loaded["files"],
        "files_bytes": _size(source_dir / "files"),
        "database_bytes": db_bytes,
        "dump_bytes": pieces["database.dump"],
        "tar_bytes": pieces["files.tar"],
        "backup_bytes": created.size,
        "create_s": round(create_s, 1),
        "verify_s": round(verify_s, 1),
        "restore_s": round(restore_s, 1),
        "restored_events": restored,
        "restored_files_identical": _size(target_dir / "files") == _size(source_dir / "files"),
        "load_db_s": loaded["load_db_s"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cces bench backup", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--files-mb", type=int, default=1024)
    parser.add_argument("--file-kb", type=int, default=256, help="size of each attachment")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="cces-bench-backup-"))
    try:
        result = run(args.events, args.files_mb, args.file_kb, workdir)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
        return 0
    mb = 1024 * 1024
    print(
        f"hub: {result['events']:,} events (database {result['database_bytes'] / mb:,.0f} MB),"
        f" {result['files']:,} files ({result['files_bytes'] / mb:,.0f} MB)\n"
        f"backup:  {result['create_s']} s → {result['backup_bytes'] / mb:,.0f} MB"
        f" (dump {result['dump_bytes'] / mb:,.0f} MB, files {result['tar_bytes'] / mb:,.0f} MB)\n"
        f"verify:  {result['verify_s']} s\n"
        f"restore: {result['restore_s']} s (verify included); {result['restored_events']:,} events back,"
        f" files identical: {result['restored_files_identical']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
