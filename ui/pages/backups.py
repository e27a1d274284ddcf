"""Backups (sao lưu): the last backup's time and size, an alert when one failed or none succeeded for a day,
the schedule and retention, the recent runs. System admin only; restoring is a command on the hub machine.
"""

from __future__ import annotations

from nicegui import run, ui

from hub.backup import access as backup_access
from hub.backup.models import BackupRun, BackupStatus
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.i18n import N_
from ui.shell import PageContext, module_page

#: a run's trigger and status as people say them (the codes are hub.backup's)
TRIGGERS = {"command": N_("Lệnh cces backup"), "schedule": N_("Lịch định kỳ")}
STATUSES = {"succeeded": N_("Thành công"), "failed": N_("Thất bại")}


def size_text(size: int | None) -> str:
    if size is None:
        return NOTHING
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return str(size)


def alert_text(ctx: PageContext, status: BackupStatus) -> str | None:
    alert = status.alert_vi if ctx.lang == "vi" else status.alert
    return alert[:1].upper() + alert[1:] if alert else None


def register(services: HubServices) -> None:
    @module_page("/backups", text_key=N_("Sao lưu"), icon="backup", action=backup_access.VIEW, order=93)
    async def backups(ctx: PageContext) -> None:
        await _page(ctx)


async def _page(ctx: PageContext) -> None:
    t = ctx.t
    ui.label(t(N_("Sao lưu"))).classes("text-xl font-bold")
    ui.label(t(N_("Cơ sở dữ liệu, tệp đính kèm, ảnh chụp và các khóa bí mật (mã hóa) của hub."))).classes("text-grey-8")
    try:
        status = await run.io_bound(ctx.services.backups.status, ctx.principal)
    except Exception as exc:  # shown, not raised: the page stays up while the database is away
        ui.label(
            t(N_("Không đọc được tình trạng sao lưu: {error}")).format(
                error=str(exc).splitlines()[0] if str(exc) else exc
            )
        ).classes("text-negative")
        return
    if status is None:  # the page's client is gone
        return
    alert = alert_text(ctx, status)
    if alert is not None:
        with ui.card().classes("w-full bg-red-1").mark("backups-alert"):
            ui.label(alert).classes("text-negative font-bold")
    _last(ctx, status.last_success)
    _schedule(ctx)
    _recent(ctx, status.recent)
    ui.label(
        t(N_("Khôi phục trên máy chủ hub (đã dừng): cces backup restore THƯ_MỤC — xem README, mục Vận hành."))
    ).classes("text-grey-7 text-sm mt-2")


def _last(ctx: PageContext, success: BackupRun | None) -> None:
    t = ctx.t
    with ui.card().classes("w-full").mark("backups-last"):
        ui.label(t(N_("Bản sao lưu thành công gần nhất"))).classes("text-lg font-bold")
        if success is None:
            ui.label(t(N_("Chưa có bản sao lưu nào."))).classes("text-grey-7")
            return
        ui.label(local_time(success.finished_at)).classes("text-base").mark("backups-last-time")
        size, where = t(N_("Dung lượng")), t(N_("Nơi lưu"))
        ui.label(f"{size}: {size_text(success.size_bytes)}").mark("backups-last-size")
        ui.label(f"{where}: {success.location or NOTHING}").classes("text-grey-8 font-mono text-sm")


def _schedule(ctx: PageContext) -> None:
    t = ctx.t
    config = ctx.services.backups.config
    with ui.card().classes("w-full").mark("backups-schedule"):
        ui.label(t(N_("Lịch sao lưu"))).classes("text-lg font-bold")
        if not config.scheduled:
            ui.label(
                t(
                    N_(
                        "Chưa bật sao lưu định kỳ (đặt CCES_BACKUP_DIR). Sao lưu thủ công: cces backup create --to "
                        "THƯ_MỤC"
                    )
                )
            ).classes("text-grey-7")
            return
        policy = config.policy
        ui.label(
            t(N_("Mỗi {hours} giờ vào {dir}; giữ {daily} ngày, {weekly} tuần, {monthly} tháng gần nhất")).format(
                hours=f"{config.interval_s / 3600:g}", dir=config.to, daily=policy.daily, weekly=policy.weekly,
                monthly=policy.monthly,
            )
        )  # fmt: skip
        if config.secrets_to is not None:
            ui.label(t(N_("Khóa bí mật ghi riêng vào {dir}")).format(dir=config.secrets_to)).classes("text-grey-8")


def _recent(ctx: PageContext, recent: list[BackupRun]) -> None:
    t = ctx.t
    ui.label(t(N_("Các lần sao lưu gần đây"))).classes("text-lg font-bold mt-2")
    if not recent:
        ui.label(t(N_("Chưa có bản sao lưu nào."))).classes("text-grey-7")
        return
    columns = [
        {"name": "when", "label": t(N_("Thời điểm")), "field": "when", "align": "left"},
        {"name": "trigger", "label": t(N_("Khởi động bởi")), "field": "trigger", "align": "left"},
        {"name": "result", "label": t(N_("Kết quả")), "field": "result", "align": "left"},
        {"name": "size", "label": t(N_("Dung lượng")), "field": "size", "align": "right"},
        {"name": "detail", "label": t(N_("Nơi lưu hoặc lỗi")), "field": "detail", "align": "left"},
    ]
    rows = [
        {
            "id": r.id,
            "when": local_time(r.finished_at),
            "trigger": t(TRIGGERS.get(r.trigger, r.trigger)),
            "result": t(STATUSES.get(r.status, r.status)),
            "size": size_text(r.size_bytes),
            "detail": r.location if r.status == "succeeded" else (r.error or NOTHING),
        }
        for r in recent
    ]
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").mark("backups-recent")
