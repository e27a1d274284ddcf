"""What the admin page and GET /api/v1/jobs ask of the job queue: the jobs, the schedules, a retry.

System admin only (the jobs span every unit and hold device and storage details). Reads procrastinate's
tables and our job log through the database, so any hub process answers for all of them, also for the
jobs it does not run itself. A retry is procrastinate's own (`procrastinate_retry_job_v2`), audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from psycopg_pool import ConnectionPool

from hub.accounts import access, audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.jobs import repository as repo
from hub.jobs.models import JobCounts, JobNotRetryable, JobRecord, JobRun, PeriodicJob, UnknownJob
from hub.jobs.schedule import next_run

_SEE = "xem hàng đợi công việc / see the job queue"
_RETRY = "chạy lại công việc / retry a job"


class JobsService:
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    def jobs(
        self,
        principal: Principal,
        statuses: Sequence[str] | None = None,
        task: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[JobRecord]]:
        """(total, one page, newest first) of the jobs in these states (None: all)."""
        access.require_system_admin(principal, _SEE)
        with self.pool.connection() as conn:
            return repo.list_jobs(conn, list(statuses) if statuses else None, task, limit, offset)

    def job(self, principal: Principal, job_id: int) -> tuple[JobRecord, list[JobRun]]:
        """One job and its attempts (newest first); UnknownJob."""
        access.require_system_admin(principal, _SEE)
        with self.pool.connection() as conn:
            found = repo.get_job(conn, job_id)
            if found is None:
                raise UnknownJob(job_id)
            return found, repo.runs(conn, job_id=job_id)

    def counts(self, principal: Principal) -> JobCounts:
        access.require_system_admin(principal, _SEE)
        with self.pool.connection() as conn:
            return repo.count_jobs(conn)

    def periodic(self, principal: Principal) -> list[PeriodicJob]:
        """Every periodic job a worker declared, with its next run (from its cron expression) and last run."""
        access.require_system_admin(principal, _SEE)
        now = self.clock()
        with self.pool.connection() as conn:
            rows = repo.schedules(conn)
        return [
            PeriodicJob(task, periodic_id, cron, queue, next_run(cron, now), last_at, last_outcome, seen_at, seen_by)
            for task, periodic_id, cron, queue, seen_at, seen_by, last_at, last_outcome in rows
        ]

    def retry(self, principal: Principal, job_id: int, actor: Actor) -> JobRecord:
        """Queue a failed job again, due now (audited 'job.retry'); UnknownJob, JobNotRetryable (nothing changed).

        When another request of the same job already waits in the queue, that one is the retry: the failed
        job stays as it is and the waiting job's record is returned (audited with `queued_as`)."""
        access.require_system_admin(principal, _RETRY)
        with self.pool.connection() as conn, conn.transaction():
            found = repo.get_job(conn, job_id, for_update=True)
            if found is None:
                raise UnknownJob(job_id)
            if found.status != "failed":
                raise JobNotRetryable(job_id, found.status)
            before = {"task": found.task, "status": found.status, "error": found.error}
            twin = repo.retry_failed(conn, job_id)
            if twin is None:
                audit.record(conn, actor, "job.retry", "job", str(job_id), before=before, after={"status": "todo"})
                after = repo.get_job(conn, job_id)
            else:  # a request of the same job already waits: it does the work (as a second defer is folded in)
                audit.record(conn, actor, "job.retry", "job", str(job_id), before=before,
                             after={"status": found.status, "queued_as": twin})  # fmt: skip
                after = repo.get_job(conn, twin)
        assert after is not None
        return after
