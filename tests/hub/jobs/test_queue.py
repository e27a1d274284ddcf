"""The job queue on a real PostgreSQL: two workers (as two hub processes would run them) share the jobs.

A periodic job runs once per period whichever workers run; a failing job is retried with a growing
backoff, then stays failed with its error until retried; a queued job waits for a worker that starts
later; the job of a worker that died is queued again; a stopped queue leaves no worker behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.db import open_pool
from hub.jobs.models import JobNotRetryable, JobSpec, RetryPolicy, UnknownJob
from hub.jobs.queue import JobQueue
from hub.jobs.service import JobsService

pytestmark = pytest.mark.timeout(120)

ADMIN = Principal(0, "admin-test", "Admin", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))


def wait_until(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def scalar(database_url: str, sql: str, *params: object) -> object:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    pool = open_pool(database_url, max_size=6, name="jobs-test")
    yield pool
    pool.close()


@pytest.fixture
def queues(database_url: str, pool: ConnectionPool) -> Iterator[Callable[..., JobQueue]]:
    """JobQueues on the test database (each as one hub process's), stopped at the end."""
    made: list[JobQueue] = []

    def make(name: str, *specs: JobSpec, start: bool = True) -> JobQueue:
        queue = JobQueue(database_url, pool, worker_name=name, retry=RetryPolicy(attempts=3, backoff_s=1.0),
                         poll_s=0.5, stalled_after_s=3.0)  # fmt: skip
        queue.add(*specs)
        if start:
            queue.start()
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.stop()


def test_a_periodic_job_runs_once_per_period_with_two_workers(
    queues: Callable[..., JobQueue], database_url: str
) -> None:
    ran: list[str] = []

    def tick(worker: str) -> Callable[[], None]:
        return lambda: ran.append(worker)

    queues("proc-a", JobSpec("test.tick", tick("a"), every_s=1))
    queues("proc-b", JobSpec("test.tick", tick("b"), every_s=1))
    assert wait_until(lambda: len(ran) >= 6), ran
    with psycopg.connect(database_url) as conn:
        per_period = conn.execute(
            "SELECT period_at, count(*) FROM job_runs WHERE task = 'test.tick' GROUP BY period_at ORDER BY 1"
        ).fetchall()
        deferred = conn.execute(
            "SELECT args->>'timestamp', count(*) FROM procrastinate_jobs WHERE task_name = 'test.tick' GROUP BY 1"
        ).fetchall()
    assert len(per_period) >= 5 and all(period is not None for period, _ in per_period)
    assert [n for _, n in per_period if n != 1] == [], per_period  # never twice for one period
    assert [n for _, n in deferred if n != 1] == [], deferred
    assert set(ran) <= {"a", "b"}


def test_without_the_shared_schedule_two_workers_run_a_period_twice(
    queues: Callable[..., JobQueue], database_url: str
) -> None:
    """The control of the test above: each worker deferring its own schedule (a periodic id of its own, no
    lock), as the hub's per-process timers did, runs the job twice per period, and the job log shows it."""
    ran: list[str] = []
    queues("proc-a", JobSpec("test.tick", lambda: ran.append("a"), every_s=1, periodic_id="a", exclusive=False))
    queues("proc-b", JobSpec("test.tick", lambda: ran.append("b"), every_s=1, periodic_id="b", exclusive=False))
    twice = "SELECT count(*) FROM (SELECT period_at FROM job_runs WHERE task = 'test.tick' GROUP BY period_at"
    twice += " HAVING count(*) = 2) p"
    assert wait_until(lambda: int(scalar(database_url, twice) or 0) >= 3), ran  # type: ignore[call-overload]


def test_a_failing_job_is_retried_with_backoff_and_keeps_its_error_until_retried(
    queues: Callable[..., JobQueue], database_url: str, pool: ConnectionPool
) -> None:
    fail = threading.Event()
    fail.set()

    def flaky() -> None:
        if fail.is_set():
            raise RuntimeError("ổ đĩa đầy / disk full\nsecond line")

    queue = queues("proc-a", JobSpec("test.flaky", flaky))
    job_id = queue.defer("test.flaky")
    assert job_id is not None
    service = JobsService(pool, lambda: datetime.now(UTC))
    assert wait_until(lambda: service.job(ADMIN, job_id)[0].status == "failed", timeout=30)
    job, runs = service.job(ADMIN, job_id)
    assert [r.attempt for r in reversed(runs)] == [1, 2, 3]  # RetryPolicy(attempts=3)
    assert {r.outcome for r in runs} == {"failed"} and job.error == "RuntimeError: ổ đĩa đầy / disk full"
    assert job.traceback is not None and "second line" in job.traceback and "flaky" in job.traceback
    starts = [r.started_at for r in reversed(runs)]
    assert (starts[1] - starts[0]).total_seconds() >= 1.0  # backoff 1 s, then 2 s
    assert (starts[2] - starts[1]).total_seconds() >= 2.0
    with pytest.raises(UnknownJob):
        service.retry(ADMIN, job_id + 1000, Actor("admin-test"))

    fail.clear()
    retried = service.retry(ADMIN, job_id, Actor("admin-test"))
    assert retried.status in ("todo", "doing", "succeeded")
    assert wait_until(lambda: service.job(ADMIN, job_id)[0].status == "succeeded")
    job, runs = service.job(ADMIN, job_id)
    assert runs[0].outcome == "succeeded" and runs[0].attempt == 4
    assert job.error == "RuntimeError: ổ đĩa đầy / disk full"  # the last failure stays readable
    with pytest.raises(JobNotRetryable):
        service.retry(ADMIN, job_id, Actor("admin-test"))  # succeeded: nothing to retry
    assert scalar(database_url, "SELECT count(*) FROM audit_log WHERE action = 'job.retry'") == 1


def test_a_queued_job_waits_for_a_worker_and_a_dead_workers_job_is_queued_again(
    queues: Callable[..., JobQueue], database_url: str
) -> None:
    ran = threading.Event()
    spec = JobSpec("test.later", ran.set)
    idle = queues("proc-down", spec, start=False)  # a process that deferred it and went away
    job_id = idle.defer("test.later")
    assert idle.defer("test.later") is None  # one waits already: folded into it
    time.sleep(1.0)
    assert scalar(database_url, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", job_id) == "todo"

    # a job left 'doing' by a worker that was killed (its heartbeat stopped)
    with psycopg.connect(database_url) as conn:
        dead = conn.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') RETURNING id"
        ).fetchone()[0]
        stuck = conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, worker_id, lock)"
            " VALUES ('maintenance', 'test.stuck', 'doing', %s, 'test.stuck') RETURNING id",
            (dead,),
        ).fetchone()[0]
    resumed = threading.Event()
    queue = queues("proc-up", spec, JobSpec("test.stuck", resumed.set))
    assert ran.wait(30), "the queued job did not run once a worker started"
    queue.defer("jobs.recover_stalled")
    assert resumed.wait(30), "the dead worker's job was not queued again"
    assert wait_until(
        lambda: scalar(database_url, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", stuck) == "succeeded"
    )


def test_a_stopped_queue_leaves_no_worker_and_no_thread(queues: Callable[..., JobQueue], database_url: str) -> None:
    queue = queues("proc-a", JobSpec("test.noop", lambda: None, every_s=60))
    assert wait_until(lambda: scalar(database_url, "SELECT count(*) FROM procrastinate_workers") == 1)
    assert scalar(database_url, "SELECT cron FROM job_schedules WHERE task = 'test.noop'") == "* * * * *"
    queue.stop()
    assert scalar(database_url, "SELECT count(*) FROM procrastinate_workers") == 0
    assert not [t for t in threading.enumerate() if t.name == "job-worker"]


def test_a_period_deferred_twice_runs_once(queues: Callable[..., JobQueue], database_url: str) -> None:
    """procrastinate keeps only the newest deferred instant of a periodic task, so a process that lags
    behind can defer an older period again (seen in CI under load): the second job finds the period
    claimed and runs nothing; a job deferred on demand (no period) is never held back."""
    ran: list[int] = []
    queue = queues("proc-a", JobSpec("test.once", lambda **_: ran.append(1)))
    period = 1_796_459_220
    first, second = queue.defer("test.once", timestamp=period), None
    assert first is not None
    assert wait_until(lambda: len(ran) == 1)
    second = queue.defer("test.once", timestamp=period)  # the same period again, after the first ran
    assert second is not None
    assert wait_until(
        lambda: scalar(database_url, "SELECT status FROM procrastinate_jobs WHERE id = %s", second) == "succeeded"
    )
    assert ran == [1]
    assert scalar(database_url, "SELECT job_id FROM job_periods WHERE task = 'test.once'") == first
    queue.defer("test.once")
    assert wait_until(lambda: len(ran) == 2)


# --- a retry meeting a waiting request of the same job (queueing lock) ------------------------------


def status_of(database_url: str, job_id: int) -> object:
    return scalar(database_url, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", job_id)


def test_a_failed_run_whose_retry_meets_a_waiting_request_is_folded_into_it(
    queues: Callable[..., JobQueue], database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The first run fails after a second request of the job was queued meanwhile: procrastinate's retry
    would make a second `todo` row of the queueing lock (UniqueViolation on
    procrastinate_jobs_queueing_lock_idx_v1, the task persisting the end died and the job stayed `doing`,
    holding its lock, so the waiting request never ran). It ends `succeeded`; the waiting one does the work."""
    caplog.set_level("INFO", logger="hub.jobs.queue")
    runs: list[int] = []
    second: list[int | None] = []

    def work() -> None:
        runs.append(1)
        if len(runs) == 1:
            second.append(queue.defer("test.dup"))  # a request while this one runs: it waits (todo)
            raise RuntimeError("the first attempt fails")

    queue = queues("proc-a", JobSpec("test.dup", work))
    first = queue.defer("test.dup")
    assert first is not None
    assert wait_until(lambda: len(runs) == 2 and status_of(database_url, first) == "succeeded", timeout=45), (
        runs,
        status_of(database_url, first),
    )
    assert second and second[0] is not None and second[0] != first
    assert wait_until(lambda: status_of(database_url, second[0]) == "succeeded")
    assert scalar(database_url, "SELECT string_agg(outcome, ',') FROM job_runs WHERE job_id = %s", first) == "failed"
    assert any("already waits in the queue" in r.getMessage() for r in caplog.records)
    assert queue.state is not None and queue.state.alive  # the worker goes on
    again = queue.defer("test.dup")  # and the lock is free for the next request
    assert again is not None and wait_until(lambda: status_of(database_url, again) == "succeeded")


def insert_job(database_url: str, task: str, status: str, worker_id: int | None = None) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, worker_id, lock, queueing_lock)"
            " VALUES ('maintenance', %s, %s, %s, %s, %s) RETURNING id",
            (task, status, worker_id, task, task),
        ).fetchone()
        assert row is not None
        return int(row[0])


def test_an_admin_retry_of_a_failed_job_with_a_request_waiting_answers_with_the_waiting_one(
    queues: Callable[..., JobQueue], database_url: str, pool: ConnectionPool
) -> None:
    idle = queues("proc-idle", JobSpec("test.dup", lambda: None), start=False)
    failed = insert_job(database_url, "test.dup", "failed")
    waiting = idle.defer("test.dup")
    assert waiting is not None
    service = JobsService(pool, lambda: datetime.now(UTC))
    answer = service.retry(ADMIN, failed, Actor("admin-test"))  # was: psycopg UniqueViolation (HTTP 500)
    assert (answer.id, answer.status) == (waiting, "todo")
    assert status_of(database_url, failed) == "failed"
    after = scalar(database_url, "SELECT after FROM audit_log WHERE action = 'job.retry' AND entity_id = %s",
                   str(failed))  # fmt: skip
    assert after == {"status": "failed", "queued_as": waiting}
    assert status_of(database_url, waiting) == "todo"


def test_a_dead_workers_job_with_a_request_waiting_is_folded_into_it(
    queues: Callable[..., JobQueue], database_url: str
) -> None:
    with psycopg.connect(database_url) as conn:
        dead = conn.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') RETURNING id"
        ).fetchone()[0]
    stuck = insert_job(database_url, "test.dup", "doing", dead)
    ran = threading.Event()
    spec = JobSpec("test.dup", ran.set)
    waiting = queues("proc-idle", spec, start=False).defer("test.dup")
    assert waiting is not None
    queue = queues("proc-up", spec)
    queue.defer("jobs.recover_stalled")
    assert ran.wait(30), "the waiting request never ran (the dead worker's job kept its lock)"
    assert wait_until(lambda: status_of(database_url, stuck) == "succeeded")
    assert wait_until(lambda: status_of(database_url, waiting) == "succeeded")
