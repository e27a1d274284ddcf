"""Printouts (issue 15 item 8) on a real PostgreSQL: the incoming and outgoing registers printed in their
book layout (A4 landscape PDF read back with pypdf, XLSX read back with openpyxl), a secret entry kept as
its number only for a reader who may not see it, and a unit's incoming documents by status and deadline."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hub.access import AccessDenied
from hub.documents.handling.models import HandlerSpec, Status
from hub.documents.printouts.models import HIDDEN, Bucket
from hub.documents.printouts.service import PrintoutsService
from hub.documents.service import DocumentsService
from tests.hub.documents.conftest import Clock, People


def _incoming(documents: DocumentsService, people: People, number: str, subject: str, **extra: object):  # type: ignore[no-untyped-def]
    return documents.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number=number, code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject=subject, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def test_registers_print_as_books_and_units_report_by_status(
    documents: DocumentsService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    printouts = PrintoutsService(documents.pool, clock)
    first = _incoming(documents, people, "15", "Về việc kiểm tra sau thông quan", urgency=1)
    _incoming(documents, people, "16", "Kế hoạch chống buôn lậu", secrecy=1)
    third = _incoming(documents, people, "17", "Về việc tập huấn nghiệp vụ năm 2026")
    documents.handling.assign(people.manager, first.id, HandlerSpec(date(2026, 1, 6), unit_code="DOI1"))
    documents.handling.assign(people.manager, third.id, HandlerSpec(date(2026, 1, 20), username="van-thu"))
    sent = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="cong_van", subject="Về việc phối hợp", drafter="VP", recipients=["DOI1"]
    )

    # the incoming register as its book: a cover, then one row per number with the Appendix IV columns
    name, pdf = printouts.book_pdf(people.clerk, "CCHQNB", 2026, "den")
    assert name == "so-den-cchqnb-2026.pdf"
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4
    cover = reader.pages[0].extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in cover and "Năm 2026" in cover and "Từ số 01 đến số 03" in cover
    text = "\n".join(p.extract_text() for p in reader.pages[1:])
    for header in ("Ngày đến", "Số đến", "Tác giả", "Tên loại và trích yếu", "Đơn vị hoặc người nhận", "Ký nhận"):
        assert header in text
    assert "kiểm tra sau thông quan" in text and "tập huấn nghiệp vụ" in text and "15/BTC-TCHQ" in text
    assert "Đội Kiểm soát" in text or "Đội" in text  # the handler unit of the first
    assert "buôn lậu" not in text and "(Văn bản mật" in text  # the clerk is not cleared: its number only

    # the same rows in the XLSX
    name, data = printouts.book_xlsx(people.clerk, "CCHQNB", 2026, "den")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.page_setup.orientation == "landscape"
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] in ("01", "02", "03")]
    assert [(r[1], r[3]) for r in rows] == [("01", "15/BTC-TCHQ"), ("02", None), ("03", "17/BTC-TCHQ")]
    assert rows[0][0] == "05/01/2026" and rows[0][5] == "Công văn: Về việc kiểm tra sau thông quan"
    assert rows[0][9] == "KHẨN" and rows[1][5] == HIDDEN and rows[1][9] == "MẬT"
    assert rows[2][6] == "van-thu" and rows[2][7] == "05/01/2026"
    # cleared and involved (registered it): the secret row in full
    documents.secrecy.set_clearance(people.admin, "van-thu", 1)
    cleared = load_workbook(io.BytesIO(printouts.book_xlsx(people.clerk, "CCHQNB", 2026, "den")[1])).active
    assert cleared is not None
    assert any(r[3] == "16/BTC-TCHQ" and "buôn lậu" in (r[5] or "") for r in cleared.iter_rows(values_only=True))

    # the outgoing register: the internal recipient and the drafting unit
    out = load_workbook(io.BytesIO(printouts.book_xlsx(people.manager, "CCHQNB", 2026, "di")[1])).active
    assert out is not None
    row = next(r for r in out.iter_rows(values_only=True) if r[0] == "01/HQKV2-VP")
    assert row[2] == "Công văn: Về việc phối hợp" and row[5] == "VP" and "Đội" in (row[4] or "")
    out_pdf = PdfReader(io.BytesIO(printouts.book_pdf(people.manager, "CCHQNB", 2026, "di")[1]))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in out_pdf.pages[0].extract_text()
    assert "01/HQKV2-VP" in out_pdf.pages[1].extract_text() and sent.id

    # who may print: readers of the unit's registers
    with pytest.raises(AccessDenied):
        printouts.book_pdf(people.other_clerk, "CCHQNB", 2026, "den")

    # by status and deadline, two days on: the first is past its deadline, the third open, the secret unassigned
    clock.now = datetime(2026, 1, 7, 2, 0, tzinfo=UTC)
    report = printouts.unit_status(people.manager, "CCHQNB")
    assert report.by_status == {Status.OVERDUE.value: 1, Bucket.NONE: 1, Status.IN_TIME.value: 1}
    assert report.by_deadline == {Bucket.OVERDUE: 1, Bucket.NONE: 1, Bucket.LATER: 1}
    assert [(i.number, i.status, i.bucket) for i in report.items] == [
        (1, Status.OVERDUE, Bucket.OVERDUE), (2, None, Bucket.NONE), (3, Status.IN_TIME, Bucket.LATER),
    ]  # fmt: skip
    assert report.items[1].subject == HIDDEN  # the manager is not cleared

    # the same as Appendix VI's report on handling incoming documents, PDF and XLSX
    found = printouts.status_report(people.manager, "CCHQNB", 2026, "pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(found.content)).pages)
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "Đang xử lý quá hạn: 1" in text
    assert "Quá hạn: 1; Chưa giao xử lý: 1; Còn hạn: 1" in text and "Ngày 7 tháng 1 năm 2026" in text
    assert "kiểm tra sau thông quan" in text and "buôn lậu" not in text
    sheet = load_workbook(io.BytesIO(printouts.status_report(people.manager, "CCHQNB", 2026, "xlsx").content)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] in ("01", "02", "03")]
    assert [(r[0], r[6]) for r in rows] == [
        ("01", "Đang xử lý quá hạn"), ("02", "Chưa giao xử lý"), ("03", "Đang xử lý trong hạn"),
    ]  # fmt: skip
