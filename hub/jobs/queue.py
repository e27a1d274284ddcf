"""The job queue of one hub process: procrastinate's worker on its own thread and event loop.

Every hub process runs one worker (under hub.supervisor: restarted with backoff if it dies, stopped
with the hub). It listens to the queues of the jobs this process can run — `maintenance` everywhere,
`commands` and `galleries` where the command channel and the face models are (roles all and api), and
`storage.<id>` for the files of its own data dir (processes sharing a data dir share the id). The
guarantees come from PostgreSQL, through procrastinate:
- a job is fetched by exactly one worker (`FOR UPDATE SKIP LOCKED`);
- a periodic job is deferred once per period however many processes run it: every worker computes
  the same instants from the cron expression and the database keeps one row per (task, period id,
  instant);
- a job has a queueing lock (a second request while one waits is folded into it) and a lock (two
  runs of one job never overlap across processes); a failed or stalled run whose retry finds another
  request already waiting is folded into that one too (FoldingJobManager: it ends `succeeded`, its failed
  attempt stays in the job log, the waiting job does the work);
- a failed attempt is retried with a growing backoff (RetryPolicy), then stays `failed` with its
  error in the job log (`job_runs`) until an admin retries it;
- a job survives a restart (it is a row); one whose worker died mid-run (SIGKILL, a crash) is found
  by its stale heartbeat and queued again by the `jobs.recover_stalled` job. A job may therefore run
  more than once after a crash: every job of the hub is idempotent.

Jobs are deferred from any thread (an API request asking for a gallery rebuild) through a second
procrastinate App on the hub's own synchronous pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import secrets
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector
from procrastinate import exceptions as pq_exceptions
from procrastinate.jobs import Job, Status
from procrastinate.manager import QUEUEING_LOCK_CONSTRAINT, JobManager
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from psycopg_pool import ConnectionPool

from hub.jobs import repository as repo
from hub.jobs.models import MAINTENANCE, STORAGE_PREFIX, JobSpec, RetryPolicy
from hub.jobs.schedule import cron_every
from hub.supervisor import SupervisedThread, ThreadState

log = logging.getLogger(__name__)

STALLED_CHECK_S = 60  # how often jobs of dead workers are looked for
CLEANUP_EVERY_S = 86_400
HEARTBEAT_S = 10.0  # a worker's heartbeat; one silent for `stalled_after_s` is taken for dead


class Backoff(BaseRetryStrategy):
    """procrastinate's retry hook over our RetryPolicy (doubling waits, a last attempt)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        delay = self.policy.delay_after(job.attempts + 1)
        return None if delay is None else RetryDecision(retry_in={"seconds": delay})


class FoldingJobManager(JobManager):
    """procrastinate's JobManager, except that a retry colliding with a waiting job of the same queueing
    lock is folded into it, as a second `defer` is.

    procrastinate's retry puts the job back to `todo`; when another request of the same lock already
    waits there, PostgreSQL refuses the second `todo` row (procrastinate_jobs_queueing_lock_idx_v1). Left
    alone, that UniqueViolation killed the task persisting the job's end ("Task exception was never
    retrieved") and the job stayed `doing` with a live heartbeat, holding its lock so the waiting request
    never ran either. Here the job ends `succeeded` instead (the work is the waiting job's to do; the failed
    attempt and its error stay in the job log) and the collision is logged."""

    async def retry_job_by_id_async(
        self,
        job_id: int,
        retry_at: datetime,
        priority: int | None = None,
        queue: str | None = None,
        lock: str | None = None,
    ) -> None:
        try:
            await super().retry_job_by_id_async(job_id, retry_at, priority=priority, queue=queue, lock=lock)
        except pq_exceptions.UniqueViolation as exc:
            if exc.constraint_name != QUEUEING_LOCK_CONSTRAINT:
                raise
            log.info(
                "job %d: not retried, another request of %r already waits in the queue and does the work",
                job_id,
                exc.queueing_lock,
            )
            await self.finish_job_by_id_async(job_id, status=Status.SUCCEEDED, delete_job=False)


def storage_queue(data_dir: Path) -> str:
    """The queue of work on this data dir's files: `storage.<id>`, the id kept in the dir (made once)."""
    path = data_dir / "storage-id"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(6) + "\n")
    return STORAGE_PREFIX + path.read_text().strip()


