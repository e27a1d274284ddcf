"""A supervised thread outlives its body's failures, says why, and stops when asked."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from hub.supervisor import SupervisedThread


def _wait(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_a_body_that_raises_is_started_again_and_the_reason_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    runs: list[int] = []
    steady = threading.Event()

    def body() -> None:
        runs.append(1)
        if len(runs) <= 2:
            raise ValueError(f"failure {len(runs)}")
        steady.set()
        stop.wait()

    thread = SupervisedThread("test-body", body, stop, min_backoff_s=0.05)
    with caplog.at_level(logging.ERROR, logger="hub.supervisor"):
        thread.start()
        _wait(steady.is_set)
    state = thread.state
    assert state.alive and state.restarts == 2 and state.last_error == "ValueError: failure 2"
    assert sum("test-body died (ValueError: failure" in r.getMessage() for r in caplog.records) == 2
    assert all(r.exc_info for r in caplog.records)  # with the traceback
    stop.set()
    thread.join(5)
    assert not thread.state.alive


def test_a_body_that_returns_while_the_hub_runs_is_started_again() -> None:
    stop = threading.Event()
    runs: list[int] = []

    def body() -> None:
        runs.append(1)
        if len(runs) >= 3:
            stop.wait()

    thread = SupervisedThread("test-return", body, stop, min_backoff_s=0.05)
    thread.start()
    _wait(lambda: len(runs) == 3)
    assert thread.state.restarts == 2 and thread.state.last_error == "returned while the hub is running"
    stop.set()
    thread.join(5)


def test_while_the_body_is_down_the_state_says_so_until_it_runs_again() -> None:
    stop = threading.Event()
    runs: list[int] = []

    def body() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("boom")
        stop.wait()

    thread = SupervisedThread("test-down", body, stop, min_backoff_s=0.5)
    thread.start()
    _wait(lambda: thread.state.restarts == 1)
    down = thread.state
    assert not down.alive and down.down_since is not None
    _wait(lambda: thread.state.alive)
    assert thread.state.down_since is None
    stop.set()
    thread.join(5)
