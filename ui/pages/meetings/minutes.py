"""/meetings/minutes?id=…: the minutes of a meeting (biên bản, issue 17 item 6).

Every participant reads them (the automatic draft until the secretary saves a version); the secretary — or whoever
may organise the meeting — edits them per section and submits them to the chair; the chair signs them off or
returns them with a comment; once signed off they are frozen, and anyone of the meeting downloads their PDF
(Decree 30 layout). Every action goes through `HubServices.meetings`, which checks it again
(meetings.minutes_write / meetings.minutes_sign); a refusal is shown in Vietnamese and English.
"""

from __future__ import annotations

from nicegui import ui

from hub.domain import DomainError
from hub.meetings import access
from hub.meetings.models import (
    MINUTES_SECTIONS,
    MINUTES_STATUS_LABELS,
    NOTICE_STATE_LABELS,
    TASK_STATUS_LABELS,
    Minutes,
)
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import show_problem
from ui.i18n import N_
from ui.pages.meetings.texts import pick
from ui.shell import PageContext, module_page

PATH = "/meetings/minutes"
MAX_MINUTES = 50_000
MAX_COMMENT = 1_000


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Biên bản cuộc họp"), icon="description", action=access.ATTEND, order=82,
                 in_nav=False)  # fmt: skip
    def minutes_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the link's query parameter
        _ = ctx.t
        try:
            mid = int(id)
        except ValueError:
            show_problem(_("Địa chỉ cuộc họp không hợp lệ"), marker="minutes-problem")
            return
        try:
            found = ctx.services.meetings.minutes(ctx.principal, mid)
        except DomainError as exc:
            show_problem(str(exc), marker="minutes-problem")
            return
        box = ui.column().classes("w-full gap-3 max-w-5xl")
        MinutesPage(ctx, mid, box).draw(found)


