"""SQL of notifications: categories, the inbox, preferences, the mail outbox, action links (0230)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from hub.live.models import INBOX_CHANNEL  # the live bell's channel
from hub.notifications.models import (
    ActionLink,
    Category,
    MailCounts,
    MailRecord,
    Notification,
    Rendered,
)

#: PostgreSQL channel of the live bell: sent in the transaction that stores notifications
#: a NOTIFY payload holds < 8000 bytes: beyond this many recipients it says "everyone, look again"
_NOTIFY_MAX_IDS = 600
MAX_ERROR_CHARS = 1000

# --- categories ------------------------------------------------------------------------------------


def ensure_categories(conn: psycopg.Connection, categories: Sequence[Category]) -> None:
    """Insert or relabel categories (a domain's own, at start or in a test); a chosen default stays the row's."""
    for c in categories:
        conn.execute(
            "INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (code) DO UPDATE SET label_vi = excluded.label_vi, label_en = excluded.label_en",
            (c.code, c.label_vi, c.label_en, c.mail_default),
        )


def categories(conn: psycopg.Connection) -> list[Category]:
    rows = conn.execute(
        "SELECT code, label_vi, label_en, mail_default FROM notification_categories ORDER BY code"
    ).fetchall()
    return [Category(*r) for r in rows]


def category_exists(conn: psycopg.Connection, code: str) -> bool:
    return conn.execute("SELECT 1 FROM notification_categories WHERE code = %s", (code,)).fetchone() is not None


# --- writing notifications -------------------------------------------------------------------------


def existing_users(conn: psycopg.Connection, user_ids: Sequence[int]) -> list[int]:
    """Those of `user_ids` that are accounts that are not disabled, in order."""
    rows = conn.execute(
        "SELECT id FROM users WHERE id = ANY(%s) AND disabled_at IS NULL ORDER BY id", (list(user_ids),)
    ).fetchall()
    return [r[0] for r in rows]


def insert_notifications(
    conn: psycopg.Connection, user_ids: Sequence[int], category: str, text: Rendered, link: str | None
) -> list[tuple[int, int]]:
    """One row per recipient; [(user_id, notification id)]."""
    rows = conn.execute(
        "INSERT INTO notifications (user_id, category, title_vi, title_en, body_vi, body_en, message_key, params, link)"
        " SELECT u, %s, %s, %s, %s, %s, %s, %s, %s FROM unnest(%s::bigint[]) AS u RETURNING user_id, id",
        (category, text.title_vi, text.title_en, text.body_vi, text.body_en, text.key, Jsonb(text.params), link,
         list(user_ids)),
    ).fetchall()  # fmt: skip
    return [(r[0], r[1]) for r in rows]


def mail_recipients(conn: psycopg.Connection, user_ids: Sequence[int], category: str) -> dict[int, str]:
    """user id → address, for those who have an address and want this category by mail."""
    rows = conn.execute(
        "SELECT s.user_id, s.email FROM notification_settings s"
        " JOIN notification_categories c ON c.code = %s"
        " LEFT JOIN notification_mail_choices m ON m.user_id = s.user_id AND m.category = c.code"
        " WHERE s.user_id = ANY(%s) AND s.email IS NOT NULL AND coalesce(m.by_mail, c.mail_default)",
        (category, list(user_ids)),
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def insert_action(
    conn: psycopg.Connection,
    action_id: UUID,
    user_id: int,
    notification_id: int,
    action: str,
    params: dict[str, Any],
    ttl_s: float,
) -> None:
    conn.execute(
        "INSERT INTO notification_actions (id, user_id, notification_id, action, params, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, now() + make_interval(secs => %s))",
        (action_id, user_id, notification_id, action, Jsonb(params), ttl_s),
    )


def insert_mail(
    conn: psycopg.Connection,
    notification_id: int,
    user_id: int,
    action_id: UUID | None,
    to_address: str,
    subject: str,
    message_id: str,
) -> int:
    row = conn.execute(
        "INSERT INTO notification_mail (notification_id, user_id, action_id, to_address, subject, message_id)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (notification_id, user_id, action_id, to_address, subject, message_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def insert_mails(conn: psycopg.Connection, rows: Sequence[tuple[int, int, UUID | None, str, str, str]]) -> None:
    """(notification id, user id, action id, address, subject, Message-ID) rows, in one statement."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    conn.execute(
        "INSERT INTO notification_mail (notification_id, user_id, action_id, to_address, subject, message_id)"
        " SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::uuid[], %s::text[], %s::text[], %s::text[])",
        [list(c) for c in columns],
    )


