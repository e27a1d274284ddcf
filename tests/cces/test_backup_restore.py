"""A hub backed up while a device sends events, restored onto a fresh data dir ("new hardware"): every
event committed before the backup point is there exactly once, the files are byte-identical, the device
enrolled before the backup reconnects with its certificate and its events are stored, a person's sealed
enrollment crop still decrypts. Real `cces hub` processes on their embedded PostgreSQL, a real Mosquitto
with the TLS configuration `cces provision broker-config` writes, a real `cces agent`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from edge_agent.enrollment import Ticket, enroll
from hub.biometrics import repository as biometrics_repo
from hub.biometrics.crypto import load_or_create_key
from hub.biometrics.service import crop_context
from hub.embedded.postgres import EmbeddedPostgres
from hub.files import ContentStore
from hub.snapshots.store import SnapshotEvent, SnapshotStore
from tests.hub.orgdata import seed_org
from tests.hubprocess import hub_env, running_hub
from tests.services import free_port, new_workdir

pytestmark = pytest.mark.timeout(600)

PASSPHRASE = "cụm mật khẩu sao lưu của thử nghiệm"
DEVICE = "door-backup-01"


def cces(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cces", *args], env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


@contextmanager
def database(data_dir: Path) -> Iterator[psycopg.Connection]:
    """The data dir's embedded database (joined if a hub runs on it; released afterwards)."""
    server = EmbeddedPostgres(data_dir)
    url = server.start()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            yield conn
    finally:
        server.stop()


