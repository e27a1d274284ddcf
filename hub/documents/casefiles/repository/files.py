"""SQL of case files and what they hold."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import (
    CaseFile,
    HistoryEntry,
    Item,
)
from hub.documents.models import number_and_symbol

# --- case files -------------------------------------------------------------------------------------------

_FILE_SELECT = (
    "SELECT f.id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, f.year, f.entry_id, f.code,"
    " f.title, f.retention, r.label_vi AS retention_label, r.years AS retention_years, f.kind, f.owner, f.owner_id,"
    " f.opened_on, f.closed_on, f.closed_by, f.pages, f.documents, f.note, f.keep_until, f.keep_basis,"
    " f.handover_id, f.archived_at FROM case_files f JOIN org_units u ON u.id = f.unit_id"
    " JOIN case_file_retentions r ON r.code = f.retention"
)


def case_file(
    conn: psycopg.Connection, file_id: int, *, lock: bool = False, visible: set[int] | None = None
) -> CaseFile | None:
    """One case file with its items; `visible`: the secret documents the viewer may open (others hidden)."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(f"{_FILE_SELECT} WHERE f.id = %s{' FOR UPDATE OF f' if lock else ''}", (file_id,)).fetchone()
    if row is None:
        return None
    return CaseFile(**row, items=tuple(items(conn, file_id, visible or set())))


def case_files(
    conn: psycopg.Connection, *, unit_id: int | None = None, year: int | None = None, owner_id: int | None = None,
    states: tuple[str, ...] | None = None, handover_id: int | None = None, ids: list[int] | None = None,
    limit: int = 500,
) -> list[CaseFile]:  # fmt: skip
    """Case files without their items, by unit, year, owner, state (open | closed | submitted | archived)."""
    where, params = ["true"], {"limit": limit}
    if unit_id is not None:
        where.append("f.unit_id = %(unit)s")
        params["unit"] = unit_id
    if year is not None:
        where.append("f.year = %(year)s")
        params["year"] = year
    if owner_id is not None:
        where.append("f.owner_id = %(owner)s")
        params["owner"] = owner_id
    if handover_id is not None:
        where.append("f.handover_id = %(handover)s")
        params["handover"] = handover_id
    if ids is not None:
        where.append("f.id = ANY(%(ids)s)")
        params["ids"] = ids
    if states is not None:
        state = (
            "CASE WHEN f.archived_at IS NOT NULL THEN 'archived' WHEN f.handover_id IS NOT NULL THEN 'submitted'"
            " WHEN f.closed_on IS NOT NULL THEN 'closed' ELSE 'open' END"
        )
        where.append(f"{state} = ANY(%(states)s)")
        params["states"] = list(states)
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_FILE_SELECT} WHERE {' AND '.join(where)} ORDER BY f.year, u.path, f.code, f.id LIMIT %(limit)s", params
        ).fetchall()
    return [CaseFile(**r) for r in rows]


def insert_case_file(conn: psycopg.Connection, values: dict[str, Any]) -> int | None:
    row = conn.execute(
        "INSERT INTO case_files (unit_id, year, entry_id, code, title, retention, kind, owner_id, owner, opened_on,"
        " opened_at, note) VALUES (%(unit_id)s, %(year)s, %(entry_id)s, %(code)s, %(title)s, %(retention)s,"
        " %(kind)s, %(owner_id)s, %(owner)s, %(opened_on)s, %(opened_at)s, %(note)s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        values,
    ).fetchone()
    return int(row[0]) if row else None


def close_case_file(conn: psycopg.Connection, file_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE case_files SET closed_on = %(closed_on)s, closed_at = %(closed_at)s, closed_by = %(closed_by)s,"
        " pages = %(pages)s, documents = %(documents)s, retention = %(retention)s, note = %(note)s WHERE id = %(id)s",
        values | {"id": file_id},
    )


def reopen_case_file(conn: psycopg.Connection, file_id: int) -> None:
    """Clear the closing (ngày kết thúc, counts) and any keeping past the due day: the file is open again."""
    conn.execute(
        "UPDATE case_files SET closed_on = NULL, closed_at = NULL, closed_by = NULL, pages = NULL, documents = NULL,"
        " keep_until = NULL, keep_basis = NULL WHERE id = %s AND handover_id IS NULL",
        (file_id,),
    )


