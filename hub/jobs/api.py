"""The job queue over HTTP (system admin only): jobs by state with their errors, the periodic schedule, a retry.

GET /jobs lists queued, running and failed jobs (newest first) with the last error of each; GET
/jobs/periodic every periodic job with its next run; GET /jobs/{id} one job and its attempts;
POST /jobs/{id}/retry queues a failed job again (audited). Refusals in Vietnamese and English.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import Code, Id, Offset
from hub.jobs import access as jobs_access
from hub.jobs.models import JobNotRetryable, JobRecord, JobRun, PeriodicJob, UnknownJob

Status = Literal["todo", "doing", "succeeded", "failed", "cancelled", "aborted"]


class JobOut(BaseModel):
    id: int
    task: str
    queue: str
    status: str  # todo (queued, also a retry waiting for its backoff), doing (running), succeeded, failed, …
    attempts: int
    scheduled_at: datetime | None  # not before (a retry's backoff)
    args: dict[str, Any]
    started_at: datetime | None  # of the latest attempt
    finished_at: datetime | None
    worker: str | None
    error: str | None  # the last failed attempt's error (type and first line)

    @classmethod
    def of(cls, job: JobRecord) -> JobOut:
        return cls(
            id=job.id, task=job.task, queue=job.queue, status=job.status, attempts=job.attempts,
            scheduled_at=job.scheduled_at, args=job.args, started_at=job.started_at, finished_at=job.finished_at,
            worker=job.worker, error=job.error,
        )  # fmt: skip


class JobCountsOut(BaseModel):
    queued: int
    running: int
    failed: int


class JobPage(BaseModel):
    total: int
    limit: int
    offset: int
    counts: JobCountsOut
    items: list[JobOut]


class RunOut(BaseModel):
    attempt: int
    worker: str
    period_at: datetime | None  # the period of a periodic job's run
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # running | succeeded | failed
    error: str | None

    @classmethod
    def of(cls, run: JobRun) -> RunOut:
        return cls(attempt=run.attempt, worker=run.worker, period_at=run.period_at, started_at=run.started_at,
                   finished_at=run.finished_at, outcome=run.outcome, error=run.error)  # fmt: skip


class JobDetail(JobOut):
    traceback: str | None
    runs: list[RunOut]  # newest first


class PeriodicOut(BaseModel):
    task: str
    periodic_id: str
    cron: str
    queue: str
    next_run: datetime
    last_started_at: datetime | None
    last_outcome: str | None
    seen_at: datetime  # when a worker last declared it
    seen_by: str

    @classmethod
    def of(cls, p: PeriodicJob) -> PeriodicOut:
        return cls(task=p.task, periodic_id=p.periodic_id, cron=p.cron, queue=p.queue, next_run=p.next_run,
                   last_started_at=p.last_started_at, last_outcome=p.last_outcome, seen_at=p.seen_at,
                   seen_by=p.seen_by)  # fmt: skip


class Problem(BaseModel):
    detail: str


_ANSWERS: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "no job with this id"}}
Admin = Annotated[Principal, Depends(current_principal)]


def jobs_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["jobs"])

    @router.get("/jobs", openapi_extra=jobs_access.VIEW.route(), response_model=JobPage)
    def list_jobs(
        request: Request,
        principal: Admin,
        status: Annotated[list[Status] | None, Query(max_length=6, description="repeat for several")] = None,
        task: Code | None = None,
        limit: int = Query(50, ge=1, le=500),
        offset: Offset = 0,
    ) -> JobPage:
        """Jobs in these states (default: all), newest first, each with its last error; and the counts of
        queued, running and failed jobs."""
        jobs = services_of(request).jobs
        total, found = jobs.jobs(principal, status, task, limit, offset)
        counts = jobs.counts(principal)
        return JobPage(
            total=total, limit=limit, offset=offset, items=[JobOut.of(j) for j in found],
            counts=JobCountsOut(queued=counts.queued, running=counts.running, failed=counts.failed),
        )  # fmt: skip

    @router.get("/jobs/periodic", openapi_extra=jobs_access.VIEW.route(), response_model=list[PeriodicOut])
    def periodic_jobs(request: Request, principal: Admin) -> list[PeriodicOut]:
        """Every periodic job some hub process runs, with its cron expression (UTC), next run and last run."""
        return [PeriodicOut.of(p) for p in services_of(request).jobs.periodic(principal)]

    @router.get("/jobs/{job_id}", openapi_extra=jobs_access.VIEW.route(), response_model=JobDetail, responses=_ANSWERS)
    def get_job(job_id: Id, request: Request, principal: Admin) -> JobDetail | JSONResponse:
        """One job, its last error's traceback and every attempt."""
        try:
            job, runs = services_of(request).jobs.job(principal, job_id)
        except UnknownJob as exc:
            return JSONResponse(Problem(detail=str(exc)).model_dump(), 404)
        return JobDetail(**JobOut.of(job).model_dump(), traceback=job.traceback, runs=[RunOut.of(r) for r in runs])

    @router.post(
        "/jobs/{job_id}/retry",
        openapi_extra=jobs_access.RETRY.route(),
        response_model=JobOut,
        responses={**_ANSWERS, 409: {"model": Problem, "description": "the job has not failed"}},
    )
    def retry_job(job_id: Id, request: Request, principal: Admin) -> JobOut | JSONResponse:
        """Queue a failed job again, due now (audited 'job.retry'); 409 for a job in any other state."""
        try:
            job = services_of(request).jobs.retry(principal, job_id, request_actor(request, principal))
        except UnknownJob as exc:
            return JSONResponse(Problem(detail=str(exc)).model_dump(), 404)
        except JobNotRetryable as exc:
            return JSONResponse(Problem(detail=str(exc)).model_dump(), 409)
        return JobOut.of(job)

    return router
