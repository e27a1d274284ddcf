"""The documents pages: the clerk registers an incoming document with the keyboard (Enter saves, the next
số đến is shown), the leader assigns it on its page, and a handler of the unit finds it in "my documents"
with its derived status. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta

import openpyxl
from pypdf import PdfReader

from hub.accounts.principal import Role
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_out, table_rows


async def test_register_with_enter_assign_and_see_it_in_my_documents(sign_in, ui_services) -> None:  # noqa: ANN001
    user = await sign_in((Role.CLERK, "CCHQNB"))
    await user.open("/documents/incoming")
    await user.should_see("Số đến tiếp theo: 01")
    user.find(marker="docs-code-number").type("7816")
    user.find(marker="docs-code-notation").type("VPCP-TTĐT")
    user.find(marker="docs-organ").type("Văn phòng Chính phủ")
    user.find(marker="docs-subject").type("Về việc triển khai")
    reply_by = ui_services.documents.today() + timedelta(days=10)
    user.find(marker="docs-due").type(reply_by.isoformat())
    user.find(marker="docs-subject").trigger("keydown.enter")
    await user.should_see("Số đến tiếp theo: 02", retries=20)
    rows = await table_rows(user, "docs-register")
    assert [(r["number"], r["code"], r["late"]) for r in rows] == [("01", "7816/VPCP-TTĐT", "Đúng hạn")]
    user.find(marker="docs-subject").trigger("keydown.enter")  # the emptied form: refused in words
    await user.should_see("thiếu", retries=10)
    year = ui_services.documents.today().year
    [doc] = ui_services.documents.register_page(SETUP_ADMIN, "CCHQNB", year, "den").entries
    # the reports on handling the unit's incoming and outgoing documents (Decree 30 Appendix VI) from the same page
    user.find(marker="docs-report-den-pdf").click()
    report = await user.download.next(timeout=20)
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages))
    assert "7816/VPCP-TTĐT" in text and "văn bản đến" in text.lower()
    user.find(marker="docs-print-den-pdf").click()  # the book, rendered off the UI loop
    book = await user.download.next(timeout=30)
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(book.content)).pages))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "Về việc triển khai" in text
    user.find(marker="docs-report-di-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO((await user.download.next(timeout=20)).content)).active
    assert any("văn bản đi" in str(c.value).lower() for row in sheet.iter_rows() for c in row if c.value)
    await sign_out(user)

    user = await sign_in((Role.MANAGER, "CCHQNB"))
    await user.open(f"/documents/entry?id={doc.id}")
    await user.should_see("Chưa giao xử lý.")
    await user.should_see("Hạn trả lời")  # the sender's reply date, as registered
    await user.should_see(f"{reply_by:%d/%m/%Y}")
    deadline = ui_services.documents.today() + timedelta(days=7)
    user.find(marker="docs-assign-who-0").type("DOI1")
    user.find(marker="docs-assign-deadline-0").type(deadline.isoformat())
    user.find(marker="docs-assign-comment").type("Đội 1 chủ trì")
    user.find(marker="docs-assign-button").click()
    await user.should_see("Đang xử lý trong hạn", retries=20)
    await sign_out(user)

    user = await sign_in((Role.EMPLOYEE, "DOI1"))
    await user.open("/documents/mine")
    mine = await table_rows(user, "docs-mine")
    assert [(r["code"], r["role"], r["status"]) for r in mine] == [
        ("7816/VPCP-TTĐT", "Chủ trì", "Đang xử lý trong hạn")
    ]
    await open_refused(user, "/documents/incoming")
