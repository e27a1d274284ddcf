"""A secret document's images are handed out stamped with the viewer's name, unit and the time (issue 15 item 6),
each opening audited; its Office file is refused (409) — on a real PostgreSQL and content store, with images made
here by Pillow and decoded again."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageStat

from hub.db import open_pool
from hub.documents.files import FileRules, Upload
from hub.documents.secrecy.downloads import NoStampedCopy, viewer_text
from hub.documents.secrecy.image_mark import stamp_image
from hub.documents.secrecy.watermark import CannotWatermark
from hub.documents.service import DocumentsService
from hub.domain import Conflict
from hub.files import ContentStore
from tests.hub.documents.conftest import Clock, People, make_user


@pytest.fixture
def service(database_url: str, people: People, clock: Clock, tmp_path: Path) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-secret-downloads")
    try:
        found = DocumentsService(pool, clock, file_rules=FileRules(max_bytes=2_000_000), store=ContentStore(tmp_path))
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _scan(width: int = 640, height: int = 480, mark: str = "") -> Image.Image:
    """A white page with a black frame and a line of "text": what a scanned letter looks like."""
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((20, 20, width - 20, 60), outline="black", width=3)
    draw.text((30, 30), f"CONG VAN {mark}", fill="black")
    return page


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _band_and_tiles(decoded: Image.Image, original: Image.Image) -> None:
    """The foot of the picture is a dark band; the white middle now holds the grey tiled line."""
    rgb, before = decoded.convert("RGB"), original.convert("RGB")
    w, h = rgb.size
    assert (w, h) == before.size
    foot = ImageStat.Stat(rgb.crop((0, h - 8, w, h)).convert("L")).mean[0]
    assert foot < 90 and ImageStat.Stat(before.crop((0, h - 8, w, h)).convert("L")).mean[0] > 250
    middle = rgb.crop((0, h // 4, w, h * 3 // 4)).convert("L")
    assert middle.getextrema()[0] < 230  # grey letters on what was all white


def test_secret_images_are_stamped_and_office_files_refused(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    viewer = make_user(org, "van-thu-mat", (("clerk", "CCHQNB"),))
    row = org.execute("SELECT path, name FROM org_units WHERE code = 'CCHQNB'").fetchone()
    assert row is not None
    viewer = replace(viewer, employee_unit_path=row[0])  # the viewer works in CCHQNB: the unit is stamped too
    service.secrecy.set_clearance(people.admin, "van-thu-mat", 1)
    jpeg, png = _scan(mark="JPEG"), _scan(500, 700, "PNG")
    pages = [_scan(600, 800, "1"), _scan(600, 800, "2")]
    book = Workbook()
    book.active.append(["Danh sách", "mật"])
    sheet = io.BytesIO()
    book.save(sheet)
    files = {
        "anh.jpg": _encoded(jpeg, "JPEG", quality=95),
        "anh.png": _encoded(png, "PNG"),
        "ban-quet.tif": _encoded(
            pages[0], "TIFF", compression="tiff_deflate", save_all=True, append_images=pages[1:], dpi=(200, 200)
        ),  # fmt: skip
        "danh-sach.xlsx": sheet.getvalue(),
    }
    doc = service.register_incoming(
        viewer, "CCHQNB", type_key="cong_van", code_number="9", code_notation="BTC-TCHQ", organ_name="Bộ Tài chính",
        issued_date=date(2026, 1, 2), subject="Ảnh chụp tài liệu mật", secrecy=1,
        files=[Upload(name, data) for name, data in files.items()],
    )  # fmt: skip
    by_name = {f.filename: f for f in doc.files}
    for name, original, kind in (("anh.jpg", jpeg, "JPEG"), ("anh.png", png, "PNG")):
        found, data = service.file(viewer, doc.id, by_name[name].id)
        assert data != files[name] and found.sha256 == by_name[name].sha256
        decoded = Image.open(io.BytesIO(data))
        assert decoded.format == kind
        _band_and_tiles(decoded, original)
    found, data = service.file(viewer, doc.id, by_name["ban-quet.tif"].id)
    tiff = Image.open(io.BytesIO(data))
    assert tiff.format == "TIFF" and tiff.n_frames == 2 and round(tiff.info["dpi"][0]) == 200
    for n, page in enumerate(pages):
        tiff.seek(n)
        _band_and_tiles(tiff, page)
    # the stored files are unchanged
    assert service.store is not None and service.store.get(by_name["anh.jpg"].sha256) == files["anh.jpg"]
    # an Office file of a secret document: refused with a clear bilingual 409, nothing handed out
    with pytest.raises(NoStampedCopy) as refused:
        service.file(viewer, doc.id, by_name["danh-sach.xlsx"].id)
    assert isinstance(refused.value, Conflict)
    assert "tệp Office" in str(refused.value) and "Office file" in str(refused.value)
    # every opening audited, the refused one too
    rows = org.execute(
        "SELECT after->>'what', after->>'file' FROM audit_log WHERE action = 'documents.secret_open'"
        " AND entity_id = %s ORDER BY id",
        (str(doc.id),),
    ).fetchall()
    assert [(w, int(f)) for w, f in rows] == [("file", by_name[n].id) for n in files]
    # the same files of a plain document are handed out as stored
    plain = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="10", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Thường",
        files=[Upload("anh.png", files["anh.png"]), Upload("danh-sach.xlsx", files["danh-sach.xlsx"])],
    )  # fmt: skip
    assert [service.file(people.clerk, plain.id, f.id)[1] for f in plain.files] == [
        files["anh.png"],
        files["danh-sach.xlsx"],
    ]


def test_the_stamped_line_names_the_viewer_unit_and_time(clock: Clock) -> None:
    at = clock()
    text = viewer_text("Nguyễn Văn A", "nguyen-van-a", "Chi cục Hải quan Nội Bài", at, 2)
    assert text.startswith("TỐI MẬT — Người xem: Nguyễn Văn A (nguyen-van-a), Chi cục Hải quan Nội Bài — ")
    assert viewer_text("B", "b", None, at, 1).startswith("MẬT — Người xem: B (b) — ")
    with pytest.raises(CannotWatermark):  # bytes that are no picture are refused, never handed out as they are
        stamp_image(b"\x89PNG\r\n\x1a\nbroken", "image/png", text)
