"""SQL of the job queue's view: procrastinate's jobs (read, and a failed one retried), our job log and schedules.

procrastinate owns `procrastinate_jobs` and its functions (schema in hub/migrations/0210_job_queue.sql);
here they are only read, except `procrastinate_retry_job_v2` — procrastinate's own procedure for
retrying a failed job — which the admin's retry button calls. The job log (`job_runs`) and the
periodic schedules (`job_schedules`) are ours (0211_job_log.sql).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from hub.jobs.models import JobCounts, JobRecord, JobRun

#: error texts kept per attempt (the first line is shown; the traceback is for a closer look)
MAX_ERROR_CHARS = 1_000
MAX_TRACEBACK_CHARS = 20_000
#: procrastinate's unique index of waiting jobs per queueing lock (one `todo` row per lock)
QUEUEING_LOCK_INDEX = "procrastinate_jobs_queueing_lock_idx_v1"

# --- the job log ---------------------------------------------------------------------------------


def start_run(
    conn: psycopg.Connection,
    job_id: int,
    task: str,
    queue: str,
    period_at: datetime | None,
    worker: str,
) -> int:
    """A row saying this attempt runs; `attempt` counts the job's earlier rows (procrastinate's own count
    also counts a manual retry as one)."""
    row = conn.execute(
        "INSERT INTO job_runs (job_id, task, queue, attempt, period_at, worker)"
        " SELECT %(job)s, %(task)s, %(queue)s, count(*) + 1, %(period)s, %(worker)s"
        " FROM job_runs WHERE job_id = %(job)s"
        " RETURNING id",
        {"job": job_id, "task": task, "queue": queue, "period": period_at, "worker": worker},
    ).fetchone()
    assert row is not None
    return int(row[0])


def claim_period(conn: psycopg.Connection, job_id: int, task: str, queue: str, period_at: datetime) -> bool:
    """Whether job `job_id` is the one that runs this period of `task` (the first to ask, or a retry of it)."""
    conn.execute(
        "INSERT INTO job_periods (task, queue, period_at, job_id) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (task, queue, period_at, job_id),
    )
    row = conn.execute(
        "SELECT job_id FROM job_periods WHERE task = %s AND queue = %s AND period_at = %s", (task, queue, period_at)
    ).fetchone()
    return row is not None and int(row[0]) == job_id


def finish_run(conn: psycopg.Connection, run_id: int, error: str | None, traceback: str | None) -> None:
    conn.execute(
        "UPDATE job_runs SET finished_at = now(), outcome = %s, error = %s, traceback = %s WHERE id = %s",
        (
            "failed" if error is not None else "succeeded",
            error[:MAX_ERROR_CHARS] if error is not None else None,
            traceback[-MAX_TRACEBACK_CHARS:] if traceback is not None else None,
            run_id,
        ),
    )


def runs(
    conn: psycopg.Connection, *, task: str | None = None, job_id: int | None = None, limit: int = 100
) -> list[JobRun]:
    """The newest attempts first (of one task, or one job)."""
    rows = conn.execute(
        "SELECT id, job_id, task, queue, attempt, period_at, worker, started_at, finished_at, outcome, error"
        " FROM job_runs WHERE (%(task)s::text IS NULL OR task = %(task)s)"
        " AND (%(job)s::bigint IS NULL OR job_id = %(job)s) ORDER BY id DESC LIMIT %(limit)s",
        {"task": task, "job": job_id, "limit": limit},
    ).fetchall()
    return [JobRun(*r) for r in rows]


def delete_runs_before(conn: psycopg.Connection, before: datetime) -> int:
    """The log of attempts started before `before` (the cleanup job; their jobs go with procrastinate's)."""
    conn.execute("DELETE FROM job_periods WHERE period_at < %s", (before,))
    return conn.execute("DELETE FROM job_runs WHERE started_at < %s", (before,)).rowcount


# --- procrastinate's jobs, as the admin page lists them --------------------------------------------

_JOB_COLUMNS = (
    "j.id, j.task_name, j.queue_name, j.status::text, (SELECT count(*) FROM job_runs WHERE job_id = j.id),"
    " j.scheduled_at, j.args,"
    " r.started_at, r.finished_at, r.worker, e.error, e.traceback"
)
#: the latest attempt of each job, and the latest failed one (its error shows while a retry waits)
_JOB_JOINS = (
    " LEFT JOIN LATERAL (SELECT started_at, finished_at, worker FROM job_runs WHERE job_id = j.id"
    " ORDER BY id DESC LIMIT 1) r ON true"
    " LEFT JOIN LATERAL (SELECT error, traceback FROM job_runs WHERE job_id = j.id AND outcome = 'failed'"
    " ORDER BY id DESC LIMIT 1) e ON true"
)


def _job(row: tuple[Any, ...]) -> JobRecord:
    return JobRecord(*row[:6], dict(row[6] or {}), *row[7:])


def list_jobs(
    conn: psycopg.Connection, statuses: list[str] | None, task: str | None, limit: int, offset: int
) -> tuple[int, list[JobRecord]]:
    """(total, one page) of jobs in these states, the newest first."""
    where = (
        " WHERE (%(statuses)s::text[] IS NULL OR j.status::text = ANY(%(statuses)s))"
        " AND (%(task)s::text IS NULL OR j.task_name = %(task)s)"
    )
    params = {"statuses": statuses, "task": task, "limit": limit, "offset": offset}
    total = conn.execute(f"SELECT count(*) FROM procrastinate_jobs j{where}", params).fetchone()
    rows = conn.execute(
        f"SELECT {_JOB_COLUMNS} FROM procrastinate_jobs j{_JOB_JOINS}{where}"
        " ORDER BY j.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        params,
    ).fetchall()
    return (int(total[0]) if total else 0), [_job(r) for r in rows]


def get_job(conn: psycopg.Connection, job_id: int, *, for_update: bool = False) -> JobRecord | None:
    lock = " FOR UPDATE OF j" if for_update else ""
    row = conn.execute(f"SELECT {_JOB_COLUMNS} FROM procrastinate_jobs j{_JOB_JOINS} WHERE j.id = %s{lock}",
                       (job_id,)).fetchone()  # fmt: skip
    return _job(row) if row else None


def count_jobs(conn: psycopg.Connection) -> JobCounts:
    counts = dict(
        conn.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing', 'failed')"
            " GROUP BY status"
        ).fetchall()
    )
    return JobCounts(counts.get("todo", 0), counts.get("doing", 0), counts.get("failed", 0))


