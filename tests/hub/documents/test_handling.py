"""The leader's instruction on an incoming document and its follow-up (issue 15 item 2) on the real database,
walking a clock across the deadlines: assignment, progress, an extension refused then approved, the
reminder before the deadline and the escalation after it (inbox and mail outbox, each once), finishing,
and the derived statuses (đang xử lý trong hạn / quá hạn, hoàn thành đúng hạn / quá hạn)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.handling.models import HandlerSpec, HandlingConflict, HandlingError, Status, UnknownHandling
from hub.documents.service import DocumentsService
from hub.notifications.service import NotificationsService
from tests.hub.documents.conftest import Clock, People, make_user


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 7, 0, tzinfo=UTC)  # Hà Nội time


def titles(notes: NotificationsService, who: Principal) -> list[str]:
    return [n.title_vi for n in notes.inbox(who, limit=50).items]


def test_assignment_deadlines_reminders_escalation_and_derived_statuses(
    documents: DocumentsService,
    people: People,
    clock: Clock,
    org,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    team_lead = make_user(org, "doi-truong", (("manager", "DOI1"),))  # leads the unit named as handler
    officer = make_user(org, "can-bo-doi", (("employee", "DOI1"),))  # belongs to that unit
    expert = make_user(org, "chuyen-vien", (("employee", "CCHQNB"),))  # a person named as supporting handler
    outsider = make_user(org, "nguoi-ngoai", (("employee", "CHQHCM"),))
    handling = documents.handling
    pool = open_pool(database_url, max_size=2, name="cces-documents-notes")
    notes = NotificationsService(pool, None, clock)
    notes.set_preferences(people.manager, Actor.of(people.manager), email="lanh-dao@example.gov.vn")
    doc = documents.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="7816", code_notation="VPCP-TTĐT",
        organ_name="Văn phòng Chính phủ", issued_date=date(2026, 1, 2), subject="Về việc triển khai",
    )  # fmt: skip
    with pytest.raises(AccessDenied):
        documents.document(officer, doc.id)  # not yet a handler
    lead = HandlerSpec(date(2026, 1, 7), unit_code="DOI1")  # Wednesday
    support = HandlerSpec(date(2026, 1, 9), username="chuyen-vien")  # Friday
    with pytest.raises(Exception, match="documents.assign|giao xử lý"):
        handling.assign(people.clerk, doc.id, lead)  # a clerk does not assign
    with pytest.raises(HandlingError, match="hạn xử lý"):
        handling.assign(people.manager, doc.id, HandlerSpec(date(2026, 1, 2), unit_code="DOI1"))  # in the past
    made = handling.assign(people.manager, doc.id, lead, [support], "Đội 1 chủ trì, báo cáo trước hạn")
    with pytest.raises(HandlingConflict):
        handling.assign(people.manager, doc.id, lead)
    unit_part, person_part = made.handlers
    assert (unit_part.lead, unit_part.unit_code, person_part.username) == (True, "DOI1", "chuyen-vien")
    assert documents.document(officer, doc.id).id == doc.id  # a handler reads the document
    assert titles(notes, team_lead) == ["Văn bản đến số 01 giao chủ trì xử lý"]
    assert titles(notes, expert) == ["Văn bản đến số 01 giao phối hợp xử lý"]
    today = clock.now.date()
    assert {h.status(today) for h in made.handlers} == {Status.IN_TIME}

    # Monday: nothing is due within one working day; Tuesday: the lead's Wednesday deadline is
    assert handling.check_deadlines() == (0, 0)
    clock.now = at(date(2026, 1, 6))
    assert handling.check_deadlines() == (1, 0)
    assert handling.check_deadlines() == (0, 0)  # once per deadline
    assert titles(notes, team_lead)[0] == "Văn bản đến số 01 sắp đến hạn xử lý 07/01/2026"

    # the unit's officer reports progress and asks for more time: refused, then asked again and approved
    handling.report_progress(officer, unit_part.id, "Đã làm việc với doanh nghiệp")
    with pytest.raises(UnknownHandling):
        handling.report_progress(outsider, unit_part.id, "không phải việc của tôi")
    asked = handling.ask_extension(officer, unit_part.id, date(2026, 1, 8), "Chờ số liệu")
    with pytest.raises(HandlingConflict):
        handling.ask_extension(officer, unit_part.id, date(2026, 1, 9), "Chờ thêm")
    assert (
        handling.decide_extension(people.manager, asked.id, approve=False, note="Không gia hạn").decision == "refused"
    )
    again = handling.ask_extension(officer, unit_part.id, date(2026, 1, 9), "Chờ số liệu của Cục")
    assert titles(notes, people.manager)[0] == "Đề nghị gia hạn văn bản đến số 01"
    handling.decide_extension(people.manager, again.id, approve=True)
    after = handling.assignment(people.manager, doc.id)
    assert after is not None and (after.lead.instructed_deadline, after.lead.deadline) == (
        date(2026, 1, 7),
        date(2026, 1, 9),
    )
    assert [p.note for p in after.lead.progress] == ["Đã làm việc với doanh nghiệp"]

    # Thursday: the supporting expert finishes in time; both are reminded of Friday (the lead's new deadline)
    clock.now = at(date(2026, 1, 8))
    with pytest.raises(HandlingError, match="kết quả"):
        handling.finish(expert, person_part.id)  # neither a note nor a reply document
    assert (
        handling.finish(expert, person_part.id, note="Đã góp ý bằng văn bản").status(clock.now.date())
        == Status.DONE_IN_TIME
    )
    assert handling.check_deadlines() == (1, 0)

    # Saturday: the lead is past its deadline: escalated to the leader and the unit, once
    clock.now = at(date(2026, 1, 10))
    current = handling.assignment(people.manager, doc.id)
    assert current is not None and current.lead.status(clock.now.date()) == Status.OVERDUE
    assert handling.check_deadlines() == (0, 1)
    assert handling.check_deadlines() == (0, 0)
    assert titles(notes, people.manager)[0].startswith("Văn bản đến số 01 quá hạn xử lý (09/01/2026)")
    assert any("quá hạn" in t for t in titles(notes, team_lead))
    mail = [m.to_address for m in notes.mail(people.admin, ["pending"], limit=100)[1]]
    assert "lanh-dao@example.gov.vn" in mail  # the leader takes these by mail (category's default)
    mine = handling.mine(officer)
    assert [(m.document_id, m.handler.status(clock.now.date())) for m in mine] == [(doc.id, Status.OVERDUE)]

    # Monday: the lead finishes late
    clock.now = at(date(2026, 1, 12))
    done = handling.finish(officer, unit_part.id, note="Đã trả lời bằng công văn")
    assert done.status(clock.now.date()) == Status.DONE_LATE
    assert done.status(date(2026, 3, 1)) == Status.DONE_LATE  # the status stays what it was
    assert handling.mine(officer) == [] and len(handling.mine(officer, open_only=False)) == 1
    with pytest.raises(HandlingConflict):
        handling.report_progress(officer, unit_part.id, "thêm")
    pool.close()
