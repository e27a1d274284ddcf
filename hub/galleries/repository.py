"""SQL of office galleries: which people an office's doors know, and the galleries built for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import psycopg


@dataclass(frozen=True, slots=True)
class Member:
    employee_id: int
    person_id: str
    full_name: str


@dataclass(frozen=True, slots=True)
class StoredGallery:
    site: str
    pack_id: str
    version: str
    sha256: str
    sealed: bytes
    people: int
    rows: int
    built_at: datetime


@dataclass(frozen=True, slots=True)
class OfficeRow:
    site: str
    unit_codes: list[str]  # in tree order
    unit_names: list[str]
    devices: int
    online: int
    allowances: int


@dataclass(frozen=True, slots=True)
class Allowance:
    site: str
    employee_id: int
    employee_code: str
    reason: str
    granted_by: str
    granted_at: datetime


def lock_builds(conn: psycopg.Connection) -> None:
    """One gallery build at a time across every hub process (released at the transaction's end)."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('cces_gallery_build'))")


def unit_ids(conn: psycopg.Connection, codes: Sequence[str]) -> dict[str, int]:
    return dict(conn.execute("SELECT code, id FROM org_units WHERE code = ANY(%s)", (list(codes),)).fetchall())


def replace_site_units(conn: psycopg.Connection, site: str, unit_ids: Sequence[int], actor: str) -> None:
    conn.execute("DELETE FROM site_units WHERE site = %s", (site,))
    if unit_ids:
        conn.execute(
            "INSERT INTO site_units (site, unit_id, added_by) SELECT %s, u, %s FROM unnest(%s::bigint[]) AS u",
            (site, actor, list(unit_ids)),
        )


def site_unit_codes(conn: psycopg.Connection, site: str) -> list[str]:
    rows = conn.execute(
        "SELECT u.code FROM site_units s JOIN org_units u ON u.id = s.unit_id WHERE s.site = %s ORDER BY u.path",
        (site,),
    ).fetchall()
    return [r[0] for r in rows]


def offices(conn: psycopg.Connection, sites: Sequence[str] | None) -> list[OfficeRow]:
    """Each office with devices or mapped units (only `sites` when given): its units, device and
    online counts, and how many people are allowed there outside their units."""
    rows = conn.execute(
        "WITH known AS (SELECT site FROM devices WHERE site IS NOT NULL UNION SELECT site FROM site_units)"
        " SELECT k.site,"
        " COALESCE((SELECT array_agg(u.code ORDER BY u.path) FROM site_units s JOIN org_units u ON u.id = s.unit_id"
        "           WHERE s.site = k.site), '{}'),"
        " COALESCE((SELECT array_agg(u.name ORDER BY u.path) FROM site_units s JOIN org_units u ON u.id = s.unit_id"
        "           WHERE s.site = k.site), '{}'),"
        " (SELECT count(*) FROM devices d WHERE d.site = k.site),"
        " (SELECT count(*) FROM devices d WHERE d.site = k.site AND d.online),"
        " (SELECT count(*) FROM gallery_allowances a WHERE a.site = k.site)"
        " FROM known k WHERE %(sites)s::text[] IS NULL OR k.site = ANY(%(sites)s::text[]) ORDER BY k.site",
        {"sites": None if sites is None else list(sites)},
    ).fetchall()
    return [OfficeRow(r[0], list(r[1]), list(r[2]), r[3], r[4], r[5]) for r in rows]


def employee_exists(conn: psycopg.Connection, employee_id: int) -> bool:
    return conn.execute("SELECT 1 FROM employees WHERE id = %s", (employee_id,)).fetchone() is not None


def upsert_allowance(conn: psycopg.Connection, site: str, employee_id: int, reason: str, actor: str) -> None:
    conn.execute(
        "INSERT INTO gallery_allowances (site, employee_id, reason, granted_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (site, employee_id) DO UPDATE SET reason = EXCLUDED.reason, granted_by = EXCLUDED.granted_by,"
        " granted_at = now()",
        (site, employee_id, reason, actor),
    )


def delete_allowance(conn: psycopg.Connection, site: str, employee_id: int) -> int:
    return conn.execute(
        "DELETE FROM gallery_allowances WHERE site = %s AND employee_id = %s", (site, employee_id)
    ).rowcount


def allowances(conn: psycopg.Connection, site: str) -> list[Allowance]:
    rows = conn.execute(
        "SELECT a.site, a.employee_id, e.employee_code, a.reason, a.granted_by, a.granted_at"
        " FROM gallery_allowances a JOIN employees e ON e.id = a.employee_id WHERE a.site = %s"
        " ORDER BY e.employee_code",
        (site,),
    ).fetchall()
    return [Allowance(*r) for r in rows]


def members(conn: psycopg.Connection, site: str, day: date) -> list[Member]:
    """Employees of the office's units (whole subtrees) plus those allowed there, employed on `day`."""
    rows = conn.execute(
        "SELECT e.id, e.person_id, e.full_name FROM employees e JOIN org_units u ON u.id = e.unit_id"
        " WHERE (EXISTS (SELECT 1 FROM site_units s JOIN org_units su ON su.id = s.unit_id"
        "               WHERE s.site = %(site)s AND u.path LIKE su.path || '%%')"
        "     OR EXISTS (SELECT 1 FROM gallery_allowances a WHERE a.site = %(site)s AND a.employee_id = e.id))"
        " AND (e.active_from IS NULL OR e.active_from <= %(day)s) AND (e.active_to IS NULL OR e.active_to >= %(day)s)"
        " ORDER BY e.id",
        {"site": site, "day": day},
    ).fetchall()
    return [Member(*r) for r in rows]


def sites_and_packs(conn: psycopg.Connection, default_pack: str) -> list[tuple[str, str]]:
    """(site, pack) for every office with devices: the pack an admin chose for a device, else the
    one it reports running, else the hub's default."""
    rows = conn.execute(
        "SELECT DISTINCT d.site, COALESCE(c.model_pack, d.model_pack, %s) FROM devices d"
        " LEFT JOIN device_desired_config c USING (device_id) WHERE d.site IS NOT NULL ORDER BY 1, 2",
        (default_pack,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def current(conn: psycopg.Connection, site: str, pack_id: str) -> StoredGallery | None:
    row = conn.execute(
        "SELECT site, pack_id, version, sha256, sealed, people, rows, built_at FROM galleries"
        " WHERE site = %s AND pack_id = %s",
        (site, pack_id),
    ).fetchone()
    return StoredGallery(row[0], row[1], row[2], row[3], bytes(row[4]), row[5], row[6], row[7]) if row else None


def store(
    conn: psycopg.Connection, site: str, pack_id: str, version: str, sha256: str, sealed: bytes, people: int, rows: int
) -> bool:
    """Replace the office's gallery for the pack; False (nothing written) when the version is unchanged."""
    return (
        conn.execute(
            "INSERT INTO galleries (site, pack_id, version, sha256, sealed, people, rows) VALUES (%s, %s, %s, %s, %s,"
            " %s, %s) ON CONFLICT (site, pack_id) DO UPDATE SET version = EXCLUDED.version, sha256 = EXCLUDED.sha256,"
            " sealed = EXCLUDED.sealed, people = EXCLUDED.people, rows = EXCLUDED.rows, built_at = now()"
            " WHERE galleries.version <> EXCLUDED.version",
            (site, pack_id, version, sha256, sealed, people, rows),
        ).rowcount
        > 0
    )


def delete_unused(conn: psycopg.Connection, keep: Sequence[tuple[str, str]]) -> int:
    """Drop galleries of offices/packs no device uses any more (they may hold people who left)."""
    sites = [k[0] for k in keep]
    packs = [k[1] for k in keep]
    return conn.execute(
        "DELETE FROM galleries g WHERE NOT EXISTS (SELECT 1 FROM unnest(%s::text[], %s::text[]) AS k(site, pack)"
        " WHERE k.site = g.site AND k.pack = g.pack_id)",
        (sites, packs),
    ).rowcount


def list_galleries(conn: psycopg.Connection) -> list[StoredGallery]:
    rows = conn.execute(
        "SELECT site, pack_id, version, sha256, ''::bytea, people, rows, built_at FROM galleries ORDER BY site, pack_id"
    ).fetchall()
    return [StoredGallery(r[0], r[1], r[2], r[3], b"", r[5], r[6], r[7]) for r in rows]


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    device_id: str
    site: str | None
    revoked: bool  # the certificate with the presented serial is marked revoked in the registry


def device_identity(conn: psycopg.Connection, device_id: str, serial: int | None) -> DeviceIdentity | None:
    row = conn.execute(
        "SELECT d.device_id, d.site, EXISTS (SELECT 1 FROM device_certificates c WHERE c.device_id = d.device_id"
        " AND c.serial = %s AND c.revoked_at IS NOT NULL) FROM devices d WHERE d.device_id = %s",
        (serial, device_id),
    ).fetchone()
    return DeviceIdentity(row[0], row[1], bool(row[2])) if row else None
