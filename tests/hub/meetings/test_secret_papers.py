"""Secret papers watermarked with the viewer's name (issue 17 item 2), through the API on the real PostgreSQL and a
real content store: a restricted PDF made here with fpdf2 is handed to each of its readers stamped with their own
name, username and the time (read back with pypdf), the stored original unchanged; a paper for everyone comes as
stored; an encrypted or broken restricted PDF is refused with 409, never handed out unstamped."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from hub.accounts.principal import Role
from hub.localtime import LOCAL_TZ
from hub.reports.export_pdf import PdfFonts
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person

SECRET_TEXT = "Danh sách doanh nghiệp có dấu hiệu rủi ro cao"


def real_pdf(text: str, pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(PdfFonts.installed().regular))
    pdf.set_font("DejaVu", size=14)
    for i in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} — trang {i + 1}")
    return bytes(pdf.output())


def encrypted(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="mat-khau-rieng", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_of(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def minutes_between(start: datetime, end: datetime) -> set[str]:
    found, at = set(), start.replace(second=0, microsecond=0)
    while at <= end:
        found.add(at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"))
        at += timedelta(minutes=1)
    return found


@pytest.fixture
def world(api: Api, org: psycopg.Connection, tmp_path: Path) -> dict:
    svc = api.services.meetings
    made = make_meeting(svc, org, tmp_path / "files", datetime.now(UTC))
    chair = person(org, "NV002")
    original = real_pdf(SECRET_TEXT)
    papers = {
        "secret": svc.add_paper(chair, ACTOR, made.meeting_id, title="Danh sách rủi ro", filename="rui-ro.pdf",
                                data=original, restricted=True, reader_codes=["NV003"]),
        "public": svc.add_paper(chair, ACTOR, made.meeting_id, title="Báo cáo chung", filename="chung.pdf",
                                data=real_pdf("Báo cáo chung", 1)),
        "locked": svc.add_paper(chair, ACTOR, made.meeting_id, title="Tệp khóa", filename="khoa.pdf",
                                data=encrypted(real_pdf("Khóa")), restricted=True, reader_codes=["NV003"]),
        "broken": svc.add_paper(chair, ACTOR, made.meeting_id, title="Tệp hỏng", filename="hong.pdf",
                                data=b"%PDF-1.4\n% hong\n1 0 obj<<>>endobj\n%%EOF\n", restricted=True),
    }  # fmt: skip
    return {
        "id": made.meeting_id, "papers": papers, "original": original, "store": svc.store,
        "chair": api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"), employee="NV002"),
        "secretary": api.client_as("thu-ky", employee="NV001"),
        "reader": api.client_as("dai-bieu", employee="NV003"),
    }  # fmt: skip


def _url(world: dict, which: str) -> str:
    return f"/api/v1/meetings/{world['id']}/papers/{world['papers'][which].id}"


def test_each_reader_gets_a_copy_stamped_with_their_own_name_and_the_time(world: dict) -> None:
    for client, name, username in ((world["reader"], "Lê Minh Đạt", "dai-bieu"),
                                   (world["chair"], "Trần Thị Lan", "lanh-dao")):  # fmt: skip
        before = datetime.now(UTC)
        got = client.get(_url(world, "secret"))
        after = datetime.now(UTC)
        assert got.status_code == 200, got.text
        assert got.headers["content-type"] == "application/pdf" and got.content != world["original"]
        pages = text_of(got.content)
        assert len(pages) == 2
        for i, page in enumerate(pages, start=1):
            assert f"{SECRET_TEXT} — trang {i}" in page  # the paper itself is still there
            assert f"MẬT — Người xem: {name} ({username}) —" in page
            assert any(moment in page for moment in minutes_between(before, after)), page
        other = "Trần Thị Lan" if name == "Lê Minh Đạt" else "Lê Minh Đạt"
        assert f"Người xem: {other}" not in " ".join(pages)
    # the stored original is never changed; a paper for everyone comes as stored
    assert world["store"].get(world["papers"]["secret"].sha256) == world["original"]
    public = world["reader"].get(_url(world, "public"))
    assert public.status_code == 200 and public.content == world["store"].get(world["papers"]["public"].sha256)
    assert "Người xem" not in " ".join(text_of(public.content))


def test_a_secret_pdf_that_cannot_be_stamped_is_refused_never_handed_out(world: dict) -> None:
    locked = world["reader"].get(_url(world, "locked"))
    assert locked.status_code == 409 and locked.content[:5] != b"%PDF-"
    assert "không tải về được" in locked.json()["detail"] and "not handed out" in locked.json()["detail"]
    broken = world["chair"].get(_url(world, "broken"))
    assert broken.status_code == 409 and "cannot be opened to stamp" in broken.json()["detail"]
    # and who may not read a restricted paper still gets 403 before anything else
    assert world["secretary"].get(_url(world, "secret")).status_code == 200  # the secretary reads every one
    outsider_paper = world["reader"].get(_url(world, "broken"))  # not among its readers
    assert outsider_paper.status_code == 403


def a_photo() -> bytes:
    """A real picture (a gradient with shapes), so a stamp shows as changed pixels."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480))
    draw = ImageDraw.Draw(image)
    for x in range(0, 640, 8):
        draw.rectangle((x, 0, x + 7, 480), fill=(x % 256, 120, 255 - x % 256))
    draw.ellipse((200, 140, 440, 340), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def a_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_restricted_picture_is_stamped_and_a_restricted_office_file_refused(
    api: Api, org: psycopg.Connection, tmp_path: Path
) -> None:
    from PIL import Image, ImageChops

    svc = api.services.meetings
    made = make_meeting(svc, org, tmp_path / "files", datetime.now(UTC))
    chair = person(org, "NV002")
    photo = a_photo()
    papers = {
        "photo": svc.add_paper(chair, ACTOR, made.meeting_id, title="Ảnh hiện trường", filename="hien-truong.png",
                               data=photo, restricted=True, reader_codes=["NV003"]),
        "docx": svc.add_paper(chair, ACTOR, made.meeting_id, title="Dự thảo", filename="du-thao.docx",
                              data=a_docx(SECRET_TEXT), restricted=True, reader_codes=["NV003"]),
        "open_docx": svc.add_paper(chair, ACTOR, made.meeting_id, title="Chương trình", filename="chuong-trinh.docx",
                                   data=a_docx("Chương trình họp")),
    }  # fmt: skip
    world = {"id": made.meeting_id, "papers": papers}
    reader = api.client_as("dai-bieu", employee="NV003")

    got = reader.get(_url(world, "photo"))
    assert got.status_code == 200, got.text
    stamped = Image.open(io.BytesIO(got.content))
    stamped.load()
    original = Image.open(io.BytesIO(photo)).convert("RGB")
    assert stamped.format == "PNG" and stamped.size == original.size
    difference = ImageChops.difference(stamped.convert("RGB"), original).convert("L").histogram()
    changed = sum(difference) - difference[0]  # the pixels the stamp changed
    assert changed > 640 * 480 // 20  # the band at the foot alone is 6 % of the picture
    assert svc.store.get(papers["photo"].sha256) == photo  # the stored original is unchanged

    refused = reader.get(_url(world, "docx"))
    assert refused.status_code == 409 and refused.content[:2] != b"PK"
    assert "tải lên bản PDF" in refused.json()["detail"] and "upload the paper as a PDF" in refused.json()["detail"]
    # a paper for everyone of any kind still comes as stored
    assert reader.get(_url(world, "open_docx")).content == svc.store.get(papers["open_docx"].sha256)
