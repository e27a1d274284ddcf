"""`documents.deadlines` on the job queue: reminders before a handling deadline, escalation after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.jobs.models import JobSpec

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

DEADLINES = "documents.deadlines"


def deadline_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """Every CCES_DOCUMENTS_DEADLINE_CHECK_S on the maintenance queue (any hub process; once per period)."""
    assert runtime.services is not None
    handling = runtime.services.documents.handling
    handling.remind_days = runtime.settings.documents.remind_days
    return [
        JobSpec(DEADLINES, handling.check_deadlines, every_s=runtime.settings.documents.deadline_check_s,
                setting="CCES_DOCUMENTS_DEADLINE_CHECK_S"),
    ]  # fmt: skip
