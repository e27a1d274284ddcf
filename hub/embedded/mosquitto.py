"""The embedded broker as a Mosquitto process, when Mosquitto is installed on the machine.

Why Mosquitto before amqtt: it is the broker production runs, it keeps the hub's queued QoS 1
messages on disk across its restarts, and it does not have amqtt's ways of losing what it
acknowledged (see hub/embedded/lossless.py for the ones we close in amqtt).

How devices log in: Mosquitto checks a password file, which cannot verify our argon2 hashes, so
each device's secret is also kept in Mosquitto's own format (`device_credentials.broker_hash`,
made when the secret is issued). The hub writes the password and ACL files from the database at
start and whenever the registered devices change (looked at every `sync_interval_s`), then tells
Mosquitto to reread them (SIGHUP). A revoked device is gone from the files at the next look.

The process is the hub's child: it dies with the hub (PR_SET_PDEATHSIG), a stale one left by a hub
that was killed is stopped at the next start (its pid file), and one that exits on its own is
started again by a supervised thread.
"""

from __future__ import annotations

import ctypes
import getpass
import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from hub.devices import repository as devices_repo
from hub.passwords import mosquitto_hash
from hub.supervisor import SupervisedThread
from protocol.broker_acl import mosquitto_acl
from protocol.topics import is_device_id

log = logging.getLogger(__name__)

_MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")


