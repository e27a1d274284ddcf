"""Records and errors of the job queue: what a domain declares (JobSpec), what the admin page shows.

A domain declares each of its jobs once as a `JobSpec`: its name, what it runs, the queue (which hub
processes can run it), its schedule if it is periodic, and its retry policy. hub.jobs.queue turns the
specs into procrastinate tasks; nothing else of a domain knows procrastinate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from hub.domain import Conflict, DomainError, NotFound

#: the queues the hub's processes listen to (hub.jobs.queue.queues_for_role); a storage queue is
#: `storage.<id>` (one per data dir: work on the files of that dir)
MAINTENANCE = "maintenance"  # database upkeep: any role
COMMANDS = "commands"  # needs the command channel: roles all and api
GALLERIES = "galleries"  # needs the face models: roles all and api
STORAGE_PREFIX = "storage."

JobStatus = Literal["todo", "doing", "succeeded", "failed", "cancelled", "aborting", "aborted"]


@dataclass(frozen=True)
class RetryPolicy:
    """A failed attempt is tried again after `backoff_s`, then twice that, … up to `max_backoff_s`, at most
    `attempts` times in all; then the job stays failed (shown with its error) until someone retries it."""

    attempts: int = 5
    backoff_s: float = 30.0
    max_backoff_s: float = 3600.0

    def delay_after(self, failed_attempts: int) -> float | None:
        """Seconds to wait after the `failed_attempts`-th failure (1 = the first), None: no more tries."""
        if failed_attempts >= self.attempts:
            return None
        return min(self.backoff_s * 2 ** (failed_attempts - 1), self.max_backoff_s)


@dataclass(frozen=True)
class JobSpec:
    """One job a domain runs on the queue.

    `run(**kwargs)` does the work on a worker thread (or is `async def` and runs on the worker's event
    loop); it raises to fail. `every_s` makes it periodic: deferred once per period across all hub
    processes (a cron expression from hub.jobs.schedule; `periodic_kwargs` are passed to those runs).
    `at_start` defers one run when the worker starts (work that cannot wait for the first period).
    At most one run of a job waits in the queue at a time (a request while one waits is folded into
    it) and one runs at a time across processes, unless `exclusive` is False.
    """

    name: str
    run: Callable[..., Any]
    queue: str = MAINTENANCE
    every_s: float | None = None
    periodic_kwargs: dict[str, Any] | None = None
    periodic_id: str = ""  # several schedules of one job (one per data dir: its storage id)
    at_start: bool = False
    retry: RetryPolicy | None = None  # None: the queue's default policy (settings)
    exclusive: bool = True
    setting: str = ""  # the setting `every_s` comes from, named in a configuration error
    offset_s: int = 0  # where in each period a whole-hour interval fires (seconds after UTC midnight)


@dataclass(frozen=True)
class JobRecord:
    """One job as the admin page lists it; `error` is the last failed attempt's, if any."""

    id: int
    task: str
    queue: str
    status: JobStatus
    attempts: int  # attempts started so far (the job log's rows)
    scheduled_at: datetime | None  # not before (a retry's backoff); None: as soon as a worker is free
    args: dict[str, Any]
    started_at: datetime | None  # of the latest attempt
    finished_at: datetime | None
    worker: str | None
    error: str | None
    traceback: str | None


@dataclass(frozen=True)
class JobRun:
    """One attempt of one job (the job log)."""

    id: int
    job_id: int
    task: str
    queue: str
    attempt: int
    period_at: datetime | None
    worker: str
    started_at: datetime
    finished_at: datetime | None
    outcome: Literal["running", "succeeded", "failed"]
    error: str | None


@dataclass(frozen=True)
class PeriodicJob:
    """A periodic job some worker runs, when it runs next, and how its last run ended."""

    task: str
    periodic_id: str
    cron: str
    queue: str
    next_run: datetime
    last_started_at: datetime | None
    last_outcome: str | None
    seen_at: datetime  # when a worker last declared it (an old one: no process runs it any more)
    seen_by: str


@dataclass(frozen=True)
class JobCounts:
    queued: int  # todo (including retries waiting for their backoff)
    running: int
    failed: int


class JobError(DomainError):
    """Base of the job queue's refusals; the message is Vietnamese / English."""


class UnknownJob(JobError, NotFound):
    def __init__(self, job_id: int) -> None:
        super().__init__(f"Không có công việc số {job_id} / No job with id {job_id}")
        self.job_id = job_id


class JobNotRetryable(JobError, Conflict):
    def __init__(self, job_id: int, status: str) -> None:
        super().__init__(
            f"Công việc số {job_id} đang ở trạng thái '{status}', chỉ chạy lại được công việc đã thất bại"
            f" / Job {job_id} is '{status}': only a failed job can be retried"
        )
        self.job_id = job_id
        self.status = status


class ScheduleError(ValueError):
    """An interval that no cron expression repeats exactly."""
