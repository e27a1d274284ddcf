"""SQL of summary reporting: regimes and versions, reports, values and events, and the CCES figures that
pre-fill them (documents registered, approved leave: `figures`), and what the leadership screen reads (`leadership`).
Transactions are the service's. A package so that each reader keeps its SQL in a module of its own beside this one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.reporting.models import (
    Attachment,
    RegimeVersion,
    Report,
    Reporter,
    ReportEvent,
    ReportStatus,
    ReportValue,
)
from hub.reporting.periods import Frequency
from hub.reporting.template import Template


def unit(conn: psycopg.Connection, code: str) -> tuple[int, str, str, str] | None:
    """(id, code, name, path) of an existing unit (not closed nor merged)."""
    row = conn.execute(
        "SELECT id, code, name, path FROM org_units WHERE code = %s AND valid_to IS NULL", (code,)
    ).fetchone()
    return (int(row[0]), row[1], row[2], row[3]) if row else None


def lock_regime(conn: psycopg.Connection, code: str) -> tuple[int, bool] | None:
    row = conn.execute("SELECT id, active FROM reporting_regimes WHERE code = %s FOR UPDATE", (code,)).fetchone()
    return (int(row[0]), bool(row[1])) if row else None


def insert_regime(conn: psycopg.Connection, code: str, by: str) -> int:
    row = conn.execute(
        "INSERT INTO reporting_regimes (code, created_by) VALUES (%s, %s) RETURNING id", (code, by)
    ).fetchone()
    assert row is not None
    return int(row[0])


def next_version(conn: psycopg.Connection, regime_id: int) -> int:
    row = conn.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM reporting_regime_versions WHERE regime_id = %s", (regime_id,)
    ).fetchone()
    assert row is not None
    return int(row[0])


def has_version_from(conn: psycopg.Connection, regime_id: int, valid_from: date) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM reporting_regime_versions WHERE regime_id = %s AND valid_from = %s", (regime_id, valid_from)
        ).fetchone()
        is not None
    )


def insert_version(conn: psycopg.Connection, values: dict[str, Any], reporters: Sequence[tuple[int, int]]) -> int:
    row = conn.execute(
        "INSERT INTO reporting_regime_versions (regime_id, version, valid_from, name_vi, name_en, basis, content,"
        " frequency, cutoff_day, deadline_days, deadline_working, owner_unit_id, template, created_by)"
        " VALUES (%(regime_id)s, %(version)s, %(valid_from)s, %(name_vi)s, %(name_en)s, %(basis)s, %(content)s,"
        " %(frequency)s, %(cutoff_day)s, %(deadline_days)s, %(deadline_working)s, %(owner_unit_id)s, %(template)s,"
        " %(created_by)s) RETURNING id",
        {**values, "template": Jsonb(values["template"])},
    ).fetchone()
    assert row is not None
    version_id = int(row[0])
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO reporting_regime_units (version_id, unit_id, recipient_unit_id) VALUES (%s, %s, %s)",
            [(version_id, u, r) for u, r in reporters],
        )
    return version_id


_VERSION = (
    "SELECT v.id, v.regime_id, g.code, v.version, v.valid_from, v.name_vi, v.name_en, v.basis, v.content, v.frequency,"
    " v.cutoff_day, v.deadline_days, v.deadline_working, o.code, o.path, v.template, v.created_at, v.created_by,"
    " g.active FROM reporting_regime_versions v JOIN reporting_regimes g ON g.id = v.regime_id"
    " JOIN org_units o ON o.id = v.owner_unit_id"
)


def _versions(conn: psycopg.Connection, where: str, params: Sequence[Any]) -> list[RegimeVersion]:
    rows = conn.execute(f"{_VERSION} {where}", params).fetchall()
    if not rows:
        return []
    reporters: dict[int, list[Reporter]] = {}
    for vid, ucode, rcode in conn.execute(
        "SELECT ru.version_id, u.code, r.code FROM reporting_regime_units ru JOIN org_units u ON u.id = ru.unit_id"
        " JOIN org_units r ON r.id = ru.recipient_unit_id WHERE ru.version_id = ANY(%s) ORDER BY u.path",
        ([r[0] for r in rows],),
    ).fetchall():
        reporters.setdefault(int(vid), []).append(Reporter(ucode, rcode))
    return [
        RegimeVersion(
            int(r[0]), int(r[1]), r[2], int(r[3]), r[4], r[5], r[6], r[7], r[8], Frequency(r[9]), int(r[10]),
            int(r[11]), bool(r[12]), r[13], r[14], Template.model_validate(r[15]), tuple(reporters.get(int(r[0]), ())),
            r[16], r[17], bool(r[18]),
        )
        for r in rows
    ]  # fmt: skip


def versions(conn: psycopg.Connection, code: str | None = None) -> list[RegimeVersion]:
    """Every version (of one regime, or of all), by regime code then newest version first."""
    if code is None:
        return _versions(conn, "ORDER BY g.code, v.version DESC", ())
    return _versions(conn, "WHERE g.code = %s ORDER BY v.version DESC", (code,))


def version_by_id(conn: psycopg.Connection, version_id: int) -> RegimeVersion | None:
    found = _versions(conn, "WHERE v.id = %s", (version_id,))
    return found[0] if found else None


def version_in_force(conn: psycopg.Connection, regime_id: int, day: date) -> RegimeVersion | None:
    """The version in force on `day` (the latest whose valid_from is on or before it)."""
    found = _versions(
        conn, "WHERE v.regime_id = %s AND v.valid_from <= %s ORDER BY v.valid_from DESC LIMIT 1", (regime_id, day)
    )
    return found[0] if found else None


def active_regimes(conn: psycopg.Connection) -> list[tuple[int, str]]:
    return [(int(i), c) for i, c in conn.execute("SELECT id, code FROM reporting_regimes WHERE active ORDER BY code")]


# --- reports ----------------------------------------------------------------------------------------------


def insert_report(conn: psycopg.Connection, values: dict[str, Any]) -> int | None:
    """The new report's id; None when the unit already has its report of that period."""
    row = conn.execute(
        "INSERT INTO reporting_reports (regime_id, version_id, period_key, period_start, period_end, unit_id,"
        " recipient_unit_id, deadline) VALUES (%(regime_id)s, %(version_id)s, %(period_key)s, %(period_start)s,"
        " %(period_end)s, %(unit_id)s, %(recipient_unit_id)s, %(deadline)s)"
        " ON CONFLICT (regime_id, period_key, unit_id) DO NOTHING RETURNING id",
        values,
    ).fetchone()
    return int(row[0]) if row else None


