"""Backups (sao lưu): the last backup's time and size, an alert when one failed or none succeeded for a day,
the schedule and retention, the recent runs. System admin only; restoring is a command on the hub machine.
"""

from __future__ import annotations

from nicegui import run, ui

from hub.backup import access as backup_access
from hub.backup.models import BackupRun, BackupStatus
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.i18n import register_texts
from ui.shell import PageContext, module_page

register_texts(
    {
        "backups": {"vi": "Sao lưu", "en": "Backups"},
        "backups_text": {
            "vi": "Cơ sở dữ liệu, tệp đính kèm, ảnh chụp và các khóa bí mật (mã hóa) của hub.",
            "en": "The hub's database, attachments, snapshots and secrets (encrypted).",
        },
        "backups_last": {"vi": "Bản sao lưu thành công gần nhất", "en": "Last successful backup"},
        "backups_none": {"vi": "Chưa có bản sao lưu nào.", "en": "No backup has been taken yet."},
        "backups_size": {"vi": "Dung lượng", "en": "Size"},
        "backups_where": {"vi": "Nơi lưu", "en": "Location"},
        "backups_schedule": {"vi": "Lịch sao lưu", "en": "Schedule"},
        "backups_every": {
            "vi": "Mỗi {hours} giờ vào {dir}; giữ {daily} ngày, {weekly} tuần, {monthly} tháng gần nhất",
            "en": "Every {hours} h into {dir}; keeping the last {daily} days, {weekly} weeks, {monthly} months",
        },
        "backups_secrets_apart": {"vi": "Khóa bí mật ghi riêng vào {dir}", "en": "Secrets written apart to {dir}"},
        "backups_unscheduled": {
            "vi": "Chưa bật sao lưu định kỳ (đặt CCES_BACKUP_DIR). Sao lưu thủ công: cces backup create --to THƯ_MỤC",
            "en": "Scheduled backups are off (set CCES_BACKUP_DIR). By hand: cces backup create --to DIR",
        },
        "backups_recent": {"vi": "Các lần sao lưu gần đây", "en": "Recent backups"},
        "backups_when": {"vi": "Thời điểm", "en": "When"},
        "backups_trigger": {"vi": "Khởi động bởi", "en": "Started by"},
        "backups_result": {"vi": "Kết quả", "en": "Result"},
        "backups_detail": {"vi": "Nơi lưu hoặc lỗi", "en": "Location or error"},
        "backups_trigger_command": {"vi": "Lệnh cces backup", "en": "The cces backup command"},
        "backups_trigger_schedule": {"vi": "Lịch định kỳ", "en": "The schedule"},
        "backups_status_succeeded": {"vi": "Thành công", "en": "Succeeded"},
        "backups_status_failed": {"vi": "Thất bại", "en": "Failed"},
        "backups_restore_hint": {
            "vi": "Khôi phục trên máy chủ hub (đã dừng): cces backup restore THƯ_MỤC — xem README, mục Vận hành.",
            "en": "Restore on the hub machine (hub stopped): cces backup restore DIR — see the README, Operations.",
        },
        "backups_unavailable": {
            "vi": "Không đọc được tình trạng sao lưu: {error}",
            "en": "Cannot read backups: {error}",
        },
    }
)


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
    @module_page("/backups", text_key="backups", icon="backup", action=backup_access.VIEW, order=93)
    async def backups(ctx: PageContext) -> None:
        await _page(ctx)


async def _page(ctx: PageContext) -> None:
    t = ctx.t
    ui.label(t("backups")).classes("text-xl font-bold")
    ui.label(t("backups_text")).classes("text-grey-8")
    try:
        status = await run.io_bound(ctx.services.backups.status, ctx.principal)
    except Exception as exc:  # shown, not raised: the page stays up while the database is away
        ui.label(t("backups_unavailable").format(error=str(exc).splitlines()[0] if str(exc) else exc)).classes(
            "text-negative"
        )
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
    ui.label(t("backups_restore_hint")).classes("text-grey-7 text-sm mt-2")


def _last(ctx: PageContext, success: BackupRun | None) -> None:
    t = ctx.t
    with ui.card().classes("w-full").mark("backups-last"):
        ui.label(t("backups_last")).classes("text-lg font-bold")
        if success is None:
            ui.label(t("backups_none")).classes("text-grey-7")
            return
        ui.label(local_time(success.finished_at)).classes("text-base").mark("backups-last-time")
        ui.label(f"{t('backups_size')}: {size_text(success.size_bytes)}").mark("backups-last-size")
        ui.label(f"{t('backups_where')}: {success.location or NOTHING}").classes("text-grey-8 font-mono text-sm")


def _schedule(ctx: PageContext) -> None:
    t = ctx.t
    config = ctx.services.backups.config
    with ui.card().classes("w-full").mark("backups-schedule"):
        ui.label(t("backups_schedule")).classes("text-lg font-bold")
        if not config.scheduled:
            ui.label(t("backups_unscheduled")).classes("text-grey-7")
            return
        policy = config.policy
        ui.label(
            t("backups_every").format(
                hours=f"{config.interval_s / 3600:g}", dir=config.to, daily=policy.daily, weekly=policy.weekly,
                monthly=policy.monthly,
            )
        )  # fmt: skip
        if config.secrets_to is not None:
            ui.label(t("backups_secrets_apart").format(dir=config.secrets_to)).classes("text-grey-8")


def _recent(ctx: PageContext, recent: list[BackupRun]) -> None:
    t = ctx.t
    ui.label(t("backups_recent")).classes("text-lg font-bold mt-2")
    if not recent:
        ui.label(t("backups_none")).classes("text-grey-7")
        return
    columns = [
        {"name": "when", "label": t("backups_when"), "field": "when", "align": "left"},
        {"name": "trigger", "label": t("backups_trigger"), "field": "trigger", "align": "left"},
        {"name": "result", "label": t("backups_result"), "field": "result", "align": "left"},
        {"name": "size", "label": t("backups_size"), "field": "size", "align": "right"},
        {"name": "detail", "label": t("backups_detail"), "field": "detail", "align": "left"},
    ]
    rows = [
        {
            "id": r.id,
            "when": local_time(r.finished_at),
            "trigger": t(f"backups_trigger_{r.trigger}"),
            "result": t(f"backups_status_{r.status}"),
            "size": size_text(r.size_bytes),
            "detail": r.location if r.status == "succeeded" else (r.error or NOTHING),
        }
        for r in recent
    ]
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").mark("backups-recent")
