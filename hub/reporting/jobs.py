"""Summary reporting's scheduled work on the job queue (hub.jobs): opening each period's reports when its
data is cut off, and reminding (then escalating) units whose report is late."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.jobs.models import JobSpec
from hub.reporting.service import ReportingService

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

OPEN_EVERY_S = 3600.0  # a period opens on the day after its cut-off: hourly is early enough
REMIND_EVERY_S = 3600.0  # each late report is reminded at most once a day (reporting_reports.reminded_on)


def reporting_jobs(service: ReportingService) -> list[JobSpec]:
    return [
        JobSpec("reporting.open_due", service.open_due, every_s=OPEN_EVERY_S),
        JobSpec("reporting.remind_late", service.remind_late, every_s=REMIND_EVERY_S),
    ]


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The reporting domain's jobs (hub.domains); also gives the service the hub's content store, where
    attachments are kept (the store the documents use), and the documents' file rules (their virus scanner;
    the size capped by the service)."""
    from hub.documents.files import FileRules
    from hub.files import ContentStore

    assert runtime.services is not None
    runtime.services.reporting.store = ContentStore(runtime.settings.files_dir)
    runtime.services.reporting.file_rules = FileRules.from_settings(runtime.settings)
    return reporting_jobs(runtime.services.reporting)
