"""A backup taken from a real PostgreSQL database and data dir, verified, restored elsewhere — and refused
when tampered with, with a wrong passphrase, or onto a hub that is not empty, with nothing changed."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from hub.accounts import audit
from hub.backup.archive import Source, Target
from hub.backup.crypto import Kdf, Keys
from hub.backup.dump import create_backup
from hub.backup.models import BackupError
from hub.backup.restore import restore_backup
from hub.backup.verify import verify_backup
from hub.biometrics.crypto import load_or_create_key
from hub.db import migrate
from hub.files import ContentStore
from hub.snapshots.store import SnapshotEvent, SnapshotStore
from provisioning.ca import CertificateAuthority
from tests.conftest import drop_database, new_database

pytestmark = pytest.mark.timeout(180)

PASSPHRASE = "một cụm mật khẩu đủ dài / long enough"


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` → its SHA-256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def table_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
        return int(row[0]) if row else 0


def events(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT id, ts, device_id, seq, person_id FROM attendance_events ORDER BY id").fetchall()


class Hub:
    """A hub's data: a migrated database with events and an audit row, files, snapshots, secrets, a CA."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        self.data_dir = data_dir
        sealer = load_or_create_key(data_dir / "secrets")
        self.snapshot = SnapshotEvent("attendance", uuid.uuid4(), datetime(2026, 12, 1, 1, tzinfo=UTC))
        self.snapshot_name = SnapshotStore(data_dir / "snapshots", sealer).put(self.snapshot, b"\xff\xd8\xff jpeg")
        self.attachments = [ContentStore(data_dir / "files").put(f"attachment {i}".encode() * 1000) for i in range(5)]
        CertificateAuthority.create(data_dir / "ca", b"ca-passphrase")
        (data_dir / "secrets" / "ca-passphrase").write_text("ca-passphrase")
        (data_dir / "admin-password").write_text("first admin password")
        now = datetime.now(UTC)
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model)"
                " SELECT gen_random_uuid(), %s - i * interval '1 minute', 'door-01', i, 'nv-' || i, 0.7, 'yunet-sface'"
                " FROM generate_series(1, 300) i",
                (now,),
            )
            audit.record(conn, audit.CLI_ACTOR, "backup.restore", "backup", "seed")


@pytest.fixture
def source(database_url: str, tmp_path: Path) -> Hub:
    return Hub(database_url, tmp_path / "source")


@pytest.fixture
def target_url(postgres_server: str) -> Iterator[str]:
    url = new_database(postgres_server)
    yield url
    drop_database(postgres_server, url)


def take(hub: Hub, to: Path, **kwargs: Any) -> Path:
    return create_backup(Source(hub.url, hub.data_dir, embedded=False), to, PASSPHRASE, **kwargs).path


