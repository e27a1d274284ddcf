"""SQL of /metrics: what the database itself knows that a scrape reports (the job queue's counts)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

#: the job states a scrape counts; finished jobs ("succeeded", "cancelled", "aborted") pile up and are not counted
COUNTED_JOB_STATES = ("todo", "doing", "failed")


@dataclass(frozen=True)
class JobCount:
    queue: str
    task: str
    status: str
    count: int


def job_queue_present(conn: psycopg.Connection) -> bool:
    """Whether procrastinate's job table exists in this database (issue 13 item 7 puts the hub's jobs there)."""
    row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def job_counts(conn: psycopg.Connection) -> list[JobCount]:
    """Queued, running and failed jobs by queue and task (a bounded set: the tasks are the hub's own)."""
    rows = conn.execute(
        "SELECT queue_name, task_name, status::text, count(*) FROM procrastinate_jobs"
        " WHERE status::text = ANY(%s) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        (list(COUNTED_JOB_STATES),),
    ).fetchall()
    return [JobCount(str(q), str(t), str(s), int(n)) for q, t, s, n in rows]


def database_answers(conn: psycopg.Connection) -> None:
    """A round trip: raises when the database does not answer."""
    conn.execute("SELECT 1").fetchone()
