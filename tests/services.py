"""Real services started for tests and benchmarks: Mosquitto and an embedded PostgreSQL.

They are real processes on loopback, never mocks; each fixture owns its process and stops it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

MOSQUITTO_BINARIES = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")


#: ports handed out by this test process (never twice)
_GIVEN_PORTS: set[int] = set()
#: below Linux's ephemeral range (32768-60999): a port the kernel hands out for port 0 is also one it may
#: give any outgoing connection as its source port, so a port chosen that way could be taken before the
#: service under test binds it (seen: the hub's device endpoint failing with "Address already in use")
_PORT_RANGE = (20_000, 32_000)


def free_port() -> int:
    """A loopback port nothing listens on, outside the ephemeral range, not handed out before here."""
    import random

    for _ in range(1000):
        port = random.randint(*_PORT_RANGE)
        if port in _GIVEN_PORTS:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN_PORTS.add(port)
        return port
    raise RuntimeError(f"no free port in {_PORT_RANGE}")


def wait_for_port(host: str, port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def find_mosquitto() -> str | None:
    found = shutil.which("mosquitto")
    if found:
        return found
    return next((path for path in MOSQUITTO_BINARIES if os.path.exists(path)), None)


@dataclass
class MosquittoBroker:
    """A Mosquitto 2 process with password authentication and on-disk persistence.

    Persistence is on so that a restart keeps the hub's queued QoS 1 messages, as in
    production. Users are added with `mosquitto_passwd` and picked up with SIGHUP.
    """

    workdir: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = None
    extra_config: str = ""
    hub_username: str = "cces-hub"
    hub_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    #: a complete configuration to run instead of the password-auth one written here
    config_file: Path | None = None

    def reload(self) -> None:
        """SIGHUP: Mosquitto re-reads passwords, ACLs and its CRL."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)
            time.sleep(0.5)

    @property
    def password_file(self) -> Path:
        return self.workdir / "passwd"

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def write_config(self) -> Path:
        config = self.workdir / "mosquitto.conf"
        from protocol.broker_acl import mosquitto_acl

        self.password_file.touch(mode=0o600, exist_ok=True)
        acl_file = self.workdir / "acl"
        acl_file.write_text(mosquitto_acl(self.hub_username))
        config.write_text(
            "\n".join(
                [
                    "per_listener_settings false",
                    f"listener {self.port} {self.host}",
                    "allow_anonymous false",
                    f"password_file {self.password_file}",
                    f"acl_file {acl_file}",
                    "persistence true",
                    f"persistence_location {self.workdir}/",
                    "autosave_interval 1",
                    # a hub that is down must not lose messages: no per-client queue limit
                    "max_queued_messages 0",
                    # ingest acknowledges after COMMIT: let a whole batch be in flight to it
                    "max_inflight_messages 1000",
                    f"log_dest file {self.workdir}/mosquitto.log",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    self.extra_config,
                ]
            )
            + "\n"
        )
        return config

    def add_user(self, username: str, password: str) -> None:
        subprocess.run(
            ["mosquitto_passwd", "-b", str(self.password_file), username, password],
            check=True,
            capture_output=True,
        )
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)
            time.sleep(0.2)

    def add_users(self, users: dict[str, str]) -> None:
        """Many accounts at once: one `mosquitto_passwd -U` pass instead of one process per user."""
        plain = self.workdir / "passwd.plain"
        existing = self.password_file.read_text() if self.password_file.exists() else ""
        plain.write_text("".join(f"{u}:{p}\n" for u, p in users.items()))
        subprocess.run(["mosquitto_passwd", "-U", str(plain)], check=True, capture_output=True)
        self.password_file.write_text(existing + plain.read_text())
        plain.unlink()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)
            time.sleep(0.3)

    def start(self) -> None:
        binary = find_mosquitto()
        if binary is None:
            raise RuntimeError("mosquitto is not installed (the test command installs it: scripts/test)")
        if self.config_file is None:
            config = self.write_config()
            if self.hub_username not in self.password_file.read_text():
                self.add_user(self.hub_username, self.hub_password)
        else:
            config = self.config_file
        give_to_mosquitto(self.workdir)
        give_to_mosquitto(config.parent)
        self.process = subprocess.Popen(
            [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.host, self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def log(self) -> str:
        path = self.workdir / "mosquitto.log"
        return path.read_text(errors="replace") if path.exists() else ""


def give_to_mosquitto(directory: Path) -> None:
    """As root, mosquitto drops to user 'mosquitto': let it read (and persist) in `directory`."""
    if os.geteuid() != 0 or not _user_exists("mosquitto"):
        return
    shutil.chown(directory, user="mosquitto")
    for path in directory.iterdir():
        shutil.chown(path, user="mosquitto")


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def new_workdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


# --- the embedded PostgreSQL, stopped and started under a running hub ---------------------


def _pg_ctl() -> list[str]:
    import pgserver

    pg_ctl = str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl")
    # as root, pgserver runs PostgreSQL as its own 'pgserver' user
    return ["runuser", "-u", "pgserver", "--", pg_ctl] if os.geteuid() == 0 else [pg_ctl]


def stop_postgres(pgdata: Path) -> None:
    subprocess.run([*_pg_ctl(), "-D", str(pgdata), "-m", "fast", "-w", "stop"], check=True, capture_output=True)


def start_postgres(pgdata: Path) -> None:
    """Start it again exactly as pgserver did (no TCP, the same socket folder)."""
    parts = (pgdata / "postmaster.opts").read_text().replace('"', " ").split()
    socket_dir = parts[parts.index("-k") + 1] if "-k" in parts else str(pgdata)
    subprocess.run(
        [*_pg_ctl(), "-D", str(pgdata), "-w", "-l", str(pgdata / "log"), "-o", f'-h "" -k {socket_dir}', "start"],
        check=True,
        capture_output=True,
    )
