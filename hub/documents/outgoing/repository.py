"""SQL of outgoing drafts, their chain, recipients, document links and file signatures (migrations 0505, 0506).
Transactions are the service's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.models import Secrecy, Urgency
from hub.documents.outgoing.models import (
    DocumentLink,
    Draft,
    DraftComment,
    DraftState,
    DraftStep,
    DraftVersion,
    LinkKind,
    Recipient,
    SigningPrefix,
)


def prefixes(conn: psycopg.Connection) -> list[SigningPrefix]:
    rows = conn.execute(
        "SELECT code, label, name_vi, name_en, needs_delegation, basis, valid_from, valid_to"
        " FROM document_signing_prefixes ORDER BY sort, code"
    ).fetchall()
    return [SigningPrefix(*r) for r in rows]


def unit(conn: psycopg.Connection, code: str) -> tuple[int, str] | None:
    """(id, path) of a unit in being."""
    row = conn.execute("SELECT id, path FROM org_units WHERE code = %s AND valid_to IS NULL", (code,)).fetchone()
    return (int(row[0]), row[1]) if row else None


def user_id(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s AND disabled_at IS NULL", (username,)).fetchone()
    return int(row[0]) if row else None


def clerks_of(conn: psycopg.Connection, unit_path: str) -> list[int]:
    """Active accounts holding the văn thư role on exactly this unit (told a document waits for release)."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN org_units u ON u.id = g.unit_id"
        " JOIN users us ON us.id = g.user_id WHERE g.role = 'clerk' AND u.path = %s AND us.disabled_at IS NULL",
        (unit_path,),
    ).fetchall()
    return [int(r[0]) for r in rows]


_COLUMNS = (
    "unit_id", "drafting_unit_id", "drafter_notation", "type_key", "subject", "secrecy", "urgency", "reviewer_user_id",
    "signer_user_id", "signing_prefix", "authority_title", "signer_position", "signer_name", "delegation",
    "relates_kind", "relates_to", "reply_due",
)  # fmt: skip


