"""Attachments to a report (issue 18 item 2) on a real database and content store: a file sent with a report
is kept in the store by its SHA-256 and comes back whole to whoever sees the report; the type is judged by the
bytes, the size and the count are limited, a submitted report takes no more, and only its fillers change them."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from hub.access import AccessDenied
from hub.documents.files import FileRefused, Upload
from hub.files import ContentStore
from hub.reporting import filling as reporting_service  # where a file is checked against the limits
from hub.reporting.models import ReportingError, UnknownAttachment, UnknownReport, WrongState
from hub.reporting.service import ReportingService
from tests.hub.reporting.conftest import REPORTERS, TEMPLATE, People

PDF = b"%PDF-1.4\n% bao cao giai trinh\n" + b"0" * 2000


@pytest.fixture
def report_id(people: People, reporting: ReportingService, tmp_path: Path) -> int:
    reporting.store = ContentStore(tmp_path / "files")
    reporting.define(
        people.office, "thang", valid_from=date(2026, 1, 1), name_vi="Báo cáo tháng", name_en="Monthly report",
        basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly", deadline_days=2, owner_unit="CHQHN",
        template=TEMPLATE, reporters=REPORTERS,
    )  # fmt: skip
    reporting.open_period(people.office, "thang", "2026-03")
    return next(r.id for r in reporting.reports(people.doi_clerk) if r.unit_code == "DOI1")


def test_attach_read_and_detach(people: People, reporting: ReportingService, report_id: int, tmp_path: Path) -> None:
    saved = reporting.attach(people.doi_clerk, report_id, Upload("Giải trình số liệu.pdf", PDF))
    assert (saved.filename, saved.content_type, saved.size) == ("Giải trình số liệu.pdf", "application/pdf", len(PDF))
    assert saved.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "files" / saved.sha256[:2] / saved.sha256).read_bytes() == PDF
    # the receiving unit's manager sees it with the report
    shown = reporting.report(people.cc_manager, report_id)
    assert [a.filename for a in shown.report.attachments] == ["Giải trình số liệu.pdf"]
    found, data = reporting.attachment(people.cc_manager, report_id, saved.id)
    assert data == PDF and found.id == saved.id
    with pytest.raises(UnknownReport):
        reporting.attachment(people.hcm_manager, report_id, saved.id)  # outside: the report does not exist for them
    with pytest.raises(AccessDenied):
        reporting.attach(people.office, report_id, Upload("b.pdf", PDF))
    with pytest.raises(AccessDenied):
        reporting.detach(people.office, report_id, saved.id)
    with pytest.raises(UnknownAttachment):
        reporting.attachment(people.doi_clerk, report_id, saved.id + 1000)
    reporting.detach(people.doi_clerk, report_id, saved.id)
    assert reporting.report(people.doi_clerk, report_id).report.attachments == ()
    with pytest.raises(UnknownAttachment):
        reporting.detach(people.doi_clerk, report_id, saved.id)


def test_the_rules_for_files(
    people: People, reporting: ReportingService, report_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FileRefused, match="không phải PDF"):
        reporting.attach(people.doi_clerk, report_id, Upload("virus.pdf", b"MZ\x90\x00 an executable"))
    with pytest.raises(FileRefused, match="không phải PDF"):
        reporting.attach(people.doi_clerk, report_id, Upload("bang.xlsx", PDF))  # the name lies about the bytes
    monkeypatch.setattr(reporting_service, "MAX_ATTACHMENT_BYTES", 1000)
    with pytest.raises(FileRefused, match="quá lớn"):
        reporting.attach(people.doi_clerk, report_id, Upload("lon.pdf", PDF))
    monkeypatch.setattr(reporting_service, "MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(reporting_service, "MAX_ATTACHMENTS", 2)
    reporting.attach(people.doi_clerk, report_id, Upload("a.pdf", PDF))
    reporting.attach(people.doi_clerk, report_id, Upload("b.pdf", PDF + b"1"))
    with pytest.raises(ReportingError, match="tối đa 2 tệp"):
        reporting.attach(people.doi_clerk, report_id, Upload("c.pdf", PDF + b"2"))
    # submitted: no more files, none taken off
    reporting.save(people.doi_clerk, report_id, {"summary": "Ổn định"})
    reporting.submit(people.doi_manager, report_id)
    first = reporting.report(people.doi_clerk, report_id).report.attachments[0]
    with pytest.raises(WrongState):
        reporting.detach(people.doi_clerk, report_id, first.id)
    monkeypatch.setattr(reporting_service, "MAX_ATTACHMENTS", 10)
    with pytest.raises(WrongState):
        reporting.attach(people.doi_clerk, report_id, Upload("d.pdf", PDF + b"3"))


def test_without_a_store_nothing_is_half_kept(people: People, reporting: ReportingService, report_id: int) -> None:
    reporting.store = None
    with pytest.raises(Exception, match="chưa cấu hình nơi lưu tệp đính kèm"):
        reporting.attach(people.doi_clerk, report_id, Upload("a.pdf", PDF))
    assert reporting.report(people.doi_clerk, report_id).report.attachments == ()
