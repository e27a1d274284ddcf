"""Who sees what (issue 15 item 6) on a real PostgreSQL and content store: a secret document is seen only
by an account cleared for its level AND involved with it — never by an uncleared văn thư, not through
the register, the search or its files; every opening is audited (refused ones too); a leader grants it
to another cleared account; its PDF is downloaded with the viewer's name and the time on every page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from hub.access import AccessDenied
from hub.db import open_pool
from hub.documents.files import FileRules, Upload
from hub.documents.handling.models import HandlerSpec
from hub.documents.models import UnknownDocument
from hub.documents.secrecy.models import SecrecyError
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.search.models import Query
from hub.search.service import SearchService
from tests.hub.documents.conftest import Clock, People, make_user
from tests.hub.documents.test_capture import pdf_bytes


@pytest.fixture
def service(database_url: str, people: People, clock: Clock, tmp_path: Path) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-secrecy")
    try:
        found = DocumentsService(pool, clock, file_rules=FileRules(max_bytes=200_000), store=ContentStore(tmp_path))
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _audit(conn: psycopg.Connection, action: str) -> list[tuple[str, str, dict]]:
    rows = conn.execute(
        "SELECT actor, entity_id, after FROM audit_log WHERE action = %s ORDER BY id", (action,)
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def test_a_secret_document_is_seen_only_by_cleared_and_involved_people(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    secrecy = service.secrecy
    search = SearchService(service.pool)
    secret_clerk = make_user(org, "van-thu-mat", (("clerk", "CCHQNB"),))
    handler = make_user(org, "chuyen-vien", (("employee", "DOI1"),))
    outsider = make_user(org, "can-bo-mat", (("employee", "CHQHCM"),))  # cleared, but not involved
    # clearances are data a system admin sets, audited; nobody else may
    with pytest.raises(AccessDenied):
        secrecy.set_clearance(people.manager, "van-thu-mat", 2)
    assert secrecy.set_clearance(people.admin, "van-thu-mat", 2, "QĐ 12/QĐ-HQKV2").level == 2
    for name in ("lanh-dao", "chuyen-vien", "can-bo-mat"):
        secrecy.set_clearance(people.admin, name, 1)
    assert [(c.username, c.level) for c in secrecy.clearances(people.admin)][0] == ("van-thu-mat", 2)
    assert _audit(org, "documents.clearance_set")[0][2] == {"level": 2, "basis": "QĐ 12/QĐ-HQKV2"}

    # the cleared văn thư registers a secret incoming document with its PDF, and a plain one
    doc = service.register_incoming(
        secret_clerk, "CCHQNB", type_key="cong_van", code_number="15", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Kế hoạch kiểm soát chống buôn lậu",
        secrecy=1, files=[Upload("ke-hoach.pdf", pdf_bytes("Kế hoạch kiểm soát"))],
    )  # fmt: skip
    plain = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="16", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Kế hoạch tập huấn",
    )  # fmt: skip
    file_id = doc.files[0].id

    # the uncleared văn thư of the same unit: not in the register, not in the search, not openable
    assert [d.id for d in service.register_page(people.clerk, "CCHQNB", 2026, "den").entries] == [plain.id]
    for words in ("ke hoach kiem soat", "Kế hoạch", "chong buon lau"):
        page = search.search(people.clerk, Query(words))
        assert doc.id not in {h.ref_id for h in page.hits}
    assert search.search(people.clerk, Query("buon lau")).total == 0
    for open_it in (
        lambda p: service.document(p, doc.id),
        lambda p: service.file(p, doc.id, file_id),
        lambda p: service.file_text(p, doc.id, file_id),
    ):
        for who in (people.clerk, people.admin, outsider, people.other_clerk):  # no role reaches it alone
            with pytest.raises(UnknownDocument):
                open_it(who)
    refused = _audit(org, "documents.secret_refused")
    assert ("van-thu", str(doc.id)) in {(a, e) for a, e, _ in refused} and len(refused) == 12

    # who registered it, cleared: the register, the search, the document, each opening audited
    assert [d.id for d in service.register_page(secret_clerk, "CCHQNB", 2026, "den").entries] == [doc.id, plain.id]
    hits = search.search(secret_clerk, Query("chong buon lau"))
    assert [h.ref_id for h in hits.hits] == [doc.id] and hits.total == 1
    assert search.search(secret_clerk, Query("ke hoach", register="den")).total == 2
    assert service.document(secret_clerk, doc.id).subject == "Kế hoạch kiểm soát chống buôn lậu"
    # the cleared leader of the unit (the person it is presented to) sees it and assigns it
    assert search.search(people.manager, Query("buon lau")).total == 1
    service.handling.assign(people.manager, doc.id, HandlerSpec(date(2026, 1, 20), username="chuyen-vien"))
    # the handler, cleared, sees it now; found through search although it is of another unit's register
    assert service.document(handler, doc.id).id == doc.id
    assert [h.ref_id for h in search.search(handler, Query("buon lau")).hits] == [doc.id]
    opened = _audit(org, "documents.secret_open")
    assert [(a, e, x["what"]) for a, e, x in opened] == [
        ("van-thu-mat", str(doc.id), "document"), ("chuyen-vien", str(doc.id), "document"),
    ]  # fmt: skip

    # cleared but not involved: nothing, until a cleared leader grants it (and withdraws it)
    assert search.search(outsider, Query("buon lau")).total == 0
    with pytest.raises(AccessDenied):  # the văn thư is involved and cleared, but grants are a leader's
        secrecy.grant(secret_clerk, doc.id, "can-bo-mat")
    with pytest.raises(SecrecyError, match="chưa được cấp quyền"):  # the grantee must be cleared
        secrecy.grant(people.manager, doc.id, "van-thu")
    grant = secrecy.grant(people.manager, doc.id, "can-bo-mat", "Phối hợp kiểm tra")
    assert grant.username == "can-bo-mat"
    assert search.search(outsider, Query("buon lau")).total == 1
    assert service.document(outsider, doc.id).id == doc.id
    secrecy.revoke(people.manager, doc.id, "can-bo-mat")
    with pytest.raises(UnknownDocument):
        service.document(outsider, doc.id)
    assert [g.revoked_by for g in secrecy.grants(people.manager, doc.id)] == ["lanh-dao"]
    assert [x["to"] for _, _, x in _audit(org, "documents.secret_grant")] == ["can-bo-mat"]

    # a level above one's clearance: not even the registrar's own, once marked higher
    org.execute("UPDATE documents SET secrecy = 2 WHERE id = %s", (doc.id,))
    with pytest.raises(UnknownDocument):
        service.document(handler, doc.id)  # cleared for mật only
    assert service.document(secret_clerk, doc.id).secrecy == 2
    # withdrawing the clearance closes it again
    secrecy.set_clearance(people.admin, "van-thu-mat", 0)
    assert search.search(secret_clerk, Query("buon lau")).total == 0
    with pytest.raises(UnknownDocument):
        service.document(secret_clerk, doc.id)


def test_a_secret_pdf_is_downloaded_with_the_viewers_name_and_time(
    service: DocumentsService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    secret_clerk = make_user(org, "van-thu-mat", (("clerk", "CCHQNB"),))
    service.secrecy.set_clearance(people.admin, "van-thu-mat", 3)
    original = pdf_bytes("Nội dung tuyệt mật")
    doc = service.register_incoming(
        secret_clerk, "CCHQNB", type_key="cong_van", code_number="7", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Phương án bảo vệ", secrecy=3,
        files=[Upload("phuong-an.pdf", original)],
    )  # fmt: skip
    found, data = service.file(secret_clerk, doc.id, doc.files[0].id)
    assert found.content_type == "application/pdf" and data != original
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Nội dung tuyệt mật" in text
    # 2026-01-05 02:00 UTC is 09:00 in Hà Nội
    assert "TUYỆT MẬT — Người xem: van-thu-mat (van-thu-mat) — 09:00 05/01/2026" in text
    # the stored file is unchanged; a plain document's PDF is handed out as stored
    assert service.store is not None and service.store.get(found.sha256) == original
    plain = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="8", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Thường",
        files=[Upload("thuong.pdf", original)],
    )  # fmt: skip
    assert service.file(people.clerk, plain.id, plain.files[0].id)[1] == original
    assert [x["what"] for _, _, x in _audit(org, "documents.secret_open")] == ["file"]
