"""The escalation runs as a periodic job of the queue (hub.jobs)."""

from __future__ import annotations

from hub.jobs.schedule import cron_every
from hub.leave.jobs import ESCALATE_EVERY_S, leave_jobs
from hub.leave.service import LeaveService


def test_the_escalation_job_is_periodic_and_runs_the_service() -> None:
    service = LeaveService(pool=None)  # type: ignore[arg-type]
    (spec,) = leave_jobs(service)
    assert spec.name == "leave.escalate" and spec.every_s == ESCALATE_EVERY_S
    assert spec.run == service.escalate_due
    assert cron_every(spec.every_s)
