"""Leave permits (Giấy nghỉ phép, GNP) on a real database: an approved request is registered once as a
numbered outgoing document of the unit with a seal above the employee's unit, printed as a PDF in the
Decree 30 layout; a permit the documents side refuses (no place for the date line) does not block the
approval and is issued later by the job."""

from __future__ import annotations

import io
from datetime import date

import psycopg
import pytest
from pypdf import PdfReader

from hub.accounts.principal import Principal
from hub.documents.service import DocumentsService
from hub.leave.models import Status
from hub.leave.permits import PermitNotIssued
from hub.leave.service import LeaveService
from tests.hub.leave.conftest import Clock, People

ADMIN = Principal.tool("test", "Test")


def register_numbers(conn: psycopg.Connection, unit_code: str) -> list[tuple[int, str, str, str]]:
    return conn.execute(
        "SELECT d.number, d.code_number, d.code_notation, d.type_key FROM documents d"
        " JOIN document_registers r ON r.id = d.register_id JOIN org_units u ON u.id = r.unit_id"
        " WHERE u.code = %s ORDER BY d.number",
        (unit_code,),
    ).fetchall()


def test_an_approved_leave_gets_one_numbered_permit_of_the_sealed_unit_above_and_a_decree_30_pdf(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    org.execute("UPDATE org_units SET has_seal = false WHERE code = 'DOI1'")  # a team without a seal of its own
    DocumentsService(leave.pool, clock).set_issuer(ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    first = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 9), date(2026, 11, 10), substitute_code="NV002")
    done = leave.decide(people.doi_truong, first.id, "approve", "Đồng ý")
    assert done.status is Status.APPROVED and done.permit_number == "01/GNP-HQKV2" and done.permit_problem is None
    second = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 16), date(2026, 11, 16))
    assert leave.decide(people.doi_truong, second.id, "approve").permit_number == "02/GNP-HQKV2"
    # an HR override of an approved request finishes it again: no second permit
    again = leave.override(people.tccb, first.id, "approve", "Xác nhận lại")
    assert again.permit_number == "01/GNP-HQKV2"
    assert register_numbers(org, "CCHQNB") == [
        (1, "01", "GNP-HQKV2", "giay_nghi_phep"),
        (2, "02", "GNP-HQKV2", "giay_nghi_phep"),
    ]
    assert register_numbers(org, "DOI1") == []
    issued = org.execute("SELECT count(*) FROM audit_log WHERE action = 'leave.permit_issue'").fetchone()
    assert issued == (2,)

    pdf = leave.permit_pdf(people.duc, first.id)
    assert pdf.media_type == "application/pdf" and pdf.filename.endswith("-001-NV001.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "CỤC HẢI QUAN", "Số: 01/GNP-HQKV2",
        "Hà Nội, ngày 02 tháng 11 năm 2026", "GIẤY NGHỈ PHÉP", "Nguyễn Văn Đức", "kể từ ngày 09 tháng 11 năm 2026",
        "đến hết ngày 10 tháng 11 năm 2026", "Trần Thị Lan", "Nơi nhận:", "Lưu: VT, TCCB.",
    ):  # fmt: skip
        assert expected in text, (expected, text)
    with pytest.raises(PermitNotIssued):  # waiting for approval: no permit
        leave.permit_pdf(
            people.duc, leave.submit(people.duc, "NV001", "annual", date(2026, 11, 23), date(2026, 11, 23)).id
        )


def test_a_permit_refused_by_the_registers_keeps_the_approval_and_the_job_issues_it_later(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    asked = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 9), date(2026, 11, 9))
    done = leave.decide(people.doi_truong, asked.id, "approve")
    # DOI1 keeps a seal but no place is set for its date line: approved, the permit waits with the reason
    assert done.status is Status.APPROVED and done.permit_number is None and done.permit_due
    assert done.permit_problem and "địa danh" in done.permit_problem and "place" in done.permit_problem
    with pytest.raises(PermitNotIssued):
        leave.permit_pdf(people.duc, asked.id)
    trip = leave.submit(people.duc, "NV001", "business_trip", date(2026, 11, 12), date(2026, 11, 12))
    assert not leave.decide(people.doi_truong, trip.id, "approve").permit_due  # a trip is work: no permit
    assert leave.issue_due_permits() == 0 and register_numbers(org, "DOI1") == []
    DocumentsService(leave.pool, clock).set_issuer(ADMIN, "DOI1", "HQKV2.TT", "Hà Nội")
    assert leave.issue_due_permits() == 1
    assert leave.request(people.duc, asked.id).permit_number == "01/GNP-HQKV2.TT"
    assert leave.issue_due_permits() == 0  # once
    assert register_numbers(org, "DOI1") == [(1, "01", "GNP-HQKV2.TT", "giay_nghi_phep")]
