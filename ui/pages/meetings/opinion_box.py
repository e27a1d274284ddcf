"""The "Góp ý" box of the tablet page (issue 17 item 3), under the item under discussion: a participant writes an
opinion on it (optionally about one of its papers they may read), edits or withdraws their own until the meeting
ends; the chair and the secretary see everyone's opinions on the item (hub.meetings.opinions decides who reads
what). What is being typed is kept on the page's object, so the tablet's live redraws do not lose it; the list
follows others' opinions every `POLL_S` seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from hub.domain import DomainError
from hub.meetings.models import AgendaItem, Opinion
from hub.meetings.opinions import MAX_OPINION_CHARS
from hub.meetings.participants import ended
from ui.components.format import local_time

if TYPE_CHECKING:
    from ui.pages.meetings.tablet import Tablet

POLL_S = 5.0


class OpinionBox:
    def __init__(self, tablet: Tablet) -> None:
        self.tablet = tablet
        self.draft = ""
        self.paper: int | None = None
        self.editing: int | None = None  # the opinion being rewritten (None: a new one)
        self.item: AgendaItem | None = None
        self.seen: list[Opinion] = []

    def _load(self) -> list[Opinion]:
        tb = self.tablet
        try:
            return tb.svc.opinions(tb.ctx.principal, tb.mid)
        except DomainError:
            return self.seen

    def draw(self, item: AgendaItem | None) -> None:
        """The box for `item` (the current one): nothing without one, or for someone who is no participant."""
        if item is None or self.tablet.view.detail.me is None:
            return
        if self.item is None or self.item.id != item.id:
            self.draft, self.paper, self.editing = "", None, None
        self.item = item
        self.seen = self._load()
        with ui.card().classes("w-full gap-2").mark("mtg-opinions"):
            self.content()
            ui.timer(POLL_S, self.poll)

    def poll(self) -> None:
        found = self._load()
        if [(o.id, o.updated_at) for o in found] != [(o.id, o.updated_at) for o in self.seen]:
            self.seen = found
            self.content.refresh()

    @ui.refreshable_method
    def content(self) -> None:
        tb, item = self.tablet, self.item
        assert item is not None
        _ = tb.t
        me = tb.view.detail.me
        open_ = not ended(tb.view.detail.meeting, tb.svc.now())
        ui.label(_("Góp ý: {item}").format(item=f"{item.position}. {item.title}")).classes("text-lg font-bold")
        mine = [o for o in self.seen if o.item_id == item.id]
        if not mine:
            ui.label(_("Chưa có ý kiến góp ý về nội dung này.")).classes("text-grey-7 text-sm").mark(
                "mtg-opinions-none"
            )
        for o in mine:
            own = me is not None and o.participant_id == me.id
            with ui.column().classes("w-full gap-0 border-l-4 border-grey-4 pl-2").mark(f"mtg-opinion-{o.id}"):
                about = " · " + _("về tài liệu: {title}").format(title=o.paper_title) if o.paper_title else ""
                ui.label(f"{o.author} · {local_time(o.updated_at, seconds=False)[-5:]}{about}").classes(
                    "text-sm text-grey-8"
                )
                ui.label(o.body).classes("whitespace-pre-wrap")
                if own and open_:
                    with ui.row().classes("gap-1"):
                        ui.button(_("Sửa"), icon="edit", on_click=lambda o=o: self.edit(o)).props("flat dense").mark(
                            f"mtg-opinion-edit-{o.id}"
                        )
                        ui.button(_("Rút ý kiến"), icon="undo", on_click=lambda oid=o.id: self.withdraw(oid)).props(
                            "flat dense"
                        ).mark(f"mtg-opinion-withdraw-{o.id}")
        if not open_:
            return
        area = ui.textarea(_("Ý kiến của tôi"), value=self.draft).props(
            f"outlined autogrow maxlength={MAX_OPINION_CHARS}"
        )
        area.classes("w-full").mark("mtg-opinion-text")
        area.on_value_change(lambda e: setattr(self, "draft", e.value or ""))
        papers = {p.id: p.title for p in tb.view.detail.papers if p.item_id == item.id}
        if papers:
            pick = ui.select({0: _("(không gắn tài liệu)"), **papers}, value=self.paper or 0, label=_("Về tài liệu"))
            pick.classes("w-full").mark("mtg-opinion-paper")
            pick.on_value_change(lambda e: setattr(self, "paper", e.value or None))
        with ui.row().classes("gap-2"):
            ui.button(_("Lưu ý kiến") if self.editing else _("Gửi góp ý"), icon="send", on_click=self.send).mark(
                "mtg-opinion-send"
            )
            if self.editing:
                ui.button(_("Hủy"), on_click=self.cancel).props("flat").mark("mtg-opinion-cancel")

    # --- actions (the service checks each again) --------------------------------------------------------------

    def _done(self, text: str) -> None:
        ui.notify(text, type="positive")
        self.seen = self._load()
        self.content.refresh()

    def send(self) -> None:
        tb, item = self.tablet, self.item
        assert item is not None
        _ = tb.t
        try:
            if self.editing:
                tb.svc.edit_opinion(tb.ctx.principal, tb.ctx.actor(), tb.mid, self.editing, self.draft, self.paper)
            else:
                tb.svc.give_opinion(tb.ctx.principal, tb.ctx.actor(), tb.mid, item.id, self.draft, self.paper)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        self.draft, self.paper, self.editing = "", None, None
        self._done(_("Đã ghi nhận ý kiến góp ý"))

    def edit(self, o: Opinion) -> None:
        self.draft, self.paper, self.editing = o.body, o.paper_id, o.id
        self.content.refresh()

    def cancel(self) -> None:
        self.draft, self.paper, self.editing = "", None, None
        self.content.refresh()

    def withdraw(self, opinion_id: int) -> None:
        tb = self.tablet
        _ = tb.t
        try:
            tb.svc.withdraw_opinion(tb.ctx.principal, tb.ctx.actor(), tb.mid, opinion_id)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        if self.editing == opinion_id:
            self.draft, self.paper, self.editing = "", None, None
        self._done(_("Đã rút ý kiến"))
