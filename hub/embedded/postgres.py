"""PostgreSQL from the `pgserver` wheel, living in the hub's data dir.

pgserver shares one server between the processes that open the same data dir (the hub,
`cces provision`, `cces db migrate`): each adds its pid to `<pgdata>/.handle_pids.json`, and the
one that leaves the list empty stops the server. A process that is killed (SIGKILL, a crash, the
OOM killer) never takes its pid out, and PostgreSQL — a daemon of `pg_ctl` — outlives it; pgserver
would then believe forever that someone still holds the server and no later clean stop would stop
it. So every start and stop here first forgets holders that are gone, and a stop that leaves no
holder stops whatever server runs in the data dir, also one restarted behind pgserver's back.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import psycopg

log = logging.getLogger(__name__)

DATABASE_NAME = "cces"
HOLDERS_FILE = ".handle_pids.json"  # pgserver's list of the processes holding the server
#: a pid counts as the registered holder only if its process is older than the list's last write (plus
#: this, for the coarse start times the kernel reports); a younger one reuses a dead holder's pid
_START_TIME_SLACK_S = 2.0


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "postgres"
        self._server: Any = None

    def start(self) -> str:
        """Start (or join) the server and return a connection URL to the `cces` database."""
        import pgserver  # imported late: a device never needs it

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", self.pgdata)
        with _holders_lock():
            _forget_gone_holders(self.pgdata)
        self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        admin_url = self._server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return str(self._server.get_uri(DATABASE_NAME))

    @property
    def pid(self) -> int | None:
        return self._server.get_pid() if self._server is not None else None

    def stop(self) -> None:
        """Release this process's handle; the server stops when no other live process holds one."""
        if self._server is None:
            return
        server, self._server = self._server, None
        with _holders_lock():
            _forget_gone_holders(self.pgdata)
        server.cleanup()  # pgserver: out of the list; stops the server it started if the list is now empty
        with _holders_lock():
            if _forget_gone_holders(self.pgdata) or not _postmaster_running(self.pgdata):
                return
            log.info("stopping the embedded PostgreSQL in %s: no process holds it any more", self.pgdata)
            try:
                _pg_ctl_stop(self.pgdata, server.system_user)
            except (OSError, subprocess.SubprocessError) as exc:
                log.error("could not stop the embedded PostgreSQL in %s: %s", self.pgdata, exc)


@contextmanager
def _holders_lock() -> Iterator[None]:
    """pgserver's own inter-process lock, under which it reads and writes the holders' list."""
    from pgserver import PostgresServer

    with PostgresServer._lock:
        yield


def _forget_gone_holders(pgdata: Path) -> list[int]:
    """Take the pids of processes that are gone out of pgserver's list; return the live holders."""
    path = pgdata / HOLDERS_FILE
    try:
        pids = [int(p) for p in json.loads(path.read_text())]
        written_at = path.stat().st_mtime
    except FileNotFoundError:
        return []
    except (ValueError, TypeError) as exc:  # an unreadable list cannot name a live holder
        log.warning("embedded PostgreSQL: unreadable %s (%s); starting a new one", path, exc)
        pids, written_at = [], 0.0
    live = [pid for pid in pids if _holds(pid, written_at)]
    if live != pids:
        gone = sorted(set(pids) - set(live))
        log.warning(
            "embedded PostgreSQL: forgetting process(es) %s that held it and are gone (killed or crashed)", gone
        )
        path.write_text(json.dumps(live))
    return live


def _holds(pid: int, written_at: float) -> bool:
    if pid == os.getpid():
        return True
    try:
        process = psutil.Process(pid)
        return process.status() != psutil.STATUS_ZOMBIE and process.create_time() <= written_at + _START_TIME_SLACK_S
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # another user's process: it exists, and may well be a holder
        return True


def _postmaster_running(pgdata: Path) -> bool:
    """Whether the server named by `postmaster.pid` (read now, not pgserver's memory of it) runs.

    Its pid must belong to a process started when the file says (the file's third line), so a
    stale file whose pid the system has since given to another process is not mistaken for it."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, started_at = int(lines[0]), float(lines[2])
    except (FileNotFoundError, IndexError, ValueError):
        return False
    try:
        process = psutil.Process(pid)
        return (
            process.status() != psutil.STATUS_ZOMBIE and abs(process.create_time() - started_at) <= _START_TIME_SLACK_S
        )
    except psutil.NoSuchProcess:
        return False


def _pg_ctl_stop(pgdata: Path, system_user: str | None) -> None:
    import pgserver

    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=system_user, timeout=60)
