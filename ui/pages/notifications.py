"""Notifications (thông báo): one's own inbox, one's mail choices, and the outbox for the system admin.

Every signed-in account opens /notifications: its notifications newest first, a page at a time (unread
in bold), filtered to unread or one category; opening one marks it read and goes to what it is about;
"mark all read". Below: the e-mail address and which categories come by mail. A system admin also sees
the outbox — how many mails wait, went, failed — with each failed one's error and a button to send it
again. The bell in the header counts the unread ones, live (ui.components.bell).
"""

from __future__ import annotations

from nicegui import ui

from hub.notifications import access as notifications_access
from hub.notifications.models import InboxPage, MailRecord, Notification, NotificationError
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.components.pager import pager
from ui.components.states import empty_state, show_problem
from ui.i18n import register_texts
from ui.shell import PageContext, module_page

PAGE_SIZE = 20
OUTBOX_SHOWN = 50

register_texts(
    {
        "notifications": {"vi": "Thông báo", "en": "Notifications"},
        "ntf.unread_count": {"vi": "{n} thông báo chưa đọc", "en": "{n} unread"},
        "ntf.unread_only": {"vi": "Chỉ chưa đọc", "en": "Unread only"},
        "ntf.category": {"vi": "Loại thông báo", "en": "Category"},
        "ntf.all_categories": {"vi": "Mọi loại", "en": "All categories"},
        "ntf.mark_all": {"vi": "Đánh dấu tất cả đã đọc", "en": "Mark all as read"},
        "ntf.marked_all": {"vi": "Đã đánh dấu {n} thông báo là đã đọc.", "en": "{n} marked as read."},
        "ntf.mark_read": {"vi": "Đã đọc", "en": "Mark read"},
        "ntf.open": {"vi": "Mở", "en": "Open"},
        "ntf.empty": {"vi": "Không có thông báo nào.", "en": "No notifications."},
        "ntf.prefs": {"vi": "Nhận thông báo qua thư điện tử", "en": "Notifications by e-mail"},
        "ntf.prefs_hint": {
            "vi": "Thư gửi bằng tiếng Việt, có bản tiếng Anh bên dưới. Bỏ trống địa chỉ để không nhận thư.",
            "en": "Mails are in Vietnamese with English below. Leave the address empty to receive none.",
        },
        "ntf.email": {"vi": "Địa chỉ thư điện tử", "en": "E-mail address"},
        "ntf.by_mail": {"vi": "Gửi qua thư", "en": "By mail"},
        "ntf.save": {"vi": "Lưu", "en": "Save"},
        "ntf.saved": {"vi": "Đã lưu cách nhận thông báo.", "en": "Preferences saved."},
        "ntf.outbox": {"vi": "Thư đi", "en": "Outgoing mail"},
        "ntf.outbox_counts": {
            "vi": "{pending} đang chờ gửi · {sent} đã gửi · {failed} thất bại",
            "en": "{pending} waiting · {sent} sent · {failed} failed",
        },
        "ntf.outbox_none": {"vi": "Không có thư nào thất bại.", "en": "No failed mail."},
        "ntf.to": {"vi": "Người nhận", "en": "To"},
        "ntf.subject": {"vi": "Tiêu đề", "en": "Subject"},
        "ntf.attempts": {"vi": "Số lần thử", "en": "Attempts"},
        "ntf.error": {"vi": "Lỗi gần nhất", "en": "Last error"},
        "ntf.retry": {"vi": "Gửi lại", "en": "Send again"},
        "ntf.retried": {"vi": "Thư số {id} sẽ được gửi lại.", "en": "Mail {id} will be sent again."},
    }
)


def register(_services: HubServices) -> None:
    @module_page(
        "/notifications", text_key="notifications", icon="notifications", action=notifications_access.OWN_INBOX, order=5
    )
    def page(ctx: PageContext) -> None:
        notifications_page(ctx)


