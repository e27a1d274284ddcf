"""Notification mail in /metrics: the outbox by state, and how long the oldest waiting mail has waited.

Read from `notification_mail` at each scrape (any hub process reports the same numbers). A growing
`pending` or an old `oldest_pending_age` means the SMTP server is unreachable; `failed` counts mails
given up (the /notifications page lists them with their errors). Nothing while the database is away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import Metric
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg_pool import ConnectionPool

from hub.notifications import repository as repo

log = logging.getLogger(__name__)

SCRAPE_DB_WAIT_S = 2.0


class MailCollector(Collector):
    def __init__(self, pool: Callable[[], ConnectionPool | None]) -> None:
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        pool = self._pool()
        if pool is None:
            return
        try:
            with pool.connection(timeout=SCRAPE_DB_WAIT_S) as conn:
                counts = repo.mail_counts(conn)
                oldest = repo.oldest_pending_age_s(conn)
        except Exception as exc:  # the scrape answers while the database is away
            log.debug("metrics: notification mail not read (%s)", exc)
            return
        family = GaugeMetricFamily(
            "cces_notification_mail", "notification mails in the outbox by state (pending, sent, failed)",
            labels=["status"],
        )  # fmt: skip
        for status, n in (("pending", counts.pending), ("sent", counts.sent), ("failed", counts.failed)):
            family.add_metric([status], n)
        yield family
        yield GaugeMetricFamily(
            "cces_notification_mail_oldest_pending_age_seconds",
            "how long the oldest mail still to be sent has waited (0: none waits)",
            value=oldest,
        )
