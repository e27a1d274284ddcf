"""Leave permits (Giấy nghỉ phép, `GNP`; Decree 30 Appendix III Mẫu 1.10) registered as outgoing
documents of a unit with a seal, inside the caller's transaction (issue 15 item 9, issue 14).

The leave service approves a request and, in the same transaction, calls `issue_permit`: the
permit takes the next number of the unit's administrative series of the year (the same locked
counter as every outgoing document, hub.documents.repository.take_number), its symbol from the
series pattern (`GNP-HQKV2`) and its date line (`Hà Nội, ngày 05 tháng 01 năm 2026`). A refusal
(no seal, no place for the date line, no series in force) is a `DocumentError` and takes no number.

A small module of its own beside the documents service, so the leave side needs no principal with
the văn thư's role: the number is the system's, as Decree 30 says of electronic documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from hub.documents import repository as repo
from hub.documents.models import (
    Direction,
    Document,
    DocumentError,
    Issuer,
    Secrecy,
    SeriesKind,
    UnknownDocumentType,
    UnknownSeries,
    Urgency,
    both,
    format_number,
    notation,
)

#: the document type of a leave permit (Decree 30 Art. 7, Appendix III)
PERMIT_TYPE = "GNP"


@dataclass(frozen=True, slots=True)
class IssuedPermit:
    document: Document
    issuer: Issuer

    @property
    def number_and_symbol(self) -> str:
        """`05/GNP-HQKV2`."""
        return f"{self.document.code_number}/{self.document.code_notation}"


def issue_permit(
    conn: psycopg.Connection, unit_code: str, *, subject: str, today: date, registered_at: datetime,
    registered_by: str,
) -> IssuedPermit:  # fmt: skip
    """Register a leave permit as the next outgoing document of `unit_code` (a unit with a seal)."""
    found = repo.issuer(conn, unit_code)
    if found is None or not found[1]:
        raise DocumentError(
            both(f"đơn vị {unit_code} không có con dấu riêng", f"unit {unit_code} has no seal of its own")
        )
    issuer = found[0]
    if not issuer.place:
        raise DocumentError(
            both(
                f"đơn vị {issuer.unit_code} chưa khai báo địa danh cho dòng ngày tháng",
                f"unit {issuer.unit_code} has no place set for the date line",
            )
        )
    doc_type = next((t for t in repo.document_types(conn) if t.abbreviation == PERMIT_TYPE), None)
    if doc_type is None or not doc_type.in_force(today):
        raise UnknownDocumentType(
            both("loại Giấy nghỉ phép không có hiệu lực", "the leave permit type is not in force")
        )
    series = next(
        (
            s
            for s in repo.series_of_unit(conn, issuer.unit_id)
            if s.kind is SeriesKind.ADMINISTRATIVE and s.in_force(today)
        ),
        None,
    )
    if series is None:
        raise UnknownSeries(
            both(
                f"đơn vị {issuer.unit_code} chưa có sổ văn bản hành chính đang hiệu lực",
                f"unit {issuer.unit_code} has no administrative series in force",
            )
        )
    symbol = notation(series.notation_typed, type_abbreviation=PERMIT_TYPE, issuer=issuer.notation, drafter=None)
    register_id, number = repo.take_number(conn, issuer.unit_id, today.year, series.code)
    document_id = repo.insert_document(
        conn,
        {
            "register_id": register_id, "number": number, "direction": Direction.OUTGOING.value,
            "type_key": doc_type.key, "code_number": format_number(number), "code_notation": symbol,
            "issued_date": today, "organ_name": issuer.unit_name, "subject": subject[:500], "place": issuer.place,
            "drafter": None, "secrecy": Secrecy.NONE.value, "urgency": Urgency.NORMAL.value, "arrival_date": None,
            "registered_at": registered_at, "registered_by": registered_by,
        },
    )  # fmt: skip
    document = repo.document(conn, document_id)
    assert document is not None
    return IssuedPermit(document, issuer)


def permit_document(conn: psycopg.Connection, document_id: int) -> IssuedPermit | None:
    """A registered permit with its issuing unit (for printing it)."""
    document = repo.document(conn, document_id)
    if document is None:
        return None
    found = repo.issuer(conn, document.unit_code)
    if found is None:
        return None
    return IssuedPermit(document, found[0])
