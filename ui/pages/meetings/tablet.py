"""/meetings/tablet?id=…: the paperless meeting screen a participant holds (issue 17 item 3), tablet first
(1280×800 landscape: the agenda beside what is on now; 800×1280 portrait: what is on now above the agenda).

A participant sees the agenda with the item under discussion, the papers of each item (restricted ones only if they
are among its readers), their own private notes per item, their check-in, the speakers' queue with a button to ask
to speak and their place in it, and the open vote with its ballot (one each; a secret one unlinkable to them, the
database's rule, hub.meetings.voting). The chair and the secretary see the same page with the chair's controls:
start and close the meeting, move the current item, open and close a vote, give and end the floor, mark attendance.

Live: the page asks the service every `POLL_S` seconds (one `tablet_view` call) and redraws only what changed, so a
note being typed is not lost when the chair moves on. Every action goes through `HubServices.meetings`, which checks
it again (meetings.attend / meetings.chair), and a refusal is shown in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from hub.domain import DomainError
from hub.meetings import access
from hub.meetings.models import MEETING_STATUS_LABELS, PARTICIPANT_ROLE_LABELS, AgendaItem, Paper, TabletView
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state, show_problem
from ui.i18n import N_
from ui.pages.meetings import floor_timer, tablet_panels
from ui.pages.meetings.marks import expose
from ui.pages.meetings.opinion_box import OpinionBox
from ui.pages.meetings.paper_viewer import PaperViewer
from ui.pages.meetings.texts import pick
from ui.shell import PageContext, module_page

#: texts shown inside composed lines (a constant, so that Babel extracts them)
LATE = N_("đến muộn")
PRESENTER = N_("Trình bày")

PATH = "/meetings/tablet"
POLL_S = 1.5
PDF = "application/pdf"
CURRENT = "border-l-8 border-primary bg-blue-50"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Phòng họp không giấy"), icon="tablet", action=access.ATTEND, order=81, in_nav=False)
    def tablet_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the link's query parameter
        try:
            mid = int(id)
        except ValueError:
            show_problem(ctx.t(N_("Địa chỉ cuộc họp không hợp lệ")), marker="mtg-problem")
            return
        try:
            view = ctx.services.meetings.tablet_view(ctx.principal, mid)
        except DomainError as exc:
            show_problem(str(exc), marker="mtg-problem")
            return
        Tablet(ctx, mid, view).draw()


def _agenda_key(v: TabletView) -> Any:
    return (
        tuple((i.id, i.title, i.presenter_name, i.duration_minutes) for i in v.detail.items),
        tuple((p.id, p.item_id, p.title) for p in v.detail.papers),
    )


def _live_key(v: TabletView) -> Any:
    m, me = v.detail.meeting, v.detail.me
    return (
        m.status, m.current_item_id, m.title,
        (me.present_at, me.late) if me else None,
        tuple((s["id"], s["speaking_at"], s.get("limit_minutes")) for s in v.speakers),
        tuple((x.id, x.status, x.voted) for x in v.votes), v.voted,
        tuple((p.id, p.present_at) for p in v.detail.participants) if v.chairing else (),
    )  # fmt: skip


class Tablet:
    """One open tablet page: its view of the meeting, redrawn part by part as the view changes."""

    def __init__(self, ctx: PageContext, meeting_id: int, view: TabletView) -> None:
        self.ctx, self.t, self.mid, self.view = ctx, ctx.t, meeting_id, view
        self.svc = ctx.services.meetings
        self.drafts: dict[int, str] = dict(view.notes)  # what the note fields hold (kept across redraws)
        self.question = ""  # the chair's vote question being typed (kept across redraws)
        self.cards: dict[int, tuple[ui.card, ui.badge]] = {}
        self._agenda = _agenda_key(view)
        self._live = _live_key(view)
        self.opinion_box = OpinionBox(self)  # the "Góp ý" box under the current item
        self.floor_minutes: int | None = self.svc.speaker_minutes  # what the chair gives with the floor
        self.viewer = PaperViewer(self)  # a PDF paper opens over the page, not as a download

    # --- drawing ----------------------------------------------------------------------------------------------

    def draw(self) -> None:
        self.header()
        with ui.element("div").classes("w-full grid grid-cols-1 lg:grid-cols-5 gap-4"):
            with ui.column().classes("lg:col-span-3 order-last lg:order-first gap-3 min-w-0"):
                self.agenda()
            with ui.column().classes("lg:col-span-2 gap-3 min-w-0"):
                self.live()
        ui.timer(POLL_S, self.poll)

    @ui.refreshable_method
    def header(self) -> None:
        t, v = self.t, self.view
        m, me = v.detail.meeting, v.detail.me
        with ui.column().classes("w-full gap-1").mark("mtg-header") as box:
            ui.label(m.title).classes("text-2xl font-bold").mark("mtg-title")
            status = pick(MEETING_STATUS_LABELS.get(m.status, (m.status, m.status)), self.ctx.lang)
            where = m.room_name or t(N_("Họp trực tuyến"))
            when = f"{local_time(m.starts_at, seconds=False)} – {local_time(m.ends_at, seconds=False)[-5:]}"
            ui.label(f"{when} · {where} · {status}").classes("text-lg text-grey-8").mark("mtg-status")
            if m.video_url:
                ui.link(t(N_("Tham gia họp trực tuyến")), m.video_url, new_tab=True)
            if v.detail.can_organise:
                ui.link(t(N_("Thành phần cuộc họp (thêm, bớt người dự)")), f"/meetings/participants?id={m.id}").mark(
                    "mtg-roster-link"
                )
            if me is None:
                ui.label(t(N_("Bạn theo dõi cuộc họp với tư cách người tổ chức (không phải đại biểu)."))).classes(
                    "text-grey-8"
                ).mark("mtg-checkin")
            elif me.present_at is not None:
                late = f" ({t(LATE)})" if me.late else ""
                role = pick(PARTICIPANT_ROLE_LABELS.get(me.role, (me.role, me.role)), self.ctx.lang)
                text = t(N_("Đã điểm danh lúc {time}")).format(time=local_time(me.present_at, seconds=False)[-5:])
                with ui.row().classes("items-center gap-2 text-positive").mark("mtg-checkin"):
                    ui.icon("how_to_reg").classes("text-2xl")
                    ui.label(f"{me.name} — {role}. {text}{late}")
            else:
                with ui.row().classes("items-center gap-2 text-warning no-wrap").mark("mtg-checkin"):
                    ui.icon("qr_code_2").classes("text-2xl")
                    ui.label(
                        t(
                            N_(
                                "Chưa điểm danh — quét mã QR trên màn hình phòng họp, qua cửa nhận diện khuôn mặt, hoặc"
                                " báo thư ký."
                            )
                        )
                    )
        expose(box)

    @ui.refreshable_method
    def agenda(self) -> None:
        with ui.column().classes("w-full gap-3") as box:
            self.agenda_items()
        expose(box)
        self.mark_current()

    def agenda_items(self) -> None:
        t, d = self.t, self.view.detail
        self.cards = {}
        ui.label(t(N_("Chương trình họp"))).classes("text-xl font-bold")
        general = [p for p in d.papers if p.item_id is None or all(i.id != p.item_id for i in d.items)]
        if general:
            with ui.card().classes("w-full").mark("mtg-papers-general"):
                ui.label(t(N_("Tài liệu chung của cuộc họp"))).classes("font-bold")
                self.papers(general)
        if not d.items:
            empty_state(t(N_("Chưa có chương trình họp.")), icon="list", marker="mtg-agenda-none")
        for item in d.items:
            self.item(item, [p for p in d.papers if p.item_id == item.id])

    def item(self, item: AgendaItem, papers: list[Paper]) -> None:
        t = self.t
        with ui.card().classes("w-full gap-2").mark(f"mtg-item-{item.id}") as card:
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                ui.label(f"{item.position}. {item.title}").classes("text-lg font-bold grow")
                badge = ui.badge(t(N_("Đang thảo luận")), color="primary").classes("text-sm")
            facts = []
            if item.presenter_name:
                facts.append(f"{t(PRESENTER)}: {item.presenter_name}")
            if item.duration_minutes:
                facts.append(t(N_("{n} phút")).format(n=item.duration_minutes))
            if facts:
                ui.label(" · ".join(facts)).classes("text-grey-8")
            if papers:
                self.papers(papers)
            if self.view.chairing:
                ui.button(
                    t(N_("Chuyển đến nội dung này")), icon="play_arrow", on_click=lambda i=item.id: self.go_to(i)
                ).props("flat dense").mark(f"mtg-go-{item.id}")
            if self.view.detail.me is not None:
                self.note(item)
        self.cards[item.id] = (card, badge)

    def papers(self, papers: list[Paper]) -> None:
        _ = self.t
        for p in papers:
            url = f"/api/v1/meetings/{self.mid}/papers/{p.id}"
            with ui.row().classes("w-full items-center gap-2 no-wrap").mark(f"mtg-paper-{p.id}"):
                ui.icon("picture_as_pdf" if p.media_type == PDF else "description").classes("text-xl")
                with ui.column().classes("gap-0 grow min-w-0"):
                    ui.label(p.title).classes("font-medium")
                    size = f"{p.filename} · {max(1, p.size_bytes // 1024)} KB"
                    ui.label(size).classes("text-sm text-grey-7 break-all")
                    if p.restricted:
                        ui.label(self.t(N_("Tài liệu mật — chỉ người được chỉ định"))).classes("text-sm text-negative")
                if p.media_type == PDF:
                    ui.button(_("Xem"), icon="visibility", on_click=lambda p=p: self.viewer.open(p)).props(
                        "unelevated"
                    ).mark(f"mtg-paper-view-{p.id}")
                ui.link(self.t(N_("Mở")), url, new_tab=True).classes("text-lg px-2").mark(f"mtg-paper-link-{p.id}")

    def note(self, item: AgendaItem) -> None:
        t = self.t
        with ui.expansion(
            t(N_("Ghi chú riêng của tôi (chỉ tôi xem được)")), icon="edit_note", value=bool(self.drafts.get(item.id))
        ).classes("w-full"):
            area = ui.textarea(value=self.drafts.get(item.id, "")).props("outlined autogrow maxlength=10000")
            area.classes("w-full").mark(f"mtg-note-{item.id}")
            area.on_value_change(lambda e, i=item.id: self.drafts.__setitem__(i, e.value or ""))
            area.on("blur", lambda _=None, i=item.id: self.save_note(i, quiet=True))
            ui.button(t(N_("Lưu ghi chú")), icon="save", on_click=lambda i=item.id: self.save_note(i)).props(
                "flat dense"
            ).mark(f"mtg-note-save-{item.id}")

    def mark_current(self) -> None:
        current = self.view.detail.meeting.current_item_id
        for item_id, (card, badge) in self.cards.items():
            if item_id == current:
                card.classes(add=CURRENT)
            else:
                card.classes(remove=CURRENT)
            badge.set_visibility(item_id == current)

    @ui.refreshable_method
    def live(self) -> None:
        with ui.column().classes("w-full gap-3") as box:
            self.now_card()
            d = self.view.detail
            self.opinion_box.draw(next((i for i in d.items if i.id == d.meeting.current_item_id), None))
            self.speakers_card()
            tablet_panels.vote_card(self)
            if self.view.chairing:
                tablet_panels.chair_card(self)
        expose(box)

    def now_card(self) -> None:
        t, d = self.t, self.view.detail
        current = next((i for i in d.items if i.id == d.meeting.current_item_id), None)
        with ui.card().classes("w-full bg-blue-50 gap-1").mark("mtg-now"):
            ui.label(t(N_("Đang thảo luận"))).classes("text-sm uppercase text-primary font-bold")
            if current is None:
                ui.label(t(N_("Chủ trì chưa bắt đầu nội dung nào."))).classes("text-lg").mark("mtg-current")
            else:
                ui.label(f"{current.position}. {current.title}").classes("text-xl font-bold").mark("mtg-current")
                if current.presenter_name:
                    ui.label(f"{t(PRESENTER)}: {current.presenter_name}").classes("text-grey-8")

    def speakers_card(self) -> None:
        t, v = self.t, self.view
        running = v.detail.meeting.status == "in_progress"
        speaking = next((s for s in v.speakers if s["speaking_at"] is not None), None)
        waiting = [s for s in v.speakers if s["speaking_at"] is None]
        with ui.card().classes("w-full gap-2").mark("mtg-speakers"):
            ui.label(t(N_("Phát biểu"))).classes("text-lg font-bold")
            with ui.row().classes("w-full items-center gap-2"):
                if speaking is not None:
                    ui.label(t(N_("Đang phát biểu: {name}")).format(name=speaking["name"])).classes("font-bold").mark(
                        "mtg-speaking"
                    )
                    if v.chairing:
                        ui.button(
                            t(N_("Kết thúc lượt phát biểu")), icon="mic_off", on_click=lambda: self.floor(None)
                        ).props("flat dense").mark("mtg-end-floor")
                else:
                    ui.label(t(N_("Chưa ai phát biểu."))).classes("text-grey-8").mark("mtg-speaking")
            if speaking is not None:
                floor_timer.countdown(self, speaking)
                if v.chairing:
                    floor_timer.chair_extend(self)
            if v.chairing and waiting:
                floor_timer.chair_minutes(self)
            place = v.place_in_queue()
            if place == 0:
                ui.label(t(N_("Bạn đang phát biểu"))).classes("text-lg text-positive font-bold").mark("mtg-my-place")
            elif place is not None:
                ui.label(t(N_("Bạn đang ở vị trí thứ {n} trong danh sách chờ phát biểu")).format(n=place)).classes(
                    "text-lg font-bold"
                ).mark("mtg-my-place")
            elif v.detail.me is not None and running:
                ui.button(t(N_("Xin phát biểu")), icon="record_voice_over", on_click=self.ask).props("size=lg").classes(
                    "w-full"
                ).mark("mtg-ask")
            elif v.detail.me is not None:
                ui.label(t(N_("Cuộc họp chưa bắt đầu hoặc đã kết thúc."))).classes("text-grey-8")
            if not waiting:
                ui.label(t(N_("Chưa có ai xin phát biểu."))).classes("text-grey-7 text-sm")
            for n, s in enumerate(waiting, start=1):
                with ui.row().classes("w-full items-center gap-2 no-wrap").mark(f"mtg-queue-{s['id']}"):
                    ui.label(f"{n}. {s['name']}").classes("grow")
                    if v.chairing:
                        ui.button(
                            t(N_("Mời phát biểu")), icon="mic", on_click=lambda sid=s["id"]: self.floor(sid)
                        ).props("dense").mark(f"mtg-give-{s['id']}")

    # --- live -------------------------------------------------------------------------------------------------

    def poll(self) -> None:
        try:
            view = self.svc.tablet_view(self.ctx.principal, self.mid)
        except DomainError:
            return  # removed from the meeting, or it is gone: the page keeps its last state
        self.show(view)

    def show(self, view: TabletView) -> None:
        self.view = view
        agenda, live = _agenda_key(view), _live_key(view)
        if agenda != self._agenda:
            self._agenda = agenda
            self.agenda.refresh()
        else:
            self.mark_current()
        if live != self._live:
            self._live = live
            self.header.refresh()
            self.live.refresh()

    # --- actions (the service checks each again) --------------------------------------------------------------

    def act(self, do: Callable[[], Any], done: str | None = None) -> bool:
        try:
            do()
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            self.poll()
            return False
        if done:
            ui.notify(done, type="positive")
        self.poll()
        return True

    def save_note(self, item_id: int, quiet: bool = False) -> None:
        text = self.drafts.get(item_id, "")
        if quiet and text.strip() == self.view.notes.get(item_id, ""):
            return
        saved = self.act(lambda: self.svc.save_note(self.ctx.principal, self.mid, item_id, text))
        if saved:
            ui.notify(self.t(N_("Đã lưu ghi chú")) if text.strip() else self.t(N_("Đã xóa ghi chú")), type="positive")

    def ask(self) -> None:
        self.act(lambda: self.svc.ask_floor(self.ctx.principal, self.mid), self.t(N_("Đã ghi nhận yêu cầu phát biểu")))

    def cast(self, vote_id: int, choice: str) -> None:
        self.act(
            lambda: self.svc.cast_vote(self.ctx.principal, self.mid, vote_id, choice),
            self.t(N_("Đã ghi nhận phiếu của bạn")),
        )

    def status(self, status: str) -> None:
        self.act(lambda: self.svc.set_status(self.ctx.principal, self.ctx.actor(), self.mid, status),
                 self.t(N_("Đã thực hiện")))  # fmt: skip

    def go_to(self, item_id: int | None) -> None:
        self.act(lambda: self.svc.set_current_item(self.ctx.principal, self.ctx.actor(), self.mid, item_id))

    def step(self, by: int) -> None:
        items = self.view.detail.items
        if not items:
            return
        ids = [i.id for i in items]
        current = self.view.detail.meeting.current_item_id
        if current not in ids:
            target = ids[0] if by > 0 else ids[-1]
        else:
            at = ids.index(current) + by
            if not 0 <= at < len(ids):
                return
            target = ids[at]
        self.go_to(target)

    def open_vote(self, question: str, secret: bool) -> None:
        item = self.view.detail.meeting.current_item_id
        if self.act(lambda: self.svc.open_vote(self.ctx.principal, self.ctx.actor(), self.mid, question,
                                               secret=secret, item_id=item), self.t(N_("Đã thực hiện"))):  # fmt: skip
            self.question = ""

    def close_vote(self, vote_id: int) -> None:
        self.act(lambda: self.svc.close_vote(self.ctx.principal, self.ctx.actor(), self.mid, vote_id),
                 self.t(N_("Đã thực hiện")))  # fmt: skip

    def floor(self, speaker_id: int | None) -> None:
        minutes = self.floor_minutes if speaker_id is not None else None
        self.act(lambda: self.svc.give_floor(self.ctx.principal, self.ctx.actor(), self.mid, speaker_id, minutes))

    def mark(self, participant_id: int) -> None:
        self.act(lambda: self.svc.mark_attendance(self.ctx.principal, self.ctx.actor(), self.mid, participant_id),
                 self.t(N_("Đã thực hiện")))  # fmt: skip
