"""Links of the kiosk screens: how a screen with no one signed in proves it may show a door's greetings.

A door's greeting screen shows the names of the last people at that door; served by the hub, it
must not show them to whoever can reach the hub's address. So each screen's URL carries a key
(`/kiosk/terminal/door-hq-01?key=…`), made by an office admin, shown once (with its QR code, to
type or scan into the screen's browser), stored only as its SHA-256, and revocable: a revoked
link blanks the screen within seconds (the screen re-checks its link each time it re-reads).
"""

from __future__ import annotations

import hashlib
import secrets

import psycopg

from hub.kiosk import repository
from hub.kiosk.models import KioskKind, KioskLink, KioskLinkError, NewKioskLink
from protocol.topics import check_device_id, check_room_id

KEY_BYTES = 24  # 192 bits, 32 URL-safe characters
MAX_KEY_LENGTH = 128  # anything longer is not one of ours: refused without a database look-up
MAX_LABEL_LENGTH = 120


def key_hash(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def check_target(kind: KioskKind, target: str) -> str:
    """The device or room id, or KioskLinkError saying what is wrong with it."""
    try:
        return check_device_id(target) if kind is KioskKind.TERMINAL else check_room_id(target)
    except ValueError as exc:
        raise KioskLinkError(f"Mã không hợp lệ / {exc}") from exc


def make_link(
    conn: psycopg.Connection, kind: KioskKind, target: str, label: str | None, created_by: str
) -> NewKioskLink:
    """A new link for one screen (the caller checks the device exists and is the admin's)."""
    check_target(kind, target)
    label = (label or "").strip() or None
    if label is not None and len(label) > MAX_LABEL_LENGTH:
        raise KioskLinkError(f"Nhãn quá dài / the label is longer than {MAX_LABEL_LENGTH} characters")
    key = secrets.token_urlsafe(KEY_BYTES)
    return NewKioskLink(repository.insert_link(conn, kind, target, key_hash(key), label, created_by), key)


def admitted(
    conn: psycopg.Connection, kind: KioskKind, target: str, key: str | None, *, touch: bool = False
) -> KioskLink | None:
    """The live link this key opens for this screen, or None (no key, a wrong one, another screen's,
    a revoked one). `touch` records the use (when a screen opens, not on every re-check)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    link = repository.active_link(conn, kind, target, key_hash(key))
    if link is not None and touch:
        repository.touch_link(conn, link.id)
    return link


def revoke(conn: psycopg.Connection, link_id: int, revoked_by: str) -> KioskLink:
    link = repository.revoke_link(conn, link_id, revoked_by)
    if link is None:
        raise KioskLinkError(f"Không có liên kết số {link_id} / no kiosk link has the id {link_id}")
    return link


def links(conn: psycopg.Connection, kind: KioskKind | None = None, sites: list[str] | None = None) -> list[KioskLink]:
    return repository.links(conn, kind, sites)