def notifications_page(ctx: PageContext) -> None:
    if ctx.principal.user_id <= 0:
        show_problem(ctx.t("ntf.empty"))
        return
    service = ctx.services.notifications
    categories = {c.code: c.label(ctx.lang) for c in service.categories()}
    state: dict[str, object] = {"page": 1, "unread": False, "category": None}

    with ui.row().classes("w-full items-center gap-4"):
        counter = ui.label().classes("text-lg font-bold").mark("ntf-unread")
        ui.space()
        ui.switch(ctx.t("ntf.unread_only"), on_change=lambda e: choose(unread=e.value)).mark("ntf-unread-only")
        ui.select({None: ctx.t("ntf.all_categories"), **categories}, label=ctx.t("ntf.category"), value=None,
                  on_change=lambda e: choose(category=e.value)).classes("min-w-48").mark("ntf-category")  # fmt: skip
        ui.button(ctx.t("ntf.mark_all"), icon="done_all", on_click=lambda: mark_all()).props("outline").mark(
            "ntf-mark-all"
        )

    def choose(**changes: object) -> None:
        state.update(changes, page=1)
        inbox.refresh()

    def mark_all() -> None:
        n = service.mark_all_read(ctx.principal)
        ui.notify(ctx.t("ntf.marked_all").format(n=n), type="positive")
        inbox.refresh()

    def open_one(note: Notification) -> None:
        if not note.read:
            service.mark_read(ctx.principal, [note.id])
        if note.link:
            ui.navigate.to(note.link)
        else:
            inbox.refresh()

    def mark_one(note: Notification) -> None:
        service.mark_read(ctx.principal, [note.id])
        inbox.refresh()

    @ui.refreshable
    def inbox() -> None:
        page = int(state["page"])  # type: ignore[call-overload]
        found: InboxPage = service.inbox(ctx.principal, unread_only=bool(state["unread"]),
                                         category=state["category"],  # type: ignore[arg-type]
                                         limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)  # fmt: skip
        counter.text = ctx.t("ntf.unread_count").format(n=found.unread)
        if not found.items:
            empty_state(ctx.t("ntf.empty"), icon="notifications_none", marker="ntf-empty")
        with ui.list().props("bordered separator").classes("w-full bg-white").mark("ntf-list"):
            for note in found.items:
                draw_item(note)

        def turn(step: int) -> None:
            state["page"] = max(1, page + step)
            inbox.refresh()

        pager(ctx.t, page, found.total, PAGE_SIZE, turn, marker="ntf")

    def draw_item(note: Notification) -> None:
        with ui.item().classes("w-full").mark(f"ntf-{note.id}"):
            with ui.item_section().props("avatar"):
                ui.icon("mark_email_unread" if not note.read else "drafts").classes(
                    "text-primary" if not note.read else "text-grey-6"
                )
            with ui.item_section():
                ui.item_label(note.title(ctx.lang)).classes("font-bold" if not note.read else "").mark("ntf-title")
                if note.body(ctx.lang):
                    ui.item_label(note.body(ctx.lang)).props("caption")
                ui.item_label(f"{note.category_label(ctx.lang)} · {local_time(note.created_at, seconds=False)}").props(
                    "caption"
                ).classes("text-grey-7")
            with ui.item_section().props("side"), ui.row().classes("gap-1"):
                if note.link:
                    ui.button(ctx.t("ntf.open"), on_click=lambda n=note: open_one(n)).props("flat dense").mark(
                        "ntf-open"
                    )
                if not note.read:
                    ui.button(icon="done", on_click=lambda n=note: mark_one(n)).props(
                        f'flat dense round aria-label="{ctx.t("ntf.mark_read")}"'
                    ).mark("ntf-mark-read", f"ntf-read-{note.id}")

    inbox()
    preferences(ctx)
    if ctx.principal.is_system_admin:
        outbox(ctx)


def preferences(ctx: PageContext) -> None:
    service = ctx.services.notifications
    prefs = service.preferences(ctx.principal)
    with ui.card().classes("w-full").mark("ntf-prefs"):
        ui.label(ctx.t("ntf.prefs")).classes("text-lg font-bold")
        ui.label(ctx.t("ntf.prefs_hint")).classes("text-sm text-grey-7")
        email = (
            ui.input(ctx.t("ntf.email"), value=prefs.email or "")
            .props("type=email maxlength=254")
            .classes("w-full max-w-md")
            .mark("ntf-email")
        )
        boxes = {}
        with ui.column().classes("gap-0"):
            for choice in prefs.choices:
                boxes[choice.category.code] = ui.checkbox(
                    f"{choice.category.label(ctx.lang)} — {ctx.t('ntf.by_mail')}", value=choice.by_mail
                ).mark(f"ntf-mail-{choice.category.code}")

        def save() -> None:
            address = (email.value or "").strip()
            try:
                service.set_preferences(ctx.principal, ctx.actor(), email=address or None, clear_email=not address,
                                        by_mail={code: box.value for code, box in boxes.items()})  # fmt: skip
            except NotificationError as exc:
                ui.notify(exc.vi if ctx.lang == "vi" else exc.en, type="negative")
                return
            ui.notify(ctx.t("ntf.saved"), type="positive")

        ui.button(ctx.t("ntf.save"), icon="save", on_click=save).mark("ntf-save")


def outbox(ctx: PageContext) -> None:
    service = ctx.services.notifications

    @ui.refreshable
    def draw() -> None:
        counts = service.mail_counts(ctx.principal)
        _total, failed = service.mail(ctx.principal, ["failed"], OUTBOX_SHOWN)
        ui.label(ctx.t("ntf.outbox")).classes("text-lg font-bold")
        ui.label(ctx.t("ntf.outbox_counts").format(pending=counts.pending, sent=counts.sent,
                                                   failed=counts.failed)).mark("ntf-outbox-counts")  # fmt: skip
        if not failed:
            empty_state(ctx.t("ntf.outbox_none"), icon="mark_email_read", marker="ntf-outbox-empty")
            return
        with ui.list().props("bordered separator").classes("w-full").mark("ntf-outbox"):
            for mail in failed:
                row(mail)

    def row(mail: MailRecord) -> None:
        with ui.item().mark(f"ntf-mail-{mail.id}"):
            with ui.item_section():
                ui.item_label(f"{mail.subject} → {mail.to_address}")
                ui.item_label(
                    f"{ctx.t('ntf.attempts')}: {mail.attempts} · {ctx.t('ntf.error')}: {mail.last_error or NOTHING}"
                ).props("caption").classes("text-negative")
            with ui.item_section().props("side"):
                ui.button(ctx.t("ntf.retry"), on_click=lambda m=mail: retry(m)).props("flat dense").mark("ntf-retry")

    def retry(mail: MailRecord) -> None:
        try:
            service.retry_mail(ctx.principal, mail.id, ctx.actor())
        except NotificationError as exc:
            ui.notify(exc.vi if ctx.lang == "vi" else exc.en, type="negative")
        else:
            ui.notify(ctx.t("ntf.retried").format(id=mail.id), type="positive")
        draw.refresh()

    with ui.card().classes("w-full"):
        draw()
