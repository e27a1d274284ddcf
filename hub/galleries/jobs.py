"""The galleries' job: `galleries.rebuild`, on the queue of the processes that hold the face models.

Deferred after a change (a photo added or erased, an office's units, an allowance: `scheduled` False),
at the hub's start and every CCES_GALLERY_REBUILD_INTERVAL_S (`scheduled` True: every device's config
is published again too, so a broker that lost its retained messages gets them back). One waits at a
time (more requests fold into it) and one runs at a time across hub processes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hub.galleries.service import GalleryService
from hub.jobs.models import GALLERIES, JobSpec

log = logging.getLogger(__name__)

REBUILD = "galleries.rebuild"


def gallery_jobs(galleries: GalleryService, interval_s: float) -> list[JobSpec]:
    def rebuild(scheduled: bool = False) -> None:
        report = galleries.rebuild(scheduled=scheduled)
        if report.failed:  # a pack that is not installed: the other offices were built; say it in the job log
            raise RuntimeError("; ".join(report.failed))

    return [
        JobSpec(
            REBUILD,
            rebuild,
            GALLERIES,
            every_s=interval_s,
            periodic_kwargs={"scheduled": True},
            at_start=True,
            setting="gallery_rebuild_interval_s",
        )
    ]


def rebuild_requester(defer: Callable[[str], object]) -> Callable[[], None]:
    """`request_rebuild` through the queue. A request that cannot be queued (the database away) is logged
    and left to the next scheduled rebuild: the change it follows is already committed."""

    def request() -> None:
        try:
            defer(REBUILD)
        except Exception as exc:  # noqa: BLE001 - the change stands; the schedule rebuilds within the interval
            log.warning("gallery rebuild not queued (%s); the next scheduled rebuild picks the change up", exc)

    return request
