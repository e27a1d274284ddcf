"""Registers and numbers on a real PostgreSQL: gap-free, never duplicated, under 50 concurrent clerks and
transactions failing half-way; a new year starts at 01; the series and types are data."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import psycopg
import pytest

from hub.accounts.models import AccessDenied
from hub.db import open_pool
from hub.documents.models import DocumentError, NoSeal, SeriesKind, UnknownDocumentType, UnknownRegisterUnit
from hub.documents.service import DocumentsService
from tests.hub.documents.conftest import Clock, People


class Boom(RuntimeError):
    pass


def _boom(_conn: psycopg.Connection) -> None:
    raise Boom("failed after taking a number")


def test_the_29_types_and_three_copy_forms_are_data(documents: DocumentsService) -> None:
    types = documents.types()
    kinds = [t for t in types if t.category == "document"]
    assert len(kinds) == 29
    assert [t.name_vi for t in kinds if t.abbreviation is None] == ["Công văn", "Thư công"]
    abbreviations = {t.abbreviation for t in types if t.abbreviation}
    assert {"QyĐ", "CTr", "TTr", "TrS", "QĐ", "HĐ", "ĐA", "DA", "CĐ", "GNP", "SY", "SL"} <= abbreviations
    assert "CV" not in abbreviations and len(abbreviations) == 30
    assert {t.key: t.abbreviation for t in types}["thong_cao"] == "TC"
    assert all(t.basis and t.valid_from == date(2020, 3, 5) for t in types)


def test_outgoing_numbers_symbols_and_date_line(documents: DocumentsService, people: People) -> None:
    first = documents.register_outgoing(people.clerk, "CCHQNB", type_key="cong_van", subject="Về việc A", drafter="VP")
    assert (first.number, first.number_line, first.date_line) == (
        1,
        "Số: 01/HQKV2-VP",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
    )
    second = documents.register_outgoing(people.clerk, "CCHQNB", type_key="QĐ", subject="Quyết định B")
    assert second.number_line == "Số: 02/QĐ-HQKV2" and second.series_code == "di"
    assert second.organ_name == "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài"
    # a secret document has its own series; copies share one
    secret = documents.register_outgoing(people.clerk, "CCHQNB", type_key="BC", subject="Báo cáo mật", secrecy=1)
    assert (secret.series_code, secret.number_line) == ("mat", "Số: 01/BC-HQKV2")
    copies = [documents.register_outgoing(people.clerk, "CCHQNB", type_key=k, subject="Sao") for k in ("SY", "TrS")]
    assert [(c.series_code, c.number_line) for c in copies] == [("sao", "Số: 01/SY"), ("sao", "Số: 02/TrS")]
    registers = {r.series_code: r.last_number for r in documents.registers(people.manager, "CCHQNB", 2026)}
    assert registers == {"den": 0, "di": 2, "mat": 1, "sao": 2}


def test_incoming_register_gives_so_den(documents: DocumentsService, people: People) -> None:
    doc = documents.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="7816", code_notation="VPCP-TTĐT",
        organ_name="Văn phòng Chính phủ", issued_date=date(2025, 12, 30), subject="Về việc triển khai",
    )  # fmt: skip
    assert (doc.series_code, doc.number, doc.arrival_date) == ("den", 1, date(2026, 1, 5))
    assert doc.number_line == "Số: 7816/VPCP-TTĐT"
    page = documents.register_page(people.manager, "CCHQNB", 2026, "den")
    assert page.total == 1 and page.entries[0].organ_name == "Văn phòng Chính phủ"


def test_fifty_concurrent_clerks_and_ten_failures_leave_one_to_fifty(
    database_url: str, documents: DocumentsService, people: People, clock: Clock
) -> None:
    pool = open_pool(database_url, max_size=60, name="cces-documents-race", wait_s=60)
    service = DocumentsService(pool, clock)
    start = threading.Barrier(60)
    errors: list[BaseException] = []
    numbers: list[int] = []
    lock = threading.Lock()

    def clerk(i: int) -> None:
        start.wait()
        try:
            doc = service.register_outgoing(
                people.clerk, "CCHQNB", type_key="cong_van", subject=f"Công văn {i}", drafter="VP",
                fail_after_number=_boom if i % 6 == 5 else None,
            )  # fmt: skip
            with lock:
                numbers.append(doc.number)
        except Boom:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=clerk, args=(i,)) for i in range(60)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        pool.close()
    assert errors == []
    assert sorted(numbers) == list(range(1, 51))
    page = documents.register_page(people.clerk, "CCHQNB", 2026, "di", limit=500)
    assert [d.number for d in page.entries] == list(range(1, 51)) and page.total == 50
    assert page.register.last_number == 50
    assert len({d.code_number for d in page.entries}) == 50


def test_a_failed_transaction_gives_its_number_back(documents: DocumentsService, people: People) -> None:
    documents.register_outgoing(people.clerk, "CCHQNB", type_key="TB", subject="Một")
    with pytest.raises(Boom):
        documents.register_outgoing(people.clerk, "CCHQNB", type_key="TB", subject="Hai", fail_after_number=_boom)
    third = documents.register_outgoing(people.clerk, "CCHQNB", type_key="TB", subject="Ba")
    assert third.number_line == "Số: 02/TB-HQKV2"
    entries = documents.register_page(people.clerk, "CCHQNB", 2026, "di").entries
    assert [(d.number, d.subject) for d in entries] == [(1, "Một"), (2, "Ba")]


def test_numbers_restart_at_01_on_1_january_in_hanoi(documents: DocumentsService, people: People, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31 December in Hà Nội
    for _ in range(3):
        last = documents.register_outgoing(people.clerk, "CCHQNB", type_key="KH", subject="Kế hoạch")
    assert (last.number, last.date_line) == (3, "Hà Nội, ngày 31 tháng 12 năm 2026")
    clock.now = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1 January 2027 in Hà Nội
    new = documents.register_outgoing(people.clerk, "CCHQNB", type_key="KH", subject="Kế hoạch năm mới")
    assert (new.year, new.number_line, new.date_line) == (2027, "Số: 01/KH-HQKV2", "Hà Nội, ngày 01 tháng 01 năm 2027")
    incoming = documents.register_incoming(
        people.clerk, "CCHQNB", type_key="GM", code_number="5", code_notation="GM-BTC", organ_name="Bộ Tài chính",
        issued_date=date(2026, 12, 30), subject="Mời họp",
    )  # fmt: skip
    assert (incoming.year, incoming.number) == (2027, 1)
    assert {r.series_code: r.last_number for r in documents.registers(people.clerk, "CCHQNB", 2026)}["di"] == 3


def test_units_keep_their_own_series(documents: DocumentsService, people: People) -> None:
    documents.set_issuer(people.admin, "CHQHCM", "HQHCM", "TP. Hồ Chí Minh")
    documents.register_outgoing(people.clerk, "CCHQNB", type_key="QĐ", subject="A")
    other = documents.register_outgoing(people.other_clerk, "CHQHCM", type_key="QĐ", subject="B")
    assert (other.number_line, other.date_line) == ("Số: 01/QĐ-HQHCM", "TP. Hồ Chí Minh, ngày 05 tháng 01 năm 2026")


def test_series_are_data_an_admin_configures(documents: DocumentsService, people: People) -> None:
    # the unit's own administrative series adds the drafting unit to typed symbols
    saved = documents.set_series(
        people.office, "CCHQNB", code="di", kind="administrative", name_vi="Sổ văn bản đi", name_en="Outgoing",
        notation_typed="{type}-{issuer}-{drafter}",
    )  # fmt: skip
    assert saved.unit_id is not None
    doc = documents.register_outgoing(people.clerk, "CCHQNB", type_key="TTr", subject="Tờ trình", drafter="TCCB")
    assert doc.number_line == "Số: 01/TTr-HQKV2-TCCB"
    # a Hội đồng using the agency seal: its own series, chosen by code
    documents.set_series(
        people.office, "CCHQNB", code="hoi_dong", kind="other", name_vi="Sổ Hội đồng thi đua",
        name_en="Emulation council", notation_typed="{type}-HĐTĐ",
    )  # fmt: skip
    council = documents.register_outgoing(people.clerk, "CCHQNB", type_key="QĐ", subject="Khen", series_code="hoi_dong")
    assert council.number_line == "Số: 01/QĐ-HĐTĐ"
    with pytest.raises(AccessDenied):
        documents.set_series(people.office, None, code="di", kind="administrative", name_vi="X", name_en="X")
    with pytest.raises(AccessDenied):
        documents.set_series(people.clerk, "CCHQNB", code="x", kind="other", name_vi="X", name_en="X")
    assert {s.code for s in documents.series("CHQHCM")} == {"den", "di", "mat", "sao"}


def test_bad_input_is_refused_in_vietnamese_and_english_and_nothing_is_taken(
    documents: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cases = [
        (UnknownDocumentType, "không có loại văn bản 'qđ'.* / no document type 'qđ'", {"type_key": "qđ"}),
        (UnknownDocumentType, "no document type 'CV'", {"type_key": "CV"}),
        (DocumentError, "thiếu trích yếu / subject is required", {"subject": "  "}),
        (DocumentError, "trích yếu quá dài.* / subject is longer than 500", {"subject": "x" * 501}),
        (DocumentError, "đơn vị soạn thảo chỉ gồm.* / drafting unit is letters", {"drafter": "V P"}),
        (DocumentError, "độ mật từ 0.* / secrecy is 0", {"secrecy": 7}),
        (DocumentError, "độ khẩn từ 0.* / urgency is 0", {"urgency": -1}),
        (DocumentError, "văn bản mật có sổ riêng / secret documents have their own series",
         {"secrecy": 2, "series_code": "di"}),
        (DocumentError, "sổ den không dùng cho văn bản đi / series den is not for outgoing", {"series_code": "den"}),
        (DocumentError, "bản sao.* / copies", {"type_key": "SY", "series_code": "di"}),
    ]  # fmt: skip
    for error, message, change in cases:
        with pytest.raises(error, match=message):
            documents.register_outgoing(
                people.clerk, "CCHQNB", **({"type_key": "QĐ", "subject": "Quyết định"} | change)
            )
    with pytest.raises(UnknownRegisterUnit, match="không có đơn vị 'NOPE' / no unit 'NOPE'"):
        documents.register_outgoing(people.clerk, "NOPE", type_key="QĐ", subject="X")
    with pytest.raises(DocumentError, match="chưa khai báo địa danh.* / unit CHQHN has no place set"):
        documents.register_outgoing(people.admin, "CHQHN", type_key="QĐ", subject="X")
    with pytest.raises(DocumentError, match="sau ngày đến .* / the document's date .* is after its arrival"):
        documents.register_incoming(
            people.clerk, "CCHQNB", type_key="QĐ", code_number="1", code_notation="QĐ-BTC", organ_name="BTC",
            issued_date=date(2026, 1, 6), subject="X",
        )  # fmt: skip
    with pytest.raises(AccessDenied, match="không có quyền .* / not allowed"):
        documents.register_outgoing(people.other_clerk, "CCHQNB", type_key="QĐ", subject="X")
    with pytest.raises(AccessDenied):
        documents.register_outgoing(people.manager, "CCHQNB", type_key="QĐ", subject="X")
    org.execute("UPDATE org_units SET has_seal = false WHERE code = 'DOI1'")
    with pytest.raises(NoSeal, match="không có con dấu riêng.* / unit DOI1 has no seal"):
        documents.register_outgoing(people.clerk, "DOI1", type_key="QĐ", subject="X")
    assert all(r.last_number == 0 for r in documents.registers(people.clerk, "CCHQNB", 2026))
    assert org.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_secret_entries_show_only_to_cleared_people_involved(documents: DocumentsService, people: People) -> None:
    """The register's side of hub.documents.secrecy (tests/hub/documents/test_secrecy.py has the rest)."""
    documents.register_outgoing(people.clerk, "CCHQNB", type_key="BC", subject="Mật", secrecy=1)
    assert documents.register_page(people.clerk, "CCHQNB", 2026, "mat").total == 0  # registered it, not cleared
    assert documents.register_page(people.manager, "CCHQNB", 2026, "mat").total == 0
    documents.secrecy.set_clearance(people.admin, "van-thu", 1)
    assert documents.register_page(people.clerk, "CCHQNB", 2026, "mat").total == 1
    assert documents.register_page(people.manager, "CCHQNB", 2026, "mat").total == 0
    documents.secrecy.set_clearance(people.admin, "lanh-dao", 1)  # the unit's cleared leader
    assert documents.register_page(people.manager, "CCHQNB", 2026, "mat").total == 1
    assert documents.register_page(people.admin, "CCHQNB", 2026, "mat").total == 0  # no role reaches it alone
    assert SeriesKind.SECRET in {r.kind for r in documents.registers(people.manager, "CCHQNB", 2026)}


