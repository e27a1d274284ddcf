"""Votes in a meeting (issue 17 item 4): the chair (or secretary) opens and closes them; each voting participant
present votes once; results are given once closed.

A part of `hub.meetings.service.MeetingsService` (a mixin). One vote per participant is the database's rule:
`meeting_vote_voters`' primary key, inserted in the same transaction as the ballot — a second (or a racing
concurrent) vote of the same participant finds the row there and is refused (409), its ballot never written.
A secret vote's ballot goes to `meeting_secret_ballots` with no voter, no time and a random key, so nothing stored
links a ballot to who cast it. Quorum: the vote counts when more than `quorum_pct` % of the voting participants
(counted when it opened) voted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.meetings import access, repository
from hub.meetings.models import CHOICE_LABELS, MeetingConflict, MeetingError, MeetingNotFound, Vote, bilingual

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting


class MeetingVoting:
    pool: ConnectionPool
    now: Callable[[], datetime]
    _changed: Callable[..., None]

    _meeting: Callable[..., Meeting]
    _require_attendee: Callable[..., Any]

    def _require_chair(self, conn: psycopg.Connection, principal: Principal, meeting: Meeting) -> None:
        gate.check(principal, access.CHAIR)
        people = repository.participants(conn, meeting.id)
        me = next((p for p in people if principal.employee_id and p.employee_id == principal.employee_id), None)
        if me is None or me.role not in ("chair", "secretary"):
            raise AccessDenied(bilingual("chỉ chủ trì hoặc thư ký cuộc họp", "only the meeting's chair or secretary"))

    def open_vote(
        self, principal: Principal, actor: Actor, meeting_id: int, question: str, *, secret: bool = False,
        item_id: int | None = None, choices: Sequence[str] = ("for", "against", "abstain"), quorum_pct: int = 50,
    ) -> Vote:  # fmt: skip
        """The chair (or secretary) opens a vote (one open at a time per meeting)."""
        question = " ".join(question.split())
        if not question or len(question) > 500:
            raise MeetingError(bilingual("nội dung biểu quyết: 1–500 ký tự", "the question: 1-500 characters"))
        picks = tuple(dict.fromkeys(" ".join(c.split())[:100] for c in choices if c.strip()))
        if not 2 <= len(picks) <= 20 or not 0 <= quorum_pct <= 100:
            raise MeetingError(bilingual("2–20 phương án, túc số 0–100%", "2-20 choices, quorum 0-100%"))
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_chair(conn, principal, meeting)
            if meeting.status in ("closed", "cancelled"):
                raise MeetingConflict(bilingual("cuộc họp đã kết thúc", "the meeting is over"))
            try:
                with conn.transaction():
                    vote_id = repository.insert_vote(conn, {
                        "meeting_id": meeting_id, "item_id": item_id, "question": question, "secret": secret,
                        "choices": list(picks), "quorum_pct": quorum_pct, "opened_by": principal.username,
                        "opened_at": self.now(),
                    })  # fmt: skip
            except psycopg.errors.UniqueViolation as exc:
                raise MeetingConflict(bilingual("đang có một biểu quyết chưa kết thúc",
                                                "another vote is still open")) from exc  # fmt: skip
            except psycopg.errors.ForeignKeyViolation as exc:
                raise MeetingNotFound(bilingual("không có nội dung họp này", "no such agenda item")) from exc
            audit.record(conn, actor, "meeting_vote.open", "meeting_vote", vote_id,
                         after={"meeting_id": meeting_id, "question": question, "secret": secret},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
            found = self._vote(conn, vote_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return found

    def cast_vote(self, principal: Principal, meeting_id: int, vote_id: int, choice: str) -> Vote:
        """The caller's one vote (a voting participant checked in). Not audited per voter: the voters table says
        who voted; a secret vote's choice is stored apart, unlinked."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            _, me, _ = self._require_attendee(conn, principal, meeting)
            row = repository.vote_row(conn, vote_id, lock=True)
            if row is None or row["meeting_id"] != meeting_id:
                raise MeetingNotFound(bilingual(f"không có biểu quyết số {vote_id}", f"no vote {vote_id}"))
            if row["status"] != "open":
                raise MeetingConflict(bilingual("biểu quyết đã kết thúc", "the vote is closed"))
            if me is None or not me.voting:
                raise AccessDenied(bilingual("bạn không có quyền biểu quyết", "you have no vote in this meeting"))
            if me.present_at is None:
                raise MeetingConflict(bilingual("hãy điểm danh trước khi biểu quyết", "check in before voting"))
            if choice not in row["choices"]:
                raise MeetingError(bilingual("phương án không có trong phiếu", "that choice is not on the ballot"))
            if not repository.record_voter(conn, vote_id, me.id):
                raise MeetingConflict(bilingual("bạn đã biểu quyết", "you have already voted"))
            repository.insert_ballot(conn, vote_id, None if row["secret"] else me.id, choice, str(uuid.uuid4()))
            found = self._vote(conn, vote_id)
        return found

    def close_vote(self, principal: Principal, actor: Actor, meeting_id: int, vote_id: int) -> Vote:
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            self._require_chair(conn, principal, meeting)
            row = repository.vote_row(conn, vote_id)
            if row is None or row["meeting_id"] != meeting_id:
                raise MeetingNotFound(bilingual(f"không có biểu quyết số {vote_id}", f"no vote {vote_id}"))
            if not repository.close_vote(conn, vote_id, self.now()):
                raise MeetingConflict(bilingual("biểu quyết đã kết thúc", "the vote is closed"))
            found = self._vote(conn, vote_id)
            audit.record(conn, actor, "meeting_vote.close", "meeting_vote", vote_id,
                         after={"counts": found.counts, "voted": found.voted, "quorum_met": found.quorum_met},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return found

    def votes(self, principal: Principal, meeting_id: int) -> list[Vote]:
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_attendee(conn, principal, meeting)
            return [self._vote(conn, v) for v in repository.votes_of(conn, meeting_id)]

    def _vote(self, conn: psycopg.Connection, vote_id: int) -> Vote:
        row = repository.vote_row(conn, vote_id)
        assert row is not None
        closed = row["status"] == "closed"
        counts = None
        if closed:
            found = repository.tally(conn, vote_id, row["secret"])
            counts = {c: found.get(c, 0) for c in row["choices"]}
        quorum = (row["voted"] * 100 > row["quorum_pct"] * row["eligible"]) if closed else None
        voters = tuple(repository.open_ballots(conn, vote_id)) if closed and not row["secret"] else ()
        return Vote(
            id=row["id"], meeting_id=row["meeting_id"], item_id=row["item_id"], question=row["question"],
            secret=row["secret"], choices=tuple(row["choices"]), quorum_pct=row["quorum_pct"],
            eligible=row["eligible"], status=row["status"], voted=int(row["voted"]), counts=counts,
            quorum_met=quorum, voters=voters,
        )  # fmt: skip


def choice_label(choice: str) -> tuple[str, str]:
    """A choice in words (Vietnamese, English): the usual three, else the choice as written."""
    return CHOICE_LABELS.get(choice, (choice, choice))
