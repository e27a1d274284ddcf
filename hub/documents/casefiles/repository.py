"""SQL of file lists, case files and hand-overs (migration 0540): rows in, records out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import (
    CaseFile,
    Entry,
    FileList,
    Handover,
    Heading,
    Item,
    Retention,
    Rules,
    roman,
)
from hub.documents.models import number_and_symbol

# --- reference data -------------------------------------------------------------------------------------


def retentions(conn: psycopg.Connection) -> list[Retention]:
    rows = conn.execute(
        "SELECT code, years, label_vi, label_en, basis FROM case_file_retentions ORDER BY position, code"
    ).fetchall()
    return [Retention(*r) for r in rows]


def rules(conn: psycopg.Connection) -> Rules:
    values = dict(conn.execute("SELECT key, value FROM case_file_rules").fetchall())
    return Rules(**{k: int(v) for k, v in values.items() if k in Rules.__dataclass_fields__})


def unit(conn: psycopg.Connection, unit_code: str) -> tuple[int, str, str, str] | None:
    """(id, code, name, path) of a unit in being."""
    row = conn.execute(
        "SELECT id, code, name, path FROM org_units WHERE code = %s AND valid_to IS NULL", (unit_code,)
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2]), str(row[3])) if row else None


def unit_code(conn: psycopg.Connection, unit_id: int) -> str:
    row = conn.execute("SELECT code FROM org_units WHERE id = %s", (unit_id,)).fetchone()
    assert row is not None
    return str(row[0])


def user_id(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
    return int(row[0]) if row else None


# --- file lists -------------------------------------------------------------------------------------------

_LIST_SELECT = (
    "SELECT l.id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, l.year, l.created_at,"
    " l.created_by, l.approved_at, l.approved_by, l.decision FROM case_file_lists l"
    " JOIN org_units u ON u.id = l.unit_id"
)


def file_list(conn: psycopg.Connection, unit_id: int, year: int, *, lock: bool = False) -> FileList | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"{_LIST_SELECT} WHERE l.unit_id = %s AND l.year = %s{' FOR UPDATE OF l' if lock else ''}", (unit_id, year)
        ).fetchone()
    if row is None:
        return None
    return FileList(**row, headings=tuple(headings(conn, row["id"])), entries=tuple(entries(conn, row["id"])))


def insert_list(conn: psycopg.Connection, unit_id: int, year: int, by: str, at: datetime) -> None:
    conn.execute(
        "INSERT INTO case_file_lists (unit_id, year, created_at, created_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (unit_id, year) DO NOTHING",
        (unit_id, year, at, by),
    )


def approve_list(conn: psycopg.Connection, list_id: int, by: str, at: datetime, decision: str | None) -> None:
    conn.execute(
        "UPDATE case_file_lists SET approved_at = %s, approved_by = %s, decision = %s WHERE id = %s",
        (at, by, decision, list_id),
    )


def headings(conn: psycopg.Connection, list_id: int) -> list[Heading]:
    rows = conn.execute(
        "SELECT id, parent_id, code, title, position FROM case_file_headings WHERE list_id = %s"
        " ORDER BY (parent_id IS NOT NULL), position, id",
        (list_id,),
    ).fetchall()
    majors = [r for r in rows if r[1] is None]
    ordinals = {r[0]: roman(i) for i, r in enumerate(majors, 1)}
    out = [Heading(r[0], None, r[2], r[3], r[4], ordinals[r[0]]) for r in majors]
    for major in majors:
        subs = [r for r in rows if r[1] == major[0]]
        out.extend(Heading(r[0], r[1], None, r[3], r[4], str(i)) for i, r in enumerate(subs, 1))
    return out


def add_heading(conn: psycopg.Connection, list_id: int, parent_id: int | None, code: str | None, title: str) -> int:
    row = conn.execute(
        "INSERT INTO case_file_headings (list_id, parent_id, code, title, position)"
        " SELECT %s, %s, %s, %s, coalesce(max(position), 0) + 1 FROM case_file_headings"
        " WHERE list_id = %s AND parent_id IS NOT DISTINCT FROM %s RETURNING id",
        (list_id, parent_id, code, title, list_id, parent_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def entries(conn: psycopg.Connection, list_id: int) -> list[Entry]:
    rows = conn.execute(
        "SELECT e.id, e.heading_id, e.number, e.code, e.title, e.retention, r.label_vi, e.responsible, e.note,"
        " f.id FROM case_file_entries e JOIN case_file_retentions r ON r.code = e.retention"
        " LEFT JOIN case_files f ON f.entry_id = e.id WHERE e.list_id = %s ORDER BY e.id",
        (list_id,),
    ).fetchall()
    return [Entry(*r) for r in rows]


def entry(conn: psycopg.Connection, entry_id: int) -> tuple[int, Entry] | None:
    """(list id, entry)."""
    row = conn.execute(
        "SELECT e.list_id, e.id, e.heading_id, e.number, e.code, e.title, e.retention, r.label_vi, e.responsible,"
        " e.note, f.id FROM case_file_entries e JOIN case_file_retentions r ON r.code = e.retention"
        " LEFT JOIN case_files f ON f.entry_id = e.id WHERE e.id = %s",
        (entry_id,),
    ).fetchone()
    return (int(row[0]), Entry(*row[1:])) if row else None


def list_by_id(conn: psycopg.Connection, list_id: int) -> tuple[int, int] | None:
    """(unit id, year)."""
    row = conn.execute("SELECT unit_id, year FROM case_file_lists WHERE id = %s", (list_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def next_entry_number(conn: psycopg.Connection, list_id: int, heading_id: int) -> int:
    """The next ordinal within the major heading (numbering runs within each major heading, from 01)."""
    row = conn.execute(
        "SELECT coalesce(max(e.number), 0) + 1 FROM case_file_entries e"
        " JOIN case_file_headings h ON h.id = e.heading_id"
        " WHERE e.list_id = %s AND coalesce(h.parent_id, h.id) = %s",
        (list_id, heading_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def add_entry(conn: psycopg.Connection, list_id: int, values: dict[str, Any]) -> int | None:
    row = conn.execute(
        "INSERT INTO case_file_entries (list_id, heading_id, number, code, title, retention, responsible, note)"
        " VALUES (%(list_id)s, %(heading_id)s, %(number)s, %(code)s, %(title)s, %(retention)s, %(responsible)s,"
        " %(note)s) ON CONFLICT (list_id, code) DO NOTHING RETURNING id",
        values | {"list_id": list_id},
    ).fetchone()
    return int(row[0]) if row else None


def remove_entry(conn: psycopg.Connection, entry_id: int) -> None:
    conn.execute("DELETE FROM case_file_entries WHERE id = %s", (entry_id,))


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


# --- hand-overs -------------------------------------------------------------------------------------------

_HANDOVER_SELECT = (
    "SELECT h.id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, h.submitted_at, h.submitted_by,"
    " h.submitted_by_id, h.note, h.accepted_at, h.accepted_by FROM case_file_handovers h"
    " JOIN org_units u ON u.id = h.unit_id"
)


def handover(conn: psycopg.Connection, handover_id: int, *, lock: bool = False) -> Handover | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"{_HANDOVER_SELECT} WHERE h.id = %s{' FOR UPDATE OF h' if lock else ''}", (handover_id,)
        ).fetchone()
    if row is None:
        return None
    return Handover(**row, files=tuple(case_files(conn, handover_id=handover_id, limit=100_000)))


def handovers(conn: psycopg.Connection, unit_id: int, limit: int = 200) -> list[Handover]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_HANDOVER_SELECT} WHERE h.unit_id = %s ORDER BY h.submitted_at DESC, h.id DESC LIMIT %s",
            (unit_id, limit),
        ).fetchall()
    return [Handover(**r) for r in rows]


def insert_handover(
    conn: psycopg.Connection, unit_id: int, by: str, by_id: int | None, at: datetime, note: str | None
) -> int:
    row = conn.execute(
        "INSERT INTO case_file_handovers (unit_id, submitted_at, submitted_by, submitted_by_id, note)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (unit_id, at, by, by_id, note),
    ).fetchone()
    assert row is not None
    return int(row[0])


def submit_files(conn: psycopg.Connection, handover_id: int, file_ids: list[int]) -> int:
    return conn.execute(
        "UPDATE case_files SET handover_id = %s WHERE id = ANY(%s) AND handover_id IS NULL AND closed_on IS NOT NULL",
        (handover_id, file_ids),
    ).rowcount


def accept_handover(conn: psycopg.Connection, handover_id: int, by: str, at: datetime) -> list[int]:
    """Mark the hand-over accepted, archive its files and freeze their documents; the frozen documents' ids."""
    conn.execute(
        "UPDATE case_file_handovers SET accepted_at = %s, accepted_by = %s WHERE id = %s", (at, by, handover_id)
    )
    conn.execute("UPDATE case_files SET archived_at = %s WHERE handover_id = %s", (at, handover_id))
    rows = conn.execute(
        "UPDATE documents SET frozen_at = %s, frozen_kind = 'archived' WHERE frozen_at IS NULL AND id IN"
        " (SELECT i.document_id FROM case_file_items i JOIN case_files f ON f.id = i.case_file_id"
        "  WHERE f.handover_id = %s AND i.document_id IS NOT NULL) RETURNING id",
        (at, handover_id),
    ).fetchall()
    return [int(r[0]) for r in rows]
