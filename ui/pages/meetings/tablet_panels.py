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
from ui.pages.meetings.texts import pick

if TYPE_CHECKING:
    from ui.pages.meetings.tablet import Tablet


def vote_card(tb: Tablet) -> None:
    """The open vote with the viewer's ballot, the chair's close button, and the last results."""
    t, v = tb.t, tb.view
    me, vote = v.detail.me, v.open_vote
    with ui.card().classes("w-full gap-2").mark("mtg-vote"):
        ui.label(t("mtg.vote")).classes("text-lg font-bold")
        if vote is None:
            ui.label(t("mtg.vote_none")).classes("text-grey-8").mark("mtg-vote-none")
        else:
            ui.label(vote.question).classes("text-xl font-bold").mark("mtg-vote-question")
            ui.label(t("mtg.secret") if vote.secret else t("mtg.open_ballot")).classes("text-grey-8")
            ui.label(t("mtg.voted_count").format(voted=vote.voted, eligible=vote.eligible)).classes("text-sm").mark(
                "mtg-vote-count"
            )
            if me is None:
                pass
            elif vote.id in v.voted:
                with ui.row().classes("items-center gap-2 text-positive").mark("mtg-voted"):
                    ui.icon("task_alt").classes("text-2xl")
                    ui.label(t("mtg.voted")).classes("text-lg")
            elif not me.voting:
                ui.label(t("mtg.no_vote_right")).classes("text-grey-8")
            elif me.present_at is None:
                ui.label(t("mtg.check_in_first")).classes("text-warning").mark("mtg-check-in-first")
            else:
                with ui.row().classes("w-full gap-2"):
                    for choice in vote.choices:
                        ui.button(pick(choice_label(choice), tb.ctx.lang),
                                  on_click=lambda c=choice, vid=vote.id: tb.cast(vid, c)).props(
                            "size=lg"
                        ).classes("grow").mark(f"mtg-choice-{choice}")  # fmt: skip
            if v.chairing:
                ui.button(t("mtg.close_vote"), icon="how_to_vote", color="negative",
                          on_click=lambda vid=vote.id: tb.close_vote(vid)).mark("mtg-close-vote")  # fmt: skip
        closed = [x for x in v.votes if x.status == "closed"]
        if closed:
            results(tb, closed[-1])


def results(tb: Tablet, vote: Vote) -> None:
    t = tb.t
    with ui.column().classes("w-full gap-0 border-t pt-2").mark("mtg-results"):
        ui.label(f"{t('mtg.results')}: {vote.question}").classes("font-bold")
        counts = " · ".join(f"{pick(choice_label(c), tb.ctx.lang)}: {n}" for c, n in (vote.counts or {}).items())
        quorum = t("mtg.quorum_met") if vote.quorum_met else t("mtg.quorum_not_met")
        ui.label(counts)
        ui.label(f"{t('mtg.voted_count').format(voted=vote.voted, eligible=vote.eligible)} ({quorum})").classes(
            "text-sm text-grey-8"
        )


def chair_card(tb: Tablet) -> None:
    """The chair's and the secretary's controls: start and close, move the item, open a vote, attendance."""
    t, d = tb.t, tb.view.detail
    m = d.meeting
    with ui.card().classes("w-full gap-2 border-2 border-primary").mark("mtg-chair"):
        ui.label(t("mtg.chair")).classes("text-lg font-bold")
        with ui.row().classes("w-full gap-2"):
            if m.status == "planned":
                ui.button(t("mtg.start"), icon="play_circle", on_click=lambda: tb.status("in_progress")).mark(
                    "mtg-start"
                )
            if m.status in ("planned", "in_progress"):
                ui.button(t("mtg.previous"), icon="skip_previous", on_click=lambda: tb.step(-1)).props("outline").mark(
                    "mtg-previous"
                )
                ui.button(t("mtg.next"), icon="skip_next", on_click=lambda: tb.step(1)).mark("mtg-next")
        if m.status in ("planned", "in_progress") and tb.view.open_vote is None:
            question = ui.input(t("mtg.question"), value=tb.question).props("outlined maxlength=500")
            question.classes("w-full").mark("mtg-question")
            question.on_value_change(lambda e: setattr(tb, "question", e.value or ""))
            secret = ui.checkbox(t("mtg.secret_choice")).mark("mtg-secret")
            ui.button(t("mtg.open_vote"), icon="how_to_vote",
                      on_click=lambda: tb.open_vote(question.value or "", bool(secret.value))).mark(
                "mtg-open-vote"
            )  # fmt: skip
        present = sum(1 for p in d.participants if p.present_at is not None)
        with ui.expansion(t("mtg.attendance").format(present=present, total=len(d.participants)),
                          icon="fact_check").classes("w-full").mark("mtg-attendance"):  # fmt: skip
            for p in d.participants:
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(p.name).classes("grow")
                    if p.present_at is not None:
                        late = f" ({t('mtg.late')})" if p.late else ""
                        ui.label(f"{t('mtg.present')} {local_time(p.present_at, seconds=False)[-5:]}{late}")
                    else:
                        ui.button(t("mtg.mark_present"), on_click=lambda pid=p.id: tb.mark(pid)).props(
                            "dense outline"
                        ).mark(f"mtg-mark-{p.id}")
        if m.status in ("planned", "in_progress"):
            ui.button(t("mtg.close"), icon="stop_circle", color="negative",
                      on_click=lambda: tb.status("closed")).props("outline").mark("mtg-close")  # fmt: skip
