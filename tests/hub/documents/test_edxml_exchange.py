"""edXML through the registers on a real PostgreSQL: a received message registered as incoming with its
unzipped attachments kept, a malformed one refused with nothing stored, an outgoing document written as
a message and read back, and a status packet answering what was received."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest

from hub.accounts.models import AccessDenied
from hub.documents.edxml import EdxmlError, Organ, parse
from hub.documents.edxml_exchange import EdxmlExchange
from hub.documents.edxml_write import OutgoingFile, write_edoc
from hub.documents.models import DocumentError
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from tests.hub.documents.conftest import Clock, People
from tests.hub.documents.test_edxml import PDF, _edoc


@pytest.fixture
def exchange(documents: DocumentsService, clock: Clock, tmp_path: Path) -> EdxmlExchange:
    return EdxmlExchange(documents.pool, documents, ContentStore(tmp_path / "files"), clock)


def _counts(conn: psycopg.Connection) -> tuple[int, int]:
    row = conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_edxml)").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_edxml_through_the_registers(
    exchange: EdxmlExchange, documents: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    """One database for the three parts (each new one costs seconds)."""
    _malformed_or_unfit_refused_with_nothing_stored(exchange, people, org)
    _received_registered_with_attachments(exchange, people)
    _outgoing_written_and_read_back(exchange, documents, people)


def _received_registered_with_attachments(exchange: EdxmlExchange, people: People) -> None:
    data = write_edoc(_edoc(promulgation_date=date(2026, 1, 2)))
    done = exchange.import_message(people.clerk, "CCHQNB", data)
    doc = done.document
    assert (doc.direction.value, doc.series_code, doc.number, doc.type_key) == ("incoming", "den", 1, "quyet_dinh")
    assert (doc.number_line, doc.organ_name, doc.issued_date, doc.urgency) == (
        "Số: 15/QĐ-HQKV2", "Bộ Tài chính", date(2026, 1, 2), 1,
    )  # fmt: skip
    trail = exchange.trail(people.manager, doc.id)
    assert trail is not None and trail["message_id"] == "000.00.00.G12,2026/01/02,15/QĐ-HQKV2"
    assert [(a["name"], a["content_type"], a["size"]) for a in trail["attachments"]] == [
        ("quyet-dinh.pdf", "application/pdf", len(PDF)), ("anh.png", "image/png", 308),
    ]  # fmt: skip
    assert exchange.store.get(trail["attachments"][0]["sha256"]) == PDF  # unzipped, in the content store
    assert exchange.store.get(trail["message_sha256"]) == data
    again = exchange.import_message(people.clerk, "CCHQNB", data)  # the same message twice: a warning
    assert again.document.number == 2 and again.document.duplicates == (doc.id,)
    # a status packet answering it, read back
    status = parse(exchange.status_for(people.clerk, doc.id, "01", sender_organ_id="000.00.15.H51"))
    assert status.as_show()["response_for_document_id"] == trail["message_id"]
    assert status.response_for is not None and status.response_for.organ_id == "000.00.00.G12"
    with pytest.raises(Exception, match="không có|no document"):
        exchange.status_for(people.other_clerk, doc.id, "05", sender_organ_id="000.00.15.H51")


def _malformed_or_unfit_refused_with_nothing_stored(
    exchange: EdxmlExchange, people: People, org: psycopg.Connection
) -> None:
    good = write_edoc(_edoc(promulgation_date=date(2026, 1, 2)))
    for broken in (good[: len(good) // 2], b"<html/>"):
        with pytest.raises(EdxmlError):
            exchange.import_message(people.clerk, "CCHQNB", broken)
    too_long = write_edoc(_edoc(code_number="123456789012", promulgation_date=date(2026, 1, 2)))
    with pytest.raises(DocumentError, match="11"):
        exchange.import_message(people.clerk, "CCHQNB", too_long)  # a warning in `show`, a refusal here
    with pytest.raises(AccessDenied):
        exchange.import_message(people.other_clerk, "CCHQNB", good)  # not this clerk's unit
    assert _counts(org) == (0, 0)
    assert list(exchange.store.files()) == []


def _outgoing_written_and_read_back(exchange: EdxmlExchange, documents: DocumentsService, people: People) -> None:
    doc = documents.register_outgoing(people.clerk, "CCHQNB", type_key="QĐ", subject="Quyết định nghỉ phép")
    data = exchange.export_document(
        people.clerk, doc.id, sender_organ_id="000.00.15.H51", recipients=[Organ("000.00.00.G12", "Bộ Tài chính")],
        files=[OutgoingFile("qd.pdf", "application/pdf", PDF)], signer_name="Nguyễn Văn A",
    )  # fmt: skip
    shown = parse(data).as_show()
    assert shown == {
        "kind": "edoc", "from_organ_id": "000.00.15.H51", "to_organ_ids": ["000.00.00.G12"], "code_number": "01",
        "code_notation": "QĐ-HQKV2", "promulgation_date": "2026-01-05", "subject": "Quyết định nghỉ phép",
        "document_type_name": "Quyết định", "warnings": [],
        "attachments": [{"name": "qd.pdf", "content_type": "application/pdf", "size": len(PDF)}],
    }  # fmt: skip
    with pytest.raises(DocumentError):
        exchange.export_document(people.clerk, doc.id, sender_organ_id="000.00.15.H51", recipients=[])