def test_an_internal_outgoing_document_arrives_in_the_receiving_units_incoming_register(
    documents: DocumentsService, people: People
) -> None:
    documents.register_incoming(
        people.other_clerk, "CHQHCM", type_key="GM", code_number="5", code_notation="GM-BTC",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Mời họp",
    )  # fmt: skip
    sent = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="cong_van", subject="Về việc phối hợp", drafter="VP",
        recipients=["CHQHCM", "DOI1"], urgency=1,
    )  # fmt: skip
    assert sent.number_line == "Số: 01/HQKV2-VP"
    hcm = documents.register_page(people.admin, "CHQHCM", 2026, "den").entries
    assert [(d.number, d.number_line, d.organ_name, d.source_id, d.urgency) for d in hcm][-1] == (
        2, "Số: 01/HQKV2-VP", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài", sent.id, 1,
    )  # fmt: skip
    doi = documents.register_page(people.clerk, "DOI1", 2026, "den").entries
    assert [(d.number, d.subject, d.arrival_date) for d in doi] == [(1, "Về việc phối hợp", date(2026, 1, 5))]
    with pytest.raises(UnknownRegisterUnit):
        documents.register_outgoing(people.clerk, "CCHQNB", type_key="TB", subject="X", recipients=["DOI1", "NOPE"])
    with pytest.raises(DocumentError, match="chính mình / a unit does not send a document to itself"):
        documents.register_outgoing(people.clerk, "CCHQNB", type_key="TB", subject="X", recipients=["CCHQNB"])
    # a failure while delivering takes back the sender's number too
    assert {r.series_code: r.last_number for r in documents.registers(people.clerk, "CCHQNB", 2026)}["di"] == 1
    assert documents.register_page(people.clerk, "DOI1", 2026, "den").total == 1


def test_a_duplicate_incoming_document_is_registered_with_a_warning(
    documents: DocumentsService, people: People
) -> None:
    fields = {"type_key": "cong_van", "code_number": "7816", "code_notation": "VPCP-TTĐT",
              "organ_name": "Văn phòng Chính phủ", "issued_date": date(2025, 12, 30),
              "subject": "Về việc A"}  # fmt: skip
    first = documents.register_incoming(people.clerk, "CCHQNB", **fields)
    assert first.duplicates == ()
    other = documents.register_incoming(people.clerk, "CCHQNB", **(fields | {"code_number": "7817"}))
    again = documents.register_incoming(people.clerk, "CCHQNB", **(fields | {"organ_name": "văn phòng chính phủ"}))
    assert (other.duplicates, again.duplicates, again.number) == ((), (first.id,), 3)
