"""The reporting page (/reporting): an office admin saves a regime with the form, a clerk of a reporting unit
opens the unit's report, is refused a corrected CCES figure without a note (in words), and saves it with one.
Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

import io

import psycopg
from docx import Document

from hub.accounts.principal import Role
from tests.ui.conftest import SETUP_ADMIN, sign_in_through_form, sign_out, table_rows
from tests.ui.unit_picking import labels, select, tick


def _set(user, marker: str, value) -> None:  # noqa: ANN001
    with user:
        next(iter(user.find(marker=marker).elements)).set_value(value)


async def test_define_a_regime_then_fill_a_report_with_a_note(
    sign_in, make_account, ui_services, ui_database_url: str
) -> None:  # fmt: skip
    user = await sign_in((Role.OFFICE_ADMIN, "CCHQNB"))
    await user.open("/reporting")
    await user.should_see(marker="reporting-no-regimes")
    _set(user, "reporting-define-code", "hoat-dong-thang")
    select(user, "reporting-define-owner", "CCHQNB")
    _set(user, "reporting-define-valid-from", "2026-01-01")
    _set(user, "reporting-define-name-vi", "Báo cáo hoạt động hằng tháng")
    _set(user, "reporting-define-name-en", "Monthly activity report")
    user.find(marker="reporting-define-save").click()
    await user.should_see(marker="reporting-define-problem", content="cần từ 1 đến 2000 đơn vị báo cáo")
    tick(user, "reporting-define-units", ["DOI1"])
    await user.should_see(marker="reporting-define-to-DOI1")
    user.find(marker="reporting-define-save").click()
    rows = await table_rows(user, "reporting-regimes")
    assert [(r["name"], r["frequency"], r["units"]) for r in rows] == [
        ("Báo cáo hoạt động hằng tháng", "Hằng tháng", 1)
    ]
    assert rows[0]["deadline"] == "2 ngày làm việc sau ngày chốt số liệu"

    assert ui_services.reporting.open_period(SETUP_ADMIN, "hoat-dong-thang", "2026-11") == 1
    await sign_out(user)
    await sign_in_through_form(user, make_account((Role.CLERK, "DOI1")), "/reporting")
    await user.open("/reporting")
    mine = await table_rows(user, "reporting-reports")
    assert [(r["period"], r["unit"], r["status"]) for r in mine] == [
        ("2026-11", "Đội Thủ tục hàng hóa xuất nhập khẩu", "Đang lập")
    ]
    await user.open(mine[0]["href"])
    await user.should_see("Số liệu CCES: 1")
    _set(user, "reporting-value-staff", 2)
    user.find(marker="reporting-save").click()
    await user.should_see(marker="reporting-action-problem", content="cần ghi chú lý do điều chỉnh")
    _set(user, "reporting-note-staff", "Một người biệt phái")
    _set(user, "reporting-value-summary", "Hoàn thành nhiệm vụ")
    user.find(marker="reporting-save").click()
    await user.should_see("Đã lưu.")
    await user.open(mine[0]["href"])
    history = await table_rows(user, "reporting-history")
    assert [r["event"] for r in history] == ["Mở báo cáo, điền số liệu CCES", "Nhập, điều chỉnh số liệu"]
    with psycopg.connect(ui_database_url) as conn:
        stored = conn.execute("SELECT value, prefilled, note FROM reporting_values WHERE code = 'staff'").fetchone()
    assert stored == (2, 1, "Một người biệt phái")
    await user.should_not_see(marker="reporting-submit")  # a clerk fills, the unit's manager submits
    # the report as a file (issue 18 item 4): the DOCX button downloads it under the official heading
    user.find(marker="reporting-export-docx").click()
    docx = await user.download.next(timeout=30)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    cells = "\n".join(c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells)
    assert "BÁO CÁO" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Số cán bộ" in cells


async def test_consolidation_fill_from_reporters_and_attachments(sign_in, ui_services, tmp_path) -> None:  # noqa: ANN001
    """The manager of CCHQNB (DOI1 reports to it) sees DOI1's part in the consolidation, downloads it as XLSX,
    fills CCHQNB's own report from it, and attaches a PDF to that report."""
    from datetime import date

    from nicegui import ui
    from nicegui.elements.upload_files import SmallFileUpload
    from openpyxl import load_workbook

    from hub.files import ContentStore
    from tests.hub.reporting.conftest import REPORTERS, TEMPLATE

    svc = ui_services.reporting
    svc.store = ContentStore(tmp_path / "files")
    svc.define(
        SETUP_ADMIN, "thang", valid_from=date(2026, 1, 1), name_vi="Báo cáo tháng", name_en="Monthly report",
        basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly", deadline_days=2, owner_unit="CHQHN",
        template=TEMPLATE, reporters=REPORTERS,
    )  # fmt: skip
    svc.open_period(SETUP_ADMIN, "thang", "2026-11")
    ids = {r.unit_code: r.id for r in svc.reports(SETUP_ADMIN, "thang", "2026-11")}
    svc.save(SETUP_ADMIN, ids["DOI1"], {"summary": "Ổn định", "cases": [{"kind": "Buôn lậu", "count": 5}]})
    svc.submit(SETUP_ADMIN, ids["DOI1"])

    user = await sign_in((Role.MANAGER, "CCHQNB"))
    await user.open("/reporting")
    _set(user, "reporting-consolidated-period", "2026-11")
    assert labels(user, "reporting-consolidated-unit") == ["Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài"]
    select(user, "reporting-consolidated-unit", "CCHQNB")
    user.find(marker="reporting-consolidated-show").click()
    parts = await table_rows(user, "reporting-parts")
    assert [(p["unit"], p["status"]) for p in parts] == [
        ("Đội Thủ tục hàng hóa xuất nhập khẩu", "Đã gửi, chờ tiếp nhận")
    ]
    rows = {r["code"]: r for r in await table_rows(user, "reporting-consolidated")}
    assert rows["cases_total"]["now"] == "5" and rows["cases.count"]["now"] == "5"
    user.find(marker="reporting-consolidated-export-xlsx").click()
    xlsx = await user.download.next(timeout=30)
    cells = [c.value for ws in load_workbook(io.BytesIO(xlsx.content)).worksheets for r in ws.iter_rows() for c in r]
    assert "BÁO CÁO TỔNG HỢP" in cells and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells

    await user.open(f"/reporting?report={ids['CCHQNB']}")
    user.find(marker="reporting-fill-from-reporters").click()
    await user.should_see("Đã lưu.")
    filled = svc.report(SETUP_ADMIN, ids["CCHQNB"])
    assert filled.values["cases"] == [{"kind": "Buôn lậu", "count": 5}]
    assert filled.values["summary"] == "Đội Thủ tục hàng hóa xuất nhập khẩu: Ổn định"

    await user.open(f"/reporting?report={ids['CCHQNB']}")
    await user.should_see(marker="reporting-no-attachments")
    with user:
        upload = user.find(marker="reporting-attach").elements.pop()
        assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload("Giải trình.pdf", "application/pdf", b"%PDF-1.4\n" + b"1" * 500)])
    await user.should_see("Đã đính kèm Giải trình.pdf.", retries=30)
    attached = svc.report(SETUP_ADMIN, ids["CCHQNB"]).report.attachments
    assert [a.filename for a in attached] == ["Giải trình.pdf"]
    await user.open(f"/reporting?report={ids['CCHQNB']}")
    user.find(marker=f"reporting-attachment-get-{attached[0].id}").click()
    got = await user.download.next(timeout=30)
    assert got.content.startswith(b"%PDF-1.4")
