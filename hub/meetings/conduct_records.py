"""Records of what happens during a meeting (issue 17 items 3-4): votes, opinions on a draft (góp ý), and what a
participant's tablet shows at one moment. Re-exported by hub.meetings.models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.meetings.models import MeetingDetail

# --- votes (item 4) -------------------------------------------------------------------------------------------

CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "for": ("Tán thành", "For"),
    "against": ("Không tán thành", "Against"),
    "abstain": ("Không biểu quyết", "Abstain"),
}


@dataclass(frozen=True, slots=True)
class Vote:
    id: int
    meeting_id: int
    item_id: int | None
    question: str
    secret: bool
    choices: tuple[str, ...]
    quorum_pct: int
    eligible: int
    status: str
    voted: int  # how many have voted (always known; the counts only once closed)
    counts: dict[str, int] | None  # choice → votes, once closed
    quorum_met: bool | None  # once closed: voters / eligible > quorum_pct %
    voters: tuple[tuple[str, str], ...] = ()  # an open vote, once closed: (name, choice)


# --- opinions on a draft (góp ý, item 3) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opinion:
    id: int
    meeting_id: int
    item_id: int
    participant_id: int
    author: str
    paper_id: int | None
    paper_title: str | None
    body: str
    created_at: datetime
    updated_at: datetime


# --- the tablet page (item 3) ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TabletView:
    """What a participant's tablet shows at one moment: the meeting as they see it, the speakers' queue, the votes,
    which of them they have voted in (never what, for a secret one), and their own private notes per item."""

    detail: MeetingDetail
    speakers: tuple[dict, ...]
    votes: tuple[Vote, ...]
    voted: frozenset[int]
    notes: dict[int, str]
    chairing: bool  # the viewer is the meeting's chair or secretary: the chair's controls

    @property
    def open_vote(self) -> Vote | None:
        return next((v for v in self.votes if v.status == "open"), None)

    def place_in_queue(self) -> int | None:
        """The viewer's place among those waiting for the floor (1: next), 0 while speaking, None: not asked."""
        me = self.detail.me
        if me is None:
            return None
        waiting = [s for s in self.speakers if s["speaking_at"] is None]
        for s in self.speakers:
            if s["participant_id"] == me.id:
                return 0 if s["speaking_at"] is not None else waiting.index(s) + 1
        return None
