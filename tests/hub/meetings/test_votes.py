"""Votes (issue 17 item 4) on the real PostgreSQL: 100 participants voting at once in a secret vote (each thread
also trying a second time) are each counted exactly once, the ballots keep no link to the voters, results only
once closed with the quorum; an open vote shows who voted what; the chair alone opens and closes."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.meetings.models import BookingInput, MeetingConflict, MeetingInput, RoomInput
from hub.meetings.service import MeetingsService
from hub.people.importing import import_employees

ADMIN = Principal.tool("test-setup", "Test setup")
ACTOR = Actor("test-setup")
VOTERS = 100


def _person(conn: psycopg.Connection, code: str) -> Principal:
    row = conn.execute(
        "SELECT e.id, u.path FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s", (code,)
    ).fetchone()
    return Principal(0, code.lower(), code, row[0], row[1], ())


def test_a_hundred_participants_voting_at_once_are_each_counted_once_and_a_secret_vote_is_unlinkable(
    database_url: str, org: psycopg.Connection
) -> None:
    conn = org
    report = import_employees(conn, [
        {"employee_code": f"BQ{i:03d}", "full_name": f"Đại biểu {i:03d}", "unit_code": "DOI1",
         "person_id": f"bq-{i:03d}"} for i in range(VOTERS)])  # fmt: skip
    assert report.rejected == []
    pool = open_pool(database_url, max_size=20, name="cces-votes-test")
    try:
        svc = MeetingsService(pool, lambda: datetime.now(UTC))
        svc.save_room(ADMIN, ACTOR, "hoi-truong", RoomInput("Trụ sở", "CCHQNB", "Hội trường", 300))
        now = datetime.now(UTC)
        booking = svc.book(ADMIN, ACTOR, BookingInput("hoi-truong", "Kỳ họp", now - timedelta(minutes=5),
                                                      now + timedelta(hours=2)))[0]  # fmt: skip
        codes = tuple(f"BQ{i:03d}" for i in range(VOTERS))
        meeting = svc.create_meeting(ADMIN, ACTOR, MeetingInput(
            "Kỳ họp thường lệ", "CCHQNB", "NV002", "NV001", codes, booking_id=booking.id))  # fmt: skip
        conn.execute("UPDATE meeting_participants SET present_at = now(), checkin_method = 'secretary'"
                     " WHERE employee_id IS NOT NULL")  # fmt: skip
        chair = _person(conn, "NV002")
        with pytest.raises(AccessDenied):
            svc.open_vote(_person(conn, "BQ000"), ACTOR, meeting.id, "Không được mở")
        vote = svc.open_vote(chair, ACTOR, meeting.id, "Thông qua nghị quyết", secret=True, quorum_pct=50)
        assert vote.eligible == VOTERS + 2 and vote.counts is None
        with pytest.raises(MeetingConflict):
            svc.open_vote(chair, ACTOR, meeting.id, "Một phiếu khác khi phiếu trước chưa đóng")

        people = [_person(conn, c) for c in codes]
        choice = {p.username: ("for", "against", "abstain")[i % 3] for i, p in enumerate(people)}
        barrier = threading.Barrier(VOTERS)
        accepted: list[str] = []
        refused: list[str] = []
        errors: list[BaseException] = []

        def go(person: Principal) -> None:
            try:
                barrier.wait(60)
                for _ in range(2):  # the second try must be refused
                    try:
                        svc.cast_vote(person, meeting.id, vote.id, choice[person.username])
                        accepted.append(person.username)
                    except MeetingConflict:
                        refused.append(person.username)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=go, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert sorted(accepted) == sorted(p.username for p in people)  # each exactly once
        assert sorted(refused) == sorted(p.username for p in people)
        assert svc.votes(chair, meeting.id)[0].counts is None  # no results while open
        closed = svc.close_vote(chair, ACTOR, meeting.id, vote.id)
        assert closed.voted == VOTERS and sum(closed.counts.values()) == VOTERS
        assert closed.counts == dict(Counter(choice.values()))
        assert closed.quorum_met is True and closed.voters == ()
        with pytest.raises(MeetingConflict):
            svc.cast_vote(people[0], meeting.id, vote.id, "for")

        # the database holds no link between a secret ballot and its voter
        columns = {
            t: {r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (t,))}
            for t in ("meeting_secret_ballots", "meeting_vote_voters")
        }  # fmt: skip
        assert columns == {"meeting_secret_ballots": {"id", "vote_id", "choice"},
                           "meeting_vote_voters": {"vote_id", "participant_id"}}  # fmt: skip
        assert conn.execute("SELECT count(*) FROM meeting_secret_ballots").fetchone() == (VOTERS,)
        assert conn.execute("SELECT count(*) FROM meeting_open_ballots").fetchone() == (0,)

        # an open vote: who voted what, once closed; the quorum not met with 3 of 102
        shown = svc.open_vote(chair, ACTOR, meeting.id, "Biểu quyết công khai", quorum_pct=50)
        for person in people[:3]:
            svc.cast_vote(person, meeting.id, shown.id, "for")
        result = svc.close_vote(chair, ACTOR, meeting.id, shown.id)
        assert result.counts == {"for": 3, "against": 0, "abstain": 0} and result.quorum_met is False
        assert [name for name, _ in result.voters] == ["Đại biểu 000", "Đại biểu 001", "Đại biểu 002"]
    finally:
        pool.close()
