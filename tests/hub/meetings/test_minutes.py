"""The minutes of a meeting (issue 17 item 6) through the API on the real PostgreSQL: the automatic draft per
section, versions kept (who, when) and a stale save refused, the length limit, submission to the chair, a return with
a comment, the chair's sign-off (nobody else's), the signed minutes frozen (409 in Vietnamese and English, and the
database's trigger too), and the PDF in the Decree 30 layout read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ITEMS, make_meeting

CONCLUSION = "Giao Đội Thủ tục hàng hóa hoàn thành kế hoạch kiểm tra sau thông quan trước ngày 31/12."


@pytest.fixture
def world(api: Api, org: psycopg.Connection, tmp_path: Path) -> dict:
    """The tablet world's meeting (chair NV002, secretary NV001, member NV003) and a client for each of them."""
    made = make_meeting(api.services.meetings, org, tmp_path / "files", datetime.now(UTC))
    return {
        "id": made.meeting_id,
        "chair": api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"), employee="NV002"),
        "secretary": api.client_as("thu-ky", employee="NV001"),
        "member": api.client_as("dai-bieu", employee="NV003"),
    }


def _url(world: dict, tail: str = "") -> str:
    return f"/api/v1/meetings/{world['id']}/minutes{tail}"


def _save(client: TestClient, world: dict, **body: object):  # noqa: ANN202
    return client.put(_url(world), json=body)


def test_the_secretary_writes_the_chair_signs_off_and_the_minutes_freeze(
    api: Api, world: dict, org: psycopg.Connection
) -> None:
    chair, secretary, member = world["chair"], world["secretary"], world["member"]

    # the automatic draft, per section, for every participant; only organisers may write
    seen = member.get(_url(world))
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["status"] == "draft" and body["version"] == 0 and body["can_write"] is False
    assert (
        "Chủ trì: Trần Thị Lan" in body["sections"]["opening"]
        and "Thư ký: Nguyễn Văn Đức" in body["sections"]["opening"]
    )
    assert ITEMS[0] in body["sections"]["content"] and "NỘI DUNG" not in body["sections"]["content"]
    assert body["sections"]["conclusion"] == ""
    assert secretary.get(_url(world)).json()["can_write"] is True
    assert _save(member, world, conclusion="không phải thư ký").status_code == 403
    assert member.get(_url(world, ".pdf")).status_code == 409  # nothing signed yet

    # versions, who and when; a save from a stale version refused
    first = _save(secretary, world, **{**body["sections"], "conclusion": "Dự thảo kết luận"}, base_version=0)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "editing" and first.json()["version"] == 1
    stale = _save(secretary, world, conclusion="ghi đè", base_version=0)
    assert stale.status_code == 409 and "phiên bản 1" in stale.json()["detail"]
    second = _save(secretary, world, **{**body["sections"], "conclusion": CONCLUSION}, base_version=1)
    assert second.status_code == 200 and second.json()["version"] == 2
    assert [(v["version"], v["saved_by"]) for v in second.json()["versions"]] == [(1, "thu-ky"), (2, "thu-ky")]

    # limits: 50,000 characters in all (nothing written), control characters refused at the boundary
    too_long = _save(secretary, world, opening="a" * 30_000, content="b" * 20_001)
    assert too_long.status_code == 422 and "50.000" in too_long.json()["detail"]
    assert _save(secretary, world, content="x" * 50_001).status_code == 422
    assert _save(secretary, world, content="xấu\x07").status_code == 422
    assert _save(secretary, world, opening="   ", content="", conclusion="").status_code == 422
    assert secretary.get(_url(world)).json()["version"] == 2

    # submitted: nobody edits; the chair returns them with a comment (at most 1,000 characters)
    assert chair.post(_url(world, "/sign")).status_code == 409  # not submitted yet
    assert secretary.post(_url(world, "/submit")).json()["status"] == "submitted"
    assert _save(secretary, world, conclusion="sửa khi đang trình").status_code == 409
    assert chair.post(_url(world, "/return"), json={"comment": "x" * 1001}).status_code == 422
    assert chair.post(_url(world, "/return"), json={"comment": ""}).status_code == 422
    assert secretary.post(_url(world, "/return"), json={"comment": "thư ký không trả được"}).status_code == 403
    back = chair.post(_url(world, "/return"), json={"comment": "Bổ sung thời hạn hoàn thành."})
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "editing" and back.json()["return_comment"] == "Bổ sung thời hạn hoàn thành."
    third = _save(secretary, world, **{**body["sections"], "conclusion": CONCLUSION + "\nThời hạn: 31/12."})
    assert third.json()["version"] == 3
    assert secretary.post(_url(world, "/submit")).status_code == 200

    # only the chair signs off (not the secretary, not a member)
    assert secretary.post(_url(world, "/sign")).status_code == 403
    assert member.post(_url(world, "/sign")).status_code == 403
    signed = chair.post(_url(world, "/sign"))
    assert (
        signed.status_code == 200 and signed.json()["status"] == "signed" and signed.json()["signed_by"] == "lanh-dao"
    )

    # frozen: each change answers 409 in both languages; the database refuses a version written around the service
    refused = _save(secretary, world, conclusion="sửa sau khi ký")
    assert refused.status_code == 409
    assert "không sửa được nữa" in refused.json()["detail"] and "can no longer be changed" in refused.json()["detail"]
    assert secretary.post(_url(world, "/submit")).status_code == 409
    assert chair.post(_url(world, "/return"), json={"comment": "trả lại sau khi ký"}).status_code == 409
    assert chair.post(_url(world, "/sign")).status_code == 409
    with pytest.raises(psycopg.errors.CheckViolation):
        org.execute("INSERT INTO meeting_minutes_versions (meeting_id, version, sections, saved_by, saved_at)"
                    " VALUES (%s, 4, '{}', 'x', now())", (world["id"],))  # fmt: skip
    with pytest.raises(psycopg.errors.CheckViolation):
        org.execute("UPDATE meeting_minutes SET status = 'editing', signed_at = NULL WHERE meeting_id = %s",
                    (world["id"],))  # fmt: skip
    assert member.get(_url(world)).json()["version"] == 3

    # audited, each step
    actions = [r[0] for r in org.execute(
        "SELECT action FROM audit_log WHERE entity_id = %s AND action LIKE 'meeting.minutes%%' ORDER BY id",
        (str(world["id"]),)).fetchall()]  # fmt: skip
    assert actions == ["meeting.minutes_save", "meeting.minutes_save", "meeting.minutes_submit",
                       "meeting.minutes_return", "meeting.minutes_save", "meeting.minutes_submit",
                       "meeting.minutes_sign"]  # fmt: skip

    # the PDF: the Decree 30 heading, the title, the sections and both names
    pdf = member.get(_url(world, ".pdf"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "CỤC HẢI QUAN HÀ NỘI",
        "CHI CỤC HẢI QUAN CỬA KHẨU",
        "Họp giao ban tháng 12",
        "KẾT LUẬN",
        "Thời hạn: 31/12.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thị Lan",
        "Nguyễn Văn Đức",
        "Đã ký duyệt trên CCES",
    ):
        assert words in text, words


def test_a_stranger_reads_nothing_and_an_unknown_meeting_is_404(api: Api, world: dict) -> None:
    stranger = api.client_as("nguoi-ngoai")
    assert stranger.get(_url(world)).status_code == 403
    assert stranger.get(_url(world, ".pdf")).status_code == 403
    assert world["chair"].get("/api/v1/meetings/999999/minutes").status_code == 404