def event_ids(conn: psycopg.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT id FROM attendance_events WHERE device_id = %s", (DEVICE,))]


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def add_sealed_crop(conn: psycopg.Connection, sealer: Any, photo_id: uuid.UUID, crop: bytes) -> None:
    """A person's enrollment crop, sealed under the hub's biometrics key as enrollment stores it."""
    row = conn.execute("SELECT id FROM employees ORDER BY id LIMIT 1").fetchone()
    assert row is not None
    conn.execute(
        "INSERT INTO biometric_consents (employee_id, basis, recorded_by) VALUES (%s, 'written_consent', 'test')",
        (row[0],),
    )
    sealed = sealer.seal(crop, crop_context(photo_id))
    biometrics_repo.insert_photo(
        conn, photo_id, row[0], "test", sealed, sealer.key_id, "yunet-sface", [120, 300.0, 1.0, 1.0, 1.0, 0.9]
    )


def tls_hub(data_dir: Path, port: int, mosquitto_factory: Any) -> tuple[dict[str, str], Any]:
    """The hub's environment on a TLS Mosquitto configured from this data dir's CA (broker-config)."""
    env = hub_env(data_dir, CCES_ADMIN_PASSWORD="mat-khau-quan-tri-sao-luu")
    broker_dir = new_workdir(f"cces-broker-{data_dir.name}-")  # a folder Mosquitto's own user may read
    made = cces(env, "provision", "broker-config", "--out", str(broker_dir), "--host", "127.0.0.1", "--port", str(port))
    assert made.returncode == 0, made.stderr
    env.update(
        CCES_MQTT_URL=f"mqtts://127.0.0.1:{port}",
        CCES_MQTT_CA_FILE=str(broker_dir / "ca.pem"),
        CCES_MQTT_CERT_FILE=str(broker_dir / "hub.pem"),
        CCES_MQTT_KEY_FILE=str(broker_dir / "hub.key"),
    )
    broker = mosquitto_factory(port=port, config_file=broker_dir / "mosquitto.conf")
    return env, broker


def test_a_backup_taken_under_load_restores_onto_new_hardware(mosquitto_factory: Any, tmp_path: Path) -> None:
    port = free_port()
    old, new, backups = tmp_path / "old", tmp_path / "new", tmp_path / "backups"
    env_old, broker_old = tls_hub(old, port, mosquitto_factory)
    agent: subprocess.Popen[bytes] | None = None
    try:
        with running_hub(env_old) as hub:
            # an enrolled door device (its key made on the device, its certificate from the hub's CA) sending
            token = json.loads(cces(env_old, "provision", "token", DEVICE, "--site", "hq", "--json").stdout)
            config = enroll(hub.base_url, Ticket.parse(token["qr_text"]), tmp_path / "device")
            config.write_text(config.read_text() + "[simulated]\nenabled = true\ninterval_s = 0.02\n")
            agent = subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)])
            # files: attachments in the content store, a sealed snapshot; a person's sealed enrollment crop
            attachments = [ContentStore(old / "files").put(f"công văn {i}".encode() * 5000) for i in range(20)]
            sealer = load_or_create_key(old / "secrets")
            snap = SnapshotEvent("attendance", uuid.uuid4(), datetime.now(UTC))
            SnapshotStore(old / "snapshots", sealer).put(snap, b"\xff\xd8\xff a face")
            photo_id, crop = uuid.uuid4(), b"\xff\xd8\xff the enrolled face crop"
            with database(old) as conn:
                seed_org(conn)
                add_sealed_crop(conn, sealer, photo_id, crop)
                deadline = time.monotonic() + 60
                while len(event_ids(conn)) < 50 and time.monotonic() < deadline:
                    time.sleep(0.2)
                before = set(event_ids(conn))
            assert len(before) >= 50, hub.log_tail()

            # the backup, while the device keeps sending
            made = cces(env_old, "backup", "create", "--to", str(backups), "--passphrase-stdin", "--json",
                        stdin=PASSPHRASE + "\n")  # fmt: skip
            assert made.returncode == 0, made.stderr
            created = json.loads(made.stdout)
            with database(old) as conn:
                after = set(event_ids(conn))
            assert len(after) > len(before), "the device kept sending during the backup"
            files_at_backup = {d: tree(old / d) for d in ("files", "snapshots")}
            verified = cces(env_old, "backup", "verify", created["path"], "--passphrase-stdin", stdin=PASSPHRASE)
            assert verified.returncode == 0 and "is sound" in verified.stdout, verified.stderr
            wrong = cces(env_old, "backup", "verify", created["path"], "--passphrase-stdin", stdin="not it at all")
            assert wrong.returncode == 2 and "Wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
        broker_old.stop()  # the old machine is gone; the device keeps trying

        # new hardware: restore into a fresh data dir, a broker configured from the restored CA on the same address
        env_new = hub_env(new, CCES_ADMIN_PASSWORD="mat-khau-quan-tri-sao-luu")
        restored = cces(env_new, "backup", "restore", created["path"], "--passphrase-stdin", stdin=PASSPHRASE)
        assert restored.returncode == 0, restored.stderr
        again = cces(env_new, "backup", "restore", created["path"], "--passphrase-stdin", stdin=PASSPHRASE)
        assert again.returncode == 2 and "not empty" in again.stderr and "--replace" in again.stderr
        assert "attendance_events" in again.stderr and str(new / "files") in again.stderr

        with database(new) as conn:
            restored_ids = event_ids(conn)
            photo = biometrics_repo.sealed_crop(conn, photo_id)
            audit_rows = conn.execute("SELECT actor FROM audit_log WHERE action = 'backup.restore'").fetchall()
        # every event committed before the backup point, exactly once; none committed after the backup finished
        assert len(restored_ids) == len(set(restored_ids)) == created["rows"]["attendance_events"]
        assert before <= set(restored_ids) <= after
        # byte-identical files; the sealed snapshot and the enrollment crop open with the restored key
        for folder, files in files_at_backup.items():
            assert tree(new / folder) == files, folder
        assert all((new / "files" / d[:2] / d).is_file() for d in attachments)
        new_sealer = load_or_create_key(new / "secrets")
        assert photo is not None and new_sealer.open(photo, crop_context(photo_id)) == crop
        assert (
            SnapshotStore(new / "snapshots", new_sealer).open(snap, new_sealer.name(snap.context))
            == b"\xff\xd8\xff a face"
        )
        assert audit_rows == [("cli",)]

        env_new, _broker_new = tls_hub(new, port, mosquitto_factory)
        with running_hub(env_new) as hub_new:
            # the device enrolled before the backup reconnects with its certificate; its events are stored
            deadline = time.monotonic() + 90
            with database(new) as conn:
                while time.monotonic() < deadline:
                    now_ids = event_ids(conn)
                    if len(set(now_ids) - set(restored_ids)) >= 20:
                        break
                    time.sleep(0.5)
                assert len(set(now_ids) - set(restored_ids)) >= 20, hub_new.log_tail()
                assert len(now_ids) == len(set(now_ids)), "no event stored twice"
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(20)