def retry_failed(conn: psycopg.Connection, job_id: int) -> int | None:
    """procrastinate's own retry of a failed job: back to 'todo', due now (its attempts count on); None.

    When another job of the same queueing lock already waits (`todo`), PostgreSQL refuses a second one
    (procrastinate_jobs_queueing_lock_idx_v1): nothing changes and the waiting job's id is returned."""
    try:
        with conn.transaction():  # a savepoint: the refusal leaves the caller's transaction usable
            conn.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, NULL, NULL)", (job_id,))
        return None
    except psycopg.errors.UniqueViolation as exc:
        if exc.diag.constraint_name != QUEUEING_LOCK_INDEX:
            raise
    row = conn.execute(
        "SELECT w.id FROM procrastinate_jobs j JOIN procrastinate_jobs w ON w.queueing_lock = j.queueing_lock"
        " AND w.status = 'todo' AND w.id <> j.id WHERE j.id = %s",
        (job_id,),
    ).fetchone()
    assert row is not None
    return int(row[0])


# --- periodic schedules ----------------------------------------------------------------------------


def declare_schedules(conn: psycopg.Connection, schedules: list[tuple[str, str, str, str]], worker: str) -> None:
    """(task, periodic_id, cron, queue) of every periodic job this worker runs, as seen now."""
    with conn.transaction():
        for task, periodic_id, cron, queue in schedules:
            conn.execute(
                "INSERT INTO job_schedules (task, periodic_id, cron, queue, seen_by) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (task, periodic_id) DO UPDATE SET cron = excluded.cron, queue = excluded.queue,"
                " seen_at = now(), seen_by = excluded.seen_by",
                (task, periodic_id, cron, queue, worker),
            )


def schedules(conn: psycopg.Connection) -> list[tuple[str, str, str, str, datetime, str, datetime | None, str | None]]:
    """(task, periodic_id, cron, queue, seen_at, seen_by, last started, last outcome) by task."""
    return conn.execute(
        "SELECT s.task, s.periodic_id, s.cron, s.queue, s.seen_at, s.seen_by, r.started_at, r.outcome"
        " FROM job_schedules s LEFT JOIN LATERAL (SELECT started_at, outcome FROM job_runs"
        " WHERE task = s.task ORDER BY started_at DESC LIMIT 1) r ON true ORDER BY s.task, s.periodic_id"
    ).fetchall()


def delete_schedules_unseen_since(conn: psycopg.Connection, before: datetime) -> int:
    """Schedules no worker declared since `before` (a job a later version dropped, a data dir gone)."""
    return conn.execute("DELETE FROM job_schedules WHERE seen_at < %s", (before,)).rowcount
