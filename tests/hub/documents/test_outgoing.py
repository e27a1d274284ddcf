"""Outgoing documents (issue 15 item 3) on the real database and a real content store: drafts with versions
and comments, the chain drafter → head of unit → signing leader with a signing prefix, return for editing,
the number taken only at release (gap-free, also when the release fails), recipients inside (their incoming
registers) and outside, a PAdES signature with a CA made in the test, and revocation / replacement freezing
the original with their trail."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fpdf import FPDF
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from hub.db import open_pool
from hub.documents.files import FileRules, Upload
from hub.documents.handling.models import HandlerSpec
from hub.documents.models import FrozenDocument
from hub.documents.outgoing.models import (
    DraftConflict,
    DraftError,
    DraftState,
    LinkKind,
    Recipient,
    UnknownDraft,
)
from hub.documents.outgoing.service import OutgoingService
from hub.documents.service import DocumentsService
from hub.documents.signatures import AgencySigner, check_pdf, load_trust_roots
from hub.files import ContentStore
from hub.reports.export_pdf import PdfFonts
from tests.hub.documents.conftest import Clock, People, make_user
from tests.hub.documents.pki import Pki, make_pki


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(PdfFonts.installed().regular))
    pdf.set_font("DejaVu", size=14)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def stamps(data: bytes) -> list[tuple[list[float], str]]:
    """Each signature widget of the last page: its rectangle and the text its appearance shows (read with
    pypdf through the appearance's nested form XObjects)."""
    page = PdfReader(io.BytesIO(data)).pages[-1]

    def text_of(xobject: Any) -> str:
        resources = xobject.get("/Resources", {})
        own = page.extract_xform_text(xobject) if "/Font" in resources else ""
        return own + "".join(text_of(x.get_object()) for x in resources.get("/XObject", {}).values())

    found = []
    for annot in page.get("/Annots", []):
        widget = annot.get_object()
        if widget.get("/FT") == "/Sig":
            found.append(([float(v) for v in widget["/Rect"]], text_of(widget["/AP"]["/N"].get_object()).strip()))
    return found


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "pki")


@pytest.fixture
def outgoing(database_url: str, people: People, clock: Clock, tmp_path: Path, pki: Pki) -> Iterator[OutgoingService]:
    pool = open_pool(database_url, max_size=4, name="cces-outgoing-test")
    try:
        documents = DocumentsService(
            pool, clock, file_rules=FileRules(trust_roots=pki.ca_cert), store=ContentStore(tmp_path / "files"),
            work_dir=tmp_path,
        )  # fmt: skip
        documents.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield OutgoingService(documents, AgencySigner(pki.key, pki.cert))
    finally:
        pool.close()


@pytest.fixture
def team(org: psycopg.Connection, people: People) -> dict:
    return {
        "drafter": make_user(org, "chuyen-vien", (("employee", "DOI1"),)),
        "head": make_user(org, "doi-truong", (("manager", "DOI1"),)),
        "stranger": make_user(org, "nguoi-ngoai", (("employee", "CHQHCM"),)),
        "hcm_head": make_user(org, "lanh-dao-hcm", (("manager", "CHQHCM"),)),
    }


def new_draft(outgoing: OutgoingService, team: dict, **extra: object):
    fields = {
        "type_key": "QĐ", "subject": "Quyết định về việc cử cán bộ đi công tác", "signer": "lanh-dao",
        "signer_position": "PHÓ CHI CỤC TRƯỞNG", "signer_name": "Trần Thị Lan", "drafting_unit_code": "DOI1",
        "reviewer": "doi-truong", "signing_prefix": "KT.", "authority_title": "CHI CỤC TRƯỞNG",
        "drafter_notation": "Đ1",
        "recipients": [Recipient(unit_code="CHQHCM"), Recipient(organ_name="Bộ Tài chính", organ_id="000.00.00.G12")],
        "file": Upload("du-thao.pdf", pdf_bytes("Dự thảo lần 1")),
    } | extra  # fmt: skip
    return outgoing.create(team["drafter"], "CCHQNB", **fields)


def approve_all(outgoing: OutgoingService, team: dict, people: People, draft_id: int) -> None:
    outgoing.submit(team["drafter"], draft_id)
    outgoing.forward(team["head"], draft_id)
    outgoing.approve(people.manager, draft_id)