def test_a_backup_restored_elsewhere_holds_the_same_rows_files_and_secrets(
    source: Hub, target_url: str, tmp_path: Path
) -> None:
    backup = take(source, tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["rows"]["attendance_events"] == 300
    assert {p["name"] for p in manifest["pieces"]} == {"database.dump", "files.tar"}
    for piece in manifest["pieces"]:
        data = (backup / piece["name"]).read_bytes()
        assert len(data) == piece["size"] and hashlib.sha256(data).hexdigest() == piece["sha256"]
    assert manifest["pieces"][1]["files"] == 6  # five attachments and one snapshot
    wanted = {"admin-password", "ca/ca.cert.pem", "ca/ca.key.pem", "secrets/biometrics-key", "secrets/ca-passphrase"}
    assert wanted <= set(manifest["secrets"]["contents"])
    assert PASSPHRASE.encode() not in (backup / "secrets.enc").read_bytes()
    assert b"BEGIN" not in (backup / "secrets.enc").read_bytes()  # the CA's PEM is encrypted
    assert (backup / "database.dump").stat().st_mode & 0o077 == 0 and backup.stat().st_mode & 0o077 == 0

    checks = verify_backup(backup, PASSPHRASE).checks
    assert len(checks) == 4

    target_dir = tmp_path / "target"
    restored = restore_backup(backup, Target(target_dir, target_url, embedded=False), PASSPHRASE)
    assert restored.replaced == []
    assert events(target_url) == events(source.url)
    for folder in ("files", "snapshots", "secrets", "ca"):
        assert tree(target_dir / folder) == tree(source.data_dir / folder), folder
    assert (target_dir / "admin-password").read_text() == "first admin password"
    assert (target_dir / "secrets" / "biometrics-key").stat().st_mode & 0o077 == 0
    # the sealed snapshot opens with the restored key; the CA opens with the restored passphrase
    store = SnapshotStore(target_dir / "snapshots", load_or_create_key(target_dir / "secrets"))
    assert store.open(source.snapshot, source.snapshot_name) == b"\xff\xd8\xff jpeg"
    ca = CertificateAuthority.load(target_dir / "ca", (target_dir / "secrets" / "ca-passphrase").read_bytes())
    assert ca.cert_pem == CertificateAuthority.load(source.data_dir / "ca", b"ca-passphrase").cert_pem
    assert not [p for p in target_dir.iterdir() if p.name.startswith((".restore", ".replaced"))]
    with psycopg.connect(target_url) as conn:  # no staging database left behind
        left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE '%%\\_restore\\_%%'").fetchall()
    assert left == []


def _flip(path: Path, at: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if at is None else at
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _manifest_edit(backup: Path) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["database"]["rows"]["attendance_events"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _swap_digest(backup: Path) -> None:
    """Alter the dump and write its new digest into the manifest: the manifest's signature catches it."""
    _flip(backup / "database.dump")
    manifest = json.loads((backup / "manifest.json").read_text())
    data = (backup / "database.dump").read_bytes()
    manifest["pieces"][0]["sha256"] = hashlib.sha256(data).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))


TAMPERING = {
    "database.dump flipped": (lambda b: _flip(b / "database.dump"), "database.dump"),
    "database.dump cut short": (lambda b: _cut(b / "database.dump"), "database.dump"),
    "files.tar flipped": (lambda b: _flip(b / "files.tar", 700), "files.tar"),
    "secrets.enc flipped": (lambda b: _flip(b / "secrets.enc"), "secrets.enc"),
    "manifest edited": (_manifest_edit, "signature"),
    "dump altered and its digest rewritten": (_swap_digest, "signature"),
    "files.tar missing": (lambda b: (b / "files.tar").unlink(), "files.tar"),
}  # fmt: skip


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_tampered_backup_is_refused_by_verify_and_restore_with_nothing_changed(
    how: str, source: Hub, target_url: str, tmp_path: Path
) -> None:
    backup = take(source, tmp_path / "backups")
    tamper, named = TAMPERING[how]
    tamper(backup)
    with pytest.raises(BackupError) as refused:
        verify_backup(backup, PASSPHRASE)
    assert named in refused.value.en and "Nothing was changed" in refused.value.en
    assert "Không có gì bị thay đổi" in refused.value.vi
    target_dir = tmp_path / "target"
    with pytest.raises(BackupError, match=named):
        restore_backup(backup, Target(target_dir, target_url, embedded=False), PASSPHRASE)
    assert table_count(target_url) == 0 and not target_dir.exists()


def test_a_wrong_passphrase_is_refused_with_nothing_changed(source: Hub, target_url: str, tmp_path: Path) -> None:
    backup = take(source, tmp_path / "backups")
    with pytest.raises(BackupError, match="Wrong passphrase"):
        verify_backup(backup, "not the right passphrase")
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    with pytest.raises(BackupError, match="Wrong passphrase"):
        restore_backup(backup, Target(target_dir, target_url, embedded=False), "not the right passphrase")
    assert table_count(target_url) == 0 and list(target_dir.iterdir()) == []


def test_a_hub_that_is_not_empty_is_replaced_only_when_told_and_is_told_what(
    source: Hub, database_url: str, postgres_server: str, tmp_path: Path
) -> None:
    backup = take(source, tmp_path / "backups")
    other_url = new_database(postgres_server)
    try:
        migrate(other_url)
        other = Hub(other_url, tmp_path / "other")  # another hub: its own events, files, secrets
        before_rows, before_files = events(other_url), tree(other.data_dir)
        target = Target(other.data_dir, other_url, embedded=False)
        with pytest.raises(BackupError) as refused:
            restore_backup(backup, target, PASSPHRASE)
        message = refused.value.en
        assert "not empty" in message and "--replace" in message and "Nothing was changed" in message
        assert "300 attendance_events" in message and f"{other.data_dir / 'files'}: 5 files" in message
        assert "secrets/" not in message or "biometrics-key" in message
        assert "ca-passphrase" in message and "admin-password" in message
        assert events(other_url) == before_rows and tree(other.data_dir) == before_files

        restored = restore_backup(backup, target, PASSPHRASE, replace=True)
        assert any("300 attendance_events" in line for line in restored.replaced)
        assert events(other_url) == events(source.url)
        assert tree(other.data_dir / "files") == tree(source.data_dir / "files")
        assert (other.data_dir / "secrets" / "biometrics-key").read_bytes() == (
            source.data_dir / "secrets" / "biometrics-key"
        ).read_bytes()
    finally:
        drop_database(postgres_server, other_url)


def test_a_database_in_use_is_not_restored_over(source: Hub, target_url: str, tmp_path: Path) -> None:
    backup = take(source, tmp_path / "backups")
    with psycopg.connect(target_url, application_name="a-running-hub"):
        with pytest.raises(BackupError, match="in use .*a-running-hub.*stop every hub process"):
            restore_backup(backup, Target(tmp_path / "target", target_url, embedded=False), PASSPHRASE)
    assert table_count(target_url) == 0


def test_secrets_written_apart_are_needed_and_must_be_this_backups(
    source: Hub, target_url: str, tmp_path: Path
) -> None:
    secrets_to = tmp_path / "vault"
    backup = take(source, tmp_path / "backups", secrets_to=secrets_to)
    assert not (backup / "secrets.enc").exists()
    kept = secrets_to / f"{backup.name}.secrets.enc"
    assert kept.is_file() and kept.stat().st_mode & 0o077 == 0
    (tmp_path / "elsewhere").mkdir()
    moved = backup.rename(tmp_path / "elsewhere" / backup.name)
    with pytest.raises(BackupError, match="written apart .*--secrets"):
        verify_backup(moved, PASSPHRASE)
    assert len(verify_backup(moved, PASSPHRASE, secrets_file=kept).checks) == 4
    assert len(verify_backup(moved, PASSPHRASE, secrets_file=secrets_to).checks) == 4  # the folder will do

    later = take(source, tmp_path / "later", secrets_to=tmp_path / "vault2", now=datetime.now(UTC) + timedelta(1))
    with pytest.raises(BackupError, match="differs from the manifest|another backup"):
        verify_backup(later, PASSPHRASE, secrets_file=kept)
    restore_backup(moved, Target(tmp_path / "target", target_url, embedded=False), PASSPHRASE, secrets_file=kept)
    assert events(target_url) == events(source.url)


def test_an_interrupted_backup_is_not_taken_for_one(source: Hub, tmp_path: Path) -> None:
    backup = take(source, tmp_path / "backups")
    partial = backup.rename(backup.with_name(backup.name + ".partial"))
    with pytest.raises(BackupError, match="incomplete"):
        verify_backup(partial, PASSPHRASE)


def test_a_backup_of_a_newer_cces_is_not_restored_by_an_older_one(source: Hub, target_url: str, tmp_path: Path) -> None:
    backup = take(source, tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["database"]["migrations"].append("9990_from_the_future")
    manifest["cces_version"] = "9.0.0"
    manifest["mac"] = Keys(PASSPHRASE, Kdf.from_manifest(manifest["kdf"])).sign(manifest)  # signed as it was
    (backup / "manifest.json").write_text(json.dumps(manifest))
    assert verify_backup(backup, PASSPHRASE).checks  # a sound backup …
    with pytest.raises(BackupError, match="newer CCES \\(9.0.0; migrations 9990_from_the_future\\)"):
        restore_backup(backup, Target(tmp_path / "target", target_url, embedded=False), PASSPHRASE)
    assert table_count(target_url) == 0  # … that this version does not restore


def test_a_database_password_never_reaches_the_tools_command_line() -> None:
    from hub.backup.pgtools import libpq_env, without_password

    url = "postgresql://cces:p%40ss@db.example:5432/cces?sslmode=require"
    assert without_password(url) == "postgresql://cces@db.example:5432/cces?sslmode=require"
    assert libpq_env(url)["PGPASSWORD"] == "p@ss"
    assert without_password("postgresql://postgres:@/cces?host=/run/pg") == "postgresql://postgres@/cces?host=/run/pg"
