"""Shared fixtures that start real services: PostgreSQL (pgserver), Mosquitto, the embedded broker.

Each service is started once per session where that is safe, and torn down at the end; tests
that restart a service get their own instance (function-scoped factories).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import MosquittoBroker, find_mosquitto, new_workdir

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def testdata_dir() -> Path:
    """The shared test data (real photos, a video); tests that need it skip when it is absent."""
    path = Path(os.environ.get("CCES_TESTDATA", REPO_ROOT.parent / "shared" / "testdata"))
    if not path.exists():
        pytest.skip(f"test data not found at {path} (set CCES_TESTDATA)")
    return path


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