def insert_actions(
    conn: psycopg.Connection, rows: Sequence[tuple[UUID, int, int]], action: str, params: dict[str, Any], ttl_s: float
) -> None:
    """(action id, user id, notification id) rows of one action, in one statement."""
    if not rows:
        return
    ids, users, notifications = (list(c) for c in zip(*rows, strict=True))
    conn.execute(
        "INSERT INTO notification_actions (id, user_id, notification_id, action, params, expires_at)"
        " SELECT a, u, n, %s, %s, now() + make_interval(secs => %s)"
        " FROM unnest(%s::uuid[], %s::bigint[], %s::bigint[]) AS t(a, u, n)",
        (action, Jsonb(params), ttl_s, ids, users, notifications),
    )


def notify_inbox(conn: psycopg.Connection, user_ids: Sequence[int]) -> None:
    """Tell every hub process's live feed whose inbox changed (delivered on COMMIT only)."""
    ids = sorted(set(user_ids))
    payload = json.dumps({"u": ids}) if len(ids) <= _NOTIFY_MAX_IDS else json.dumps({"all": True})
    conn.execute("SELECT pg_notify(%s, %s)", (INBOX_CHANNEL, payload))


# --- reading the inbox -----------------------------------------------------------------------------

_NOTIFICATION_SELECT = (
    "SELECT n.id, n.user_id, n.category, c.label_vi, c.label_en, n.title_vi, n.title_en, n.body_vi, n.body_en,"
    " n.message_key, n.params, n.link, n.created_at, n.read_at"
    " FROM notifications n JOIN notification_categories c ON c.code = n.category"
)


def _notification(row: tuple[Any, ...]) -> Notification:
    return Notification(*row[:10], dict(row[10] or {}), *row[11:])


def inbox(
    conn: psycopg.Connection, user_id: int, *, unread_only: bool, category: str | None, limit: int, offset: int
) -> tuple[int, list[Notification]]:
    """(total matching, one page newest first)."""
    where = (
        " WHERE n.user_id = %(user)s AND (NOT %(unread)s OR n.read_at IS NULL)"
        " AND (%(category)s::text IS NULL OR n.category = %(category)s)"
    )
    params = {"user": user_id, "unread": unread_only, "category": category, "limit": limit, "offset": offset}
    total = conn.execute("SELECT count(*) FROM notifications n" + where, params).fetchone()
    rows = conn.execute(
        _NOTIFICATION_SELECT + where + " ORDER BY n.id DESC LIMIT %(limit)s OFFSET %(offset)s", params
    ).fetchall()
    return (int(total[0]) if total else 0), [_notification(r) for r in rows]


def notification(conn: psycopg.Connection, notification_id: int) -> Notification | None:
    row = conn.execute(_NOTIFICATION_SELECT + " WHERE n.id = %s", (notification_id,)).fetchone()
    return _notification(row) if row else None


def unread_count(conn: psycopg.Connection, user_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM notifications WHERE user_id = %s AND read_at IS NULL", (user_id,)
    ).fetchone()
    return int(row[0]) if row else 0


def mark_read(conn: psycopg.Connection, user_id: int, ids: Sequence[int]) -> tuple[list[int], int]:
    """(ids of `ids` that are this user's, how many were unread and are read now)."""
    mine = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM notifications WHERE user_id = %s AND id = ANY(%s)", (user_id, list(ids))
        ).fetchall()
    ]
    changed = conn.execute(
        "UPDATE notifications SET read_at = now() WHERE user_id = %s AND id = ANY(%s) AND read_at IS NULL",
        (user_id, mine),
    ).rowcount
    return mine, changed


