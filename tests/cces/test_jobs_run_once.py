"""Jobs that run once (issue 13, item 7): two real `cces hub` processes on one PostgreSQL and one broker.

Each process runs a job worker listening to the `commands` queue, and each computes the same instants
of the periodic command re-send round (here every 2 s) and tries to defer it. The job log (`job_runs`,
one row written by the worker around every real execution of the job's function) shows one run per
period, and the hubs' own logs show one deferral per period across both processes. Without the
database's shared schedule (each process deferring its own, as per-process timers did) the same test
sees two runs in a period (tests/hub/jobs/test_queue.py keeps that control). A job that fails (the
retention job, its database function renamed away) is retried with a growing backoff and then shows
as failed with its error over the API; the failed job, retried while no hub runs, waits in the queue
and runs once a hub is back.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.db import open_pool
from hub.jobs.service import JobsService
from tests.hubprocess import HubProcess, hub_env, running_hub
from tests.services import MosquittoBroker, new_workdir

pytestmark = [pytest.mark.timeout(420), pytest.mark.slow]

PERIOD_S = 2
#: procrastinate's INFO lines: a worker's start (its queues) and a periodic job it deferred (the winner only)
WORKER_STARTED = re.compile(r"Starting worker on queues ([\w., -]+)")
RESEND_DEFERRED = re.compile(r"Periodic job commands\.resend\[\d+\]\(.*?\) deferred for timestamp (\d+)")
ADMIN = Principal(0, "test-admin", "Test admin", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))


def wait_until(check: Callable[[], Any], what: str, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


def rows(database_url: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()


def admin_headers(hub: HubProcess, password_dir: Path) -> dict[str, str]:
    password = (password_dir / "admin-password").read_text().strip()
    answer = httpx.post(f"{hub.base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture
def hub_envs(database_url: str, mosquitto: MosquittoBroker) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Two hubs' settings: their own data dirs and ports, one database, one broker (shared subscription)."""
    dirs = [new_workdir(f"cces-jobs-{name}-") for name in "ab"]
    envs = tuple(
        hub_env(
            data_dir,
            CCES_DATABASE_URL=database_url,
            CCES_MQTT_URL=mosquitto.url,
            CCES_MQTT_PASSWORD=mosquitto.hub_password,
            CCES_MQTT_CLIENT_ID=f"cces-hub-{name}",
            CCES_MQTT_SHARED_SUBSCRIPTION="true",
            CCES_WORKER_NAME=f"hub-{name}",
            CCES_COMMAND_RESEND_INTERVAL_S=str(PERIOD_S),
            CCES_JOBS_RETRY_ATTEMPTS="3",
            CCES_JOBS_RETRY_BACKOFF_S="1",
            CCES_LOG_LEVEL="INFO",
        )
        for name, data_dir in zip("ab", dirs, strict=True)
    )
    yield envs  # type: ignore[misc]
    for data_dir in dirs:
        shutil.rmtree(data_dir, ignore_errors=True)


