"""Case files and the hand-over to the archive (issue 15 item 7) on a real PostgreSQL: the yearly file list
drafted and approved (then read-only), a case file opened from it holding documents in time order, closed
with its counts, its table of contents and cover as PDF, handed over and accepted by another person of the
archive, after which the file and its documents are frozen (409, and the database refuses writes too);
a secret document inside shows only its place to a reader who may not open it; due and overdue files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from hub.access import AccessDenied
from hub.db import open_pool
from hub.documents.casefiles.models import CaseFileConflict, CaseFileError, Due, State, UnknownCaseFile
from hub.documents.casefiles.sheet import read_xlsx
from hub.documents.files import FileRules, Upload
from hub.documents.handling.models import HandlerSpec
from hub.documents.models import FrozenDocument, UnknownDocument
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from tests.hub.documents.conftest import Clock, People, make_user
from tests.hub.documents.test_capture import pdf_bytes


@pytest.fixture
def service(database_url: str, people: People, clock: Clock, tmp_path: Path) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefiles")
    try:
        found = DocumentsService(pool, clock, file_rules=FileRules(max_bytes=200_000), store=ContentStore(tmp_path))
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _incoming(service: DocumentsService, who, number: str, day: date, subject: str, **kw):  # noqa: ANN001, ANN202
    return service.register_incoming(
        who, "CCHQNB", type_key="cong_van", code_number=number, code_notation="BTC-TCHQ", organ_name="Bộ Tài chính",
        issued_date=day, subject=subject, **kw,
    )  # fmt: skip


def _approved_list(service: DocumentsService, people: People) -> list:  # noqa: ANN001
    cf = service.casefiles
    found = cf.add_heading(people.clerk, "CCHQNB", 2026, "Tổ chức cán bộ", code="TCCB")
    major = found.headings[0]
    found = cf.add_heading(people.clerk, "CCHQNB", 2026, "Tuyển dụng", parent_id=major.id)
    sub = found.headings[1]
    cf.add_entry(people.clerk, "CCHQNB", 2026, major.id, "Hồ sơ về quy hoạch cán bộ", "vinh_vien",
                 responsible="van-thu")  # fmt: skip
    found = cf.add_entry(people.clerk, "CCHQNB", 2026, sub.id, "Hồ sơ tuyển dụng công chức năm 2026", "20")
    assert [(e.code, e.retention_label) for e in found.entries] == [("01.TCCB", "Vĩnh viễn"), ("02.TCCB", "20 năm")]
    assert [(h.ordinal, h.code) for h in found.headings] == [("I", "TCCB"), ("1", None)]
    found = cf.approve_list(people.manager, "CCHQNB", 2026, "QĐ 01/QĐ-HQKV2")
    assert found.approved
    return list(found.entries)


def test_the_file_list_is_drafted_approved_then_read_only_and_printed(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    employee = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    with pytest.raises(AccessDenied):  # only văn thư and lãnh đạo draft the list
        cf.add_heading(employee, "CCHQNB", 2026, "Tổng hợp", code="TH")
    with pytest.raises(AccessDenied):  # and nobody of another unit
        cf.add_heading(people.other_clerk, "CCHQNB", 2026, "Tổng hợp", code="TH")
    with pytest.raises(CaseFileError):
        cf.add_heading(people.clerk, "CCHQNB", 2026, "Tổng hợp", code="T H")
    with pytest.raises(AccessDenied):  # the clerk drafts, the head approves
        cf.approve_list(people.clerk, "CCHQNB", 2026)
    entries = _approved_list(service, people)
    with pytest.raises(CaseFileConflict):
        cf.add_entry(people.clerk, "CCHQNB", 2026, entries[0].heading_id, "Muộn", "10")
    with pytest.raises(CaseFileConflict):
        cf.add_heading(people.clerk, "CCHQNB", 2026, "Muộn", code="MU")
    # anyone of the unit reads it; another unit's clerk does not
    assert cf.file_list(employee, "CCHQNB", 2026).approved
    with pytest.raises(AccessDenied):
        cf.file_list(people.other_clerk, "CCHQNB", 2026)
    text = _pdf_text(cf.file_list_export(employee, "CCHQNB", 2026, "pdf").content)
    assert "DANH MỤC HỒ SƠ NĂM 2026" in text and "01.TCCB" in text and "Vĩnh viễn" in text
    sheet = load_workbook(io.BytesIO(cf.file_list_export(employee, "CCHQNB", 2026, "xlsx").content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "I. TCCB" in cells and "02.TCCB" in cells and "QĐ 01/QĐ-HQKV2" in " ".join(map(str, cells))
    actions = [r[0] for r in org.execute("SELECT action FROM audit_log WHERE entity = 'case_file_list' ORDER BY id")]
    assert actions[-1] == "documents.file_list_approve" and actions.count("documents.file_list_entry") == 2


def test_a_list_is_imported_from_xlsx_all_or_nothing(service: DocumentsService, people: People) -> None:
    cf = service.casefiles
    book = Workbook()
    ws = book.active
    ws.append(["DANH MỤC HỒ SƠ NĂM 2027"])
    ws.append(["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ", "Ghi chú"])
    ws.append(["I. TH", "Tổng hợp"])
    ws.append(["01.TH", "Kế hoạch công tác năm", "Vĩnh viễn", "van-thu", None])
    ws.append(["1", "Báo cáo"])
    ws.append(["02.TH", "Báo cáo tháng", 10, None, "bản điện tử"])
    ws.append(["II. TCCB", "Tổ chức cán bộ"])
    ws.append(["01.TCCB", "Hồ sơ nâng lương", "20", "lanh-dao", None])
    data = io.BytesIO()
    book.save(data)
    found = cf.import_list(people.clerk, "CCHQNB", 2027, read_xlsx(data.getvalue()))
    assert [(e.code, e.retention) for e in found.entries] == [("01.TH", "vinh_vien"), ("02.TH", "10"),
                                                             ("01.TCCB", "20")]  # fmt: skip
    assert [(h.ordinal, h.code, h.title) for h in found.headings][:2] == [("I", "TH", "Tổng hợp"),
                                                                          ("II", "TCCB", "Tổ chức cán bộ")]  # fmt: skip
    ws.append(["02.TCCB", "Thời hạn lạ", "7 tháng"])  # an unknown retention: nothing of the sheet is kept
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(CaseFileError, match="7 tháng"):
        cf.import_list(people.clerk, "CCHQNB", 2028, read_xlsx(data.getvalue()))
    assert cf.file_list(people.clerk, "CCHQNB", 2028) is None or not cf.file_list(people.clerk, "CCHQNB", 2028).entries
    with pytest.raises(CaseFileError):
        read_xlsx(b"not a workbook")


def test_a_case_file_is_kept_closed_handed_over_and_frozen(
    service: DocumentsService, people: People, clock: Clock, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    entries = _approved_list(service, people)
    later = _incoming(service, people.clerk, "30", date(2026, 1, 4), "Về nhân sự quy hoạch", page_amount=3)
    earlier = _incoming(service, people.clerk, "12", date(2026, 1, 2), "Về quy hoạch giai đoạn 2026-2031",
                        page_amount=2)  # fmt: skip
    opened = cf.open_file(people.clerk, "CCHQNB", entry_id=entries[0].id)
    assert (opened.code, opened.title, opened.retention, opened.state) == (
        "01.TCCB",
        "Hồ sơ về quy hoạch cán bộ",
        "vinh_vien",
        State.OPEN,
    )
    with pytest.raises(CaseFileConflict):  # one file per entry
        cf.open_file(people.manager, "CCHQNB", entry_id=entries[0].id)
    with pytest.raises(AccessDenied):  # someone of another unit opens nothing here
        cf.open_file(people.other_clerk, "CCHQNB", code="09.X", title="Khác", retention="10")
    cf.add_document(people.clerk, opened.id, later.id)
    found = cf.add_document(people.clerk, opened.id, earlier.id)
    assert [i.document_id for i in found.items] == [earlier.id, later.id]  # time order, not the order added
    assert found.items[0].number_symbol == "12/BTC-TCHQ"
    with pytest.raises(CaseFileConflict):
        cf.add_document(people.clerk, opened.id, earlier.id)
    other = cf.add_other(people.clerk, opened.id, Upload("bien-ban.pdf", pdf_bytes("Biên bản họp")),
                         "Biên bản họp quy hoạch", date(2026, 1, 3), pages=1)  # fmt: skip
    assert [i.document_id for i in other.items] == [earlier.id, None, later.id]
    with pytest.raises(UnknownCaseFile):  # the other unit's clerk does not even see it
        cf.add_document(people.other_clerk, opened.id, earlier.id)
    reordered = cf.reorder(people.clerk, opened.id, [i.id for i in reversed(other.items)])
    assert [i.document_id for i in reordered.items] == [later.id, None, earlier.id]
    with pytest.raises(CaseFileError):
        cf.reorder(people.clerk, opened.id, [reordered.items[0].id])
    assert [f.code for f in cf.files_of_document(people.clerk, earlier.id)] == ["01.TCCB"]

    closed = cf.close(people.clerk, opened.id, closed_on=date(2026, 1, 5))
    assert (closed.state, closed.documents, closed.pages, closed.closed_on) == (State.CLOSED, 3, 6, date(2026, 1, 5))
    with pytest.raises(CaseFileConflict):
        cf.add_document(people.clerk, opened.id, earlier.id)
    contents = _pdf_text(cf.contents_export(people.manager, opened.id, "pdf").content)
    assert (
        "MỤC LỤC VĂN BẢN" in contents and "Về quy hoạch giai đoạn 2026-2031" in contents and "30/BTC-TCHQ" in contents
    )
    cover = _pdf_text(cf.cover_pdf(people.manager, opened.id).content)
    assert "HỒ SƠ" in cover and "01.TCCB" in cover and "Vĩnh viễn" in cover and "02/01/2026" in cover

    # hand-over: the clerk submits, the same clerk cannot accept, the archive (another keeper) accepts
    handover = cf.submit(people.clerk, "CCHQNB", [opened.id], "Nộp lưu năm 2026")
    assert [f.code for f in handover.files] == ["01.TCCB"] and cf.case_file(
        people.clerk, opened.id
    ).state is State.SUBMITTED
    with pytest.raises(AccessDenied):
        cf.accept(people.clerk, handover.id)
    listing = load_workbook(io.BytesIO(cf.handover_export(people.clerk, handover.id, "xlsx").content)).active
    cells = [c for row in listing.iter_rows(values_only=True) for c in row if c]
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in cells and "02/01/2026 - 04/01/2026" in cells and "01.TCCB" in cells
    accepted = cf.accept(people.manager, handover.id)
    assert accepted.accepted_by == "lanh-dao"
    archived = cf.case_file(people.clerk, opened.id)
    assert archived.state is State.ARCHIVED and archived.retention_until is None  # permanent
    with pytest.raises(CaseFileConflict):
        cf.accept(people.manager, handover.id)
    with pytest.raises(CaseFileConflict, match="lưu trữ"):
        cf.add_document(people.clerk, opened.id, earlier.id)
    # its documents are frozen: the documents' own services answer 409, the database refuses any write
    assert service.document(people.clerk, earlier.id).frozen_kind == "archived"
    with pytest.raises(FrozenDocument, match="nộp lưu"):
        service.handling.assign(people.manager, earlier.id, HandlerSpec(date(2026, 1, 9), unit_code="DOI1"))
    for sql in (
        "UPDATE case_files SET title = 'x' WHERE id = %s",
        "DELETE FROM case_file_items WHERE case_file_id = %s",
        "UPDATE documents SET subject = 'x' WHERE id = %s",
    ):
        target = earlier.id if "documents" in sql.split()[1] else opened.id
        with pytest.raises(psycopg.errors.CheckViolation), psycopg.connect(service.pool.conninfo) as conn:
            conn.execute(sql, (target,))
    with pytest.raises(psycopg.errors.CheckViolation), psycopg.connect(service.pool.conninfo) as conn:
        conn.execute(
            "INSERT INTO case_file_items (case_file_id, position, document_id, added_at, added_by)"
            " VALUES (%s, 9, %s, now(), 'x')", (opened.id, later.id + 1000),
        )  # fmt: skip
    assert cf.handovers(people.manager, "CCHQNB")[0].accepted_at is not None
    rows = org.execute("SELECT action FROM audit_log WHERE entity IN ('case_file', 'case_file_handover') ORDER BY id")
    assert [r[0] for r in rows][-2:] == ["documents.case_files_submit", "documents.case_files_accept"]


def test_a_case_file_never_shows_a_secret_document_to_who_may_not_open_it(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    secret_clerk = make_user(org, "van-thu-mat", (("clerk", "CCHQNB"),))
    service.secrecy.set_clearance(people.admin, "van-thu-mat", 1)
    secret = _incoming(service, secret_clerk, "7", date(2026, 1, 2), "Kế hoạch kiểm soát chống buôn lậu", secrecy=1)
    plain = _incoming(service, people.clerk, "8", date(2026, 1, 3), "Kế hoạch tập huấn")
    opened = cf.open_file(secret_clerk, "CCHQNB", code="05.KS", title="Hồ sơ kiểm soát", retention="10")
    with pytest.raises(UnknownDocument):  # the uncleared clerk cannot put it in a file either
        cf.add_document(people.clerk, opened.id, secret.id)
    cf.add_document(secret_clerk, opened.id, secret.id)
    cf.add_document(secret_clerk, opened.id, plain.id)
    seen = cf.case_file(secret_clerk, opened.id)
    assert [i.subject for i in seen.items] == ["Kế hoạch kiểm soát chống buôn lậu", "Kế hoạch tập huấn"]
    hidden = cf.case_file(people.clerk, opened.id)
    assert [(i.hidden, i.subject, i.number_symbol) for i in hidden.items] == [
        (True, "", ""),
        (False, "Kế hoạch tập huấn", "8/BTC-TCHQ"),
    ]
    contents = _pdf_text(cf.contents_export(people.clerk, opened.id, "pdf").content)
    assert "chống buôn lậu" not in contents and "văn bản mật" in contents
    with pytest.raises(UnknownDocument):  # and the document's page shows no files for it
        cf.files_of_document(people.clerk, secret.id)
    assert [f.code for f in cf.files_of_document(secret_clerk, secret.id)] == ["05.KS"]


def test_closed_files_become_due_then_overdue_for_hand_over(
    service: DocumentsService, people: People, clock: Clock
) -> None:
    cf = service.casefiles
    doc = _incoming(service, people.clerk, "3", date(2026, 1, 2), "Về tập huấn")
    long = cf.open_file(people.clerk, "CCHQNB", code="01.TH", title="Hồ sơ tập huấn", retention="10")
    short = cf.open_file(people.clerk, "CCHQNB", code="02.TH", title="Hồ sơ ngắn hạn", retention="2")
    build = cf.open_file(people.clerk, "CCHQNB", code="03.XD", title="Hồ sơ xây dựng trụ sở", retention="20",
                         kind="construction")  # fmt: skip
    for f in (long, short, build):
        cf.add_document(people.clerk, f.id, doc.id)
        cf.close(people.clerk, f.id)
    due = {d.case_file.code: (d.status, d.due_on) for d in cf.due(people.clerk, "CCHQNB")}
    assert due == {
        "01.TH": (Due.NOT_DUE, date(2027, 1, 5)), "02.TH": (Due.NOT_REQUIRED, date(2027, 1, 5)),
        "03.XD": (Due.NOT_DUE, date(2026, 4, 5)),
    }  # fmt: skip
    clock.now += timedelta(days=80)  # 26 March 2026: the construction file is due within 30 days
    assert [(d.case_file.code, d.status) for d in cf.due(people.clerk, "CCHQNB", only=[Due.SOON, Due.OVERDUE])] == [
        ("03.XD", Due.SOON)
    ]
    clock.now += timedelta(days=300)  # 20 January 2027: both are overdue
    assert {d.case_file.code: d.status for d in cf.due(people.clerk, "CCHQNB", only=[Due.OVERDUE])} == {
        "01.TH": Due.OVERDUE,
        "03.XD": Due.OVERDUE,
    }
    with pytest.raises(CaseFileError):  # keeping beyond the due day needs a written approval
        cf.keep(people.manager, long.id, date(2027, 6, 30), None)
    kept = cf.keep(people.manager, long.id, date(2027, 6, 30), "CV 12/HQKV2-VP đồng ý giữ lại")
    assert kept.keep_until == date(2027, 6, 30)
    assert {d.case_file.code: d.status for d in cf.due(people.clerk, "CCHQNB")}["01.TH"] is Due.KEPT
    with pytest.raises(CaseFileError):  # at most 2 years past the due day
        cf.keep(people.manager, long.id, date(2030, 1, 1), "quá lâu")