def describe(exc: BaseException) -> str:
    """The error's type and first line, as the admin page shows it."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}".rstrip(": ")


class JobQueue:
    """`add` the specs this process runs, `start`, `defer` from anywhere, `stop` with the hub."""

    def __init__(
        self,
        database_url: str,
        pool: ConnectionPool,
        *,
        worker_name: str,
        concurrency: int = 2,
        retry: RetryPolicy | None = None,
        stalled_after_s: float = 30.0,
        keep_days: int = 14,
        graceful_stop_s: float = 10.0,
        poll_s: float = 5.0,
    ) -> None:
        self._database_url = database_url
        self._pool = pool
        self.worker_name = worker_name
        self._concurrency = concurrency
        self._retry = retry or RetryPolicy()
        self._stalled_after_s = stalled_after_s
        self._keep = timedelta(days=keep_days)
        self._graceful_stop_s = graceful_stop_s
        self._poll_s = poll_s
        self._specs: dict[str, JobSpec] = {}
        self._crons: dict[str, str] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: SupervisedThread | None = None
        self._worker_app: App | None = None  # the running worker's (its async pool), for the built-in jobs
        self._defer_app = App(connector=SyncPsycopgConnector())
        self._defer_app.open(pool)  # an external pool: opening only hands it over, closing leaves it open

    # -- declaring ------------------------------------------------------------------------------

    def add(self, *specs: JobSpec) -> None:
        """Jobs this process runs (before `start`); a periodic one's interval must make a cron expression."""
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"job {spec.name!r} is declared twice")
            if spec.every_s is not None:
                self._crons[spec.name] = cron_every(spec.every_s, spec.setting, spec.offset_s)
            self._specs[spec.name] = spec

    @property
    def queues(self) -> list[str]:
        return sorted({s.queue for s in self._specs.values()})

    def specs(self) -> list[JobSpec]:
        return list(self._specs.values())

    def cron(self, name: str) -> str | None:
        return self._crons.get(name)

    # -- running --------------------------------------------------------------------------------

    def start(self) -> None:
        """Declare the schedules, then run the worker on its supervised thread; defer the `at_start` runs."""
        if MAINTENANCE in self.queues:
            self.add(*self._builtin_specs())
        schedules = [(n, self._specs[n].periodic_id, c, self._specs[n].queue) for n, c in self._crons.items()]
        with self._pool.connection() as conn:
            repo.declare_schedules(conn, schedules, self.worker_name)
        self._thread = SupervisedThread("job-worker", self._body, self._stop)
        self._thread.start()
        for spec in self._specs.values():
            if spec.at_start:
                self.defer(spec.name, **(spec.periodic_kwargs or {}))

    def defer(self, name: str, **kwargs: Any) -> int | None:
        """Queue a run of job `name` (from any thread); None when one already waits (this one is folded in)."""
        spec = self._specs[name]
        lock = _lock(spec)
        try:
            return self._defer_app.configure_task(name, queue=spec.queue, lock=lock, queueing_lock=lock).defer(**kwargs)
        except pq_exceptions.AlreadyEnqueued:
            return None

    @property
    def state(self) -> ThreadState | None:
        return self._thread.state if self._thread is not None else None

    def stop(self, timeout: float | None = None) -> None:
        """Stop fetching jobs, let running ones finish (`graceful_stop_s`, then they are aborted and queued
        again), unregister the worker; the thread is joined for up to `timeout`."""
        self._stop.set()
        with self._lock:
            loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(self._graceful_stop_s + 10 if timeout is None else timeout)
            self._thread = None

    def _body(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stopping = asyncio.Event()
        with self._lock:
            self._loop, self._stopping = asyncio.get_running_loop(), stopping
        try:
            if self._stop.is_set():
                return
            app = self._build_app()
            async with app.open_async():
                self._worker_app = app
                worker = asyncio.create_task(
                    app.run_worker_async(
                        queues=self.queues,
                        name=self.worker_name,
                        concurrency=self._concurrency,
                        install_signal_handlers=False,
                        shutdown_graceful_timeout=self._graceful_stop_s,
                        fetch_job_polling_interval=self._poll_s,
                        update_heartbeat_interval=HEARTBEAT_S,
                        stalled_worker_timeout=self._stalled_after_s,
                    )
                )
                waiter = asyncio.create_task(stopping.wait())
                done, _ = await asyncio.wait({worker, waiter}, return_when=asyncio.FIRST_COMPLETED)
                if worker in done:
                    waiter.cancel()
                    worker.result()  # raises what killed it
                    raise RuntimeError("the job worker stopped by itself")
                worker.cancel()  # procrastinate's graceful stop
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
        finally:
            self._worker_app = None
            with self._lock:
                self._loop = self._stopping = None

    def _build_app(self) -> App:
        connector = PsycopgConnector(
            conninfo=self._database_url,
            min_size=1,
            max_size=self._concurrency + 3,  # LISTEN, fetching, heartbeat, finishing jobs
            kwargs={"connect_timeout": 10, "application_name": f"cces-jobs {self.worker_name}"[:63]},
        )
        app = App(connector=connector)
        app.job_manager = FoldingJobManager(connector=connector)  # before any task takes the manager
        for spec in self._specs.values():
            lock = _lock(spec)
            task = app.task(
                name=spec.name,
                pass_context=True,
                queue=spec.queue,
                lock=lock,
                queueing_lock=lock,
                retry=Backoff(spec.retry or self._retry),
            )(self._task_function(spec))
            if spec.name in self._crons:
                app.periodic(
                    cron=self._crons[spec.name],
                    periodic_id=spec.periodic_id,
                    task_kwargs=dict(spec.periodic_kwargs or {}),
                )(task)
        return app

    # -- the job log ----------------------------------------------------------------------------

    def _task_function(self, spec: JobSpec) -> Callable[..., Any]:
        """Runs `spec.run` between two rows of the job log (the second says how it ended)."""
        if inspect.iscoroutinefunction(spec.run):

            async def run_async(context: JobContext, **kwargs: Any) -> None:
                run_id = await asyncio.to_thread(
                    self._log_start, context, kwargs.pop("timestamp", None), spec.exclusive
                )
                if run_id is None:
                    return  # another job ran this period
                try:
                    await spec.run(**kwargs)
                except BaseException as exc:
                    await asyncio.to_thread(self._log_end, run_id, exc)
                    raise
                await asyncio.to_thread(self._log_end, run_id, None)

            return run_async

        def run_sync(context: JobContext, **kwargs: Any) -> None:
            run_id = self._log_start(context, kwargs.pop("timestamp", None), spec.exclusive)
            if run_id is None:
                return  # another job ran this period
            try:
                spec.run(**kwargs)
            except BaseException as exc:
                self._log_end(run_id, exc)
                raise
            self._log_end(run_id, None)

        return run_sync

    def _log_start(self, context: JobContext, timestamp: int | None, once_per_period: bool) -> int | None:
        """The log row of this attempt; None when another job already has this period (nothing to run).

        An exclusive periodic job claims its period (job_periods, migration 0212): procrastinate may defer
        a period twice when a process lags behind, and the second job must not run it again."""
        job = context.job
        assert job.id is not None
        period = datetime.fromtimestamp(timestamp, UTC) if timestamp is not None else None
        with self._pool.connection() as conn, conn.transaction():
            if (
                once_per_period
                and period is not None
                and not repo.claim_period(conn, job.id, job.task_name, job.queue, period)
            ):
                log.info("job %d: %s of %s already ran in another job; skipped", job.id, job.task_name, period)
                return None
            return repo.start_run(conn, job.id, job.task_name, job.queue, period, self.worker_name)

    def _log_end(self, run_id: int, exc: BaseException | None) -> None:
        if exc is not None:
            log.error("job run %d failed: %s", run_id, describe(exc))
        detail = "".join(traceback.format_exception(exc)) if exc is not None else None
        with self._pool.connection() as conn:
            repo.finish_run(conn, run_id, describe(exc) if exc is not None else None, detail)

    # -- built-in maintenance of the queue itself -------------------------------------------------

    def _builtin_specs(self) -> list[JobSpec]:
        return [
            JobSpec(
                "jobs.recover_stalled",
                self._recover_stalled,
                MAINTENANCE,
                every_s=STALLED_CHECK_S,
                exclusive=False,
                retry=RetryPolicy(attempts=1),
            ),  # fmt: skip
            JobSpec("jobs.cleanup", self._cleanup, MAINTENANCE, every_s=CLEANUP_EVERY_S),
        ]

    async def _recover_stalled(self) -> None:
        """Queue again the jobs whose worker stopped beating (killed mid-run): they run on another worker.

        Not exclusive: if the run that should do this was itself on the dead worker, the next one still runs."""
        app = self._worker_app
        assert app is not None
        manager = app.job_manager
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=self._stalled_after_s):
            try:
                await manager.retry_job(job)
            except pq_exceptions.ConnectorException:  # finished or retried by someone else meanwhile
                continue
            log.warning("job %s[%s] of a worker that stopped was queued again", job.task_name, job.id)

    async def _cleanup(self) -> None:
        """Finished jobs and their log older than CCES_JOBS_KEEP_DAYS; schedules no worker declared since."""
        app = self._worker_app
        assert app is not None
        hours = int(self._keep.total_seconds() // 3600)
        await app.job_manager.delete_old_jobs(nb_hours=hours, include_failed=True, include_cancelled=True,
                                              include_aborted=True)  # fmt: skip
        before = datetime.now(UTC) - self._keep
        await asyncio.to_thread(self._delete_log_before, before)

    def _delete_log_before(self, before: datetime) -> None:
        with self._pool.connection() as conn, conn.transaction():
            runs = repo.delete_runs_before(conn, before)
            unseen = repo.delete_schedules_unseen_since(conn, before)
        if runs or unseen:
            log.info("job log: %d runs and %d schedules older than %s removed", runs, unseen, before.date())


def _lock(spec: JobSpec) -> str | None:
    if not spec.exclusive:
        return None
    return f"{spec.name}:{spec.periodic_id}" if spec.periodic_id else spec.name
