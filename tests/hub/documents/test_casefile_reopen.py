"""Reopening a closed case file before its hand-over (mở lại hồ sơ, issue 15 item 7) on a real PostgreSQL: its
keeper or a lãnh đạo over the unit reopens it with a bounded reason, audited, and its history shows it; the
văn thư who does not keep it may not, another unit does not even see it; a file handed over (waiting for the
archive, or in it and frozen) is refused with 409 in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import psycopg
import pytest

from hub.access import AccessDenied
from hub.db import open_pool
from hub.documents.casefiles.models import CaseFileConflict, CaseFileError, State, UnknownCaseFile
from hub.documents.casefiles.service import MAX_REASON
from hub.documents.service import DocumentsService
from tests.hub.documents.conftest import Clock, People, make_user


@pytest.fixture
def service(database_url: str, people: People, clock: Clock) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefile-reopen")
    try:
        found = DocumentsService(pool, clock)
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _closed_file(service: DocumentsService, people: People, keeper, code: str) -> int:  # noqa: ANN001
    doc = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number=code.split(".")[0], code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject=f"Văn bản của hồ sơ {code}",
    )  # fmt: skip
    cf = service.casefiles
    opened = cf.open_file(keeper, "CCHQNB", code=code, title=f"Hồ sơ {code}", retention="10")
    cf.add_document(people.clerk, opened.id, doc.id)
    closed = cf.close(keeper, opened.id, closed_on=date(2026, 1, 5), pages=7)
    assert closed.state is State.CLOSED
    return closed.id


def test_the_keeper_reopens_a_closed_file_with_a_reason_and_its_history_shows_it(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    keeper = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    file_id = _closed_file(service, people, keeper, "01.TH")
    for empty in ("", "   "):
        with pytest.raises(CaseFileError, match="lý do"):
            cf.reopen(keeper, file_id, empty)
    with pytest.raises(CaseFileError, match=f"{MAX_REASON}"):
        cf.reopen(keeper, file_id, "x" * (MAX_REASON + 1))
    with pytest.raises(AccessDenied, match="người lập hồ sơ"):  # the văn thư hands files over, does not reopen
        cf.reopen(people.clerk, file_id, "Bổ sung văn bản")
    with pytest.raises(UnknownCaseFile):  # another unit's văn thư does not even see it
        cf.reopen(people.other_clerk, file_id, "Bổ sung văn bản")
    assert cf.case_file(keeper, file_id).state is State.CLOSED  # nothing of the refusals was written

    reopened = cf.reopen(keeper, file_id, "Bổ sung biên bản họp còn thiếu")
    assert (reopened.state, reopened.closed_on, reopened.pages, reopened.documents) == (State.OPEN, None, None, None)
    assert [i.subject for i in reopened.items] == ["Văn bản của hồ sơ 01.TH"]  # what it holds stays
    with pytest.raises(CaseFileConflict, match="đang lập"):  # open already
        cf.reopen(keeper, file_id, "Lần nữa")
    row = org.execute(
        "SELECT actor, before->>'closed_on', after->>'reason' FROM audit_log"
        " WHERE action = 'documents.case_file_reopen'"
    ).fetchall()
    assert row == [("chuyen-vien", "2026-01-05", "Bổ sung biên bản họp còn thiếu")]
    history = cf.history(people.manager, file_id)
    assert [h.action for h in history] == [
        "documents.case_file_open", "documents.case_file_add", "documents.case_file_close",
        "documents.case_file_reopen",
    ]  # fmt: skip
    assert history[-1].actor == "chuyen-vien" and history[-1].reason == "Bổ sung biên bản họp còn thiếu"
    with pytest.raises(UnknownCaseFile):  # nor its history
        cf.history(people.other_clerk, file_id)
    again = cf.close(keeper, file_id, closed_on=date(2026, 1, 5))  # closed again: the counts anew
    assert again.state is State.CLOSED and again.documents == 1


def test_a_leader_reopens_any_file_of_the_unit_but_no_file_handed_over(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    keeper = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    mine = _closed_file(service, people, keeper, "01.TH")
    assert cf.reopen(people.manager, mine, "Lãnh đạo yêu cầu bổ sung").state is State.OPEN
    other_leader = make_user(org, "lanh-dao-hcm", (("manager", "CHQHCM"),))
    submitted = _closed_file(service, people, keeper, "02.TH")
    with pytest.raises(UnknownCaseFile):  # a leader of another unit
        cf.reopen(other_leader, submitted, "Không phải đơn vị mình")

    handover = cf.submit(people.clerk, "CCHQNB", [submitted], "Nộp lưu")
    with pytest.raises(CaseFileConflict, match="chờ lưu trữ") as waiting:
        cf.reopen(keeper, submitted, "Bổ sung")
    assert "awaiting the archive" in str(waiting.value)
    cf.accept(people.manager, handover.id)
    with pytest.raises(CaseFileConflict) as frozen:
        cf.reopen(people.manager, submitted, "Bổ sung")
    assert "lưu trữ cơ quan, không mở lại được" in str(frozen.value) and "cannot be reopened" in str(frozen.value)
    assert cf.case_file(keeper, submitted).state is State.ARCHIVED
    assert [h.action for h in cf.history(keeper, submitted)][-2:] == [
        "documents.case_files_submit", "documents.case_files_accept",
    ]  # fmt: skip
    assert org.execute("SELECT count(*) FROM audit_log WHERE action = 'documents.case_file_reopen'").fetchone() == (1,)
