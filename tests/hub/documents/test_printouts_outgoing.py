"""Báo cáo tình hình giải quyết văn bản đi (issue 15 item 8, Decree 30 Appendix VI output 4) on a real PostgreSQL: a
unit's drafts in the chain by state and how long each has been in it, its released documents with their hạn trả lời
by where it lies and how many of their copies in CCES units were handled, a secret draft counted but not shown, and
the report as PDF and XLSX read back; readers of the unit's registers only."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hub.access import AccessDenied
from hub.documents.handling.models import HandlerSpec
from hub.documents.outgoing.service import OutgoingService
from hub.documents.printouts.models import HIDDEN, Bucket
from hub.documents.printouts.service import PrintoutsService
from tests.hub.documents.conftest import Clock, People
from tests.hub.documents.test_outgoing import approve_all, new_draft, outgoing, pki, team  # noqa: F401 - fixtures


def test_outgoing_documents_by_state_and_reply_date(
    outgoing: OutgoingService,  # noqa: F811
    team: dict,  # noqa: F811
    people: People,
    org: psycopg.Connection,
    clock: Clock,
) -> None:
    documents = outgoing.documents
    printouts = PrintoutsService(documents.pool, clock)
    drafting = new_draft(outgoing, team, subject="Dự thảo kế hoạch kiểm tra")
    reviewing = new_draft(outgoing, team, subject="Dự thảo báo cáo quý")
    outgoing.submit(team["drafter"], reviewing.id)
    secret = new_draft(outgoing, team, subject="Kế hoạch chống buôn lậu", secrecy=1)
    released = new_draft(outgoing, team, subject="Quyết định cử cán bộ", reply_due=date(2026, 1, 9))
    approve_all(outgoing, team, people, released.id)
    sent = outgoing.release(people.clerk, released.id)
    direct = documents.register_outgoing(people.clerk, "CCHQNB", type_key="cong_van", subject="Về việc phối hợp")
    assert sent.due_date == date(2026, 1, 9)  # the draft's hạn trả lời
    # a document registered without a draft has no form for it: stored as an edXML export would carry it
    org.execute("UPDATE documents SET due_date = %s WHERE id = %s", (date(2026, 1, 30), direct.id))
    # the copy that arrived at CHQHCM is assigned there and finished
    [copy] = documents.register_page(people.admin, "CHQHCM", 2026, "den").entries
    assigned = documents.handling.assign(
        team["hcm_head"], copy.id, HandlerSpec(date(2026, 1, 8), username="lanh-dao-hcm")
    )
    documents.handling.finish(team["hcm_head"], assigned.handlers[0].id, note="Đã cử cán bộ")

    clock.now = datetime(2026, 1, 12, 2, 0, tzinfo=UTC)  # a week on: the first reply date has passed
    report = printouts.outgoing_status(people.manager, "CCHQNB")
    assert report.by_state == {"drafting": 2, "reviewing": 1, "released": 2}
    assert report.by_deadline == {Bucket.OVERDUE: 1, Bucket.LATER: 1}
    items = {(i.draft_id, i.document_id): i for i in report.items}
    assert [(i.state, i.days) for i in report.items[:3]] == [("drafting", 7), ("reviewing", 7), ("drafting", 7)]
    first = items[(drafting.id, None)]
    assert (first.code, first.subject, first.drafting_unit, first.released) == (
        "", "Dự thảo kế hoạch kiểm tra", "Đội Thủ tục hàng hóa xuất nhập khẩu", None,
    )  # fmt: skip
    assert items[(secret.id, None)].subject == HIDDEN  # a secret draft: counted, its text not shown
    out = items[(released.id, sent.id)]
    assert (out.code, out.state, out.released, out.days, out.bucket) == ("01/QĐ-HQKV2", "released", date(2026, 1, 5),
                                                                         0, Bucket.OVERDUE)  # fmt: skip
    assert (out.copies, out.copies_done) == (1, 1)
    plain = items[(None, direct.id)]
    assert (plain.code, plain.bucket, plain.copies) == ("02/HQKV2", Bucket.LATER, 0)

    found = printouts.outgoing_report(people.manager, "CCHQNB", 2026, "pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(found.content)).pages)
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI" in text and "Đang soạn thảo: 2" in text
    assert "Đã quá hạn trả lời: 1" in text and "01/QĐ-HQKV2" in text and "buôn lậu" not in text
    sheet = load_workbook(io.BytesIO(printouts.outgoing_report(people.manager, "CCHQNB", 2026, "xlsx").content)).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "01/QĐ-HQKV2")
    assert (row[3], row[5], row[7], row[8]) == ("Đã phát hành", "05/01/2026", "09/01/2026", "1/1")

    with pytest.raises(AccessDenied):  # readers of the unit's registers only
        printouts.outgoing_status(people.other_clerk, "CCHQNB")
    assert printouts.outgoing_status(people.manager, "CCHQNB", 2025).items == []  # nothing begun before 2026
