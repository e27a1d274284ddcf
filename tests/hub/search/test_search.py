"""Search on a real PostgreSQL: Vietnamese with or without diacritics, ranking and highlighted snippets,
the filters, and the rule book applied before ranking and counting (a secret document never shows)."""

from __future__ import annotations

import unicodedata
from datetime import date

import psycopg
import pytest

from hub.documents import repository as documents_repo
from hub.documents.indexing import document_entry
from hub.documents.models import Issuer
from hub.documents.service import DocumentsService
from hub.search import tags
from hub.search.fold import fold
from hub.search.index import prefixes, words
from hub.search.models import Query, SearchError
from hub.search.service import SearchService, match_query, snippet, tsquery
from tests.hub.documents.conftest import People

VIETNAMESE = "Quyết định nghỉ phép ĐỢT 2 của Đội Kiểm soát — Hỏa tốc, THƯỢNG KHẨN; ữ ỹ ẵ ệ ờ ợ"


def test_folding_and_the_query_words() -> None:
    assert fold("Quyết định nghỉ phép") == "quyet dinh nghi phep"
    assert fold("ĐỘI đội") == "doi doi"
    assert fold(unicodedata.normalize("NFD", VIETNAMESE)) == fold(VIETNAMESE)
    assert tsquery("Quyết định nghỉ phé") == "quyet & dinh & nghi & phe:*"
    assert tsquery("nghỉ p") == "nghi & p"  # one or two letters are not a prefix: they would match half the index
    assert tsquery("15/QĐ-HQKV2 ' & | ! :*") == "15 & qd & hqkv2:*"
    assert tsquery(" ;- ") is None
    # what the index is asked: the last word itself or a beginning of a longer word, both exact lookups
    assert match_query("Quyết định nghỉ phé") == "'quyet' & 'dinh' & 'nghi' & ('phe' | '^phe')"
    assert match_query("nghỉ p") == "'nghi' & 'p'"
    assert match_query("so 1234567890123") == "'so' & '1234567890123':*"  # longer than any kept beginning
    assert match_query(" ;- ") is None
    assert prefixes("tuyen dung ban tuyen") == ["^dun", "^tuy", "^tuye"]


def test_snippet_keeps_diacritics_and_marks_the_words() -> None:
    text = "Về việc cho phép cán bộ nghỉ phép năm 2026 <script>"
    assert snippet(text, "nghi phep") == (
        "Về việc cho <mark>phép</mark> cán bộ <mark>nghỉ</mark> <mark>phép</mark> năm 2026 &lt;script&gt;"
    )


@pytest.fixture
def search(documents: DocumentsService) -> SearchService:
    return SearchService(documents.pool)


def _register(documents: DocumentsService, people: People) -> dict[str, int]:
    documents.set_issuer(people.admin, "CHQHCM", "HQHCM", "TP. Hồ Chí Minh")
    ids = {}
    ids["leave"] = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="QĐ", subject="Quyết định nghỉ phép năm 2026 cho công chức"
    ).id
    ids["letter"] = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="cong_van", subject="Về việc báo cáo quyết toán", drafter="VP"
    ).id
    ids["incoming"] = documents.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number="7816", code_notation="VPCP-TTĐT",
        organ_name="Văn phòng Chính phủ", issued_date=date(2025, 12, 30), subject="Đôn đốc nghỉ phép cuối năm",
    ).id  # fmt: skip
    ids["secret"] = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="BC", subject="Báo cáo mật về nghỉ phép", secrecy=1
    ).id
    ids["hcm"] = documents.register_outgoing(
        people.other_clerk, "CHQHCM", type_key="QĐ", subject="Quyết định nghỉ phép tại TP. Hồ Chí Minh"
    ).id
    return ids


