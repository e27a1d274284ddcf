"""SQL of the documents domain (registers, series, numbers). Transactions are the service's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.models import (
    Direction,
    Document,
    DocumentFile,
    DocumentType,
    Issuer,
    Secrecy,
    Series,
    SeriesKind,
    SignatureCheck,
    Urgency,
)

_TYPE_COLUMNS = "key, abbreviation, name_vi, name_en, category, valid_from, valid_to, basis"
_SERIES_COLUMNS = (
    "id, unit_id, code, kind, name_vi, name_en, notation_typed, notation_untyped, valid_from, valid_to, basis"
)


def document_types(conn: psycopg.Connection) -> list[DocumentType]:
    rows = conn.execute(f"SELECT {_TYPE_COLUMNS} FROM document_types ORDER BY sort, key").fetchall()
    return [DocumentType(*r) for r in rows]


def _series(row: tuple[Any, ...]) -> Series:
    return Series(*row[:3], SeriesKind(row[3]), *row[4:])  # type: ignore[call-arg]


def series_of_unit(conn: psycopg.Connection, unit_id: int) -> list[Series]:
    """The series a unit uses: its own rows, and the defaults (unit NULL) it has no own row of that code for."""
    rows = conn.execute(
        f"SELECT DISTINCT ON (code) {_SERIES_COLUMNS} FROM document_series"
        " WHERE unit_id = %s OR unit_id IS NULL ORDER BY code, unit_id NULLS LAST",
        (unit_id,),
    ).fetchall()
    return sorted((_series(r) for r in rows), key=lambda s: (s.kind != SeriesKind.INCOMING, s.code))


def all_series(conn: psycopg.Connection) -> list[Series]:
    rows = conn.execute(f"SELECT {_SERIES_COLUMNS} FROM document_series ORDER BY unit_id NULLS FIRST, sort, code")
    return [_series(r) for r in rows.fetchall()]


def upsert_series(conn: psycopg.Connection, unit_id: int | None, values: dict[str, Any]) -> Series:
    row = conn.execute(
        "INSERT INTO document_series (unit_id, code, kind, name_vi, name_en, notation_typed, notation_untyped,"
        " valid_from, valid_to, basis)"
        " VALUES (%(unit_id)s, %(code)s, %(kind)s, %(name_vi)s, %(name_en)s, %(notation_typed)s,"
        " %(notation_untyped)s, %(valid_from)s, %(valid_to)s, %(basis)s)"
        " ON CONFLICT (coalesce(unit_id, 0), code) DO UPDATE SET kind = EXCLUDED.kind, name_vi = EXCLUDED.name_vi,"
        " name_en = EXCLUDED.name_en, notation_typed = EXCLUDED.notation_typed,"
        " notation_untyped = EXCLUDED.notation_untyped, valid_from = EXCLUDED.valid_from,"
        f" valid_to = EXCLUDED.valid_to, basis = EXCLUDED.basis RETURNING {_SERIES_COLUMNS}",
        {"unit_id": unit_id, **values},
    ).fetchone()
    assert row is not None
    return _series(row)


def series_by_id(conn: psycopg.Connection, series_id: int) -> Series | None:
    row = conn.execute(f"SELECT {_SERIES_COLUMNS} FROM document_series WHERE id = %s", (series_id,)).fetchone()
    return _series(row) if row else None


def issuer(conn: psycopg.Connection, unit_code: str) -> tuple[Issuer, bool] | None:
    """The unit (by code, still existing) as an issuer, and whether it has a seal; None if unknown."""
    row = conn.execute(
        "SELECT u.id, u.code, u.name, u.path, coalesce(i.notation, u.code), i.place, coalesce(u.has_seal, false)"
        " FROM org_units u LEFT JOIN document_issuers i ON i.unit_id = u.id WHERE u.code = %s AND u.valid_to IS NULL",
        (unit_code,),
    ).fetchone()
    if row is None:
        return None
    return Issuer(*row[:6]), bool(row[6])


def set_issuer(conn: psycopg.Connection, unit_id: int, notation: str, place: str) -> None:
    conn.execute(
        "INSERT INTO document_issuers (unit_id, notation, place) VALUES (%s, %s, %s)"
        " ON CONFLICT (unit_id) DO UPDATE SET notation = EXCLUDED.notation, place = EXCLUDED.place",
        (unit_id, notation, place),
    )


def take_number(conn: psycopg.Connection, unit_id: int, year: int, series_code: str) -> tuple[int, int]:
    """The register's next number, its counter row locked until the caller's transaction ends: (register id,
    number). Concurrent registrations in the same register wait here one after another; a rollback gives
    the number back, so the register stays gap-free."""
    conn.execute(
        "INSERT INTO document_registers (unit_id, year, series_code) VALUES (%s, %s, %s)"
        " ON CONFLICT (unit_id, year, series_code) DO NOTHING",
        (unit_id, year, series_code),
    )
    row = conn.execute(
        "SELECT id, last_number FROM document_registers WHERE unit_id = %s AND year = %s AND series_code = %s"
        " FOR UPDATE",
        (unit_id, year, series_code),
    ).fetchone()
    assert row is not None
    register_id, last = row
    conn.execute("UPDATE document_registers SET last_number = %s WHERE id = %s", (last + 1, register_id))
    return int(register_id), int(last) + 1


def insert_document(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    row = conn.execute(
        "INSERT INTO documents (register_id, number, direction, type_key, code_number, code_notation, issued_date,"
        " organ_name, subject, place, drafter, secrecy, urgency, arrival_date, registered_at, registered_by,"
        " source_id, language, page_amount, description, signer_position, signer_name, to_places, due_date,"
        " organ_id, external_id, register_by)"
        " VALUES (%(register_id)s, %(number)s, %(direction)s, %(type_key)s, %(code_number)s, %(code_notation)s,"
        " %(issued_date)s, %(organ_name)s, %(subject)s, %(place)s, %(drafter)s, %(secrecy)s, %(urgency)s,"
        " %(arrival_date)s, %(registered_at)s, %(registered_by)s, %(source_id)s, %(language)s, %(page_amount)s,"
        " %(description)s, %(signer_position)s, %(signer_name)s, %(to_places)s, %(due_date)s, %(organ_id)s,"
        " %(external_id)s, %(register_by)s) RETURNING id",
        dict.fromkeys(_METADATA) | {"source_id": None} | values,
    ).fetchone()
    assert row is not None
    return int(row[0])


#: the Appendix VI metadata of migration 0503 (None when a caller does not give them)
_METADATA = (
    "language", "page_amount", "description", "signer_position", "signer_name", "to_places", "due_date",
    "organ_id", "external_id", "register_by",
)  # fmt: skip

_DOCUMENT_SELECT = (
    "SELECT d.id, u.code AS unit_code, r.year, r.series_code, d.number, d.direction, d.type_key,"
    " t.name_vi AS type_name_vi, d.code_number, d.code_notation, d.issued_date, d.organ_name, d.subject, d.place,"
    " d.drafter, d.secrecy, d.urgency, d.arrival_date, d.registered_at, d.registered_by, d.source_id,"
    " d.language, d.page_amount, d.description, d.signer_position, d.signer_name, d.to_places, d.due_date,"
    " d.organ_id, d.external_id, d.register_by, d.frozen_at, d.frozen_kind"
    " FROM documents d JOIN document_registers r ON r.id = d.register_id JOIN org_units u ON u.id = r.unit_id"
    " JOIN document_types t ON t.key = d.type_key"
)


def _document(row: dict[str, Any]) -> Document:
    return Document(
        **row
        | {
            "direction": Direction(row["direction"]),
            "secrecy": Secrecy(row["secrecy"]),
            "urgency": Urgency(row["urgency"]),
        }
    )


def document(conn: psycopg.Connection, document_id: int) -> Document | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(f"{_DOCUMENT_SELECT} WHERE d.id = %s", (document_id,)).fetchone()
    if row is None:
        return None
    return replace(_document(row), files=tuple(files_of(conn, document_id)))


# --- files (migration 0503) ---------------------------------------------------------------------------

_FILE_COLUMNS = (
    "id, document_id, sha256, filename, content_type, size_bytes, uploaded_by, uploaded_at, text_status,"
    " text_source, text_error"
)


def add_file(
    conn: psycopg.Connection, document_id: int, sha256: str, filename: str, content_type: str, size: int,
    uploaded_by: str, at: datetime, text_status: str,
) -> int:  # fmt: skip
    row = conn.execute(
        "INSERT INTO document_files (document_id, sha256, filename, content_type, size_bytes, uploaded_by,"
        " uploaded_at, text_status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (document_id, sha256, filename, content_type, size, uploaded_by, at, text_status),
    ).fetchone()
    assert row is not None
    return int(row[0])


def files_of(conn: psycopg.Connection, document_id: int) -> list[DocumentFile]:
    rows = conn.execute(
        f"SELECT {_FILE_COLUMNS} FROM document_files WHERE document_id = %s ORDER BY id", (document_id,)
    ).fetchall()
    signed = signatures_of(conn, document_id)
    return [DocumentFile(*r, signatures=tuple(signed.get(r[0], ()))) for r in rows]


def save_signatures(conn: psycopg.Connection, file_id: int, checks: Sequence[SignatureCheck], at: datetime) -> None:
    """The signatures found on a file as checked on upload (migration 0505)."""
    for c in checks:
        conn.execute(
            "INSERT INTO document_file_signatures (file_id, field_name, signer, signer_name, issuer, signed_at,"
            " intact, valid, trusted, coverage, summary, checked_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (file_id, c.field_name, c.signer, c.signer_name, c.issuer, c.signed_at, c.intact, c.valid, c.trusted,
             c.coverage, c.summary, at),
        )  # fmt: skip


def signatures_of(conn: psycopg.Connection, document_id: int) -> dict[int, list[SignatureCheck]]:
    """The checked signatures of each file of a document, by file id."""
    rows = conn.execute(
        "SELECT s.file_id, s.field_name, s.signer, s.signer_name, s.issuer, s.signed_at, s.intact, s.valid,"
        " s.trusted, s.coverage, s.summary FROM document_file_signatures s"
        " JOIN document_files f ON f.id = s.file_id WHERE f.document_id = %s ORDER BY s.id",
        (document_id,),
    ).fetchall()
    found: dict[int, list[SignatureCheck]] = {}
    for r in rows:
        found.setdefault(int(r[0]), []).append(SignatureCheck(*r[1:11]))
    return found


def file_text(conn: psycopg.Connection, file_id: int) -> str | None:
    row = conn.execute("SELECT text FROM document_files WHERE id = %s", (file_id,)).fetchone()
    return row[0] if row else None


def document_of_file(conn: psycopg.Connection, file_id: int) -> int | None:
    row = conn.execute("SELECT document_id FROM document_files WHERE id = %s", (file_id,)).fetchone()
    return int(row[0]) if row else None


def files_text(conn: psycopg.Connection, document_id: int) -> str:
    """The text read from every file of the document, in file order (for its search entry)."""
    rows = conn.execute(
        "SELECT text FROM document_files WHERE document_id = %s AND text IS NOT NULL ORDER BY id", (document_id,)
    ).fetchall()
    return "\n".join(r[0] for r in rows)


def claim_pending_file(conn: psycopg.Connection) -> tuple[int, str, str] | None:
    """One file whose text is not read yet, locked for the caller's transaction (others skip it):
    (id, sha256, content type)."""
    row = conn.execute(
        "SELECT id, sha256, content_type FROM document_files WHERE text_status = 'pending'"
        " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
    ).fetchone()
    return (int(row[0]), row[1], row[2]) if row else None


def set_file_text(
    conn: psycopg.Connection, file_id: int, status: str, text: str | None, source: str | None, error: str | None
) -> None:
    conn.execute(
        "UPDATE document_files SET text_status = %s, text = %s, text_source = %s, text_error = %s WHERE id = %s",
        (status, text, source, error, file_id),
    )


def register_counters(conn: psycopg.Connection, unit_id: int, year: int) -> dict[str, tuple[int, int]]:
    """The registers a unit has opened in a year: series code → (register id, last number)."""
    rows = conn.execute(
        "SELECT series_code, id, last_number FROM document_registers WHERE unit_id = %s AND year = %s",
        (unit_id, year),
    ).fetchall()
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def register_entries(
    conn: psycopg.Connection, unit_id: int, year: int, series_code: str, *, limit: int, offset: int,
    secret_ids: list[int],
) -> tuple[list[Document], int]:  # fmt: skip
    """A page of a register in number order, and how many entries it has (those the caller may see: every
    one without secrecy, and of the secret ones those in `secret_ids`)."""
    where = (
        " WHERE r.unit_id = %(unit)s AND r.year = %(year)s AND r.series_code = %(series)s"
        " AND (d.secrecy = 0 OR d.id = ANY(%(secret)s))"
    )
    params = {"unit": unit_id, "year": year, "series": series_code, "secret": secret_ids}
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_DOCUMENT_SELECT}{where} ORDER BY d.number LIMIT %(limit)s OFFSET %(offset)s",
            params | {"limit": limit, "offset": offset},
        ).fetchall()
    total = conn.execute(
        f"SELECT count(*) FROM documents d JOIN document_registers r ON r.id = d.register_id{where}", params
    ).fetchone()
    return [_document(r) for r in rows], int(total[0]) if total else 0


def incoming_duplicates(
    conn: psycopg.Connection, unit_id: int, code_number: str, code_notation: str, organ_name: str, *, before: int
) -> list[int]:
    """Earlier incoming documents of the unit with the same số, ký hiệu and issuing organ (Appendix VI)."""
    rows = conn.execute(
        "SELECT d.id FROM documents d JOIN document_registers r ON r.id = d.register_id"
        " WHERE r.unit_id = %s AND d.direction = 'incoming' AND d.code_number = %s AND d.code_notation = %s"
        " AND lower(d.organ_name) = lower(%s) AND d.id < %s ORDER BY d.id",
        (unit_id, code_number, code_notation, organ_name, before),
    ).fetchall()
    return [int(r[0]) for r in rows]


# --- edXML exchange (hub.documents.edxml_exchange) -----------------------------------------------------


def save_edxml(conn: psycopg.Connection, document_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO document_edxml (document_id, direction, message_id, from_organ_id, message_sha256,"
        " attachments, warnings) VALUES (%(document_id)s, %(direction)s, %(message_id)s, %(from_organ_id)s,"
        " %(message_sha256)s, %(attachments)s, %(warnings)s)"
        " ON CONFLICT (document_id) DO UPDATE SET message_id = EXCLUDED.message_id,"
        " message_sha256 = EXCLUDED.message_sha256, attachments = EXCLUDED.attachments",
        {"document_id": document_id, **values},
    )


def edxml_of(conn: psycopg.Connection, document_id: int) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT direction, message_id, from_organ_id, message_sha256, attachments, warnings, created_at"
            " FROM document_edxml WHERE document_id = %s",
            (document_id,),
        ).fetchone()


def unit_path(conn: psycopg.Connection, unit_code: str) -> str | None:
    row = conn.execute("SELECT path FROM org_units WHERE code = %s AND valid_to IS NULL", (unit_code,)).fetchone()
    return str(row[0]) if row else None


def sealed_units(conn: psycopg.Connection, paths: list[str] | None) -> list[tuple[str, str]]:
    """(code, name) of the units in being with a seal under these paths (None: every one), by path."""
    rows = conn.execute(
        "SELECT code, name FROM org_units u WHERE u.valid_to IS NULL AND coalesce(u.has_seal, false)"
        " AND (%(all)s OR EXISTS (SELECT 1 FROM unnest(%(paths)s::text[]) p WHERE u.path LIKE p || '%%'))"
        " ORDER BY u.path LIMIT 500",
        {"all": paths is None, "paths": paths or []},
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