def insert_draft(
    conn: psycopg.Connection, values: dict[str, Any], by: str, by_user_id: int | None, at: datetime
) -> int:
    names = ", ".join(_COLUMNS)
    marks = ", ".join(f"%({c})s" for c in _COLUMNS)
    row = conn.execute(
        f"INSERT INTO document_drafts ({names}, created_by, created_by_user_id, created_at)"
        f" VALUES ({marks}, %(by)s, %(by_user_id)s, %(at)s) RETURNING id",
        values | {"by": by, "by_user_id": by_user_id or None, "at": at},
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_draft(conn: psycopg.Connection, draft_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{c} = %({c})s" for c in _COLUMNS if c in values)
    if sets:
        conn.execute(f"UPDATE document_drafts SET {sets} WHERE id = %(id)s", values | {"id": draft_id})


def lock_state(conn: psycopg.Connection, draft_id: int) -> DraftState | None:
    """The draft's state, its row locked until the transaction ends (two steps at once take turns)."""
    row = conn.execute("SELECT state FROM document_drafts WHERE id = %s FOR UPDATE", (draft_id,)).fetchone()
    return DraftState(row[0]) if row else None


def set_state(conn: psycopg.Connection, draft_id: int, state: DraftState) -> None:
    conn.execute("UPDATE document_drafts SET state = %s WHERE id = %s", (state.value, draft_id))


def set_released(conn: psycopg.Connection, draft_id: int, document_id: int, at: datetime) -> None:
    conn.execute(
        "UPDATE document_drafts SET state = 'released', document_id = %s, released_at = %s WHERE id = %s",
        (document_id, at, draft_id),
    )


def add_step(
    conn: psycopg.Connection, draft_id: int, step: str, before: DraftState, after: DraftState, at: datetime, by: str,
    note: str | None,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO document_draft_steps (draft_id, step, from_state, to_state, at, by_user, note)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (draft_id, step, before.value, after.value, at, by, note),
    )


def add_version(
    conn: psycopg.Connection, draft_id: int, sha256: str, filename: str, content_type: str, size: int, by: str,
    at: datetime, note: str | None,
) -> int:  # fmt: skip
    """The next version number of the draft (the caller holds the draft's row lock)."""
    row = conn.execute(
        "INSERT INTO document_draft_versions (draft_id, version, sha256, filename, content_type, size_bytes,"
        " uploaded_by, uploaded_at, note)"
        " SELECT %s, coalesce(max(version), 0) + 1, %s, %s, %s, %s, %s, %s, %s FROM document_draft_versions"
        " WHERE draft_id = %s RETURNING version",
        (draft_id, sha256, filename, content_type, size, by, at, note, draft_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def add_comment(conn: psycopg.Connection, draft_id: int, version: int | None, at: datetime, by: str, body: str) -> int:
    row = conn.execute(
        "INSERT INTO document_draft_comments (draft_id, version, at, by_user, body) VALUES (%s, %s, %s, %s, %s)"
        " RETURNING id",
        (draft_id, version, at, by, body),
    ).fetchone()
    assert row is not None
    return int(row[0])


def set_recipients(
    conn: psycopg.Connection, draft_id: int, rows: list[tuple[int | None, str | None, str | None]]
) -> None:
    conn.execute("DELETE FROM document_draft_recipients WHERE draft_id = %s", (draft_id,))
    for unit_id, organ_name, organ_id in rows:
        conn.execute(
            "INSERT INTO document_draft_recipients (draft_id, unit_id, organ_name, organ_id) VALUES (%s, %s, %s, %s)",
            (draft_id, unit_id, organ_name, organ_id),
        )


_DRAFT_SELECT = (
    "SELECT d.id, u.code AS unit_code, u.path AS unit_path, du.code AS drafting_unit_code,"
    " du.path AS drafting_unit_path, d.drafter_notation, d.type_key, t.name_vi AS type_name_vi, d.subject,"
    " d.secrecy, d.urgency, d.created_by, d.created_by_user_id, d.created_at, d.reviewer_user_id,"
    " ru.username AS reviewer, d.signer_user_id, su.username AS signer, d.signing_prefix, d.authority_title,"
    " d.signer_position, d.signer_name, d.delegation, d.state, d.relates_kind, d.relates_to, d.document_id,"
    " d.released_at, d.reply_due, p.label AS prefix_label"
    " FROM document_drafts d JOIN org_units u ON u.id = d.unit_id JOIN org_units du ON du.id = d.drafting_unit_id"
    " JOIN document_types t ON t.key = d.type_key LEFT JOIN users ru ON ru.id = d.reviewer_user_id"
    " JOIN users su ON su.id = d.signer_user_id LEFT JOIN document_signing_prefixes p ON p.code = d.signing_prefix"
)


def _draft(row: dict[str, Any]) -> Draft:
    return Draft(
        **row
        | {
            "secrecy": Secrecy(row["secrecy"]),
            "urgency": Urgency(row["urgency"]),
            "state": DraftState(row["state"]),
            "relates_kind": LinkKind(row["relates_kind"]) if row["relates_kind"] else None,
        }
    )


def draft(conn: psycopg.Connection, draft_id: int, *, full: bool = True) -> Draft | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(f"{_DRAFT_SELECT} WHERE d.id = %s", (draft_id,)).fetchone()
    if row is None:
        return None
    found = _draft(row)
    if not full:
        return found
    versions = conn.execute(
        "SELECT version, sha256, filename, content_type, size_bytes, uploaded_by, uploaded_at, note"
        " FROM document_draft_versions WHERE draft_id = %s ORDER BY version",
        (draft_id,),
    ).fetchall()
    comments = conn.execute(
        "SELECT id, version, at, by_user, body FROM document_draft_comments WHERE draft_id = %s ORDER BY at, id",
        (draft_id,),
    ).fetchall()
    steps = conn.execute(
        "SELECT step, from_state, to_state, at, by_user, note FROM document_draft_steps WHERE draft_id = %s"
        " ORDER BY at, id",
        (draft_id,),
    ).fetchall()
    recipients = conn.execute(
        "SELECT u.code, r.organ_name, r.organ_id FROM document_draft_recipients r"
        " LEFT JOIN org_units u ON u.id = r.unit_id WHERE r.draft_id = %s ORDER BY r.id",
        (draft_id,),
    ).fetchall()
    return replace(
        found,
        versions=tuple(DraftVersion(*v) for v in versions),
        comments=tuple(DraftComment(*c) for c in comments),
        steps=tuple(DraftStep(*s) for s in steps),
        recipients=tuple(Recipient(*r) for r in recipients),
    )


def drafts_for(conn: psycopg.Connection, *, user_id: int, register_paths: list[str] | None, limit: int) -> list[Draft]:
    """Drafts someone has a part in: created by them, waiting for their review or signature, or approved in
    a unit they release documents of (`register_paths`: the văn thư's units; None: every unit)."""
    release = "TRUE" if register_paths is None else "u.path LIKE ANY(%(paths)s)"
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_DRAFT_SELECT} WHERE d.state <> 'released' AND (d.created_by_user_id = %(uid)s"
            " OR (d.state = 'reviewing' AND d.reviewer_user_id = %(uid)s)"
            " OR (d.state = 'signing' AND d.signer_user_id = %(uid)s)"
            f" OR (d.state = 'approved' AND {release}))"
            " ORDER BY d.urgency DESC, d.created_at, d.id LIMIT %(limit)s",
            {"uid": user_id, "paths": [f"{p}%" for p in (register_paths or [])], "limit": limit},
        ).fetchall()
    return [_draft(r) for r in rows]


def released_for(
    conn: psycopg.Connection, *, user_id: int, register_paths: list[str] | None, limit: int
) -> list[tuple[Draft, str, str]]:
    """Released drafts someone took part in (drafter, reviewer, signer, or văn thư of the issuing unit:
    `register_paths`; None: every unit), newest first, each with its document's number and symbol."""
    release = "TRUE" if register_paths is None else "u.path LIKE ANY(%(paths)s)"
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"SELECT q.*, doc.code_number, doc.code_notation FROM ({_DRAFT_SELECT} WHERE d.state = 'released'"
            " AND (d.created_by_user_id = %(uid)s OR d.reviewer_user_id = %(uid)s OR d.signer_user_id = %(uid)s"
            f" OR {release})) q JOIN documents doc ON doc.id = q.document_id"
            " ORDER BY q.released_at DESC, q.id DESC LIMIT %(limit)s",
            {"uid": user_id, "paths": [f"{p}%" for p in (register_paths or [])], "limit": limit},
        ).fetchall()
    return [(_draft({k: v for k, v in r.items() if not k.startswith("code_")}), r["code_number"], r["code_notation"])
            for r in rows]  # fmt: skip


# --- links and freezing --------------------------------------------------------------------------------


def frozen(conn: psycopg.Connection, document_id: int, *, lock: bool = False) -> tuple[bool, str | None] | None:
    """(exists, frozen kind or None) of a document; with `lock` its row is locked (two revocations take turns)."""
    row = conn.execute(
        f"SELECT frozen_kind FROM documents WHERE id = %s{' FOR UPDATE' if lock else ''}", (document_id,)
    ).fetchone()
    return (True, row[0]) if row else None


def freeze(conn: psycopg.Connection, document_ids: list[int], kind: str, at: datetime) -> None:
    conn.execute(
        "UPDATE documents SET frozen_at = %s, frozen_kind = %s WHERE id = ANY(%s) AND frozen_at IS NULL",
        (at, kind, document_ids),
    )


def delivered_copies(conn: psycopg.Connection, document_id: int) -> list[int]:
    """The incoming entries of CCES units that received this outgoing document (migration 0502)."""
    rows = conn.execute("SELECT id FROM documents WHERE source_id = %s ORDER BY id", (document_id,)).fetchall()
    return [int(r[0]) for r in rows]


def insert_link(
    conn: psycopg.Connection, kind: LinkKind, target_id: int, document_id: int | None, reason: str, at: datetime,
    by: str,
) -> int | None:  # fmt: skip
    """The link's id; None when the original already has one (its unique index: two at once)."""
    row = conn.execute(
        "INSERT INTO document_links (kind, target_id, document_id, reason, at, by_user)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (target_id) DO NOTHING RETURNING id",
        (kind.value, target_id, document_id, reason, at, by),
    ).fetchone()
    return int(row[0]) if row else None


def links_of(conn: psycopg.Connection, document_id: int) -> list[DocumentLink]:
    """The links where the document is the original or the new one (its trail both ways)."""
    rows = conn.execute(
        "SELECT id, kind, target_id, document_id, reason, at, by_user FROM document_links"
        " WHERE target_id = %s OR document_id = %s ORDER BY at, id",
        (document_id, document_id),
    ).fetchall()
    return [DocumentLink(r[0], LinkKind(r[1]), *r[2:]) for r in rows]


def file_ids_by_sha(conn: psycopg.Connection, document_id: int) -> dict[str, int]:
    rows = conn.execute("SELECT sha256, id FROM document_files WHERE document_id = %s", (document_id,)).fetchall()
    return {r[0]: int(r[1]) for r in rows}
