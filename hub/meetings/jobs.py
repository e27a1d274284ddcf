"""The meetings domain's scheduled work on the job queue (hub.jobs): releasing bookings nobody checked in to, and
reminding participants of a meeting that starts within the hour, and sending the papers [meetings]
papers_days_before working days ahead (hub.meetings.papers_notice), on the same period.

`domain_jobs` also gives the service the hub's parts it needs: the content store for papers, the shared secret
that signs check-in QR tokens (the action links' secret: every hub process of one installation has the same),
and the [meetings] settings (check-in minutes, the speakers' default time, the papers' lead), and the hub's
address the check-in QR opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.files import ContentStore
from hub.jobs.models import JobSpec

if TYPE_CHECKING:
    from hub.runtime import HubRuntime


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    from hub.notifications.actions import load_or_create_secret

    assert runtime.services is not None
    s = runtime.settings
    meetings = runtime.services.meetings
    meetings.store = ContentStore(s.files_dir)
    meetings.checkin_minutes = s.meetings.checkin_minutes
    meetings.speaker_minutes = s.meetings.speaker_minutes
    meetings.papers_days_before = s.meetings.papers_days_before
    meetings.public_url = s.http.base_url  # the check-in QR's page (hub.meetings.checkin_link)
    configured = s.notifications.action_secret.get_secret_value() if s.notifications.action_secret else None
    meetings.use_secret(load_or_create_secret(s.secrets_dir, configured))
    return [
        JobSpec("meetings.release_unattended", meetings.release_unattended, every_s=s.meetings.release_check_s,
                setting="meetings_release_check_s"),
        JobSpec("meetings.remind_upcoming", meetings.remind_upcoming, every_s=s.meetings.release_check_s,
                setting="meetings_release_check_s"),
        JobSpec("meetings.send_papers", meetings.send_papers, every_s=s.meetings.release_check_s,
                setting="meetings_release_check_s"),
    ]  # fmt: skip