def test_two_hub_processes_run_a_scheduled_job_once_per_period_retry_a_failing_one_and_keep_jobs_across_restarts(
    hub_envs: tuple[dict[str, str], dict[str, str]], database_url: str
) -> None:
    env_a, env_b = hub_envs
    with ExitStack() as both:
        hub_a = both.enter_context(running_hub(env_a))
        hub_b = both.enter_context(running_hub(env_b))
        wait_until(lambda: rows(database_url, "SELECT count(*) FROM procrastinate_workers")[0][0] == 2, "two workers")
        since = datetime.now(UTC)
        periods = "SELECT period_at, count(*), array_agg(worker) FROM job_runs WHERE task = 'commands.resend'"
        periods += " AND period_at > %s GROUP BY period_at ORDER BY period_at"
        found = wait_until(lambda: (r := rows(database_url, periods, since)) and len(r) >= 8 and r, "8 periods")
        assert all(count == 1 for _, count, _ in found), f"a period ran more than once: {found}\n{hub_a.log_tail()}"
        stamps = [p for p, _, _ in found]
        assert all((b - a).total_seconds() % PERIOD_S == 0 for a, b in zip(stamps, stamps[1:], strict=False))
        deferred = rows(database_url, "SELECT args->>'timestamp', count(*) FROM procrastinate_jobs"
                        " WHERE task_name = 'commands.resend' GROUP BY 1 HAVING count(*) > 1")  # fmt: skip
        # procrastinate keeps only the newest deferred instant, so a lagging process may defer a period
        # again; the second job finds the period claimed (job_periods) and runs nothing: `found` above
        # counts one run per period either way, and each period has exactly one claim
        claims = rows(database_url, "SELECT period_at, count(*) FROM job_periods WHERE task = 'commands.resend'"
                      " GROUP BY 1 HAVING count(*) > 1")  # fmt: skip
        assert claims == [], "a period was claimed twice"
        twice = {int(t) for t, _ in deferred}
        ran_twice = [p for p, count, _ in found if count > 1 and int(p.timestamp()) in twice]
        assert ran_twice == [], f"a period deferred twice ran twice: {ran_twice}"
        assert {w for _, _, workers in found for w in workers} <= {"hub-a", "hub-b"}
        last_period = int(stamps[-1].timestamp())

    # both processes could run it (their workers listen to its queue) and tried to defer every period
    logs = [hub.log_tail(10**7) for hub in (hub_a, hub_b)]
    for text in logs:
        started = WORKER_STARTED.findall(text)
        assert started and "commands" in started[0].split(", "), text[-3000:]
    deferrals = [int(t) for text in logs for t in RESEND_DEFERRED.findall(text)]
    seen = [t for t in deferrals if t <= last_period and t >= int(stamps[0].timestamp())]
    assert len(seen) >= len(found) and len(seen) == len(set(seen)), f"a period deferred twice: {sorted(seen)}"

    # a failing job: the retention job at a hub's start, with its database function gone
    with psycopg.connect(database_url) as conn:
        conn.execute("ALTER FUNCTION cces_apply_retention(text, interval) RENAME TO cces_apply_retention_away")
    with running_hub(env_a) as hub_a:
        headers = admin_headers(hub_a, Path(env_a["CCES_DATA_DIR"]))
        failed_list = f"{hub_a.base_url}/api/v1/jobs?status=failed&task=ingest.retention"
        page = wait_until(lambda: (p := httpx.get(failed_list, headers=headers).json())["items"] and p, "failed")
        job = page["items"][0]
        assert job["attempts"] == 3 and "cces_apply_retention" in job["error"], job
        assert page["counts"]["failed"] >= 1
        detail = httpx.get(f"{hub_a.base_url}/api/v1/jobs/{job['id']}", headers=headers).json()
        runs = list(reversed(detail["runs"]))
        assert [r["outcome"] for r in runs] == ["failed"] * 3 and detail["traceback"]
        starts = [datetime.fromisoformat(r["started_at"]) for r in runs]
        assert (starts[1] - starts[0]).total_seconds() >= 1 and (starts[2] - starts[1]).total_seconds() >= 2
        periodic = httpx.get(f"{hub_a.base_url}/api/v1/jobs/periodic", headers=headers).json()
        assert {"commands.resend", "ingest.retention", "galleries.rebuild"} <= {p["task"] for p in periodic}

    # no hub runs: the fix, and the failed job queued again, wait in the database
    with psycopg.connect(database_url) as conn:
        conn.execute("ALTER FUNCTION cces_apply_retention_away(text, interval) RENAME TO cces_apply_retention")
    pool = open_pool(database_url, 2)
    try:
        assert JobsService(pool, lambda: datetime.now(UTC)).retry(ADMIN, job["id"], Actor("test")).status == "todo"
    finally:
        pool.close()
    assert rows(database_url, "SELECT count(*) FROM procrastinate_workers")[0][0] == 0  # both stopped cleanly
    with running_hub(env_a) as hub_a:
        headers = admin_headers(hub_a, Path(env_a["CCES_DATA_DIR"]))
        url = f"{hub_a.base_url}/api/v1/jobs/{job['id']}"
        done = wait_until(lambda: (d := httpx.get(url, headers=headers).json())["status"] == "succeeded" and d, "ran")
        assert done["runs"][0]["outcome"] == "succeeded" and done["runs"][0]["worker"] == "hub-a"
        assert done["attempts"] == 4
