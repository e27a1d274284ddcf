"""Opinions on a draft (góp ý, issue 17 item 3) on the real PostgreSQL: a participant writes one on an agenda item,
naming a paper of that item they may read (not a restricted one they may not, not another item's); edits and
withdraws their own only, until the meeting ends; the chair and the secretary read all of them and find them under
their item in the minutes draft, a participant reads their own; the audit log keeps each change without its words."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from hub.accounts.models import AccessDenied
from hub.meetings.models import MeetingConflict, MeetingError, MeetingNotFound
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, ITEMS, PUBLIC_PAPER, SETUP, make_meeting, person

OPINION = "Đề nghị bổ sung số liệu thu nộp ngân sách quý IV\nvà so sánh cùng kỳ."


def test_opinions_are_the_author_s_to_change_and_the_chair_s_to_read(
    api: Api, conn: psycopg.Connection, tmp_path: Path
) -> None:
    svc = api.services.meetings
    world = make_meeting(svc, conn, tmp_path, datetime.now(UTC))
    mid, (first, second, third) = world.meeting_id, world.item_ids
    member, secretary, chair = person(conn, "NV003"), person(conn, "NV001"), person(conn, "NV002")

    mine = svc.give_opinion(member, ACTOR, mid, first, f"  {OPINION}  ", world.public_paper_id)
    assert (mine.author, mine.item_id, mine.paper_title, mine.body) == ("Lê Minh Đạt", first, PUBLIC_PAPER, OPINION)
    with pytest.raises(AccessDenied):  # the restricted paper: not among its readers
        svc.give_opinion(member, ACTOR, mid, second, "Về danh sách", world.secret_paper_id)
    with pytest.raises(MeetingNotFound):  # a paper of another item
        svc.give_opinion(member, ACTOR, mid, second, "Về báo cáo", world.public_paper_id)
    with pytest.raises(MeetingNotFound):
        svc.give_opinion(member, ACTOR, mid, 999_999, "Không có nội dung này")
    with pytest.raises(MeetingError):
        svc.give_opinion(member, ACTOR, mid, first, "x" * 4_001)
    with pytest.raises(MeetingError):
        svc.give_opinion(member, ACTOR, mid, first, " \n ")
    with pytest.raises(MeetingConflict):  # the administrator follows the meeting, is no participant
        svc.give_opinion(SETUP, ACTOR, mid, first, "Ý kiến của quản trị")
    assert len(svc.give_opinion(member, ACTOR, mid, third, "y" * 4_000).body) == 4_000
    theirs = svc.give_opinion(secretary, ACTOR, mid, second, "Danh sách cần rà soát lại", world.secret_paper_id)

    assert [o.id for o in svc.opinions(member, mid)] == [mine.id, mine.id + 1]  # their own
    assert [o.item_id for o in svc.opinions(chair, mid)] == [first, second, third]  # all, in the agenda's order
    assert len(svc.opinions(secretary, mid)) == 3 and svc.opinions(SETUP, mid) == []

    with pytest.raises(AccessDenied):  # not the chair's to change
        svc.edit_opinion(chair, ACTOR, mid, mine.id, "Sửa hộ")
    with pytest.raises(AccessDenied):
        svc.withdraw_opinion(chair, ACTOR, mid, mine.id)
    edited = svc.edit_opinion(member, ACTOR, mid, mine.id, "Đề nghị bổ sung số liệu quý IV")
    assert edited.body == "Đề nghị bổ sung số liệu quý IV" and edited.paper_id is None
    svc.withdraw_opinion(member, ACTOR, mid, mine.id + 1)
    with pytest.raises(MeetingNotFound):
        svc.withdraw_opinion(member, ACTOR, mid, mine.id + 1)

    draft = svc.minutes_draft(chair, mid).splitlines()
    at = draft.index(f"1. {ITEMS[0]}")
    assert draft[at + 1 : at + 3] == ["   Ý kiến góp ý:", "   - Ý kiến của Lê Minh Đạt: Đề nghị bổ sung số liệu quý IV"]
    at = draft.index(f"2. {ITEMS[1]}")
    assert draft[at + 2] == f"   - Ý kiến của Nguyễn Văn Đức (về tài liệu: {'Danh sách doanh nghiệp trọng điểm'}): " \
        "Danh sách cần rà soát lại"  # fmt: skip
    assert "y" * 100 not in "\n".join(draft)  # withdrawn
    assert "Ý kiến" not in svc.minutes_draft(member, mid)  # a participant's draft lists nobody's opinions

    svc.set_status(chair, ACTOR, mid, "closed")
    with pytest.raises(MeetingConflict):
        svc.give_opinion(member, ACTOR, mid, first, "Muộn")
    with pytest.raises(MeetingConflict):
        svc.edit_opinion(secretary, ACTOR, mid, theirs.id, "Muộn")
    assert [o.body for o in svc.opinions(member, mid)] == ["Đề nghị bổ sung số liệu quý IV"]

    audited = conn.execute(
        "SELECT action, after::text, before::text FROM audit_log WHERE entity = 'meeting_opinion' ORDER BY id"
    ).fetchall()
    assert [a[0] for a in audited] == ["meeting_opinion.give"] * 3 + [
        "meeting_opinion.edit",
        "meeting_opinion.withdraw",
    ]
    assert not any("số liệu" in (a[1] or "") + (a[2] or "") for a in audited)  # the words stay out of the log


def test_opinions_over_the_api(api: Api, conn: psycopg.Connection, tmp_path: Path) -> None:
    world = make_meeting(api.services.meetings, conn, tmp_path, datetime.now(UTC))
    mid, first = world.meeting_id, world.item_ids[0]
    member, chair = api.client_as("dat", employee="NV003"), api.client_as("lan", employee="NV002")
    stranger = api.client_as("hoa")
    base = f"/api/v1/meetings/{mid}/opinions"
    made = member.post(base, json={"item_id": first, "text": OPINION, "paper_id": world.public_paper_id})
    assert made.status_code == 201, made.text
    assert made.json()["text"] == OPINION and made.json()["paper_title"] == PUBLIC_PAPER
    oid = made.json()["id"]
    assert member.post(base, json={"item_id": first, "text": "x" * 4_001}).status_code == 422
    assert member.post(base, json={"item_id": first, "text": "a\x00b"}).status_code == 422
    assert stranger.post(base, json={"item_id": first, "text": "Tôi không dự"}).status_code == 403
    assert chair.put(f"{base}/{oid}", json={"text": "Sửa hộ"}).status_code == 403
    assert [o["id"] for o in chair.get(base).json()] == [oid] and member.get(base).json()[0]["author"] == "Lê Minh Đạt"
    edited = member.put(f"{base}/{oid}", json={"text": "Ý kiến đã sửa"})
    assert edited.status_code == 200 and edited.json()["text"] == "Ý kiến đã sửa"
    assert "Ý kiến của Lê Minh Đạt: Ý kiến đã sửa" in chair.get(f"/api/v1/meetings/{mid}/minutes-draft").json()["text"]
    assert member.delete(f"{base}/{oid}").status_code == 204
    assert chair.get(base).json() == [] and member.delete(f"{base}/{oid}").status_code == 404