def mark_all_read(conn: psycopg.Connection, user_id: int) -> int:
    return conn.execute(
        "UPDATE notifications SET read_at = now() WHERE user_id = %s AND read_at IS NULL", (user_id,)
    ).rowcount


def delete_before(conn: psycopg.Connection, before: datetime) -> int:
    """Retention: notifications created before `before` (their mail and action rows keep a NULL reference)."""
    return conn.execute("DELETE FROM notifications WHERE created_at < %s", (before,)).rowcount


def delete_mail_before(conn: psycopg.Connection, before: datetime) -> int:
    """Retention: delivered and given-up mail created before `before` (pending mail stays)."""
    return conn.execute(
        "DELETE FROM notification_mail WHERE created_at < %s AND status <> 'pending'", (before,)
    ).rowcount


def delete_actions_expired_before(conn: psycopg.Connection, before: datetime) -> int:
    return conn.execute(
        "DELETE FROM notification_actions a WHERE expires_at < %s"
        " AND NOT EXISTS (SELECT 1 FROM notification_mail m WHERE m.action_id = a.id AND m.status = 'pending')",
        (before,),
    ).rowcount


# --- preferences -------------------------------------------------------------------------------------


def email_of(conn: psycopg.Connection, user_id: int) -> str | None:
    row = conn.execute("SELECT email FROM notification_settings WHERE user_id = %s", (user_id,)).fetchone()
    return row[0] if row else None


def set_email(conn: psycopg.Connection, user_id: int, email: str | None) -> None:
    conn.execute(
        "INSERT INTO notification_settings (user_id, email) VALUES (%s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = now()",
        (user_id, email),
    )