def test_search_over_registered_documents(
    search: SearchService, documents: DocumentsService, people: People, org: psycopg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """One database for all of it (each new one costs seconds): folding in SQL, ranking, filters, the
    rule book, the rank window."""
    for text in (VIETNAMESE, unicodedata.normalize("NFD", VIETNAMESE)):  # cces_fold agrees with fold
        row = org.execute("SELECT cces_fold(%s)", (text,)).fetchone()
        assert row is not None and row[0] == fold(VIETNAMESE)
    ids = _register(documents, people)
    rows = org.execute(
        "SELECT ref_id, cces_search_tags(kind, unit_path, secrecy, register, year, type_key, status),"
        " array(SELECT word FROM ts_stat('SELECT folded FROM search_entries WHERE ref_id = ' || ref_id)"
        "       WHERE word LIKE '~%%'), cces_search_prefixes(folded),"
        " array(SELECT word FROM ts_stat('SELECT folded FROM search_entries WHERE ref_id = ' || ref_id)"
        "       WHERE word LIKE '^%%') FROM search_entries"
    ).fetchall()
    documents.secrecy.set_clearance(people.admin, "van-thu", 1)  # the văn thư who registered the secret one
    for ref_id, in_sql, indexed, beginnings_sql, beginnings in rows:  # the migrations' tags are Python's
        reader = people.clerk if ref_id == ids["secret"] else people.admin
        entry = document_entry(documents.document(reader, ref_id), _issuer(org, ref_id))
        assert sorted(in_sql) == sorted(tags.of_entry(entry)) == sorted(indexed)
        in_python = prefixes(f"{words(f'{entry.title} {entry.keywords}')} {words(entry.body)}")
        assert in_python == beginnings_sql == sorted(beginnings) and in_python
    with pytest.raises(SearchError):
        search.search(people.admin, Query("a", register="Den'|'x"))
    _filters(search, people, ids)
    _rule_book(search, people, ids)
    _rank_window(search, people, ids, monkeypatch)
    _ranked_with_snippets(search, documents, people, ids)


def _issuer(conn: psycopg.Connection, document_id: int) -> Issuer:
    row = conn.execute(
        "SELECT u.code FROM documents d JOIN document_registers r ON r.id = d.register_id"
        " JOIN org_units u ON u.id = r.unit_id WHERE d.id = %s",
        (document_id,),
    ).fetchone()
    assert row is not None
    found = documents_repo.issuer(conn, row[0])
    assert found is not None
    return found[0]


def _ranked_with_snippets(
    search: SearchService, documents: DocumentsService, people: People, ids: dict[str, int]
) -> None:
    page = search.search(people.admin, Query("quyet dinh nghi phep"))
    assert {h.ref_id for h in page.hits} == {ids["leave"], ids["hcm"]}
    assert page.total == 2  # "quyết" must be there: the incoming one only says "nghỉ phép"
    leave = next(h for h in page.hits if h.ref_id == ids["leave"])
    assert leave.title == "01/QĐ-HQKV2 — Quyết định nghỉ phép năm 2026 cho công chức"
    assert "<mark>Quyết</mark> <mark>định</mark> <mark>nghỉ</mark> <mark>phép</mark>" in leave.snippet
    same = search.search(people.admin, Query("Quyết định nghỉ phép"))
    assert [h.ref_id for h in same.hits] == [h.ref_id for h in page.hits]
    assert [h.ref_id for h in search.search(people.admin, Query("van phong chinh phu")).hits] == [ids["incoming"]]
    assert [h.ref_id for h in search.search(people.admin, Query("15/QĐ")).hits] == []
    assert [h.ref_id for h in search.search(people.admin, Query("7816/VPCP-TTĐT")).hits] == [ids["incoming"]]
    assert search.search(people.admin, Query("nghi phe")).total == 3  # the last word is a prefix
    # a title match ranks above a match in the body (for the incoming one, the issuing organ)
    reply = documents.register_outgoing(
        people.clerk, "CCHQNB", type_key="cong_van", subject="Trả lời Văn phòng Chính phủ", drafter="VP"
    )
    ranked = search.search(people.admin, Query("văn phòng chính phủ")).hits
    assert [h.ref_id for h in ranked] == [reply.id, ids["incoming"]] and ranked[0].rank > ranked[1].rank


def _filters(search: SearchService, people: People, ids: dict[str, int]) -> None:

    def found(**filters: object) -> set[int]:
        return {h.ref_id for h in search.search(people.admin, Query("nghi phep", **filters)).hits}  # type: ignore[arg-type]

    assert found(register="den") == {ids["incoming"]}
    assert found(register="mat") == set()  # secret: no role reaches it, the system admin's neither
    assert found(status="outgoing") == {ids["leave"], ids["hcm"]}
    assert found(type_key="quyet_dinh") == {ids["leave"], ids["hcm"]}
    assert found(unit_code="CHQHCM") == {ids["hcm"]}
    assert found(unit_code="CHQHN") == {ids["leave"], ids["incoming"]}  # CCHQNB is below it
    assert found(unit_code="KHONGCO") == set()
    assert found(year=2025) == set() and len(found(year=2026)) == 3
    assert found(date_to=date(2025, 12, 31)) == {ids["incoming"]}
    assert found(date_from=date(2026, 1, 1)) == {ids["leave"], ids["hcm"]}
    everything = search.search(people.admin, Query(""))
    assert everything.total == 4 and everything.hits[0].ref_id == ids["hcm"]  # no words: newest first

    def cleared(**filters: object) -> set[int]:  # the cleared văn thư who registered the secret one
        return {h.ref_id for h in search.search(people.clerk, Query("nghi phep", **filters)).hits}  # type: ignore[arg-type]

    assert cleared(register="mat") == {ids["secret"]} and cleared(register="den") == {ids["incoming"]}
    assert cleared(status="outgoing") == {ids["leave"], ids["secret"]}
    assert cleared(unit_code="CHQHCM") == set() and cleared(year=2025) == set()
    assert cleared(date_from=date(2026, 1, 1)) == {ids["leave"], ids["secret"]}
    with pytest.raises(SearchError):
        search.search(people.admin, Query("x" * 201))
    with pytest.raises(SearchError):
        search.search(people.admin, Query("a", date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))


def _rule_book(search: SearchService, people: People, ids: dict[str, int]) -> None:
    """What a person may not read is never found nor counted."""
    clerk = search.search(people.clerk, Query("nghi phep"))  # văn thư of CCHQNB, cleared, registered the secret one
    assert {h.ref_id for h in clerk.hits} == {ids["leave"], ids["incoming"], ids["secret"]} and clerk.total == 3
    manager = search.search(people.manager, Query("nghi phep"))  # lãnh đạo: not cleared for the secret one
    assert {h.ref_id for h in manager.hits} == {ids["leave"], ids["incoming"]} and manager.total == 2
    assert search.search(people.manager, Query("bao cao mat")).total == 0
    assert search.search(people.manager, Query("", register="mat")).total == 0
    other = search.search(people.other_clerk, Query("nghi phep"))
    assert {h.ref_id for h in other.hits} == {ids["hcm"]} and other.total == 1
    office = search.search(people.office, Query("nghi phep"))  # office admin reads no register
    assert office.total == 0 and office.hits == []


def _rank_window(search: SearchService, people: People, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A common word ranks the newest matches only (here: 2), counted exactly."""
    monkeypatch.setattr("hub.search.service.RANK_WINDOW", 2)
    page = search.search(people.clerk, Query("nghi phep"))
    assert page.total == 3  # still counted exactly
    assert {h.ref_id for h in page.hits} == {ids["secret"], ids["leave"]}  # the two newest (by day), ranked
    assert {h.ref_id for h in search.search(people.manager, Query("nghi phep")).hits} == {
        ids["leave"],
        ids["incoming"],
    }  # the window is taken after the rule book: the manager's two, not the secret one
    # more matches than are counted: the newest are taken by the (day, id) index, not the first ones found
    monkeypatch.setattr("hub.search.service.COUNT_CAP", 1)
    page = search.search(people.clerk, Query("nghi phep"))
    assert (page.total, page.more) == (1, True)
    assert {h.ref_id for h in page.hits} == {ids["secret"], ids["leave"]}
    everything = search.search(people.admin, Query(""))
    assert everything.more and everything.hits[0].ref_id == ids["hcm"]  # no words: newest first, also here
    monkeypatch.setattr("hub.search.service.COUNT_CAP", 10_000)
    monkeypatch.setattr("hub.search.service.RANK_WINDOW", 2000)
