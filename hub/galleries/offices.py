"""Offices (trụ sở) and the org units (đơn vị) they serve: the `site_units` map, read and changed.

One map decides two things: which people an office's door gallery holds (hub.galleries) and which
devices an office admin reaches (hub.devices.service.device_scope). Changing it needs no biometrics
runtime: the write runs in the caller's transaction and is audited there; the gallery service calls
it too and then asks for a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from hub.domain import Invalid
from hub.galleries import repository as repo
from hub.galleries.repository import OfficeRow

#: the longest office label (devices.site is free text; the galleries keep it short)
MAX_SITE_LENGTH = 128


class InvalidGalleryChange(Invalid):
    """An unknown unit or employee, an empty site or reason (HTTP 422); nothing was changed."""


class UnknownUnitCodes(InvalidGalleryChange):
    """Unit codes that name no org unit; `codes` lists them (nothing was written)."""

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes = sorted(codes)
        super().__init__(f"không có đơn vị mã {', '.join(self.codes)} / unknown org unit(s): {', '.join(self.codes)}")


@dataclass(frozen=True, slots=True)
class OfficeUnit:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Office:
    """One office: the units it serves (with their sub-units), its devices and its gallery allowances."""

    site: str
    units: tuple[OfficeUnit, ...]
    devices: int
    online: int
    allowances: int


def site_label(site: str) -> str:
    """The office label, trimmed; refused when blank or too long."""
    text = (site or "").strip()
    if not text or len(text) > MAX_SITE_LENGTH:
        raise InvalidGalleryChange(
            f"tên trụ sở dài 1-{MAX_SITE_LENGTH} ký tự / an office (site) is 1-{MAX_SITE_LENGTH} characters"
        )
    return text


def unit_codes_of(unit_codes: Sequence[str]) -> list[str]:
    """The codes trimmed, each once, in the given order; a blank code is refused."""
    out: list[str] = []
    for code in unit_codes:
        text = (code or "").strip()
        if not text:
            raise InvalidGalleryChange("mã đơn vị trống / a unit code is blank")
        if text not in out:
            out.append(text)
    return out


def set_site_units(
    conn: psycopg.Connection, site: str, unit_codes: Sequence[str], actor: Any, audit: Any | None
) -> list[str]:
    """Replace the units an office serves, in the caller's transaction, audited as 'gallery.site_units'
    (before/after codes) when `audit` (an AuditSink) is given; the codes now mapped, in tree order.
    Raises InvalidGalleryChange (blank site or code) or UnknownUnitCodes before anything is written."""
    site = site_label(site)
    codes = unit_codes_of(unit_codes)
    ids = repo.unit_ids(conn, codes)
    missing = [c for c in codes if c not in ids]
    if missing:
        raise UnknownUnitCodes(missing)
    before = repo.site_unit_codes(conn, site)
    repo.replace_site_units(conn, site, [ids[c] for c in codes], actor.username)
    after = repo.site_unit_codes(conn, site)
    if audit is not None:
        audit(conn, actor, "gallery.site_units", "site", site, before=before, after=after)
    return after


def site_units(conn: psycopg.Connection, site: str) -> list[str]:
    return repo.site_unit_codes(conn, site_label(site))


def list_offices(conn: psycopg.Connection, sites: Sequence[str] | None) -> list[Office]:
    """Every office that has devices or a `site_units` row (`sites` None), else only those of `sites`."""
    return [_office(r) for r in repo.offices(conn, None if sites is None else list(sites))]


def _office(row: OfficeRow) -> Office:
    units = tuple(OfficeUnit(c, n) for c, n in zip(row.unit_codes, row.unit_names, strict=True))
    return Office(row.site, units, row.devices, row.online, row.allowances)
