"""The review of case files past their retention (hồ sơ hết thời hạn bảo quản, issue 15 item 7) on a real
PostgreSQL: the closed files of a unit and those under it whose retention — whole years from the year after the
end year — ran out, never a permanent one nor an open one nor another unit's; the turn of the year in Hà Nội;
a proposal for destruction with a bounded reason (also for a file in the archive), audited, withdrawn; refusals
in Vietnamese and English; the list as XLSX; the routes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook

from hub.access import AccessDenied
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.casefiles.models import CaseFileConflict, CaseFileError, UnknownCaseFile
from hub.documents.casefiles.retention_review import MAX_REASON
from hub.documents.service import DocumentsService
from tests.hub.api.conftest import Api, make_api
from tests.hub.documents.casefile_api_data import one_document_file
from tests.hub.documents.conftest import Clock, People, make_user


@pytest.fixture
def service(database_url: str, people: People, clock: Clock) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefile-review")
    try:
        found = DocumentsService(pool, clock)
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        found.set_issuer(people.admin, "CHQHCM", "HQHCM", "Thành phố Hồ Chí Minh")
        yield found
    finally:
        pool.close()


def _closed(
    service: DocumentsService, who: Principal, unit: str, code: str, retention: str, opened: date, closed: date | None
) -> int:
    register = "CHQHCM" if unit == "CHQHCM" else "CCHQNB"
    doc = service.register_incoming(
        who, register, type_key="cong_van", code_number=code.split(".")[0], code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=opened, subject=f"Văn bản của hồ sơ {code}",
    )  # fmt: skip
    cf = service.casefiles
    found = cf.open_file(who, unit, code=code, title=f"Hồ sơ {code}", retention=retention, opened_on=opened)
    cf.add_document(who, found.id, doc.id)
    if closed is not None:
        cf.close(who, found.id, closed_on=closed)
    return found.id


def _listed(service: DocumentsService, who: Principal) -> list[tuple[str, str, int]]:
    return [(e.case_file.unit_code, e.case_file.code, e.until) for e in service.casefiles.past_retention(who, "CCHQNB")]


def test_files_past_their_retention_are_listed_by_unit_and_proposed_for_destruction(
    service: DocumentsService, people: People, clock: Clock, org: psycopg.Connection
) -> None:
    cf, clerk = service.casefiles, people.clerk
    expired = _closed(service, clerk, "CCHQNB", "01.HC", "2", date(2023, 3, 1), date(2023, 6, 30))  # to end 2025
    kept = _closed(service, clerk, "CCHQNB", "02.HC", "10", date(2023, 3, 1), date(2023, 6, 30))  # to end 2033
    permanent = _closed(service, clerk, "CCHQNB", "03.HC", "vinh_vien", date(2021, 3, 1), date(2021, 6, 30))
    turning = _closed(service, clerk, "CCHQNB", "04.HC", "2", date(2024, 3, 1), date(2024, 12, 31))  # to end 2026
    _closed(service, clerk, "CCHQNB", "05.HC", "2", date(2021, 3, 1), None)  # still open
    _closed(service, clerk, "DOI1", "01.TT", "2", date(2022, 1, 4), date(2022, 5, 4))  # a unit under it: to end 2024
    _closed(service, people.other_clerk, "CHQHCM", "01.HC", "2", date(2022, 1, 4), date(2022, 5, 4))  # another unit
    assert _listed(service, clerk) == [("CCHQNB", "01.HC", 2025), ("DOI1", "01.TT", 2024)]
    assert _listed(service, people.manager) == _listed(service, clerk)
    employee = make_user(org, "chuyen-vien", (("employee", "CCHQNB"),))
    for nobody in (people.other_clerk, people.office, employee):
        with pytest.raises(AccessDenied):
            cf.past_retention(nobody, "CCHQNB")
    with pytest.raises(UnknownCaseFile):
        cf.past_retention(clerk, "KHONGCO")

    # the proposal: a reason of 1 to 500 characters, only for a file past its retention
    for bad in ("", "   ", "x" * (MAX_REASON + 1)):
        with pytest.raises(CaseFileError, match="lý do đề nghị hủy"):
            cf.propose_destruction(clerk, expired, bad)
    with pytest.raises(CaseFileConflict, match="chưa hết thời hạn bảo quản \\(đến hết năm 2033\\)") as early:
        cf.propose_destruction(clerk, kept, "Hết giá trị")
    assert "not past its retention (kept to the end of 2033)" in str(early.value)
    with pytest.raises(CaseFileConflict, match="vĩnh viễn"):
        cf.propose_destruction(clerk, permanent, "Hết giá trị")
    with pytest.raises(UnknownCaseFile):  # another unit's văn thư does not even see it
        cf.propose_destruction(people.other_clerk, expired, "Hết giá trị")
    with pytest.raises(AccessDenied):
        cf.propose_destruction(employee, expired, "Hết giá trị")
    assert org.execute("SELECT count(*) FROM case_file_destruction_proposals").fetchone() == (0,)  # nothing written

    handover = cf.submit(clerk, "CCHQNB", [expired], "Nộp lưu")  # in the archive, frozen: still reviewed
    cf.accept(people.manager, handover.id)
    reason = "Hồ sơ hết giá trị, đề nghị Hội đồng xác định giá trị tài liệu xem xét hủy"
    found = cf.propose_destruction(clerk, expired, reason)
    assert (found.until, found.proposal.reason, found.proposal.proposed_by) == (2025, reason, "van-thu")
    with pytest.raises(CaseFileConflict, match="đã được đề nghị hủy"):
        cf.propose_destruction(people.manager, expired, "Lần nữa")
    listed = cf.past_retention(people.manager, "CCHQNB")
    assert [(e.case_file.code, e.proposal.reason if e.proposal else None) for e in listed] == [
        ("01.HC", reason), ("01.TT", None),
    ]  # fmt: skip
    assert listed[0].case_file.state.value == "archived"
    withdrawn = cf.withdraw_destruction(people.manager, expired)
    assert withdrawn.proposal is None
    with pytest.raises(CaseFileConflict, match="chưa được đề nghị hủy"):
        cf.withdraw_destruction(people.manager, expired)
    rows = org.execute(
        "SELECT action, actor, coalesce(after->>'reason', before->>'reason'), after->>'retention_until' FROM audit_log"
        " WHERE action LIKE 'documents.case_file_%%destruction' ORDER BY id"
    ).fetchall()
    assert rows == [
        ("documents.case_file_propose_destruction", "van-thu", reason, "2025"),
        ("documents.case_file_withdraw_destruction", "lanh-dao", reason, None),
    ]
    cf.propose_destruction(clerk, expired, reason)

    # the list as a sheet
    sheet = load_workbook(io.BytesIO(cf.past_retention_export(clerk, "CCHQNB", "xlsx").content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "DANH SÁCH HỒ SƠ HẾT THỜI HẠN BẢO QUẢN" in cells and "Tính đến ngày 05/01/2026" in cells
    assert {"01.HC", "01.TT", "2 năm", 2025, 2024, f"{reason} (van-thu)"} <= set(cells)
    assert "02.HC" not in cells and "03.HC" not in cells and "04.HC" not in cells

    # the turn of the year in Hà Nội: the file kept to the end of 2026 is past it from 1 January 2027
    clock.now = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31 December in Hà Nội
    assert ("CCHQNB", "04.HC", 2026) not in _listed(service, clerk)
    with pytest.raises(CaseFileConflict):
        cf.propose_destruction(clerk, turning, "Hết giá trị")
    clock.now = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1 January 2027 in Hà Nội
    assert _listed(service, clerk) == [("CCHQNB", "01.HC", 2025), ("CCHQNB", "04.HC", 2026), ("DOI1", "01.TT", 2024)]
    assert cf.propose_destruction(clerk, turning, "Hết giá trị").proposal is not None


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_the_review_over_the_api(api: Api, org: psycopg.Connection) -> None:
    office, clerk, other, doc, file_id = one_document_file(
        api,
        number="3",
        issued="2021-03-02",
        subject="Về lịch trực",
        code="07.VP",
        title="Hồ sơ lịch trực",
        retention="2",
    )
    assert clerk.post(f"/api/v1/documents/case-files/{file_id}/close", json={}).status_code == 200
    review = "/api/v1/documents/units/CCHQNB/case-files/past-retention"
    assert clerk.get(review).json() == []  # closed today: kept to the end of the year after next
    url = f"/api/v1/documents/case-files/{file_id}/destruction-proposal"
    early = clerk.post(url, json={"reason": "Hết giá trị"})
    assert early.status_code == 409 and "chưa hết thời hạn" in early.json()["detail"]
    assert "not past its retention" in early.json()["detail"]

    # an old file (as one brought into CCES would be): opened and closed in 2021, kept to the end of 2023
    org.execute("UPDATE case_files SET opened_on = '2021-03-02', closed_on = '2021-06-30' WHERE id = %s", (file_id,))
    listed = clerk.get(review)
    assert listed.status_code == 200
    assert [(e["case_file"]["code"], e["until"], e["proposal"]) for e in listed.json()] == [("07.VP", 2023, None)]
    assert other.get(review).status_code == 403 and office.get(review).status_code == 403
    assert clerk.post(url, json={"reason": "x" * (MAX_REASON + 1)}).status_code == 422
    assert other.post(url, json={"reason": "Hết giá trị"}).status_code == 404  # another unit does not see it
    proposed = clerk.post(url, json={"reason": "Hết giá trị sử dụng"})
    assert proposed.status_code == 200 and proposed.json()["proposal"]["reason"] == "Hết giá trị sử dụng"
    assert clerk.get(review).json()[0]["proposal"]["proposed_by"] == "van-thu"
    sheet = clerk.get(f"{review}.xlsx")
    assert sheet.status_code == 200 and "ho-so-het-han-bao-quan-cchqnb" in sheet.headers["content-disposition"]
    cells = [c for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True) for c in row]
    assert "07.VP" in cells and "Hết giá trị sử dụng (van-thu)" in cells
    assert clerk.delete(url).json()["proposal"] is None
    assert clerk.delete(url).status_code == 409
