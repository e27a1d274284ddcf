"""The hạn trả lời of an outgoing document (issue 15 items 3 and 8; edXML DueDate, Decree 30 Appendix VI): set on
the draft (optional, today in Hà Nội to five years ahead, refused in Vietnamese and English with nothing written),
kept through versions, edits and a return, refused at submit and release once it has passed, and at release the
document's due date, its delivered copies' and its edXML DueDate — which the report on outgoing documents then
groups. Real PostgreSQL, content store and HTTP app."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Role
from hub.documents.edxml import Organ, parse
from hub.documents.edxml_exchange import EdxmlExchange
from hub.documents.files import Upload
from hub.documents.outgoing.models import DraftError, DraftState
from hub.documents.outgoing.service import OutgoingService
from hub.documents.printouts.models import Bucket
from hub.documents.printouts.service import PrintoutsService
from tests.hub.api.conftest import Api, make_api
from tests.hub.documents.conftest import Clock, People
from tests.hub.documents.test_outgoing import approve_all, new_draft, outgoing, pdf_bytes, pki, team  # noqa: F401


def _drafts(database_url: str) -> list[tuple[int, date | None]]:
    with psycopg.connect(database_url) as conn:
        return [(int(r[0]), r[1]) for r in conn.execute("SELECT id, reply_due FROM document_drafts ORDER BY id")]


def _audited(database_url: str, draft_id: int) -> list[tuple[str, str | None]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT action, after->>'reply_due' FROM audit_log WHERE entity = 'document_draft' AND entity_id = %s"
            " AND action IN ('documents.draft_create', 'documents.draft_edit') ORDER BY id",
            (str(draft_id),),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_a_reply_date_goes_from_the_draft_to_the_document_its_copies_and_the_report(
    outgoing: OutgoingService,  # noqa: F811
    team: dict,  # noqa: F811
    people: People,
    clock: Clock,
    database_url: str,
) -> None:
    documents = outgoing.documents
    printouts = PrintoutsService(documents.pool, clock)
    draft = new_draft(outgoing, team, reply_due=date(2026, 1, 7))  # today is Monday 5 January 2026
    assert draft.reply_due == date(2026, 1, 7)
    waiting = new_draft(outgoing, team, subject="Kế hoạch kiểm tra sau thông quan", reply_due=date(2026, 2, 2))
    plain = new_draft(outgoing, team, subject="Thông báo lịch trực")
    assert plain.reply_due is None

    # kept through a return, a new version and an edit of other fields
    outgoing.submit(team["drafter"], draft.id)
    outgoing.return_(team["head"], draft.id, note="Sửa căn cứ")
    outgoing.add_version(team["drafter"], draft.id, Upload("du-thao-2.pdf", pdf_bytes("Dự thảo lần 2")))
    edited = outgoing.edit(team["drafter"], draft.id, subject="Quyết định cử cán bộ đi công tác (sửa)")
    assert (edited.reply_due, [v.version for v in edited.versions]) == (date(2026, 1, 7), [1, 2])
    assert _audited(database_url, draft.id) == [
        ("documents.draft_create", "2026-01-07"), ("documents.draft_edit", "2026-01-07"),
    ]  # fmt: skip
    approve_all(outgoing, team, people, draft.id)
    approve_all(outgoing, team, people, plain.id)

    sent = outgoing.release(people.clerk, draft.id)
    assert (sent.number_line, sent.due_date) == ("Số: 01/QĐ-HQKV2", date(2026, 1, 7))
    assert outgoing.release(people.clerk, plain.id).due_date is None
    # the copy in CHQHCM's incoming register carries the sender's reply date
    copies = {c.source_id: c for c in documents.register_page(people.admin, "CHQHCM", 2026, "den").entries}
    assert copies[sent.id].due_date == date(2026, 1, 7)
    assert documents.document(team["hcm_head"], copies[sent.id].id).due_date == date(2026, 1, 7)
    # and an outside recipient reads it as the edXML DueDate
    exchange = EdxmlExchange(documents.pool, documents, documents.store, clock)
    message = exchange.export_document(
        people.clerk, sent.id, sender_organ_id="000.00.15.H51", recipients=[Organ("000.00.00.G12", "Bộ Tài chính")]
    )
    assert parse(message).due_date == date(2026, 1, 7)

    report = printouts.outgoing_status(people.manager, "CCHQNB")
    assert report.by_state == {"drafting": 1, "released": 2}
    assert report.by_deadline == {Bucket.SOON: 1}  # two days left; the draft still in the chain is not counted
    items = {(i.draft_id, i.document_id): i for i in report.items}
    assert (items[(draft.id, sent.id)].due_date, items[(draft.id, sent.id)].bucket) == (date(2026, 1, 7), Bucket.SOON)
    assert (items[(waiting.id, None)].due_date, items[(waiting.id, None)].bucket) == (date(2026, 2, 2), None)

    clock.now = datetime(2026, 1, 8, 2, 0, tzinfo=UTC)  # the reply date has passed
    later = printouts.outgoing_status(people.manager, "CCHQNB")
    assert later.by_deadline == {Bucket.OVERDUE: 1}


def test_a_past_or_absurd_reply_date_is_refused_with_nothing_written(
    outgoing: OutgoingService,  # noqa: F811
    team: dict,  # noqa: F811
    clock: Clock,
    database_url: str,
) -> None:
    clock.now = datetime(2026, 1, 4, 17, 30, tzinfo=UTC)  # 00:30 on 5 January in Hà Nội, still the 4th in UTC
    before = _drafts(database_url)
    with pytest.raises(DraftError) as past:
        new_draft(outgoing, team, reply_due=date(2026, 1, 4))
    assert past.value.detail == (
        "hạn trả lời 04/01/2026 đã qua (hôm nay là 05/01/2026) / the reply date 2026-01-04 is before today (2026-01-05)"
    )
    with pytest.raises(DraftError, match="quá xa: chậm nhất 05/01/2031 .* at the latest"):
        new_draft(outgoing, team, reply_due=date(2031, 1, 6))
    with pytest.raises(DraftError, match="phải là một ngày / the reply date must be a date"):
        new_draft(outgoing, team, reply_due=datetime(2026, 1, 9, 8, 0, tzinfo=UTC))
    assert _drafts(database_url) == before  # nothing written (nor a file version)

    today = new_draft(outgoing, team, reply_due=date(2026, 1, 5))  # the local day itself, and the last one allowed
    last = new_draft(outgoing, team, reply_due=date(2031, 1, 5))
    assert (today.reply_due, last.reply_due) == (date(2026, 1, 5), date(2031, 1, 5))
    with pytest.raises(DraftError, match="đã qua"):
        outgoing.edit(team["drafter"], last.id, reply_due=date(2025, 12, 31))
    with pytest.raises(DraftError, match="quá xa"):
        outgoing.edit(team["drafter"], last.id, reply_due=date(2226, 1, 5))
    assert outgoing.draft(team["drafter"], last.id).reply_due == date(2031, 1, 5)  # unchanged
    assert outgoing.edit(team["drafter"], last.id, reply_due=None).reply_due is None  # taken off


def test_a_reply_date_passed_in_the_chain_is_changed_before_submit_or_release(
    outgoing: OutgoingService,  # noqa: F811
    team: dict,  # noqa: F811
    people: People,
    clock: Clock,
) -> None:
    draft = new_draft(outgoing, team, reply_due=date(2026, 1, 6))
    approve_all(outgoing, team, people, draft.id)
    clock.now = datetime(2026, 1, 7, 2, 0, tzinfo=UTC)
    with pytest.raises(DraftError, match="hạn trả lời 06/01/2026 của dự thảo .* đã qua"):
        outgoing.release(people.clerk, draft.id)
    registers = outgoing.documents.registers(people.clerk, "CCHQNB", 2026)
    assert {r.series_code: r.last_number for r in registers}["di"] == 0  # no number taken
    outgoing.return_(people.clerk, draft.id, note="Hạn trả lời đã qua")
    kept = outgoing.edit(team["drafter"], draft.id, subject="Quyết định (sửa)")  # other fields: the date is kept
    assert kept.reply_due == date(2026, 1, 6)
    with pytest.raises(DraftError, match="đã qua"):
        outgoing.submit(team["drafter"], draft.id)
    assert outgoing.draft(team["drafter"], draft.id).state is DraftState.RETURNED
    outgoing.edit(team["drafter"], draft.id, reply_due=date(2026, 1, 20))
    approve_all(outgoing, team, people, draft.id)
    sent = outgoing.release(people.clerk, draft.id)
    assert (sent.number_line, sent.due_date) == ("Số: 01/QĐ-HQKV2", date(2026, 1, 20))


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_the_reply_date_over_the_api(api: Api, tmp_path: Path) -> None:
    from hub.documents.files import FileRules
    from hub.files import ContentStore

    documents = api.services.documents
    documents.store, documents.file_rules, documents.work_dir = ContentStore(tmp_path / "files"), FileRules(), tmp_path
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    drafter = api.client_as("chuyen-vien", (Role.EMPLOYEE, "CCHQNB"))
    leader = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    today = api.services.outgoing.today()
    due = today + timedelta(days=10)
    created = drafter.post(
        "/api/v1/documents/drafts",
        json={"unit_code": "CCHQNB", "type": "TB", "subject": "Thông báo lấy ý kiến", "signer": "lanh-dao",
              "signer_position": "CHI CỤC TRƯỞNG", "signer_name": "Trần Thị Lan", "reply_due": due.isoformat(),
              "recipients": [{"unit_code": "CHQHCM"}],
              "file": {"name": "tb.pdf", "data_base64": base64.b64encode(pdf_bytes("Thông báo")).decode()}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["reply_due"] == due.isoformat()
    url = f"/api/v1/documents/drafts/{draft['id']}"
    refused = drafter.patch(url, json={"reply_due": (today - timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "đã qua" in refused.json()["detail"] and "before today" in refused.text
    assert drafter.get(url).json()["reply_due"] == due.isoformat()  # unchanged
    absurd = drafter.patch(url, json={"reply_due": date(today.year + 6, 1, 1).isoformat()})
    assert absurd.status_code == 422 and "quá xa" in absurd.json()["detail"]
    assert drafter.patch(url, json={"reply_due": "20260-01-01"}).status_code == 422  # not a date at the boundary
    assert drafter.patch(url, json={"subject": "Thông báo lấy ý kiến (sửa)"}).json()["reply_due"] == due.isoformat()
    assert drafter.post(f"{url}/submit", json={}).json()["state"] == "signing"
    assert leader.post(f"{url}/approve", json={}).json()["state"] == "approved"
    released = clerk.post(f"{url}/release", json={})
    assert released.status_code == 201, released.text
    assert released.json()["due_date"] == due.isoformat()
