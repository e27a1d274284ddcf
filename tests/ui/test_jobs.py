"""The job queue page: a system admin sees the failed job with its error and retries it, the queued job,
and each periodic job's next run; nobody else may open it. Real PostgreSQL, a real job worker, NiceGUI's
simulated user."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import pytest
from nicegui.testing.user import User

from hub.accounts.models import AuditQuery
from hub.accounts.principal import Role
from hub.jobs.models import JobSpec, RetryPolicy
from hub.jobs.queue import JobQueue
from hub.services import HubServices
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows


@pytest.fixture
def worker(ui_services: HubServices, ui_database_url: str) -> Iterator[Callable[..., JobQueue]]:
    made: list[JobQueue] = []

    def make(name: str, *specs: JobSpec, start: bool = True) -> JobQueue:
        queue = JobQueue(ui_database_url, ui_services.pool, worker_name=name, retry=RetryPolicy(attempts=1),
                         poll_s=0.5)  # fmt: skip
        queue.add(*specs)
        if start:
            queue.start()
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.stop()


async def eventually(check: Callable[[], bool], tries: int = 300) -> None:
    for _ in range(tries):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


async def test_a_system_admin_sees_a_failed_job_with_its_error_and_retries_it(
    sign_in: Callable[..., object], ui_services: HubServices, worker: Callable[..., JobQueue]
) -> None:
    broken = threading.Event()
    broken.set()

    def export() -> None:
        if broken.is_set():
            raise OSError("Không ghi được tệp / cannot write the file")

    queue = worker("ui-worker", JobSpec("test.export", export), JobSpec("galleries.rebuild", lambda: None, every_s=900))
    job_id = queue.defer("test.export")
    assert job_id is not None
    await eventually(lambda: ui_services.jobs.job(SETUP_ADMIN, job_id)[0].status == "failed")
    idle = worker("ui-idle", JobSpec("test.later", lambda: None, queue="elsewhere"), start=False)
    waiting = idle.defer("test.later")  # on a queue no worker listens to

    user: User = await sign_in((Role.SYSTEM_ADMIN, None))  # type: ignore[operator]
    await user.open("/jobs")
    await user.should_see(marker=f"jobs-failed-{job_id}")
    await user.should_see("OSError: Không ghi được tệp / cannot write the file")
    await user.should_see("1 đang chờ · 0 đang chạy · 1 thất bại")
    active = await table_rows(user, "jobs-active")
    assert [(r["id"], r["state"]) for r in active] == [(waiting, "Đang chờ")]
    periodic = {r["job"]: r["every"] for r in await table_rows(user, "jobs-periodic")}
    assert periodic["Dựng lại thư viện khuôn mặt các trụ sở"] == "15 phút"
    assert periodic["Chạy lại công việc của tiến trình đã dừng"] == "1 phút"

    broken.clear()
    user.find(marker=f"jobs-retry-{job_id}").click()
    await user.should_see(f"Đã xếp lại công việc số {job_id}.")
    await eventually(lambda: ui_services.jobs.job(SETUP_ADMIN, job_id)[0].status == "succeeded")
    _, rows = ui_services.accounts.search_audit(SETUP_ADMIN, AuditQuery(action="job.retry"))
    assert [r.entity_id for r in rows] == [str(job_id)]


async def test_only_a_system_admin_opens_the_job_queue(sign_in: Callable[..., object]) -> None:
    user: User = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))  # type: ignore[operator]
    await open_refused(user, "/jobs")