def put_values(conn: psycopg.Connection, report_id: int, rows: Sequence[dict[str, Any]]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO reporting_values (report_id, code, value, prefilled, source, note, updated_by)"
            " VALUES (%(report_id)s, %(code)s, %(value)s, %(prefilled)s, %(source)s, %(note)s, %(updated_by)s)"
            " ON CONFLICT (report_id, code) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note,"
            " updated_by = EXCLUDED.updated_by, updated_at = now()",
            [
                {"report_id": report_id, **r, "value": Jsonb(r.get("value")), "prefilled": Jsonb(r.get("prefilled")),
                 "source": r.get("source"), "note": r.get("note")}
                for r in rows
            ],
        )  # fmt: skip


def add_event(conn: psycopg.Connection, report_id: int, actor: str, kind: str, comment: str | None = None) -> None:
    conn.execute(
        "INSERT INTO reporting_report_events (report_id, actor, kind, comment) VALUES (%s, %s, %s, %s)",
        (report_id, actor, kind, comment),
    )


def set_status(conn: psycopg.Connection, report_id: int, status: ReportStatus, by: str, comment: str | None) -> None:
    if status is ReportStatus.SUBMITTED:
        conn.execute(
            "UPDATE reporting_reports SET status = %s, submitted_at = now(), submitted_by = %s WHERE id = %s",
            (status.value, by, report_id),
        )
    else:
        conn.execute(
            "UPDATE reporting_reports SET status = %s, decided_at = now(), decided_by = %s, comment = %s WHERE id = %s",
            (status.value, by, comment, report_id),
        )