def mail_choices(conn: psycopg.Connection, user_id: int) -> dict[str, bool]:
    rows = conn.execute(
        "SELECT category, by_mail FROM notification_mail_choices WHERE user_id = %s", (user_id,)
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def set_mail_choice(conn: psycopg.Connection, user_id: int, category: str, by_mail: bool | None) -> None:
    """None: back to the category's default."""
    if by_mail is None:
        conn.execute("DELETE FROM notification_mail_choices WHERE user_id = %s AND category = %s", (user_id, category))
        return
    conn.execute(
        "INSERT INTO notification_mail_choices (user_id, category, by_mail) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id, category) DO UPDATE SET by_mail = excluded.by_mail",
        (user_id, category, by_mail),
    )


# --- the outbox --------------------------------------------------------------------------------------

_MAIL_COLUMNS = (
    "id, notification_id, user_id, to_address, subject, message_id, status, attempts, next_attempt_at,"
    " last_error, created_at, sent_at, sent_by"
)


def claim_due_mail(conn: psycopg.Connection, exclude: Sequence[int] = ()) -> MailRecord | None:
    """The oldest due pending mail, locked for this transaction; one another sender holds is skipped."""
    row = conn.execute(
        f"SELECT {_MAIL_COLUMNS} FROM notification_mail WHERE status = 'pending' AND next_attempt_at <= now()"
        " AND NOT (id = ANY(%s)) ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
        (list(exclude),),
    ).fetchone()
    return MailRecord(*row) if row else None


def mail_content(conn: psycopg.Connection, mail_id: int) -> tuple[Notification | None, UUID | None, str | None]:
    """(its notification, its action link id, the action's name) for rendering the message."""
    row = conn.execute(
        "SELECT m.notification_id, m.action_id, a.action FROM notification_mail m"
        " LEFT JOIN notification_actions a ON a.id = m.action_id WHERE m.id = %s",
        (mail_id,),
    ).fetchone()
    if row is None:
        return None, None, None
    found = notification(conn, row[0]) if row[0] is not None else None
    return found, row[1], row[2]


def mark_sent(conn: psycopg.Connection, mail_id: int, worker: str) -> None:
    conn.execute(
        "UPDATE notification_mail SET status = 'sent', attempts = attempts + 1, sent_at = now(), sent_by = %s,"
        " last_error = NULL WHERE id = %s",
        (worker, mail_id),
    )


def mark_attempt_failed(conn: psycopg.Connection, mail_id: int, error: str, retry_in_s: float | None) -> None:
    """One more failed attempt: due again after `retry_in_s`, or given up (None)."""
    conn.execute(
        "UPDATE notification_mail SET attempts = attempts + 1, last_error = %s,"
        " status = CASE WHEN %s::float8 IS NULL THEN 'failed' ELSE 'pending' END,"
        " next_attempt_at = CASE WHEN %s::float8 IS NULL THEN next_attempt_at"
        " ELSE now() + make_interval(secs => %s::float8) END WHERE id = %s",
        (error[:MAX_ERROR_CHARS], retry_in_s, retry_in_s, retry_in_s, mail_id),
    )


def list_mail(
    conn: psycopg.Connection, statuses: Sequence[str] | None, limit: int, offset: int
) -> tuple[int, list[MailRecord]]:
    where = " WHERE (%(statuses)s::text[] IS NULL OR status = ANY(%(statuses)s))"
    params = {"statuses": list(statuses) if statuses else None, "limit": limit, "offset": offset}
    total = conn.execute("SELECT count(*) FROM notification_mail" + where, params).fetchone()
    rows = conn.execute(
        f"SELECT {_MAIL_COLUMNS} FROM notification_mail{where} ORDER BY id DESC LIMIT %(limit)s OFFSET %(offset)s",
        params,
    ).fetchall()
    return (int(total[0]) if total else 0), [MailRecord(*r) for r in rows]


def get_mail(conn: psycopg.Connection, mail_id: int, *, for_update: bool = False) -> MailRecord | None:
    lock = " FOR UPDATE" if for_update else ""
    row = conn.execute(f"SELECT {_MAIL_COLUMNS} FROM notification_mail WHERE id = %s{lock}", (mail_id,)).fetchone()
    return MailRecord(*row) if row else None


def retry_mail(conn: psycopg.Connection, mail_id: int) -> None:
    """A given-up mail due again now, its attempts counted afresh."""
    conn.execute(
        "UPDATE notification_mail SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = %s",
        (mail_id,),
    )


def mail_counts(conn: psycopg.Connection) -> MailCounts:
    counts = dict(conn.execute("SELECT status, count(*) FROM notification_mail GROUP BY status").fetchall())
    return MailCounts(counts.get("pending", 0), counts.get("sent", 0), counts.get("failed", 0))


# --- action links ------------------------------------------------------------------------------------


def action_link(conn: psycopg.Connection, action_id: UUID, *, for_update: bool = False) -> ActionLink | None:
    lock = " FOR UPDATE OF a" if for_update else ""
    row = conn.execute(
        "SELECT a.id, a.user_id, u.username, a.action, a.params, a.expires_at, a.used_at, a.outcome_vi,"
        f" a.outcome_en FROM notification_actions a JOIN users u ON u.id = a.user_id WHERE a.id = %s{lock}",
        (action_id,),
    ).fetchone()
    if row is None:
        return None
    return ActionLink(row[0], row[1], row[2], row[3], dict(row[4] or {}), *row[5:])


def database_now(conn: psycopg.Connection) -> datetime:
    row = conn.execute("SELECT now()").fetchone()
    assert row is not None
    return row[0]


def mark_action_used(
    conn: psycopg.Connection, action_id: UUID, client_ip: str | None, outcome_vi: str, outcome_en: str
) -> None:
    conn.execute(
        "UPDATE notification_actions SET used_at = now(), used_from = %s, outcome_vi = %s, outcome_en = %s"
        " WHERE id = %s",
        (client_ip, outcome_vi, outcome_en, action_id),
    )


def user_ids_by_username(conn: psycopg.Connection, usernames: Sequence[str]) -> list[int]:
    rows = conn.execute("SELECT id FROM users WHERE username = ANY(%s) ORDER BY id", (list(usernames),)).fetchall()
    return [r[0] for r in rows]


def oldest_pending_age_s(conn: psycopg.Connection) -> float:
    row = conn.execute(
        "SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM notification_mail"
        " WHERE status = 'pending'"
    ).fetchone()
    return float(row[0]) if row else 0.0
