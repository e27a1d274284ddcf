"""The escalation and the held-back leave permits run as periodic jobs of the queue (hub.jobs)."""

from __future__ import annotations

from hub.jobs.schedule import cron_every
from hub.leave.jobs import ESCALATE_EVERY_S, leave_jobs
from hub.leave.service import LeaveService


def test_the_escalation_job_is_periodic_and_runs_the_service() -> None:
    service = LeaveService(pool=None)  # type: ignore[arg-type]
    spec, permits = leave_jobs(service)
    assert spec.name == "leave.escalate" and spec.every_s == ESCALATE_EVERY_S
    assert spec.run == service.escalate_due
    assert cron_every(spec.every_s)
    assert permits.name == "leave.issue_permits" and permits.run == service.issue_due_permits