_REPORT = (
    "SELECT p.id, g.code, p.version_id, v.version, p.period_key, p.period_start, p.period_end, u.code, u.name, u.path,"
    " r.code, r.name, r.path, p.deadline, p.status, p.opened_at, p.submitted_at, p.submitted_by, p.decided_at,"
    " p.decided_by, p.comment, p.reminders FROM reporting_reports p JOIN reporting_regimes g ON g.id = p.regime_id"
    " JOIN reporting_regime_versions v ON v.id = p.version_id JOIN org_units u ON u.id = p.unit_id"
    " JOIN org_units r ON r.id = p.recipient_unit_id"
)


def _report(
    row: Sequence[Any], values: dict[str, ReportValue] | None = None, events: tuple = (), attachments: tuple = ()
) -> Report:
    return Report(*row[:14], ReportStatus(row[14]), *row[15:22], values=values or {}, events=events,  # type: ignore[misc]
                  attachments=attachments)  # fmt: skip


def report(conn: psycopg.Connection, report_id: int, *, lock: bool = False) -> Report | None:
    row = conn.execute(f"{_REPORT} WHERE p.id = %s" + (" FOR UPDATE OF p" if lock else ""), (report_id,)).fetchone()
    if row is None:
        return None
    values = {
        code: ReportValue(code, value, prefilled, source, note, by)
        for code, value, prefilled, source, note, by in conn.execute(
            "SELECT code, value, prefilled, source, note, updated_by FROM reporting_values WHERE report_id = %s",
            (report_id,),
        )
    }
    events = tuple(
        ReportEvent(*e)
        for e in conn.execute(
            "SELECT at, actor, kind, comment FROM reporting_report_events WHERE report_id = %s ORDER BY at, id",
            (report_id,),
        )
    )
    return _report(row, values, events, tuple(attachments(conn, report_id)))


def reports(
    conn: psycopg.Connection, *, regime: str | None, period_key: str | None, paths: Sequence[str] | None,
    status: Sequence[str] | None = None, limit: int = 500,
) -> list[Report]:  # fmt: skip
    """Reports (without their values) whose reporting or receiving unit lies in one of `paths` (None: all)."""
    where, params = ["true"], []
    if regime is not None:
        where.append("g.code = %s")
        params.append(regime)
    if period_key is not None:
        where.append("p.period_key = %s")
        params.append(period_key)
    if paths is not None:
        where.append("(u.path LIKE ANY(%s) OR r.path LIKE ANY(%s))")
        likes = [p + "%" for p in paths]
        params += [likes, likes]
    if status is not None:
        where.append("p.status = ANY(%s)")
        params.append(list(status))
    rows = conn.execute(
        f"{_REPORT} WHERE {' AND '.join(where)} ORDER BY g.code, p.period_end DESC, u.path LIMIT %s", (*params, limit)
    ).fetchall()
    return [_report(r) for r in rows]


def late_reports(conn: psycopg.Connection, today: date) -> list[Report]:
    """Reports not submitted (draft or returned) whose deadline has passed and not reminded today."""
    rows = conn.execute(
        f"{_REPORT} WHERE p.status IN ('draft', 'returned') AND p.deadline < %s"
        " AND (p.reminded_on IS NULL OR p.reminded_on < %s) ORDER BY p.deadline, u.path",
        (today, today),
    ).fetchall()
    return [_report(r) for r in rows]


def mark_reminded(conn: psycopg.Connection, report_id: int, today: date) -> bool:
    """Claim today's reminder of a report (False: another process did it already)."""
    row = conn.execute(
        "UPDATE reporting_reports SET reminded_on = %s, reminders = reminders + 1"
        " WHERE id = %s AND (reminded_on IS NULL OR reminded_on < %s) RETURNING id",
        (today, report_id, today),
    ).fetchone()
    return row is not None


