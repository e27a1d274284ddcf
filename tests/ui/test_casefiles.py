"""The case files pages: a văn thư opens a file from the approved list on /documents/case-files, adds a
registered document on the file's page, closes it, and the document's page shows the file it is in.
Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from datetime import date, timedelta

from hub.accounts.principal import Role
from hub.documents.casefiles.models import Due, add_months
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_in_through_form, sign_out, table_rows


async def test_open_fill_and_close_a_case_file(sign_in, ui_services) -> None:  # noqa: ANN001
    docs, cf = ui_services.documents, ui_services.documents.casefiles
    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    year = docs.today().year
    found = cf.add_heading(SETUP_ADMIN, "CCHQNB", year, "Tổ chức cán bộ", code="TCCB")
    cf.add_entry(SETUP_ADMIN, "CCHQNB", year, found.headings[0].id, "Hồ sơ quy hoạch cán bộ", "vinh_vien")
    cf.approve_list(SETUP_ADMIN, "CCHQNB", year, "QĐ 01/QĐ-HQKV2")
    doc = docs.register_incoming(
        SETUP_ADMIN, "CCHQNB", type_key="cong_van", code_number="15", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(year, 1, 1), subject="Về quy hoạch cán bộ",
    )  # fmt: skip

    user = await sign_in((Role.CLERK, "CCHQNB"))
    await user.open(f"/documents/case-files?unit=CCHQNB&year={year}")
    rows = await table_rows(user, "cf-list")
    assert [(r["code"], r["retention"]) for r in rows] == [("I. TCCB", ""), ("01.TCCB", "Vĩnh viễn")]
    await user.should_see(marker="cf-files-empty")
    [entry] = cf.file_list(SETUP_ADMIN, "CCHQNB", year).entries
    user.find(marker="cf-open-entry").click()
    user.find(marker="cf-open-entry").elements.pop().set_value(entry.id)
    user.find(marker="cf-open-button").click()
    await user.should_see(marker="cf-file-title", retries=20)
    await user.should_see("01.TCCB — Hồ sơ quy hoạch cán bộ")
    await user.should_see(marker="cf-items-empty")
    [opened] = cf.case_files(SETUP_ADMIN, "CCHQNB", year)  # the file exported as one ZIP (PDF and XML)
    assert user.find(marker="cf-package").elements.pop().props["href"] == (
        f"/api/v1/documents/case-files/{opened.id}/package.zip"
    )
    user.find(marker="cf-add-document").elements.pop().set_value(doc.id)
    user.find(marker="cf-add-button").click()
    items = await table_rows(user, "cf-items")
    assert [(r["code"], r["subject"]) for r in items] == [("15/BTC-TCHQ", "Công văn Về quy hoạch cán bộ")]
    user.find(marker="cf-close-button").click()
    await user.should_see("Đã kết thúc", retries=20)
    await user.should_see(marker="cf-submit-button")
    await user.should_not_see(marker="cf-handover-record")
    await user.open(f"/documents/entry?id={doc.id}")
    files = await table_rows(user, "cf-in-files")
    assert [(r["code"], r["state"]) for r in files] == [("01.TCCB", "Đã kết thúc")]
    await user.open(f"/documents/case-file?id={opened.id}")
    user.find(marker="cf-submit-button").click()  # handed over: the hand-over record (biên bản) to print
    await user.should_see(marker="cf-handover-record", retries=20)
    [handover] = cf.handovers(SETUP_ADMIN, "CCHQNB")
    link = user.find(marker="cf-handover-record").elements.pop()
    assert link.props["href"] == f"/api/v1/documents/handovers/{handover.id}/record.pdf"
    await sign_out(user)

    user = await sign_in((Role.CLERK, "CHQHCM"))  # another unit's clerk: refused
    await open_refused(user, "/documents/case-files?unit=CCHQNB")


async def test_the_keeper_reopens_a_closed_file_and_its_history_shows_why(ui_user, make_account, ui_services) -> None:  # noqa: ANN001
    docs, cf = ui_services.documents, ui_services.documents.casefiles
    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    year = docs.today().year
    doc = docs.register_incoming(
        SETUP_ADMIN, "CCHQNB", type_key="cong_van", code_number="16", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(year, 1, 1), subject="Về tập huấn",
    )  # fmt: skip
    keeper, clerk = make_account((Role.CLERK, "CCHQNB")), make_account((Role.CLERK, "CCHQNB"))
    opened = cf.open_file(SETUP_ADMIN, "CCHQNB", code="01.TH", title="Hồ sơ tập huấn", retention="10",
                          owner=keeper.username, opened_on=date(year, 1, 1))  # fmt: skip
    cf.add_document(SETUP_ADMIN, opened.id, doc.id)
    cf.close(SETUP_ADMIN, opened.id, closed_on=date(year, 1, 1))
    page = f"/documents/case-file?id={opened.id}"

    user = await sign_in_through_form(ui_user, clerk)  # another văn thư: hands it over, does not reopen it
    await user.open(page)
    await user.should_see(marker="cf-submit-button")
    await user.should_not_see(marker="cf-reopen-button")
    await sign_out(user)

    user = await sign_in_through_form(ui_user, keeper)
    await user.open(page)
    user.find(marker="cf-reopen-button").click()  # no reason: refused, the file stays closed
    await user.should_see("thiếu lý do mở lại hồ sơ", retries=20)
    assert cf.case_file(SETUP_ADMIN, opened.id).state.value == "closed"
    user.find(marker="cf-reopen-reason").type("Bổ sung tài liệu tập huấn")
    user.find(marker="cf-reopen-button").click()
    await user.should_see("Đang lập", retries=20)
    await user.should_see(marker="cf-close-button")
    history = await table_rows(user, "cf-history")
    assert [(r["what"], r["why"]) for r in history][-1] == ("Mở lại hồ sơ đã kết thúc", "Bổ sung tài liệu tập huấn")
    assert history[-1]["who"] == keeper.username


async def test_the_archive_reviews_files_past_their_retention_and_proposes_one(sign_in, ui_services) -> None:  # noqa: ANN001
    docs, cf = ui_services.documents, ui_services.documents.casefiles
    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    doc = docs.register_incoming(
        SETUP_ADMIN, "CCHQNB", type_key="cong_van", code_number="5", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2021, 3, 1), subject="Về lịch trực năm 2021",
    )  # fmt: skip
    opened = cf.open_file(SETUP_ADMIN, "CCHQNB", code="01.VP", title="Hồ sơ lịch trực", retention="2",
                          opened_on=date(2021, 3, 1))  # fmt: skip
    cf.add_document(SETUP_ADMIN, opened.id, doc.id)
    cf.close(SETUP_ADMIN, opened.id, closed_on=date(2021, 6, 30))  # kept to the end of 2023

    user = await sign_in((Role.CLERK, "CCHQNB"))
    await user.open("/documents/case-files/past-retention?unit=CCHQNB")
    rows = await table_rows(user, "cr-files")
    assert [(r["code"], r["retention"], r["until"], r["proposal"]) for r in rows] == [("01.VP", "2 năm", 2023, "")]
    link = user.find(marker="cr-xlsx").elements.pop()
    assert link.props["href"] == "/api/v1/documents/units/CCHQNB/case-files/past-retention.xlsx"
    user.find(marker="cr-file").elements.pop().set_value(opened.id)
    user.find(marker="cr-propose-button").click()  # no reason: refused in the form, nothing written
    await user.should_see("thiếu lý do đề nghị hủy", retries=20)
    user.find(marker="cr-reason").type("Hết giá trị sử dụng")
    user.find(marker="cr-propose-button").click()
    await user.should_not_see("thiếu lý do đề nghị hủy", retries=20)  # the page comes back without the refusal
    [found] = cf.past_retention(SETUP_ADMIN, "CCHQNB")
    assert found.proposal is not None and found.proposal.reason == "Hết giá trị sử dụng"
    await user.open("/documents/case-files/past-retention?unit=CCHQNB")
    rows = await table_rows(user, "cr-files")
    assert [r["proposal"] for r in rows] == [f"Hết giá trị sử dụng ({found.proposal.proposed_by})"]
    await sign_out(user)

    user = await sign_in((Role.CLERK, "CHQHCM"))  # another unit's clerk: refused
    await open_refused(user, "/documents/case-files/past-retention?unit=CCHQNB")


async def test_the_unit_page_lists_the_files_due_and_overdue_for_hand_over(sign_in, ui_services) -> None:  # noqa: ANN001
    """The hand-over warning's list (issue 15 item 7; the job documents.case_files_due sends the same files to the
    inbox): a closed file due within 30 days and one past its day, with that day; a file due later is not listed."""
    docs, cf = ui_services.documents, ui_services.documents.casefiles
    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    today = docs.today()
    closed_on = {"01.KH": add_months(today, -12) + timedelta(days=10), "02.KH": add_months(today, -24), "03.KH": today}
    for n, (code, day) in enumerate(closed_on.items(), 1):
        doc = docs.register_incoming(
            SETUP_ADMIN, "CCHQNB", type_key="cong_van", code_number=str(20 + n), code_notation="BTC-TCHQ",
            organ_name="Bộ Tài chính", issued_date=day, subject=f"Văn bản của hồ sơ {code}",
        )  # fmt: skip
        opened = cf.open_file(SETUP_ADMIN, "CCHQNB", code=code, title=f"Hồ sơ {code}", retention="10",
                              opened_on=day)  # fmt: skip
        cf.add_document(SETUP_ADMIN, opened.id, doc.id)
        cf.close(SETUP_ADMIN, opened.id, closed_on=day)
    due = {d.case_file.code: d for d in cf.due(SETUP_ADMIN, "CCHQNB", only=[Due.SOON, Due.OVERDUE])}
    assert {c: d.status for c, d in due.items()} == {"01.KH": Due.SOON, "02.KH": Due.OVERDUE}

    user = await sign_in((Role.CLERK, "CCHQNB"))
    await user.open("/documents/case-files?unit=CCHQNB")
    rows = await table_rows(user, "cf-due")
    assert [(r["code"], r["due_on"], r["status"]) for r in rows] == [
        ("02.KH", due["02.KH"].due_on.strftime("%d/%m/%Y"), "Quá hạn nộp lưu"),
        ("01.KH", due["01.KH"].due_on.strftime("%d/%m/%Y"), "Sắp đến hạn nộp lưu"),
    ]
