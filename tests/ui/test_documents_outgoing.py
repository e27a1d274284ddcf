"""The outgoing documents pages (issue 15 item 3): a specialist of Đội 1 drafts a Quyết định on
/documents/drafts/new and uploads its PDF, the head of Đội 1 returns it with a reason, the drafter uploads a
second version and submits it again, the head forwards it, the signing leader approves it (KT. CHI CỤC
TRƯỞNG), and the văn thư of the Chi cục numbers and releases it: `Số: 01/QĐ-HQKV2`, the PDF signed with the
agency's certificate (a CA made in the test), with the hạn trả lời the drafter set (and corrected once after a
date not a date). Each sees the draft in their own list. Real PostgreSQL, services and content store, NiceGUI's
simulated user."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fpdf import FPDF
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.documents.files import FileRules
from hub.documents.outgoing.models import DraftState
from hub.documents.signatures import AgencySigner, check_pdf, load_trust_roots
from hub.files import ContentStore
from hub.reports.export_pdf import PdfFonts
from tests.hub.documents.pki import make_pki
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_in_through_form, sign_out, table_rows


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(PdfFonts.installed().regular))
    pdf.set_font("DejaVu", size=14)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


@pytest.fixture
def outgoing_on(ui_services, tmp_path: Path):  # noqa: ANN001, ANN201
    """The services with a content store and the agency's signing key, as hub.documents.jobs attaches them."""
    pki = make_pki(tmp_path / "pki")
    ui_services.documents.store = ContentStore(tmp_path / "files")
    ui_services.documents.file_rules = FileRules(trust_roots=pki.ca_cert)
    ui_services.documents.work_dir = tmp_path
    ui_services.outgoing.signer = AgencySigner(pki.key, pki.cert)
    ui_services.documents.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    return ui_services, pki


def _set(user: User, marker: str, value: object) -> None:
    with user:
        user.find(marker=marker).elements.pop().set_value(value)


async def _upload(user: User, name: str, data: bytes) -> None:
    with user:
        upload = user.find(marker="drafts-upload").elements.pop()
        assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload(name, "application/pdf", data)])
    await user.should_see(f"v{name[-5]}", retries=30)  # the page reloaded with the new version


