"""The PDF viewer of the tablet page (issue 17 item 3), through the API on the real PostgreSQL and a real content
store: a 3-page PDF made here with fpdf2 is counted and its pages drawn as PNG (decoded with Pillow, the asked
width, the page's proportions); a restricted paper's pages are drawn from the copy stamped with the viewer, so each
reader's image differs from the unstamped page and from another reader's; whoever may not open the paper may not see
its pages (403), a non-participant neither; a paper that is not a PDF, or that PDFium cannot open, answers 409;
a page or width out of range 422 in Vietnamese and English."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from PIL import Image, ImageChops

from hub.meetings import paper_pages
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person
from tests.hub.meetings.test_secret_papers import real_pdf

TEXT = "Báo cáo tình hình thu ngân sách"


def tiny_png() -> bytes:
    raw = b"\x00\xff\x00\x00"
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def world(api: Api, org: psycopg.Connection, tmp_path: Path) -> dict:
    svc = api.services.meetings
    made = make_meeting(svc, org, tmp_path / "files", datetime.now(UTC))
    chair = person(org, "NV002")
    original = real_pdf(TEXT, pages=3)
    papers = {
        "plain": svc.add_paper(chair, ACTOR, made.meeting_id, title="Báo cáo thu", filename="thu.pdf", data=original),
        "secret": svc.add_paper(chair, ACTOR, made.meeting_id, title="Số liệu mật", filename="mat.pdf",
                                data=original, restricted=True, reader_codes=["NV003"]),
        "image": svc.add_paper(chair, ACTOR, made.meeting_id, title="Sơ đồ", filename="so-do.png", data=tiny_png()),
    }  # fmt: skip
    return {
        "id": made.meeting_id, "papers": papers, "original": original,
        "chairs_only": made.secret_paper_id, "broken": made.public_paper_id,
        "chair": api.client_as("lanh-dao", employee="NV002"),
        "reader": api.client_as("dai-bieu", employee="NV003"),
        "outsider": api.client_as("nguoi-ngoai"),
    }  # fmt: skip


def _pages(world: dict, paper_id: int) -> str:
    return f"/api/v1/meetings/{world['id']}/papers/{paper_id}/pages"


def _png(got) -> Image.Image:  # noqa: ANN001
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(got.content))
    image.load()
    return image


def test_a_pdf_paper_is_counted_and_each_page_drawn_as_png_at_the_asked_width(world: dict) -> None:
    plain = world["papers"]["plain"].id
    count = world["reader"].get(_pages(world, plain))
    assert count.status_code == 200 and count.json() == {"paper_id": plain, "pages": 3}

    first = _png(world["reader"].get(f"{_pages(world, plain)}/1", params={"width": 800}))
    assert first.format == "PNG" and first.width == 800
    assert abs(first.height - 800 * 297 / 210) <= 2  # an A4 page keeps its proportions
    assert first.getextrema() != ((255, 255), (255, 255), (255, 255))  # the page's text is drawn, not a blank
    third = _png(world["reader"].get(f"{_pages(world, plain)}/3", params={"width": 400}))
    assert third.size[0] == 400
    assert ImageChops.difference(first.resize(third.size), third).getbbox() is not None  # another page
    default = _png(world["chair"].get(f"{_pages(world, plain)}/2"))
    assert default.width == 1000

    # the image is the page as PDFium draws it from the stored file
    direct = paper_pages.render(world["original"], 1, 800)
    assert world["reader"].get(f"{_pages(world, plain)}/1", params={"width": 800}).content == direct.png


def test_a_restricted_papers_pages_carry_the_viewers_watermark(world: dict) -> None:
    secret = world["papers"]["secret"].id
    unstamped = Image.open(io.BytesIO(paper_pages.render(world["original"], 1, 800).png)).convert("RGB")
    assert world["reader"].get(_pages(world, secret)).json()["pages"] == 3
    reader = _png(world["reader"].get(f"{_pages(world, secret)}/1", params={"width": 800})).convert("RGB")
    chair = _png(world["chair"].get(f"{_pages(world, secret)}/1", params={"width": 800})).convert("RGB")
    assert reader.size == chair.size == unstamped.size
    assert ImageChops.difference(reader, unstamped).getbbox() is not None  # the stamp is on the image
    assert ImageChops.difference(reader, chair).getbbox() is not None  # …naming each viewer
    again = _png(world["reader"].get(f"{_pages(world, secret)}/1", params={"width": 800})).convert("RGB")
    assert ImageChops.difference(reader, again).getbbox() is None  # the same copy while they turn pages


def test_who_may_not_open_a_paper_may_not_see_its_pages(world: dict) -> None:
    chairs_only = world["chairs_only"]  # restricted, no reader named: the chair and the secretary only
    for url in (_pages(world, chairs_only), f"{_pages(world, chairs_only)}/1"):
        refused = world["reader"].get(url)
        assert refused.status_code == 403 and "tài liệu mật" in refused.json()["detail"], refused.text
        assert refused.headers["content-type"].startswith("application/json")
    secret = world["papers"]["secret"].id
    assert world["outsider"].get(f"{_pages(world, secret)}/1").status_code == 403
    assert world["outsider"].get(_pages(world, world["papers"]["plain"].id)).status_code == 403
    assert world["reader"].get(f"/api/v1/meetings/{world['id']}/papers/999999/pages/1").status_code == 404


def test_not_viewable_papers_and_bad_pages_or_widths_are_refused(world: dict) -> None:
    reader, plain = world["reader"], world["papers"]["plain"].id
    image = reader.get(f"{_pages(world, world['papers']['image'].id)}/1")
    assert image.status_code == 409
    assert "tải tệp này về" in image.json()["detail"] and "download this one" in image.json()["detail"]
    broken = reader.get(_pages(world, world["broken"]))  # "%PDF-" and nothing PDFium can read
    assert broken.status_code == 409 and "download it" in broken.json()["detail"]

    beyond = reader.get(f"{_pages(world, plain)}/4")
    assert beyond.status_code == 422
    assert "không có trang 4" in beyond.json()["detail"] and "no page 4" in beyond.json()["detail"]
    for bad in ("0", "-1", "x", "5001"):
        assert reader.get(f"{_pages(world, plain)}/{bad}").status_code == 422, bad
    for width in (399, 2001, "wide"):
        refused = reader.get(f"{_pages(world, plain)}/1", params={"width": width})
        assert refused.status_code == 422, width
    assert reader.get(f"{_pages(world, plain)}/1", params={"width": 2000}).status_code == 200


def test_a_tall_page_is_drawn_narrower_than_asked_rather_than_bigger() -> None:
    from fpdf import FPDF

    pdf = FPDF(format=(100, 2000))  # mm: a long strip
    pdf.add_page()
    tall = paper_pages.render(bytes(pdf.output()), 1, 2000)
    assert tall.height <= paper_pages.MAX_HEIGHT and tall.width < 2000
    with pytest.raises(paper_pages.NotViewable):
        paper_pages.page_count(b"%PDF-1.4 not really")
