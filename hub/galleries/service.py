"""Office galleries: who belongs where, rebuilding after changes, and serving a device its own.

Rebuilds are the job `galleries.rebuild` of the job queue (hub.galleries.jobs): asked for after a
change (`request_rebuild`, folded into one waiting run however many changes come), at the hub's start
and every CCES_GALLERY_REBUILD_INTERVAL_S, once across hub processes; an advisory lock keeps two
builds from overlapping even outside the queue (a test, a tool). After a rebuild, `on_rebuilt` (the
device config service) publishes a new desired config to every device whose office's gallery changed,
naming the new version and its digest.

A device gets only the gallery of its own office: the HTTPS server hands over the certificate's
CN, and the office comes from the registry, never from the request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts import audit
from hub.accounts.access import DEVICE_ADMINS
from hub.accounts.audit import Actor, ActorLike, AuditSink
from hub.accounts.principal import Principal
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache, PackUnavailable
from hub.devices.service import device_scope
from hub.galleries import access, offices
from hub.galleries import repository as repo
from hub.galleries.builder import build, gallery_context
from hub.galleries.offices import InvalidGalleryChange
from hub.galleries.repository import Allowance, StoredGallery
from hub.localtime import LOCAL_TZ

log = logging.getLogger(__name__)


class GalleryRefused(Exception):
    """Why a device gets no gallery: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class RebuildReport:
    built: list[tuple[str, str, str]] = field(default_factory=list)  # (site, pack, version) of new versions
    unchanged: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)  # "site/pack: reason"
    scheduled: bool = False  # the periodic rebuild (not one asked for after a change)

    @property
    def changed_sites(self) -> list[str]:
        return sorted({site for site, _, _ in self.built})


@dataclass(frozen=True)
class ServedGallery:
    payload: bytes
    version: str
    sha256: str


class GalleryService:
    def __init__(
        self,
        pool: ConnectionPool,
        sealer: Sealer,
        engines: EngineCache,
        *,
        default_pack: str,
        on_rebuilt: Callable[[RebuildReport], None] | None = None,
        audit: AuditSink | None = None,
        requester: Callable[[], object] | None = None,
    ) -> None:
        self._audit = audit
        self.pool = pool
        self.sealer = sealer
        self.engines = engines
        self.default_pack = default_pack
        self.on_rebuilt = on_rebuilt
        self.requester = requester  # defers the rebuild job (hub.runtime wires the job queue's)
        self._rebuild_lock = threading.Lock()
        self.last_report: RebuildReport | None = None

    # -- membership --------------------------------------------------------------------------

    def set_site_units(self, site: str, unit_codes: Sequence[str], actor: ActorLike) -> list[str]:
        """Which units' people (with their sub-units) the office's doors know; replaces the list, then
        asks for a rebuild. The write itself is hub.galleries.offices' (it runs without biometrics too)."""
        with self.pool.connection() as conn, conn.transaction():
            codes = offices.set_site_units(conn, site, unit_codes, actor, self._audit)
        self.request_rebuild()
        return codes

    def site_units(self, site: str) -> list[str]:
        with self.pool.connection() as conn:
            return offices.site_units(conn, site)

    def allow(self, site: str, employee_id: int, reason: str, actor: ActorLike) -> None:
        """Let one person in at an office outside their own units (a visiting inspector)."""
        site = _site(site)
        if not reason.strip():
            raise InvalidGalleryChange("say why the person is allowed there")
        with self.pool.connection() as conn, conn.transaction():
            if not repo.employee_exists(conn, employee_id):
                raise InvalidGalleryChange(f"no employee has the id {employee_id}")
            repo.upsert_allowance(conn, site, employee_id, reason.strip(), actor.username)
            if self._audit is not None:
                after = {"employee_id": employee_id, "reason": reason.strip()}
                self._audit(conn, actor, "gallery.allow", "site", site, after=after)
        self.request_rebuild()

    def disallow(self, site: str, employee_id: int, actor: ActorLike) -> bool:
        with self.pool.connection() as conn, conn.transaction():
            removed = repo.delete_allowance(conn, _site(site), employee_id) > 0
            if removed and self._audit is not None:
                self._audit(conn, actor, "gallery.disallow", "site", site, before={"employee_id": employee_id})
        if removed:
            self.request_rebuild()
        return removed

    def allowances(self, site: str) -> list[Allowance]:
        with self.pool.connection() as conn:
            return repo.allowances(conn, _site(site))

    def galleries(self) -> list[StoredGallery]:
        """Every current gallery (metadata only)."""
        with self.pool.connection() as conn:
            return repo.list_galleries(conn)

    # -- building ----------------------------------------------------------------------------

    def rebuild(self, *, scheduled: bool = False) -> RebuildReport:
        """Build every office's gallery for every pack its devices run; store the changed ones."""
        report = RebuildReport(scheduled=scheduled)
        day = datetime.now(LOCAL_TZ).date()
        with self._rebuild_lock, self.pool.connection() as conn, conn.transaction():
            repo.lock_builds(conn)
            wanted = repo.sites_and_packs(conn, self.default_pack)
            for site, pack_id in wanted:
                try:
                    engine = self.engines.get(pack_id)
                except PackUnavailable as exc:
                    report.failed.append(f"{site}/{pack_id}: {exc}")
                    log.error("gallery of %s not built: %s", site, exc)
                    continue
                built = build(conn, self.sealer, engine, site, day)
                h = built.header
                sealed = self.sealer.seal(built.payload, gallery_context(site, pack_id, h.version))
                if repo.store(conn, site, pack_id, h.version, built.sha256, sealed, h.people, h.rows):
                    report.built.append((site, pack_id, h.version))
                    log.info("gallery %s/%s version %s: %d people, %d rows", site, pack_id, h.version, h.people,
                             h.rows)  # fmt: skip
                else:
                    report.unchanged += 1
            report.removed = repo.delete_unused(conn, wanted)
        self.last_report = report
        if self.on_rebuilt is not None:
            self.on_rebuilt(report)
        return report

    def request_rebuild(self) -> None:
        """Ask for a rebuild soon (the job queue's `galleries.rebuild`, coalesced); a no-op without a queue."""
        if self.requester is not None:
            self.requester()

    # -- serving -----------------------------------------------------------------------------

    def gallery_for_device(
        self, device_id: str, serial: int | None, pack_id: str, version: str | None
    ) -> ServedGallery:
        """The current gallery of the device's office for `pack_id`; GalleryRefused otherwise.

        `version` None asks for whatever is current (a device preparing a pack switch); a version
        that is no longer current gets 409, and the device waits for its next config.
        """
        with self.pool.connection() as conn:
            identity = repo.device_identity(conn, device_id, serial)
            if identity is None:
                raise GalleryRefused(403, f"device {device_id} is not registered")
            if identity.revoked:
                raise GalleryRefused(403, "this certificate is revoked")
            if identity.site is None:
                raise GalleryRefused(404, f"device {device_id} has no office (site) set")
            stored = repo.current(conn, identity.site, pack_id)
        if stored is None:
            raise GalleryRefused(404, f"no {pack_id} gallery for office {identity.site} yet")
        if version is not None and stored.version != version:
            raise GalleryRefused(409, f"gallery version {version} is superseded by {stored.version}")
        payload = self.sealer.open(stored.sealed, gallery_context(stored.site, stored.pack_id, stored.version))
        return ServedGallery(payload, stored.version, stored.sha256)


