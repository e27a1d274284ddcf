"""The leave module's scheduled work on the job queue (hub.jobs): escalating requests that waited too long,
and issuing the leave permits a refusal of the documents side held back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.files import ContentStore
from hub.jobs.models import JobSpec
from hub.leave.service import LeaveService

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

#: how often waiting steps are checked against their due time (each chain sets its own working hours)
ESCALATE_EVERY_S = 300.0


def leave_jobs(service: LeaveService, every_s: float = ESCALATE_EVERY_S) -> list[JobSpec]:
    return [
        JobSpec("leave.escalate", service.escalate_due, every_s=every_s),
        JobSpec("leave.issue_permits", service.issue_due_permits, every_s=every_s),
    ]


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The leave domain's jobs (hub.domains): escalation of waiting requests, on every hub process; also gives
    the service the hub's content store, where attachments are kept."""
    assert runtime.services is not None
    runtime.services.leave.store = ContentStore(runtime.settings.files_dir)
    return leave_jobs(runtime.services.leave)
