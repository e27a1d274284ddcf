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
from ui.i18n import N_
from ui.shell import PageContext, module_page

PAGE_SIZE = 20
OUTBOX_SHOWN = 50


def register(_services: HubServices) -> None:
    @module_page(
        "/notifications", text_key=N_("Thông báo"), icon="notifications", action=notifications_access.OWN_INBOX, order=5
    )
    def page(ctx: PageContext) -> None:
        notifications_page(ctx)


def notifications_page(ctx: PageContext) -> None:
    if ctx.principal.user_id <= 0:
        show_problem(ctx.t(N_("Không có thông báo nào.")))
        return
    service = ctx.services.notifications
    categories = {c.code: c.label(ctx.lang) for c in service.categories()}
    state: dict[str, object] = {"page": 1, "unread": False, "category": None}

    with ui.row().classes("w-full items-center gap-4"):
        counter = ui.label().classes("text-lg font-bold").mark("ntf-unread")
        ui.space()
        ui.switch(ctx.t(N_("Chỉ chưa đọc")), on_change=lambda e: choose(unread=e.value)).mark("ntf-unread-only")
        ui.select({None: ctx.t(N_("Mọi loại")), **categories}, label=ctx.t(N_("Loại thông báo")), value=None,
                  on_change=lambda e: choose(category=e.value)).classes("min-w-48").mark("ntf-category")  # fmt: skip
        ui.button(ctx.t(N_("Đánh dấu tất cả đã đọc")), icon="done_all", on_click=lambda: mark_all()).props(
            "outline"
        ).mark("ntf-mark-all")

    def choose(**changes: object) -> None:
        state.update(changes, page=1)
        inbox.refresh()

    def mark_all() -> None:
        n = service.mark_all_read(ctx.principal)
        ui.notify(ctx.t(N_("Đã đánh dấu {n} thông báo là đã đọc.")).format(n=n), type="positive")
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
        counter.text = ctx.t(N_("{n} thông báo chưa đọc")).format(n=found.unread)
        if not found.items:
            empty_state(ctx.t(N_("Không có thông báo nào.")), icon="notifications_none", marker="ntf-empty")
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
                    ui.button(ctx.t(N_("Mở")), on_click=lambda n=note: open_one(n)).props("flat dense").mark("ntf-open")
                if not note.read:
                    mark_read = ctx.t(N_("Đã đọc"))
                    ui.button(icon="done", on_click=lambda n=note: mark_one(n)).props(
                        f'flat dense round aria-label="{mark_read}"'
                    ).mark("ntf-mark-read", f"ntf-read-{note.id}")

    inbox()
    preferences(ctx)
    if ctx.principal.is_system_admin:
        outbox(ctx)


def preferences(ctx: PageContext) -> None:
    service = ctx.services.notifications
    prefs = service.preferences(ctx.principal)
    with ui.card().classes("w-full").mark("ntf-prefs"):
        ui.label(ctx.t(N_("Nhận thông báo qua thư điện tử"))).classes("text-lg font-bold")
        ui.label(
            ctx.t(N_("Thư gửi bằng tiếng Việt, có bản tiếng Anh bên dưới. Bỏ trống địa chỉ để không nhận thư."))
        ).classes("text-sm text-grey-7")
        email = (
            ui.input(ctx.t(N_("Địa chỉ thư điện tử")), value=prefs.email or "")
            .props("type=email maxlength=254")
            .classes("w-full max-w-md")
            .mark("ntf-email")
        )
        boxes = {}
        with ui.column().classes("gap-0"):
            by_mail = ctx.t(N_("Gửi qua thư"))
            for choice in prefs.choices:
                boxes[choice.category.code] = ui.checkbox(
                    f"{choice.category.label(ctx.lang)} — {by_mail}", value=choice.by_mail
                ).mark(f"ntf-mail-{choice.category.code}")

        def save() -> None:
            address = (email.value or "").strip()
            try:
                service.set_preferences(ctx.principal, ctx.actor(), email=address or None, clear_email=not address,
                                        by_mail={code: box.value for code, box in boxes.items()})  # fmt: skip
            except NotificationError as exc:
                ui.notify(exc.vi if ctx.lang == "vi" else exc.en, type="negative")
                return
            ui.notify(ctx.t(N_("Đã lưu cách nhận thông báo.")), type="positive")

        ui.button(ctx.t(N_("Lưu")), icon="save", on_click=save).mark("ntf-save")


def outbox(ctx: PageContext) -> None:
    service = ctx.services.notifications

    @ui.refreshable
    def draw() -> None:
        counts = service.mail_counts(ctx.principal)
        _total, failed = service.mail(ctx.principal, ["failed"], OUTBOX_SHOWN)
        ui.label(ctx.t(N_("Thư đi"))).classes("text-lg font-bold")
        line = ctx.t(N_("{pending} đang chờ gửi · {sent} đã gửi · {failed} thất bại"))
        ui.label(line.format(pending=counts.pending, sent=counts.sent, failed=counts.failed)).mark("ntf-outbox-counts")
        if not failed:
            empty_state(ctx.t(N_("Không có thư nào thất bại.")), icon="mark_email_read", marker="ntf-outbox-empty")
            return
        with ui.list().props("bordered separator").classes("w-full").mark("ntf-outbox"):
            for mail in failed:
                row(mail)

    def row(mail: MailRecord) -> None:
        with ui.item().mark(f"ntf-mail-{mail.id}"):
            with ui.item_section():
                ui.item_label(f"{mail.subject} → {mail.to_address}")
                attempts, error = ctx.t(N_("Số lần thử")), ctx.t(N_("Lỗi gần nhất"))
                ui.item_label(f"{attempts}: {mail.attempts} · {error}: {mail.last_error or NOTHING}").props(
                    "caption"
                ).classes("text-negative")
            with ui.item_section().props("side"):
                ui.button(ctx.t(N_("Gửi lại")), on_click=lambda m=mail: retry(m)).props("flat dense").mark("ntf-retry")

    def retry(mail: MailRecord) -> None:
        try:
            service.retry_mail(ctx.principal, mail.id, ctx.actor())
        except NotificationError as exc:
            ui.notify(exc.vi if ctx.lang == "vi" else exc.en, type="negative")
        else:
            ui.notify(ctx.t(N_("Thư số {id} sẽ được gửi lại.")).format(id=mail.id), type="positive")
        draw.refresh()

    with ui.card().classes("w-full"):
        draw()