_site = offices.site_label


class OfficesService:
    """The offices (trụ sở) and which units each serves, as the API, the pages and the CLI ask for them: each
    method checks its action (hub.galleries.access: offices.view on the caller's offices, offices.assign_units
    a system admin's alone) with `gate.check`, whoever calls; a refusal reads and writes nothing.
    `galleries` gives this process's GalleryService (None: it runs no biometrics; the map is written all
    the same, and the next rebuild anywhere picks it up)."""

    def __init__(self, pool: ConnectionPool, galleries: Callable[[], GalleryService | None]) -> None:
        self.pool, self.galleries = pool, galleries

    def offices(self, principal: Principal) -> list[offices.Office]:
        """The offices with their units, device and allowance counts: every one for a system admin, an office
        admin's those in their device scope (to read); AccessDenied for anyone else."""
        gate.check(principal, access.VIEW)
        with self.pool.connection() as conn:
            scope = device_scope(conn, principal, DEVICE_ADMINS)
            return offices.list_offices(conn, scope.site_list())

    def set_site_units(self, principal: Principal, site: str, unit_codes: Sequence[str], actor: Actor) -> list[str]:
        """Which org units (with their sub-units) an office serves: its doors' gallery and whose devices they
        are. offices.assign_units, a system admin's alone (an office admin must not pull another unit's office
        into their scope): AccessDenied otherwise; InvalidGalleryChange / UnknownUnitCodes, nothing changed.
        Audited 'gallery.site_units'; with biometrics running here, the galleries are rebuilt."""
        gate.check(principal, access.ASSIGN_UNITS)
        running = self.galleries()
        if running is not None:
            return running.set_site_units(site, unit_codes, actor)
        with self.pool.connection() as conn, conn.transaction():
            return offices.set_site_units(conn, site, unit_codes, actor, audit.record)

    def site_units(self, site: str) -> list[str]:
        """Internal (tests, tools): the unit codes an office serves, no action checked."""
        with self.pool.connection() as conn:
            return offices.site_units(conn, site)
