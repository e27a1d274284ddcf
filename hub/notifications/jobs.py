"""The jobs of notifications on the job queue: the mail sender and retention (declared once, run anywhere)."""

from __future__ import annotations

from datetime import timedelta

from hub.jobs.models import MAINTENANCE, JobSpec, RetryPolicy
from hub.notifications.mail import MailSender
from hub.notifications.service import NotificationsService

SEND_MAIL = "notifications.send_mail"
RETENTION = "notifications.retention"
RETENTION_EVERY_S = 86_400


def notification_jobs(
    service: NotificationsService, sender: MailSender | None, *, send_every_s: float, keep_days: int
) -> list[JobSpec]:
    """The sender every `send_every_s` (when SMTP is configured) and the daily retention of the inbox."""

    def send() -> None:
        assert sender is not None
        sender.run()

    def retention() -> None:
        service.apply_retention(timedelta(days=keep_days))

    specs = [JobSpec(RETENTION, retention, MAINTENANCE, every_s=RETENTION_EVERY_S)]
    if sender is not None:
        # a failed message keeps its own retry state in the outbox: the job itself is not retried
        specs.append(JobSpec(SEND_MAIL, send, MAINTENANCE, every_s=send_every_s, at_start=True,
                             retry=RetryPolicy(attempts=1), setting="mail_send_interval_s"))  # fmt: skip
    return specs