def find_mosquitto() -> str | None:
    """The mosquitto binary on this machine, or None."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return next((p for p in _MOSQUITTO_PATHS if os.access(p, os.X_OK)), None)


def _die_with_parent() -> Callable[[], None] | None:
    """What the child runs before exec so that it gets SIGTERM when the hub goes away, however it goes.

    libc is loaded here, in the parent: the child of a threaded process may only make the call.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not Linux/glibc: the pid file catches a stale broker at the next start
        return None
    return lambda: libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedMosquitto:
    """A Mosquitto listening on host:port, configured and fed its accounts by the hub."""

    def __init__(
        self,
        binary: str,
        host: str,
        port: int,
        workdir: Path,
        database_url: str,
        hub_username: str,
        hub_password: str,
        sync_interval_s: float = 2.0,
    ) -> None:
        self.binary = binary
        self.host = host
        self.port = port
        self.workdir = workdir
        self._database_url = database_url
        self._hub_username = hub_username
        self._hub_hash = mosquitto_hash(hub_password)
        self._sync_interval = sync_interval_s
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._accounts_digest = ""
        self._watch = SupervisedThread("embedded-mosquitto", self._watch_loop, self._stop)

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def up(self) -> bool:
        """The Mosquitto process runs (its watcher starts it again when it exits)."""
        return self._process is not None and self._process.poll() is None

    @property
    def _pid_file(self) -> Path:
        return self.workdir / "mosquitto.pid"

    # -- files -----------------------------------------------------------------------------
    def _write_config(self) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        config = self.workdir / "mosquitto.conf"
        config.write_text(
            "\n".join(
                [
                    "# written by the CCES hub at each start; edits are lost",
                    f"user {getpass.getuser()}",  # stay the hub's user: the files are the hub's (0600)
                    "per_listener_settings false",
                    f"listener {self.port} {self.host}",
                    "allow_anonymous false",
                    f"password_file {self.workdir / 'passwd'}",
                    f"acl_file {self.workdir / 'acl'}",
                    "persistence true",  # the hub's queued messages survive a broker restart
                    f"persistence_location {self.workdir}/",
                    "autosave_interval 10",
                    "max_queued_messages 0",  # a hub that is away must not lose messages: no queue limit
                    "max_inflight_messages 1000",  # ingest acknowledges after COMMIT: a whole batch in flight
                    "message_size_limit 4194304",  # an inventory of 20,000 tags is ~1.2 MB; nothing needs more
                    f"log_dest file {self.workdir / 'mosquitto.log'}",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    "",
                ]
            )
        )
        return config

    def sync_accounts(self) -> bool:
        """Write the password and ACL files from the database; True when they changed (and were reloaded)."""
        with psycopg.connect(self._database_url, connect_timeout=5) as conn:
            accounts = devices_repo.broker_accounts(conn)
        usable = [a for a in accounts if is_device_id(a.username)]
        missing = [a.username for a in usable if not a.broker_hash]
        passwd = [f"{self._hub_username}:{self._hub_hash}"]
        passwd += [f"{a.username}:{a.broker_hash}" for a in usable if a.broker_hash]
        rooms = {a.username: a.room for a in usable if a.room}
        try:
            acl = mosquitto_acl(self._hub_username, rooms)
        except ValueError as exc:  # a room id that cannot be a topic: leave every room out rather than fail
            log.warning("room displays left out of the broker ACL: %s", exc)
            acl = mosquitto_acl(self._hub_username)
        digest = hashlib.sha256(("\n".join(passwd[1:]) + acl).encode()).hexdigest()
        if digest == self._accounts_digest:
            return False
        self._write_private(self.workdir / "passwd", "\n".join(passwd) + "\n")
        self._write_private(self.workdir / "acl", acl)
        if missing and not self._accounts_digest:
            log.warning(
                "%d device(s) registered before the embedded broker was Mosquitto cannot log in until their"
                " credentials are issued again (cces provision device ID --rotate): %s",
                len(missing),
                ", ".join(missing[:20]),
            )
        first = not self._accounts_digest
        self._accounts_digest = digest
        if not first and self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGHUP)
        return True

    @staticmethod
    def _write_private(path: Path, text: str) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(text)
        os.replace(tmp, path)

    # -- process ---------------------------------------------------------------------------
    def _stop_stale(self) -> None:
        """A Mosquitto left running by a hub that was killed holds our port and files: stop it."""
        try:
            pid = int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return
        if not any(b"mosquitto" in part for part in cmdline[:1]) or str(self.workdir).encode() not in b" ".join(
            cmdline
        ):
            return
        log.warning("stopping the embedded Mosquitto (pid %d) a previous hub left running", pid)
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)

    def _spawn(self, config: Path) -> None:
        log_file = open(self.workdir / "mosquitto.out", "ab")  # noqa: SIM115 - the child keeps it
        self._process = subprocess.Popen(
            [self.binary, "-c", str(config)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent(),  # noqa: PLW1509 - only one prctl call, before exec
        )
        log_file.close()
        self._pid_file.write_text(str(self._process.pid))

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                tail = (
                    (self.workdir / "mosquitto.log").read_text(errors="replace")[-500:]
                    if (self.workdir / "mosquitto.log").exists()
                    else ""
                )
                raise RuntimeError(
                    f"embedded Mosquitto exited with code {self._process.returncode} (could not listen on"
                    f" {self.host}:{self.port}?) {tail.strip()}"
                )
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"embedded Mosquitto did not listen on {self.host}:{self.port} within {timeout:.0f}s")

    def _check_port_free(self) -> None:
        """Refuse at once when something else listens there (we would otherwise talk to it, not to ours)."""
        with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((self.host, self.port))
            except OSError as exc:
                raise RuntimeError(f"embedded MQTT broker could not listen on {self.host}:{self.port}: {exc}") from exc

    def start(self, timeout: float = 20.0) -> None:
        self._stop_stale()
        self._check_port_free()
        config = self._write_config()
        self.sync_accounts()
        self._spawn(config)
        self._wait_listening(timeout)
        self._watch.start()
        log.info("embedded Mosquitto (pid %d) listening on %s:%s (authentication on)", self.pid, self.host, self.port)

    def _watch_loop(self) -> None:
        """Keep the accounts in step with the database; start Mosquitto again if it exits on its own.

        The registry announces its changes (migration 0121), so a device provisioned by
        `cces provision device` can log in at once; the files are also compared every interval.
        """
        with psycopg.connect(self._database_url, autocommit=True, connect_timeout=5) as listener:
            listener.execute("LISTEN cces_broker_accounts")
            self.sync_accounts()  # what changed before we listened
            while not self._stop.is_set():
                for _ in listener.notifies(timeout=self._sync_interval, stop_after=1):
                    pass
                if self._stop.is_set():
                    return
                if self._process is not None and (code := self._process.poll()) is not None:
                    log.error("embedded Mosquitto exited (code %s); starting it again", code)
                    self._spawn(self.workdir / "mosquitto.conf")
                    self._wait_listening(20.0)
                self.sync_accounts()

    def drain(self, timeout: float = 15.0) -> int:
        """Nothing to wait for: Mosquitto keeps the hub's queued messages on disk across a stop."""
        return 0

    def stop(self) -> None:
        self._stop.set()
        self._watch.join(timeout=10)
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # Mosquitto saves its persistence file on SIGTERM
            try:
                self._process.wait(15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._process = None
        self._pid_file.unlink(missing_ok=True)
