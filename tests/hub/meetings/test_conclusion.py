"""The conclusion notice (issue 17 item 6) through the API on the real PostgreSQL and the real documents module: only
after the chair's sign-off, only by an organiser, once per meeting; an outgoing draft of type TB issued by the
meeting's unit, drafted in the secretary's unit, signed by the chair, addressed to the participants' units, its
version 1 a PDF (read back with pypdf) carrying the minutes' conclusion; the link kept and shown with the minutes,
and the draft going on through the documents chain."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from hub.accounts.principal import Role
from hub.documents.files import FileRules
from hub.domain import DomainError
from hub.files import ContentStore
from hub.meetings.models import ConclusionNotice, MeetingConflict
from tests.hub.api.conftest import PASSWORD, Api
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person

CONCLUSION = "1. Đội Thủ tục hàng hóa hoàn thành kế hoạch kiểm tra sau thông quan trước ngày 31/12/2026."


@pytest.fixture
def world(api: Api, org: psycopg.Connection, tmp_path: Path) -> dict:
    documents = api.services.documents
    documents.store, documents.file_rules, documents.work_dir = ContentStore(tmp_path / "docs"), FileRules(), tmp_path
    made = make_meeting(api.services.meetings, org, tmp_path / "files", datetime.now(UTC))
    return {
        "id": made.meeting_id,
        "chair": api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"), employee="NV002"),
        "secretary": api.client_as("thu-ky", employee="NV001"),
        "member": api.client_as("dai-bieu", employee="NV003"),
    }


def _sign_off(world: dict, conclusion: str = CONCLUSION) -> None:
    url = f"/api/v1/meetings/{world['id']}/minutes"
    sections = world["secretary"].get(url).json()["sections"]
    assert world["secretary"].put(url, json={**sections, "conclusion": conclusion}).status_code == 200
    assert world["secretary"].post(url + "/submit").status_code == 200
    assert world["chair"].post(url + "/sign").status_code == 200


def test_the_secretary_drafts_the_notice_from_the_signed_minutes(
    api: Api, world: dict, org: psycopg.Connection
) -> None:
    url = f"/api/v1/meetings/{world['id']}/conclusion-notice"
    chair_principal = person(org, "NV002")
    api.services.meetings.assign_task(chair_principal, ACTOR, world["id"], "Hoàn thành kế hoạch kiểm tra", "NV001",
                                      date.today() + timedelta(days=20))  # fmt: skip
    assert world["secretary"].post(url).status_code == 409  # the minutes are not signed off
    _sign_off(world)
    assert world["member"].post(url).status_code == 403  # a member does not organise the meeting

    made = world["secretary"].post(url)
    assert made.status_code == 201, made.text
    notice = made.json()
    assert notice["state"] == "drafting" and notice["state_label"] == "soạn thảo"
    assert notice["subject"] == "Kết luận của Trần Thị Lan tại cuộc họp Họp giao ban tháng 12"
    again = world["secretary"].post(url)
    assert again.status_code == 409 and "đã có thông báo kết luận" in again.json()["detail"]
    assert org.execute("SELECT draft_id FROM meeting_conclusion_notices WHERE meeting_id = %s",
                       (world["id"],)).fetchone() == (notice["draft_id"],)  # fmt: skip

    # the draft in the documents module: TB of CCHQNB, drafted in DOI1, the chair signs, the participants' units
    draft = world["secretary"].get(f"/api/v1/documents/drafts/{notice['draft_id']}")
    assert draft.status_code == 200, draft.text
    d = draft.json()
    assert (d["type_key"], d["type_name_vi"], d["unit_code"], d["drafting_unit_code"]) == (
        "thong_bao", "Thông báo", "CCHQNB", "DOI1")  # fmt: skip
    assert (d["signer"], d["signer_name"], d["signer_position"]) == ("lanh-dao", "Trần Thị Lan", "Phó Chi cục trưởng")
    assert sorted(r["unit_code"] for r in d["recipients"]) == ["CHQHCM", "DOI1"]
    assert d["created_by"] == "thu-ky" and [v["version"] for v in d["versions"]] == [1]
    pdf = world["secretary"].get(f"/api/v1/documents/drafts/{notice['draft_id']}/versions/1")
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "THÔNG BÁO",
        "Số:",
        "/TB",
        "Kết luận của Trần Thị Lan",
        "hoàn thành kế hoạch kiểm tra sau thông quan trước ngày 31/12/2026",
        "Nơi nhận:",
        "Lưu: VT.",
        "Trần Thị Lan",
        "PHÓ CHI CỤC TRƯỞNG",
    ):
        assert words in text, words

    # the minutes show it: its state to the secretary and the chair (its signer), the link only to a member
    minutes = world["secretary"].get(f"/api/v1/meetings/{world['id']}/minutes").json()
    assert minutes["notice"]["draft_id"] == notice["draft_id"] and minutes["can_notice"] is False
    assert world["member"].get(f"/api/v1/meetings/{world['id']}/minutes").json()["notice"]["state"] == "unknown"

    # it goes on through the documents chain (no reviewer: straight to the signer, the chair)
    assert world["secretary"].post(f"/api/v1/documents/drafts/{notice['draft_id']}/submit", json={}).status_code == 200
    seen = world["chair"].get(f"/api/v1/meetings/{world['id']}/minutes").json()["notice"]
    assert seen["state"] == "signing" and seen["state_label"] == "chờ lãnh đạo ký"
    rows = org.execute(
        "SELECT action FROM audit_log WHERE action IN ('meeting.conclusion_notice', 'documents.draft_create')"
    ).fetchall()
    actions = {r[0] for r in rows}
    assert actions == {"meeting.conclusion_notice", "documents.draft_create"}


def test_minutes_without_a_conclusion_draft_no_notice(api: Api, world: dict, org: psycopg.Connection) -> None:
    _sign_off(world, conclusion="")
    refused = world["secretary"].post(f"/api/v1/meetings/{world['id']}/conclusion-notice")
    assert refused.status_code == 409 and "kết luận" in refused.json()["detail"]
    assert org.execute("SELECT count(*) FROM document_drafts").fetchone() == (0,)


def test_the_secretary_drafting_the_notice_twice_at_once_makes_one_draft(
    api: Api, world: dict, org: psycopg.Connection
) -> None:
    """Three calls at once (a double click, two tabs): one draft in the documents module, linked to the meeting; the
    others refused with the conflict, leaving no unlinked draft behind."""
    _sign_off(world)
    secretary = api.services.accounts.sign_in("thu-ky", PASSWORD).principal
    meetings = api.services.meetings
    calls = 3  # the test pool has 4 connections: each call holds at most two at a time
    start = threading.Barrier(calls)
    made: list[ConclusionNotice] = []
    refused: list[DomainError] = []
    failed: list[BaseException] = []

    def draft() -> None:
        start.wait(timeout=10)
        try:
            made.append(meetings.create_conclusion_notice(secretary, ACTOR, world["id"]))
        except DomainError as exc:
            refused.append(exc)
        except BaseException as exc:  # noqa: BLE001 — reported below, not lost in the thread
            failed.append(exc)

    threads = [threading.Thread(target=draft) for _ in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failed == []
    assert len(made) == 1, (made, refused)
    assert len(refused) == calls - 1
    assert all(isinstance(exc, MeetingConflict) and exc.status == 409 for exc in refused), refused
    notice = made[0]
    assert org.execute("SELECT draft_id FROM meeting_conclusion_notices WHERE meeting_id = %s",
                       (world["id"],)).fetchall() == [(notice.draft_id,)]  # fmt: skip
    drafts = org.execute(
        "SELECT id FROM document_drafts WHERE subject LIKE %s",
        ("%tại cuộc họp Họp giao ban tháng 12",),
    ).fetchall()
    assert drafts == [(notice.draft_id,)]
    assert org.execute("SELECT count(*) FROM audit_log WHERE action = 'documents.draft_create'").fetchone() == (1,)
    # the lock is given back: a later call is refused by the link, not by a lock left behind
    again = world["secretary"].post(f"/api/v1/meetings/{world['id']}/conclusion-notice")
    assert again.status_code == 409 and "đã có thông báo kết luận" in again.json()["detail"]
    assert org.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND objid = %s::oid"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (world["id"],),
    ).fetchone() == (0,)