def users_over(conn: psycopg.Connection, unit_path: str, roles: Sequence[str]) -> list[int]:
    """Enabled accounts holding one of `roles` on this unit or a unit above it (not the system admins)."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = conn.execute(
        "SELECT DISTINCT u.id FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = ANY(%s) AND g.unit_id = ANY(%s) AND u.disabled_at IS NULL ORDER BY 1",
        (list(roles), ids),
    ).fetchall()
    return [int(r[0]) for r in rows]


def users_on(conn: psycopg.Connection, unit_id: int, roles: Sequence[str]) -> list[int]:
    """Enabled accounts holding one of `roles` on exactly this unit."""
    rows = conn.execute(
        "SELECT DISTINCT u.id FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = ANY(%s) AND g.unit_id = %s AND u.disabled_at IS NULL ORDER BY 1",
        (list(roles), unit_id),
    ).fetchall()
    return [int(r[0]) for r in rows]


def values_of(conn: psycopg.Connection, report_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each report's stored values (code → value), for many reports at once (consolidation)."""
    out: dict[int, dict[str, Any]] = {int(i): {} for i in report_ids}
    for report_id, code, value in conn.execute(
        "SELECT report_id, code, value FROM reporting_values WHERE report_id = ANY(%s)", (list(report_ids),)
    ):
        out[int(report_id)][code] = value
    return out


# --- exports ----------------------------------------------------------------------------------------------


def unit_names(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """The names of the units on a path, from the top down to the unit (the heading's agency lines)."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = conn.execute("SELECT id, name FROM org_units WHERE id = ANY(%s)", (ids,)).fetchall()
    names = {int(i): n for i, n in rows}
    return [names[i] for i in ids if i in names]


def issuer(conn: psycopg.Connection, unit_code: str) -> tuple[str, str | None]:
    """How a unit writes itself in symbols and the place of its date line, as it set them for its outgoing
    documents (hub.documents: document_issuers); its code and no place when it set none."""
    row = conn.execute(
        "SELECT coalesce(i.notation, u.code), i.place FROM org_units u"
        " LEFT JOIN document_issuers i ON i.unit_id = u.id WHERE u.code = %s AND u.valid_to IS NULL",
        (unit_code,),
    ).fetchone()
    return (row[0], row[1]) if row else (unit_code, None)


# --- attachments ------------------------------------------------------------------------------------------

_ATTACHMENT = (
    "SELECT id, report_id, filename, content_type, size, sha256, uploaded_by, uploaded_at FROM reporting_attachments"
)


def attachments(conn: psycopg.Connection, report_id: int) -> list[Attachment]:
    rows = conn.execute(f"{_ATTACHMENT} WHERE report_id = %s ORDER BY id", (report_id,)).fetchall()
    return [Attachment(*r) for r in rows]


def attachment(conn: psycopg.Connection, report_id: int, attachment_id: int) -> Attachment | None:
    row = conn.execute(f"{_ATTACHMENT} WHERE report_id = %s AND id = %s", (report_id, attachment_id)).fetchone()
    return Attachment(*row) if row else None


def insert_attachment(conn: psycopg.Connection, report_id: int, values: dict[str, Any]) -> Attachment:
    row = conn.execute(
        "INSERT INTO reporting_attachments (report_id, filename, content_type, size, sha256, uploaded_by)"
        " VALUES (%(report_id)s, %(filename)s, %(content_type)s, %(size)s, %(sha256)s, %(uploaded_by)s)"
        " RETURNING id, report_id, filename, content_type, size, sha256, uploaded_by, uploaded_at",
        {**values, "report_id": report_id},
    ).fetchone()
    assert row is not None
    return Attachment(*row)


def delete_attachment(conn: psycopg.Connection, report_id: int, attachment_id: int) -> bool:
    row = conn.execute(
        "DELETE FROM reporting_attachments WHERE report_id = %s AND id = %s RETURNING id", (report_id, attachment_id)
    ).fetchone()
    return row is not None
