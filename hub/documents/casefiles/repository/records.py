"""SQL of the archive's papers (issue 15 item 7): the heading of a unit's papers (the governing unit, its place and
notation) and people's names."""

from __future__ import annotations

import psycopg


def heading(conn: psycopg.Connection, unit_id: int) -> tuple[str | None, str, str | None, str]:
    """(the governing unit's name or None at the top, the unit's name, its place for the date line or None, its
    notation in symbols — its code when it has none)."""
    row = conn.execute(
        "SELECT p.name, u.name, i.place, coalesce(i.notation, u.code) FROM org_units u"
        " LEFT JOIN org_units p ON p.id = u.parent_id LEFT JOIN document_issuers i ON i.unit_id = u.id"
        " WHERE u.id = %s",
        (unit_id,),
    ).fetchone()
    assert row is not None
    return row[0], str(row[1]), row[2], str(row[3])


def display_names(conn: psycopg.Connection, usernames: list[str]) -> dict[str, str]:
    rows = conn.execute("SELECT username, display_name FROM users WHERE username = ANY(%s)", (usernames,)).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}