async def test_draft_review_sign_and_release_through_the_pages(ui_user, make_account, outgoing_on) -> None:  # noqa: ANN001
    services, pki = outgoing_on
    drafter = make_account((Role.EMPLOYEE, "DOI1"))
    head = make_account((Role.MANAGER, "DOI1"))
    leader = make_account((Role.MANAGER, "CCHQNB"))
    clerk = make_account((Role.CLERK, "CCHQNB"))
    stranger = make_account((Role.EMPLOYEE, "CHQHCM"))

    user = await sign_in_through_form(ui_user, drafter, "/documents/drafts/new")
    await user.open("/documents/drafts/new")
    user.find(marker="drafts-field-unit").type("CCHQNB")
    user.find(marker="drafts-field-drafting-unit").type("DOI1")
    _set(user, "drafts-field-type", "quyet_dinh")
    user.find(marker="drafts-field-subject").type("Quyết định cử cán bộ đi công tác")
    user.find(marker="drafts-field-notation").type("Đ1")
    user.find(marker="drafts-field-reviewer").type(head.username)
    user.find(marker="drafts-field-signer").type(leader.username)
    user.find(marker="drafts-field-signer-name").type("Trần Thị Lan")
    user.find(marker="drafts-field-signer-position").type("PHÓ CHI CỤC TRƯỞNG")
    _set(user, "drafts-field-prefix", "KT")
    user.find(marker="drafts-field-authority-title").type("CHI CỤC TRƯỞNG")
    user.find(marker="drafts-field-inside").type("CHQHCM")
    _set(user, "drafts-field-outside", "Bộ Tài chính | 000.00.00.G12")
    _set(user, "drafts-field-reply-due", "15/01")  # not a date: refused in words, nothing created (one draft below)
    user.find(marker="drafts-create").click()
    await user.should_see("hạn trả lời không phải một ngày", retries=20)
    due = services.outgoing.today() + timedelta(days=14)
    _set(user, "drafts-field-reply-due", due.isoformat())  # as the browser's date picker gives it
    user.find(marker="drafts-create").click()
    await user.should_see(marker="drafts-draft-title", retries=30)
    await user.should_see("Đang soạn thảo")
    await user.should_see("KT. CHI CỤC TRƯỞNG / PHÓ CHI CỤC TRƯỞNG / Trần Thị Lan")
    await user.should_see(due.strftime("%d/%m/%Y"))  # Hạn trả lời on the draft's page
    await user.open("/documents/drafts")
    [row] = await table_rows(user, "drafts-mine")
    draft_id = row["id"]
    await user.open(f"/documents/drafts?id={draft_id}")
    user.find(marker="drafts-submit").click()  # no file yet: refused in words, nothing moves
    await user.should_see("dự thảo chưa có tệp", retries=20)
    await _upload(user, "du-thao-1.pdf", pdf_bytes("Dự thảo lần 1"))
    user.find(marker="drafts-submit").click()
    await user.should_see("Chờ lãnh đạo đơn vị duyệt", retries=30)
    await user.open("/documents/drafts")
    mine = await table_rows(user, "drafts-mine")
    assert [(r["subject"], r["state"]) for r in mine] == [
        ("Quyết định cử cán bộ đi công tác", "Chờ lãnh đạo đơn vị duyệt")
    ]
    await sign_out(user)

    user = await sign_in_through_form(ui_user, head, "/documents/drafts")
    await user.open("/documents/drafts")
    review = await table_rows(user, "drafts-review")
    assert [r["id"] for r in review] == [draft_id]
    await user.open(f"/documents/drafts?id={draft_id}")
    user.find(marker="drafts-comment").type("Bổ sung căn cứ pháp lý")
    user.find(marker="drafts-send-comment").click()
    await user.should_see("(v1): Bổ sung căn cứ pháp lý", retries=30)
    user.find(marker="drafts-return").click()  # no reason: refused
    await user.should_see("thiếu lý do trả lại", retries=20)
    user.find(marker="drafts-return-reason").type("Thiếu căn cứ")
    user.find(marker="drafts-return").click()
    await user.should_see("Trả lại để sửa", retries=30)
    await sign_out(user)

    user = await sign_in_through_form(ui_user, drafter, "/documents/drafts")
    await user.open(f"/documents/drafts?id={draft_id}")
    await user.should_see("Thiếu căn cứ")
    await _upload(user, "du-thao-2.pdf", pdf_bytes("Dự thảo lần 2"))
    user.find(marker="drafts-submit").click()
    await user.should_see("Chờ lãnh đạo đơn vị duyệt", retries=30)
    await sign_out(user)

    user = await sign_in_through_form(ui_user, head, "/documents/drafts")
    await user.open(f"/documents/drafts?id={draft_id}")
    user.find(marker="drafts-forward").click()
    await user.should_see("Chờ lãnh đạo ký duyệt", retries=30)
    await sign_out(user)

    user = await sign_in_through_form(ui_user, leader, "/documents/drafts")
    await user.open("/documents/drafts")
    assert [r["id"] for r in await table_rows(user, "drafts-sign")] == [draft_id]
    await user.open(f"/documents/drafts?id={draft_id}")
    user.find(marker="drafts-approve").click()
    await user.should_see("Chờ văn thư phát hành", retries=30)
    await user.should_not_see(marker="drafts-release")  # the leader does not release
    await sign_out(user)

    user = await sign_in_through_form(ui_user, clerk, "/documents/drafts")
    await user.open("/documents/drafts")
    assert [r["id"] for r in await table_rows(user, "drafts-release")] == [draft_id]
    await user.open(f"/documents/drafts?id={draft_id}")
    user.find(marker="drafts-release").click()
    await user.should_see("Đã phát hành: Số: 01/QĐ-HQKV2", retries=60)
    await user.open("/documents/drafts")
    released = await table_rows(user, "drafts-released")
    assert [(r["id"], r["number"]) for r in released] == [(draft_id, "Số: 01/QĐ-HQKV2")]
    await sign_out(user)

    after = services.outgoing.draft(SETUP_ADMIN, draft_id)
    assert after.state is DraftState.RELEASED
    assert [s.step for s in after.steps] == ["submit", "return", "submit", "forward", "approve", "release"]
    sent = services.documents.document(SETUP_ADMIN, after.document_id)
    assert (after.reply_due, sent.due_date) == (due, due)
    [file] = sent.files
    assert file.filename == "du-thao-2.pdf"
    [check] = check_pdf(services.documents.store.get(file.sha256), load_trust_roots([pki.ca_cert]))
    assert check.holds

    user = await sign_in_through_form(ui_user, stranger, "/documents/drafts")
    await user.open(f"/documents/drafts?id={draft_id}")  # not a participant: "no draft", nothing of it shown
    await user.should_see(marker="drafts-draft-problem")
    await user.should_not_see("Quyết định cử cán bộ đi công tác")
    await open_refused(user, "/documents/incoming")