def history(conn: psycopg.Connection, file_id: int, handover_id: int | None, limit: int = 500) -> list[HistoryEntry]:
    """The audit log's rows about the file (and its hand-over), oldest first."""
    rows = conn.execute(
        "SELECT at, actor, action, coalesce(after->>'reason', after->>'note') FROM audit_log"
        " WHERE (entity = 'case_file' AND entity_id = %s) OR (entity = 'case_file_handover' AND entity_id = %s)"
        " ORDER BY at, id LIMIT %s",
        (str(file_id), str(handover_id) if handover_id is not None else None, limit),
    ).fetchall()
    return [HistoryEntry(*r) for r in rows]


def set_keep(conn: psycopg.Connection, file_id: int, until: date | None, basis: str | None) -> None:
    conn.execute("UPDATE case_files SET keep_until = %s, keep_basis = %s WHERE id = %s", (until, basis, file_id))


_ITEM_SELECT = (
    "SELECT i.id, i.position, i.document_id, d.code_number, d.code_notation, coalesce(d.issued_date, i.item_date),"
    " t.name_vi, coalesce(d.subject, i.title), coalesce(d.organ_name, ''), coalesce(i.pages, d.page_amount),"
    " i.filename, i.sha256, i.content_type, i.size_bytes, coalesce(d.secrecy, 0), i.added_at, i.added_by"
    " FROM case_file_items i LEFT JOIN documents d ON d.id = i.document_id"
    " LEFT JOIN document_types t ON t.key = d.type_key"
)


def items(conn: psycopg.Connection, file_id: int, visible: set[int]) -> list[Item]:
    rows = conn.execute(f"{_ITEM_SELECT} WHERE i.case_file_id = %s ORDER BY i.position, i.id", (file_id,)).fetchall()
    out = []
    for r in rows:
        secrecy = int(r[14])
        hidden = secrecy > 0 and r[2] not in visible
        code = number_and_symbol(r[3], r[4]) if r[2] is not None else ""
        out.append(
            Item(
                r[0],
                r[1],
                r[2],
                "" if hidden else code,
                r[5],
                "" if hidden else (r[6] or ""),
                "" if hidden else r[7],
                "" if hidden else r[8],
                None if hidden else r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                secrecy,
                hidden,
                r[15],
                r[16],
            )  # fmt: skip
        )
    return out


def item_document_ids(conn: psycopg.Connection, file_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT document_id FROM case_file_items WHERE case_file_id = %s AND document_id IS NOT NULL", (file_id,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def add_item(conn: psycopg.Connection, file_id: int, values: dict[str, Any]) -> int | None:
    row = conn.execute(
        "INSERT INTO case_file_items (case_file_id, position, document_id, sha256, filename, content_type,"
        " size_bytes, title, item_date, pages, added_at, added_by) VALUES (%(file)s, 100000, %(document_id)s,"
        " %(sha256)s, %(filename)s, %(content_type)s, %(size_bytes)s, %(title)s, %(item_date)s, %(pages)s,"
        " %(added_at)s, %(added_by)s) ON CONFLICT DO NOTHING RETURNING id",
        values | {"file": file_id},
    ).fetchone()
    return int(row[0]) if row else None


def remove_item(conn: psycopg.Connection, file_id: int, item_id: int) -> bool:
    return (
        conn.execute("DELETE FROM case_file_items WHERE id = %s AND case_file_id = %s", (item_id, file_id)).rowcount
        == 1
    )


def set_positions(conn: psycopg.Connection, file_id: int, ordered_ids: list[int]) -> None:
    """Renumber the items 1, 2, … in this order."""
    conn.execute(
        "UPDATE case_file_items i SET position = o.n FROM unnest(%s::bigint[]) WITH ORDINALITY AS o(id, n)"
        " WHERE i.id = o.id AND i.case_file_id = %s AND i.position <> o.n",
        (ordered_ids, file_id),
    )


def files_of_document(conn: psycopg.Connection, document_id: int) -> list[CaseFile]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_FILE_SELECT} WHERE f.id IN (SELECT case_file_id FROM case_file_items WHERE document_id = %s)"
            " ORDER BY f.year, f.code",
            (document_id,),
        ).fetchall()
    return [CaseFile(**r) for r in rows]