class MinutesPage:
    def __init__(self, ctx: PageContext, meeting_id: int, box: ui.column) -> None:
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.box = box
        self.boxes: dict[str, ui.textarea] = {}

    def reload(self) -> None:
        try:
            self.draw(self.ctx.services.meetings.minutes(self.ctx.principal, self.meeting_id))
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)

    def act(self, call, done: str) -> None:  # noqa: ANN001
        try:
            call()
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.notify(done, type="positive")
        self.reload()

    def draw(self, m: Minutes) -> None:
        _ = self.ctx.t
        lang = self.ctx.lang
        self.box.clear()
        self.boxes = {}
        with self.box:
            ui.label(_("Biên bản cuộc họp")).classes("text-2xl font-bold")
            ui.label(m.meeting.title).classes("text-lg")
            status = pick(MINUTES_STATUS_LABELS.get(m.status, (m.status, m.status)), lang)
            ui.label(_("Trạng thái: {status}").format(status=status)).classes("font-bold").mark("minutes-status")
            ui.label(
                _("Chủ trì: {chair} · Thư ký: {secretary}").format(chair=m.chair_name, secretary=m.secretary_name)
            ).classes("text-grey-8")
            if m.status == "editing" and m.return_comment:
                ui.label(_("Chủ trì trả lại: {comment}").format(comment=m.return_comment)).classes(
                    "text-negative"
                ).mark("minutes-returned")
            if m.signed_at is not None:
                ui.label(_("Ký duyệt lúc {time}").format(time=local_time(m.signed_at, seconds=False))).mark(
                    "minutes-signed"
                )
            for key, vi, en in MINUTES_SECTIONS:
                title = vi if lang == "vi" else en
                text = m.sections.get(key, "")
                if m.can_write:
                    self.boxes[key] = (
                        ui.textarea(title, value=text).props(f"outlined autogrow maxlength={MAX_MINUTES}")
                        .classes("w-full").mark(f"minutes-{key}")
                    )  # fmt: skip
                else:
                    with ui.card().classes("w-full"):
                        ui.label(title).classes("font-bold")
                        ui.label(text or "—").classes("whitespace-pre-wrap").mark(f"minutes-text-{key}")
            with ui.row().classes("gap-2"):
                if m.can_write:
                    ui.button(_("Lưu biên bản"), icon="save", on_click=lambda: self.save(m)).mark("minutes-save")
                    if m.status == "editing":
                        ui.button(_("Trình chủ trì ký duyệt"), icon="send", on_click=self.submit).mark("minutes-submit")
                if m.status == "signed":
                    ui.button(_("Tải biên bản (PDF)"), icon="picture_as_pdf", on_click=self.download).mark(
                        "minutes-pdf"
                    )
            if m.can_sign:
                with ui.card().classes("w-full").mark("minutes-chair"):
                    ui.label(_("Chủ trì ký duyệt biên bản")).classes("font-bold")
                    comment = (
                        ui.textarea(_("Ý kiến khi trả lại"))
                        .props(f"outlined maxlength={MAX_COMMENT}")
                        .classes("w-full")
                        .mark("minutes-comment")
                    )
                    with ui.row().classes("gap-2"):
                        ui.button(_("Ký duyệt"), icon="verified", on_click=self.sign).props("color=positive").mark(
                            "minutes-sign"
                        )
                        ui.button(_("Trả lại"), icon="undo", on_click=lambda: self.return_(comment.value)).props(
                            "color=negative outline"
                        ).mark("minutes-return")
            if m.status == "signed":
                self.draw_notice(m)
            if m.versions:
                ui.label(_("Các phiên bản")).classes("font-bold mt-2")
                for v in reversed(m.versions):
                    ui.label(
                        f"{v.version}. {v.saved_by} — {local_time(v.saved_at, seconds=False)} — {v.length}"
                    ).classes("text-sm text-grey-8")

    def draw_notice(self, m: Minutes) -> None:
        """The conclusion notice (an outgoing draft in the documents module) and the tasks of the conclusion."""
        _ = self.ctx.t
        lang = self.ctx.lang
        with ui.card().classes("w-full").mark("minutes-notice"):
            ui.label(_("Thông báo kết luận")).classes("font-bold")
            n = m.notice
            if n is not None:
                state = pick(NOTICE_STATE_LABELS.get(n.state, (n.state, n.state)), lang)
                ui.label(_("Dự thảo văn bản đi số {id}: {state}").format(id=n.draft_id, state=state)).mark(
                    "minutes-notice-state"
                )
                ui.link(_("Mở văn bản trong phân hệ văn bản"), f"/documents/drafts?id={n.draft_id}").mark(
                    "minutes-notice-link"
                )
            elif m.can_notice:
                ui.button(_("Lập thông báo kết luận"), icon="outgoing_mail", on_click=self.make_notice).mark(
                    "minutes-make-notice"
                )
            else:
                ui.label(_("Chưa lập thông báo kết luận.")).classes("text-grey-8")
            try:
                tasks = self.ctx.services.meetings.tasks(self.ctx.principal, self.meeting_id)
            except DomainError:
                tasks = []
            ui.label(_("Công việc giao theo kết luận")).classes("font-bold mt-2")
            if not tasks:
                ui.label(_("Chưa giao công việc nào.")).classes("text-grey-8")
            for task in tasks:
                status = pick(TASK_STATUS_LABELS.get(task["status"], (task["status"], task["status"])), lang)
                ui.label(
                    _("{title} — {owner}, hạn {deadline}: {status}").format(
                        title=task["title"],
                        owner=task["owner_name"],
                        deadline=task["deadline"].strftime("%d/%m/%Y"),
                        status=status,
                    )  # fmt: skip
                ).mark(f"minutes-task-{task['id']}")

    def make_notice(self) -> None:
        _ = self.ctx.t
        svc = self.ctx.services.meetings
        self.act(lambda: svc.create_conclusion_notice(self.ctx.principal, self.ctx.actor(), self.meeting_id),
                 _("Đã lập dự thảo thông báo kết luận"))  # fmt: skip

    def save(self, m: Minutes) -> None:
        _ = self.ctx.t
        texts = {key: box.value or "" for key, box in self.boxes.items()}
        svc = self.ctx.services.meetings
        self.act(lambda: svc.save_minutes(self.ctx.principal, self.ctx.actor(), self.meeting_id, texts, m.version),
                 _("Đã lưu biên bản"))  # fmt: skip

    def submit(self) -> None:
        _ = self.ctx.t
        svc = self.ctx.services.meetings
        self.act(lambda: svc.submit_minutes(self.ctx.principal, self.ctx.actor(), self.meeting_id),
                 _("Đã trình chủ trì ký duyệt"))  # fmt: skip

    def sign(self) -> None:
        _ = self.ctx.t
        svc = self.ctx.services.meetings
        self.act(lambda: svc.sign_minutes(self.ctx.principal, self.ctx.actor(), self.meeting_id),
                 _("Đã ký duyệt biên bản"))  # fmt: skip

    def return_(self, comment: str | None) -> None:
        _ = self.ctx.t
        svc = self.ctx.services.meetings
        self.act(lambda: svc.return_minutes(self.ctx.principal, self.ctx.actor(), self.meeting_id, comment or ""),
                 _("Đã trả lại biên bản"))  # fmt: skip

    def download(self) -> None:
        try:
            name, data = self.ctx.services.meetings.minutes_pdf(self.ctx.principal, self.meeting_id)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.download.content(data, name, "application/pdf")
