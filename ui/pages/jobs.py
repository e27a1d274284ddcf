"""The job queue (hàng đợi công việc): queued, running and failed jobs, and when each periodic job runs next.

System admin only. A failed job shows its error and a button that queues it again (audited); a job
waiting for its retry shows when. The page refreshes itself every few seconds; what it shows comes
from the database, so it covers the jobs of every hub process.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from nicegui import run, ui

from hub.accounts.models import AccessDenied
from hub.jobs import access as jobs_access
from hub.jobs.models import JobCounts, JobError, JobRecord, PeriodicJob
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.i18n import N_
from ui.shell import PageContext, module_page

REFRESH_S = 5.0
SHOWN = 100  # jobs per list (the newest)

#: what each job does, in words (the code is shown beside it, small)
JOB_NAMES: dict[str, tuple[str, str]] = {
    "ingest.partitions": ("Tạo phân vùng dữ liệu cho các tháng tới", "Create the coming months' partitions"),
    "ingest.retention": ("Xoá dữ liệu quá hạn lưu trữ", "Delete data past its retention"),
    "snapshots.retention": ("Xoá ảnh chụp quá hạn, niêm phong ảnh cũ", "Delete expired snapshots, seal old ones"),
    "commands.resend": ("Gửi lại lệnh chưa có trả lời", "Send unanswered device commands again"),
    "galleries.rebuild": ("Dựng lại thư viện khuôn mặt các trụ sở", "Rebuild the offices' face galleries"),
    "jobs.recover_stalled": ("Chạy lại công việc của tiến trình đã dừng", "Requeue the jobs of stopped workers"),
    "jobs.cleanup": ("Dọn công việc đã xong và nhật ký cũ", "Clean up finished jobs and old log"),
    "backup.scheduled": ("Sao lưu định kỳ", "Scheduled backup"),
    "backup.watch": ("Kiểm tra sao lưu gần nhất", "Check the latest backup"),
    "leave.escalate": ("Chuyển đơn nghỉ chờ quá hạn lên cấp trên", "Escalate leave requests waiting too long"),
    "leave.issue_permits": ("Cấp Giấy nghỉ phép còn chờ số", "Issue the leave permits still waiting for a number"),
    "reporting.open_due": ("Mở báo cáo kỳ mới cho các đơn vị", "Open the new period's reports for the units"),
    "reporting.remind_late": ("Nhắc đơn vị chậm gửi báo cáo", "Remind units whose report is late"),
}


@dataclass(frozen=True)
class Snapshot:
    counts: JobCounts
    failed: list[JobRecord]
    active: list[JobRecord]
    periodic: list[PeriodicJob]


def job_name(task: str, lang: str) -> str:
    names = JOB_NAMES.get(task)
    return names[0 if lang == "vi" else 1] if names else task


def every(cron: str, t: PageContext) -> str:
    """The interval a cron expression of hub.jobs.schedule repeats at, in words (else the expression)."""
    parts = cron.split()
    if len(parts) == 6 and parts[:5] == ["*"] * 5:
        return t.t(N_("{n} giây")).format(n=parts[5].removeprefix("*/").replace("*", "1"))
    if len(parts) == 5 and parts[1:] == ["*"] * 4 and parts[0].startswith("*"):
        return t.t(N_("{n} phút")).format(n=parts[0].removeprefix("*/").replace("*", "1"))
    if len(parts) == 5 and parts[0] == "0" and parts[2:] == ["*"] * 3:
        if parts[1] == "0":
            return t.t(N_("hằng ngày"))
        return t.t(N_("{n} giờ")).format(n=parts[1].removeprefix("*/").replace("*", "1"))
    return cron


def state(job: JobRecord, ctx: PageContext, now: datetime) -> str:
    if job.status == "todo" and job.scheduled_at is not None and job.scheduled_at > now:
        return ctx.t(N_("Chờ thử lại lúc {at}")).format(at=local_time(job.scheduled_at))
    key = {"todo": N_("Đang chờ"), "doing": N_("Đang chạy"), "succeeded": N_("Hoàn thành"), "failed": N_("Thất bại")}
    return ctx.t(key[job.status]) if job.status in key else job.status


def register(services: HubServices) -> None:
    @module_page("/jobs", text_key=N_("Hàng đợi công việc"), icon="schedule", action=jobs_access.VIEW, order=92)
    async def jobs(ctx: PageContext) -> None:
        await _page(ctx)


def _load(ctx: PageContext) -> Snapshot:
    service, principal = ctx.services.jobs, ctx.principal
    _, failed = service.jobs(principal, ["failed"], limit=SHOWN)
    _, active = service.jobs(principal, ["todo", "doing"], limit=SHOWN)
    return Snapshot(service.counts(principal), failed, active, service.periodic(principal))


async def _page(ctx: PageContext) -> None:
    t = ctx.t
    ui.label(t(N_("Hàng đợi công việc"))).classes("text-xl font-bold")
    ui.label(
        t(N_("Công việc định kỳ và chạy nền của mọi tiến trình hub: mỗi công việc chạy một lần, thử lại khi lỗi."))
    ).classes("text-grey-8")
    counts = ui.label().classes("text-base").mark("jobs-counts")
    problem = ui.label().classes("text-negative").mark("jobs-problem")

    async def retry(job_id: int) -> None:
        try:
            await run.io_bound(ctx.services.jobs.retry, ctx.principal, job_id, ctx.actor())
        except (JobError, AccessDenied) as exc:
            ui.notify(str(exc), type="negative")
        else:
            ui.notify(t(N_("Đã xếp lại công việc số {id}.")).format(id=job_id), type="positive")
        await refresh()

    @ui.refreshable
    def body(snapshot: Snapshot) -> None:
        now = ctx.services.now()
        counts.text = t(N_("{queued} đang chờ · {running} đang chạy · {failed} thất bại")).format(
            **vars(snapshot.counts)
        )
        _failed(ctx, snapshot.failed, retry)
        _active(ctx, snapshot.active, now)
        _periodic(ctx, snapshot.periodic)

    async def refresh() -> None:
        try:
            loaded = await run.io_bound(_load, ctx)
        except Exception as exc:  # shown, not raised: the page stays up while the database is away
            problem.text = t(N_("Không đọc được hàng đợi: {error}")).format(
                error=str(exc).splitlines()[0] if str(exc) else exc
            )
            return
        if loaded is not None:  # None: the page's client is gone
            problem.text = ""
            body.refresh(loaded)

    first = await run.io_bound(_load, ctx)
    if first is None:  # the page's client went away (or the app stops) while the queue was read
        return
    body(first)
    ui.timer(REFRESH_S, refresh, immediate=False)


def _failed(ctx: PageContext, failed: list[JobRecord], retry: Callable[[int], Awaitable[None]]) -> None:
    t = ctx.t
    ui.label(t(N_("Thất bại"))).classes("text-lg font-bold mt-2")
    if not failed:
        ui.label(t(N_("Không có công việc nào thất bại."))).classes("text-grey-7").mark("jobs-failed-none")
        return
    for job in failed:
        with ui.card().classes("w-full").mark(f"jobs-failed-{job.id}"):
            with ui.row().classes("w-full items-center gap-3"):
                ui.label(f"#{job.id} {job_name(job.task, ctx.lang)}").classes("font-bold")
                ui.label(job.task).classes("text-grey-6 text-xs")
                ui.space()
                attempts = t(N_("Lần chạy"))
                ui.label(f"{attempts}: {job.attempts} · {local_time(job.finished_at)}").classes("text-grey-8")

                async def again(job_id: int = job.id) -> None:
                    await retry(job_id)

                ui.button(t(N_("Chạy lại")), icon="replay", on_click=again).props("unelevated dense").mark(
                    f"jobs-retry-{job.id}"
                )
            ui.label(job.error or NOTHING).classes("text-negative font-mono text-sm").mark(f"jobs-error-{job.id}")


def _active(ctx: PageContext, active: list[JobRecord], now: datetime) -> None:
    t = ctx.t
    ui.label(t(N_("Đang chờ và đang chạy"))).classes("text-lg font-bold mt-2")
    if not active:
        ui.label(t(N_("Không có công việc nào đang chờ."))).classes("text-grey-7").mark("jobs-active-none")
        return
    columns = [
        {"name": "job", "label": t(N_("Công việc")), "field": "job", "align": "left"},
        {"name": "state", "label": t(N_("Trạng thái")), "field": "state", "align": "left"},
        {"name": "attempts", "label": t(N_("Lần chạy")), "field": "attempts", "align": "right"},
        {"name": "when", "label": t(N_("Thời điểm")), "field": "when", "align": "left"},
        {"name": "worker", "label": t(N_("Tiến trình")), "field": "worker", "align": "left"},
        {"name": "error", "label": t(N_("Lỗi gần nhất")), "field": "error", "align": "left"},
    ]
    rows = [
        {
            "id": j.id,
            "job": f"#{j.id} {job_name(j.task, ctx.lang)}",
            "state": state(j, ctx, now),
            "attempts": j.attempts,
            "when": local_time(j.started_at if j.status == "doing" else j.scheduled_at),
            "worker": j.worker if j.status == "doing" and j.worker else NOTHING,
            "error": j.error or NOTHING,
        }
        for j in active
    ]
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("flat bordered dense").mark(
        "jobs-active"
    )


def _periodic(ctx: PageContext, periodic: list[PeriodicJob]) -> None:
    t = ctx.t
    ui.label(t(N_("Công việc định kỳ"))).classes("text-lg font-bold mt-2")
    if not periodic:
        ui.label(t(N_("Chưa tiến trình nào khai báo."))).classes("text-grey-7").mark("jobs-periodic-none")
        return
    columns = [
        {"name": "job", "label": t(N_("Công việc")), "field": "job", "align": "left"},
        {"name": "every", "label": t(N_("Chu kỳ")), "field": "every", "align": "left"},
        {"name": "next", "label": t(N_("Lần chạy tới")), "field": "next", "align": "left"},
        {"name": "last", "label": t(N_("Lần chạy trước")), "field": "last", "align": "left"},
    ]
    outcome = {"succeeded": N_("Hoàn thành"), "failed": N_("Lỗi"), "running": N_("Đang chạy")}
    rows = [
        {
            "key": f"{p.task}:{p.periodic_id}",
            "job": job_name(p.task, ctx.lang),
            "every": every(p.cron, ctx),
            "next": local_time(p.next_run),
            "last": local_time(p.last_started_at)
            + (f" · {t(outcome[p.last_outcome])}" if p.last_outcome in outcome else ""),
        }
        for p in periodic
    ]
    ui.table(columns=columns, rows=rows, row_key="key").classes("w-full").props("flat bordered dense").mark(
        "jobs-periodic"
    )