def test_the_chain_with_a_return_and_release_takes_the_number_signs_and_delivers(
    outgoing: OutgoingService, team: dict, people: People, pki: Pki
) -> None:
    documents = outgoing.documents
    draft = new_draft(outgoing, team)
    assert draft.state is DraftState.DRAFTING and [v.version for v in draft.versions] == [1]
    assert draft.signature_block == ["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "Trần Thị Lan"]
    assert draft.to_places.splitlines() == ["- CHQHCM;", "- Bộ Tài chính;", "- Lưu: VT, Đ1."]
    outgoing.comment(team["head"], draft.id, "Sửa căn cứ pháp lý", version=1)
    outgoing.submit(team["drafter"], draft.id, note="Kính trình")
    with pytest.raises(DraftConflict, match="đang ở bước chờ lãnh đạo đơn vị duyệt"):
        outgoing.add_version(team["drafter"], draft.id, Upload("v2.pdf", pdf_bytes("Lần 2")))
    with pytest.raises(DraftConflict, match="không chờ anh/chị"):  # a manager of the unit, but not the reviewer
        outgoing.forward(people.manager, draft.id)
    returned = outgoing.return_(team["head"], draft.id, note="Bổ sung căn cứ")
    assert returned.state is DraftState.RETURNED
    outgoing.add_version(team["drafter"], draft.id, Upload("du-thao-2.pdf", pdf_bytes("Dự thảo lần 2")), note="Sửa")
    approve_all(outgoing, team, people, draft.id)
    # nothing was numbered before the release
    assert {r.series_code: r.last_number for r in documents.registers(people.clerk, "CCHQNB", 2026)}["di"] == 0
    with pytest.raises(DraftConflict):
        outgoing.approve(people.manager, draft.id)  # approved already
    inbox = {(i.draft.id, i.waiting_for) for i in outgoing.inbox(people.clerk)}
    assert (draft.id, "release") in inbox

    sent = outgoing.release(people.clerk, draft.id)
    assert sent.number_line == "Số: 01/QĐ-HQKV2" and sent.date_line == "Hà Nội, ngày 05 tháng 01 năm 2026"
    assert sent.signer_position == "KT. CHI CỤC TRƯỞNG - PHÓ CHI CỤC TRƯỞNG" and sent.signer_name == "Trần Thị Lan"
    assert "Bộ Tài chính" in (sent.to_places or "")
    [file] = sent.files
    assert file.filename == "du-thao-2.pdf"
    [signature] = file.signatures
    assert (signature.signer_name, signature.intact, signature.valid, signature.trusted) == (
        "Chi cục Hải quan khu vực II", True, True, True,
    )  # fmt: skip
    signed = documents.store.get(file.sha256)
    assert check_pdf(signed, load_trust_roots([pki.ca_cert]))[0].holds
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert str(embedded.sig_object["/Reason"]) == "Số: 01/QĐ-HQKV2"  # the number is inside the signed bytes
    # the signature is visible: its widget at the foot of the last page shows signer, position, number, time
    [(rect, shown)] = stamps(signed)
    assert rect[0] > 0 and rect[2] - rect[0] > 100 and rect[3] - rect[1] > 40
    assert shown.splitlines() == [
        "Người ký: Trần Thị Lan", "Chức vụ: KT. CHI CỤC TRƯỞNG - PHÓ CHI CỤC TRƯỞNG", "Số: 01/QĐ-HQKV2",
        "Thời gian ký: 2026-01-05T09:00:00+07:00",
    ]  # fmt: skip

    after = outgoing.draft(team["drafter"], draft.id)
    assert after.state is DraftState.RELEASED and after.document_id == sent.id
    assert [s.step for s in after.steps] == ["submit", "return", "submit", "forward", "approve", "release"]
    assert [c.body for c in after.comments] == ["Sửa căn cứ pháp lý"]
    # the inside recipient got it in its incoming register, with the signed file and its signer
    [copy] = documents.register_page(people.admin, "CHQHCM", 2026, "den").entries
    assert (copy.source_id, copy.number_line) == (sent.id, "Số: 01/QĐ-HQKV2")
    delivered = documents.document(people.admin, copy.id)
    assert delivered.files[0].sha256 == file.sha256 and delivered.files[0].signatures[0].trusted
    with pytest.raises(DraftConflict):
        outgoing.release(people.clerk, draft.id)  # once


def test_who_may_do_what_and_the_signing_prefixes_as_data(
    outgoing: OutgoingService, team: dict, people: People
) -> None:
    assert [p.label for p in outgoing.prefixes()] == ["TM.", "KT.", "TL.", "TUQ.", "Q."]
    with pytest.raises(DraftError, match="TUQ"):
        new_draft(outgoing, team, signing_prefix="XX.")
    with pytest.raises(DraftError, match="văn bản ủy quyền"):
        new_draft(outgoing, team, signing_prefix="TUQ.")  # TUQ. names its authorisation (Art. 13)
    tuq = new_draft(outgoing, team, signing_prefix="TUQ.", delegation="Giấy ủy quyền số 12/GUQ-HQKV2, đến 31/12/2026")
    assert tuq.signature_block[0] == "TUQ. CHI CỤC TRƯỞNG"
    with pytest.raises(DraftError, match="phải là tài khoản lãnh đạo"):
        new_draft(outgoing, team, signer="chuyen-vien")
    with pytest.raises(DraftError, match="chỉ người của đơn vị DOI1"):
        outgoing.create(
            team["stranger"], "CCHQNB", type_key="TB", subject="X", signer="lanh-dao", signer_position="CHI CỤC TRƯỞNG",
            signer_name="A", drafting_unit_code="DOI1",
        )  # fmt: skip
    draft = new_draft(outgoing, team)
    with pytest.raises(UnknownDraft):
        outgoing.draft(team["stranger"], draft.id)  # not taking part: as if it did not exist
    with pytest.raises(DraftConflict, match="chỉ người soạn thảo"):
        outgoing.submit(team["head"], draft.id)
    approve_all(outgoing, team, people, draft.id)
    with pytest.raises(Exception, match="phát hành văn bản đi"):  # a manager is no văn thư
        outgoing.release(people.manager, draft.id)
    edited = outgoing.return_(people.clerk, draft.id, note="Sai thể thức")  # the văn thư returns a wrong form
    assert edited.state is DraftState.RETURNED
    changed = outgoing.edit(team["drafter"], draft.id, subject="Quyết định (sửa thể thức)", reviewer=None)
    assert changed.subject == "Quyết định (sửa thể thức)" and changed.reviewer is None
    assert outgoing.submit(team["drafter"], draft.id).state is DraftState.SIGNING  # no reviewer: to the signer


def test_a_release_that_fails_after_taking_its_number_gives_it_back(
    outgoing: OutgoingService, team: dict, people: People
) -> None:
    first, second = new_draft(outgoing, team), new_draft(outgoing, team, subject="Thông báo lịch trực")
    for d in (first, second):
        approve_all(outgoing, team, people, d.id)

    def fail(conn: psycopg.Connection) -> None:
        raise RuntimeError("mất điện")

    with pytest.raises(RuntimeError):
        outgoing.release(people.clerk, first.id, fail_after_number=fail)
    assert outgoing.draft(people.clerk, first.id).state is DraftState.APPROVED
    assert outgoing.release(people.clerk, second.id).number == 1
    assert outgoing.release(people.clerk, first.id).number == 2
    registers = outgoing.documents.registers(people.clerk, "CCHQNB", 2026)
    assert {r.series_code: r.last_number for r in registers}["di"] == 2


def test_revocation_freezes_the_original_and_its_copies_and_keeps_the_trail(
    outgoing: OutgoingService, team: dict, people: People, database_url: str
) -> None:
    draft = new_draft(outgoing, team)
    approve_all(outgoing, team, people, draft.id)
    original = outgoing.release(people.clerk, draft.id)
    [copy] = outgoing.documents.register_page(people.admin, "CHQHCM", 2026, "den").entries

    with pytest.raises(UnknownDraft):
        outgoing.revoke(people.clerk, 999999, reason="X")
    link = outgoing.revoke(people.clerk, original.id, reason="Ban hành sai thẩm quyền")
    assert link.kind is LinkKind.REVOKES
    assert outgoing.documents.document(people.clerk, original.id).frozen_kind == "revoked"
    assert outgoing.documents.document(people.admin, copy.id).frozen_kind == "revoked"
    with pytest.raises(FrozenDocument) as refused:
        outgoing.revoke(people.manager, original.id, reason="Lần nữa")
    assert refused.value.detail == (
        f"văn bản {original.id} đã bị thu hồi nên không thể thay đổi thêm / "
        f"document {original.id} has been revoked, so it can no longer be changed"
    )
    with pytest.raises(FrozenDocument):  # the receiving unit cannot assign a revoked copy
        outgoing.documents.handling.assign(
            team["hcm_head"], copy.id, HandlerSpec(unit_code="CHQHCM", deadline=copy.issued_date)
        )
    with psycopg.connect(database_url) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE documents SET subject = 'sửa lén' WHERE id = %s", (original.id,))
    assert [(x.kind, x.target_id) for x in outgoing.links(people.clerk, original.id)] == [
        (LinkKind.REVOKES, original.id)
    ]
    with psycopg.connect(database_url) as conn:
        audited = conn.execute(
            "SELECT action, after->>'original' FROM audit_log WHERE entity = 'document_link'"
        ).fetchall()
    assert audited == [("documents.revoke", str(original.id))]


def test_a_replacing_draft_freezes_the_original_at_its_release(
    outgoing: OutgoingService, team: dict, people: People
) -> None:
    first = new_draft(outgoing, team)
    approve_all(outgoing, team, people, first.id)
    original = outgoing.release(people.clerk, first.id)
    replacing = new_draft(outgoing, team, relates_kind="replaces", relates_to=original.id, subject="Thay thế QĐ 01")
    approve_all(outgoing, team, people, replacing.id)
    assert outgoing.documents.document(people.clerk, original.id).frozen_kind is None  # not before release
    newer = outgoing.release(people.clerk, replacing.id)
    assert newer.number_line == "Số: 02/QĐ-HQKV2"
    assert outgoing.documents.document(people.clerk, original.id).frozen_kind == "replaced"
    trail = outgoing.links(people.clerk, newer.id)
    assert [(x.kind, x.target_id, x.document_id) for x in trail] == [(LinkKind.REPLACES, original.id, newer.id)]
    with pytest.raises(FrozenDocument, match="đã bị thay thế"):  # a second one cannot replace it again
        new_draft(outgoing, team, relates_kind="updates", relates_to=original.id)
    with pytest.raises(DraftError, match="văn bản mới"):
        outgoing.revoke(people.clerk, newer.id, reason="x", kind="updates")


def test_a_signed_incoming_pdf_shows_its_signer_and_a_tampered_one_does_not_hold(
    outgoing: OutgoingService, people: People, pki: Pki
) -> None:
    signed = AgencySigner(pki.key, pki.cert).sign(pdf_bytes("Công văn"), reason="Số: 15/BTC-TCHQ", location="Hà Nội")
    tampered = bytearray(signed)
    tampered[signed.index(b"stream") + 12] ^= 0x01
    roots = load_trust_roots([pki.ca_cert])
    [good] = check_pdf(signed, roots)
    [bad] = check_pdf(bytes(tampered), roots)
    assert (good.intact, good.valid, good.trusted) == (True, True, True)
    assert (bad.intact, bad.valid, bad.trusted) == (False, False, False)
    assert check_pdf(signed, [])[0].trusted is False  # integrity holds, the root is not trusted here
    assert check_pdf(pdf_bytes("không ký"), roots) == []

    fields = {"type_key": "cong_van", "code_number": "15", "code_notation": "BTC-TCHQ", "organ_name": "Bộ Tài chính",
              "issued_date": outgoing.today(), "subject": "Về việc A"}  # fmt: skip
    doc = outgoing.documents.register_incoming(
        people.clerk, "CCHQNB", **fields, files=[Upload("a.pdf", signed), Upload("b.pdf", bytes(tampered))]
    )
    shown = outgoing.documents.document(people.clerk, doc.id)
    assert [(s.signer_name, s.holds, s.trusted) for f in shown.files for s in f.signatures] == [
        ("Chi cục Hải quan khu vực II", True, True), ("Chi cục Hải quan khu vực II", False, False),
    ]  # fmt: skip
