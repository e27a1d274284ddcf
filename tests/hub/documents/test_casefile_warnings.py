"""The hand-over warning (issue 15 item 7), the daily job `documents.case_files_due`, on a real PostgreSQL: a
closed file due within the warning days is warned of once (its keeper and the unit's văn thư, in the inbox and
by mail), a second run sends nothing, an overdue one gets the overdue notice once, a handed-over one none, and
the warning days are the rules' data, read at each run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from hub.db import open_pool
from hub.documents.casefiles.warnings import CATEGORY, JOB, warning_jobs
from hub.documents.service import DocumentsService
from hub.jobs.schedule import cron_every
from tests.hub.documents.conftest import Clock, People, make_user


@pytest.fixture
def service(database_url: str, people: People, clock: Clock) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefile-warnings")
    try:
        found = DocumentsService(pool, clock)
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _closed(service: DocumentsService, people: People, code: str, closed_on: date, **kw) -> int:  # noqa: ANN003
    """A file of CCHQNB kept by `chuyen-vien`, closed on `closed_on` (due 12 months later)."""
    cf = service.casefiles
    doc = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number=code.split(".")[0], code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=closed_on - timedelta(days=3), subject=f"Văn bản của hồ sơ {code}",
    )  # fmt: skip
    opened = cf.open_file(people.clerk, "CCHQNB", code=code, title=f"Hồ sơ {code}", retention="10",
                          owner="chuyen-vien", opened_on=closed_on - timedelta(days=5), **kw)  # fmt: skip
    cf.add_document(people.clerk, opened.id, doc.id)
    return cf.close(people.clerk, opened.id, closed_on=closed_on).id


def _told(org: psycopg.Connection) -> list[tuple[str, str, str]]:
    return org.execute(
        "SELECT u.username, n.link, n.title_vi FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.category = %s ORDER BY n.id, u.username",
        (CATEGORY,),
    ).fetchall()


def test_due_and_overdue_files_are_warned_once_each(
    service: DocumentsService, people: People, clock: Clock, org: psycopg.Connection
) -> None:
    keeper = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    org.execute("INSERT INTO notification_settings (user_id, email) VALUES (%s, 'chuyen-vien@hq.example.vn')",
                (keeper.user_id,))  # fmt: skip
    cf = service.casefiles
    today = clock.now.date()  # 5 January 2026
    soon = _closed(service, people, "01.TH", date(2025, 1, 25))  # due 25 January 2026: in 20 days
    late = _closed(service, people, "02.TH", date(2024, 12, 20))  # due 20 December 2025: overdue
    later = _closed(service, people, "03.TH", date(2025, 2, 19))  # due 19 February 2026: in 45 days
    handed = _closed(service, people, "04.TH", date(2025, 1, 20))  # due in 15 days, but handed over
    cf.submit(people.clerk, "CCHQNB", [handed], "Nộp lưu sớm")
    assert today == date(2026, 1, 5)

    assert cf.warn_due() == (1, 1)
    told = _told(org)
    # the keeper and the unit's văn thư; not its lãnh đạo, nobody of another unit
    assert sorted((u, link) for u, link, _ in told) == sorted(
        (u, f"/documents/case-file?id={f}") for u in ("chuyen-vien", "van-thu") for f in (soon, late)
    )
    titles = {link: title for _, link, title in told}
    assert titles[f"/documents/case-file?id={soon}"] == "Hồ sơ 01.TH sắp đến hạn nộp lưu (25/01/2026)"
    assert titles[f"/documents/case-file?id={late}"] == "Hồ sơ 02.TH quá hạn nộp lưu (20/12/2025)"
    mails = org.execute(
        "SELECT m.to_address FROM notification_mail m JOIN notifications n ON n.id = m.notification_id"
        " WHERE n.category = %s",
        (CATEGORY,),
    ).fetchall()
    assert mails == [("chuyen-vien@hq.example.vn",)] * 2  # e-mail by default, to those with an address

    assert cf.warn_due() == (0, 0) and len(_told(org)) == 4  # a second run sends nothing
    clock.now += timedelta(days=1)
    assert cf.warn_due() == (0, 0) and len(_told(org)) == 4  # nor the next day
    assert [k for k, _, _ in cf.case_file_warnings(soon)] == ["soon"] and cf.case_file_warnings(handed) == []

    assert cf.case_file_warnings(later) == []  # 45 days ahead: not within the 30 warning days yet

    clock.now += timedelta(days=20)  # 26 January 2026: 01.TH is overdue now, 03.TH due within 24 days
    assert cf.warn_due() == (1, 1)
    assert [k for k, _, _ in cf.case_file_warnings(soon)] == ["soon", "overdue"]
    assert [k for k, _, _ in cf.case_file_warnings(later)] == ["soon"]
    assert [k for k, _, _ in cf.case_file_warnings(late)] == ["overdue"]
    assert cf.warn_due() == (0, 0)


def test_the_warning_days_are_the_rules_data(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    cf = service.casefiles
    later = _closed(service, people, "03.TH", date(2025, 2, 19))  # due in 45 days
    assert cf.warn_due() == (0, 0)
    org.execute("UPDATE case_file_rules SET value = 60 WHERE key = 'warn_days'")
    assert cf.warn_due() == (1, 0)
    assert sorted((u, link) for u, link, _ in _told(org)) == [
        ("chuyen-vien", f"/documents/case-file?id={later}"), ("van-thu", f"/documents/case-file?id={later}"),
    ]  # fmt: skip


def test_a_unit_without_a_clerk_warns_its_leaders(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    org.execute("DELETE FROM role_grants WHERE role = 'clerk'")  # CCHQNB has no văn thư now
    keeper = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    doc = service.register_incoming(
        people.admin, "CCHQNB", type_key="cong_van", code_number="5", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2024, 12, 1), subject="Văn bản cũ",
    )  # fmt: skip
    cf = service.casefiles
    opened = cf.open_file(keeper, "CCHQNB", code="05.TH", title="Hồ sơ cũ", retention="20",
                          opened_on=date(2024, 12, 1))  # fmt: skip
    cf.add_document(people.manager, opened.id, doc.id)
    cf.close(people.manager, opened.id, closed_on=date(2024, 12, 10))
    assert cf.warn_due() == (0, 1)
    assert sorted(u for u, _, _ in _told(org)) == ["chuyen-vien", "lanh-dao"]


def test_the_job_runs_once_a_day_at_the_start_of_work(service: DocumentsService) -> None:
    [spec] = warning_jobs(service.casefiles)
    assert (spec.name, spec.run) == (JOB, service.casefiles.warn_due) and JOB == "documents.case_files_due"
    assert cron_every(spec.every_s or 0, spec.setting, spec.offset_s) == "0 1 * * *"  # 08:00 in Hà Nội
