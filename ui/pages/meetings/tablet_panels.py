"""The vote card and the chair's card of the tablet page (issue 17 items 3-4): the open vote with the viewer's ballot
and the last results; the chair's and the secretary's controls (start and close the meeting, move the current item,
open and close a vote, mark attendance). Each action goes through the page's `act` (the service checks it again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from hub.meetings.models import Vote
from hub.meetings.voting import choice_label
from ui.components.format import local_time
from ui.i18n import N_, pgettext
from ui.pages.meetings.texts import pick

#: texts shown inside composed lines (a constant, so that Babel extracts them)
RESULTS = pgettext("meetings: results", "Kết quả biểu quyết")
LATE = N_("đến muộn")
PRESENT = N_("Có mặt")

if TYPE_CHECKING:
    from ui.pages.meetings.tablet import Tablet


def vote_card(tb: Tablet) -> None:
    """The open vote with the viewer's ballot, the chair's close button, and the last results."""
    t, v = tb.t, tb.view
    me, vote = v.detail.me, v.open_vote
    with ui.card().classes("w-full gap-2").mark("mtg-vote"):
        ui.label(t(N_("Biểu quyết"))).classes("text-lg font-bold")
        if vote is None:
            ui.label(t(N_("Không có biểu quyết nào đang mở."))).classes("text-grey-8").mark("mtg-vote-none")
        else:
            ui.label(vote.question).classes("text-xl font-bold").mark("mtg-vote-question")
            ui.label(
                t(N_("Bỏ phiếu kín — không ai biết bạn chọn phương án nào."))
                if vote.secret
                else t(N_("Biểu quyết công khai — kết quả ghi tên từng người."))
            ).classes("text-grey-8")
            ui.label(
                t(N_("Đã có {voted}/{eligible} người biểu quyết")).format(voted=vote.voted, eligible=vote.eligible)
            ).classes("text-sm").mark("mtg-vote-count")
            if me is None:
                pass
            elif vote.id in v.voted:
                with ui.row().classes("items-center gap-2 text-positive").mark("mtg-voted"):
                    ui.icon("task_alt").classes("text-2xl")
                    ui.label(t(N_("Bạn đã biểu quyết. Mỗi người chỉ một phiếu."))).classes("text-lg")
            elif not me.voting:
                ui.label(t(N_("Bạn không có quyền biểu quyết trong cuộc họp này."))).classes("text-grey-8")
            elif me.present_at is None:
                ui.label(t(N_("Hãy điểm danh trước khi biểu quyết."))).classes("text-warning").mark(
                    "mtg-check-in-first"
                )
            else:
                with ui.row().classes("w-full gap-2"):
                    for choice in vote.choices:
                        ui.button(pick(choice_label(choice), tb.ctx.lang),
                                  on_click=lambda c=choice, vid=vote.id: tb.cast(vid, c)).props(
                            "size=lg"
                        ).classes("grow").mark(f"mtg-choice-{choice}")  # fmt: skip
            if v.chairing:
                ui.button(t(N_("Kết thúc biểu quyết")), icon="how_to_vote", color="negative",
                          on_click=lambda vid=vote.id: tb.close_vote(vid)).mark("mtg-close-vote")  # fmt: skip
        closed = [x for x in v.votes if x.status == "closed"]
        if closed:
            results(tb, closed[-1])


def results(tb: Tablet, vote: Vote) -> None:
    t = tb.t
    with ui.column().classes("w-full gap-0 border-t pt-2").mark("mtg-results"):
        ui.label(f"{t(RESULTS)}: {vote.question}").classes("font-bold")
        counts = " · ".join(f"{pick(choice_label(c), tb.ctx.lang)}: {n}" for c, n in (vote.counts or {}).items())
        quorum = t(N_("đủ túc số")) if vote.quorum_met else t(N_("không đủ túc số"))
        ui.label(counts)
        voted = t(N_("Đã có {voted}/{eligible} người biểu quyết")).format(voted=vote.voted, eligible=vote.eligible)
        ui.label(f"{voted} ({quorum})").classes("text-sm text-grey-8")


def chair_card(tb: Tablet) -> None:
    """The chair's and the secretary's controls: start and close, move the item, open a vote, attendance."""
    t, d = tb.t, tb.view.detail
    m = d.meeting
    with ui.card().classes("w-full gap-2 border-2 border-primary").mark("mtg-chair"):
        ui.label(t(N_("Điều hành cuộc họp"))).classes("text-lg font-bold")
        with ui.row().classes("w-full gap-2"):
            if m.status == "planned":
                ui.button(
                    t(N_("Bắt đầu cuộc họp")), icon="play_circle", on_click=lambda: tb.status("in_progress")
                ).mark("mtg-start")
            if m.status in ("planned", "in_progress"):
                ui.button(t(N_("Nội dung trước")), icon="skip_previous", on_click=lambda: tb.step(-1)).props(
                    "outline"
                ).mark("mtg-previous")
                ui.button(t(N_("Nội dung tiếp theo")), icon="skip_next", on_click=lambda: tb.step(1)).mark("mtg-next")
        if m.status in ("planned", "in_progress") and tb.view.open_vote is None:
            question = ui.input(t(N_("Nội dung biểu quyết")), value=tb.question).props("outlined maxlength=500")
            question.classes("w-full").mark("mtg-question")
            question.on_value_change(lambda e: setattr(tb, "question", e.value or ""))
            secret = ui.checkbox(t(N_("Bỏ phiếu kín"))).mark("mtg-secret")
            ui.button(t(N_("Mở biểu quyết")), icon="how_to_vote",
                      on_click=lambda: tb.open_vote(question.value or "", bool(secret.value))).mark(
                "mtg-open-vote"
            )  # fmt: skip
        present = sum(1 for p in d.participants if p.present_at is not None)
        with (
            ui.expansion(
                t(N_("Điểm danh ({present}/{total} có mặt)")).format(present=present, total=len(d.participants)),
                icon="fact_check",
            )
            .classes("w-full")
            .mark("mtg-attendance")
        ):
            for p in d.participants:
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(p.name).classes("grow")
                    if p.present_at is not None:
                        late = f" ({t(LATE)})" if p.late else ""
                        ui.label(f"{t(PRESENT)} {local_time(p.present_at, seconds=False)[-5:]}{late}")
                    else:
                        ui.button(t(N_("Điểm danh")), on_click=lambda pid=p.id: tb.mark(pid)).props(
                            "dense outline"
                        ).mark(f"mtg-mark-{p.id}")
        if m.status in ("planned", "in_progress"):
            ui.button(t(N_("Kết thúc cuộc họp")), icon="stop_circle", color="negative",
                      on_click=lambda: tb.status("closed")).props("outline").mark("mtg-close")  # fmt: skip
