"""Opening a face snapshot (audited) and erasing a person's: what the API, the UI and erasure call.

Who may open one:
- an attendance snapshot: the person themself, or a manager, HR or office admin over the person's
  unit (`PEOPLE_VIEWERS`, as for the person's record); one whose FaceID id matches no employee:
  a system admin only;
- an unknown face: an office admin of the door's office (`DEVICE_ADMINS`, as for the door itself).

Every opening writes an audit row ('snapshot.open': the viewer, the event, the person — the
employee code, or the FaceID id when it matches no employee) about the person's unit, so the
office admins of that unit see who looked at their people's faces. A refused or failed opening
shows nothing and writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts import access
from hub.accounts.audit import Actor, AuditSink
from hub.accounts.principal import Principal
from hub.biometrics.crypto import SealError
from hub.devices import service as devices_service
from hub.domain import Gone, NotFound, Unavailable
from hub.files import ContentStore
from hub.snapshots import repository as repo
from hub.snapshots.models import OpenedSnapshot, SnapshotRow
from hub.snapshots.store import SnapshotKind, SnapshotMissing, SnapshotStore

log = logging.getLogger(__name__)

_SEE = "xem ảnh chụp khuôn mặt / see the face snapshot"
_REMOVED_BY = {
    "retention": ("hết thời hạn lưu", "its retention period ended"),
    "erasure": ("xóa dữ liệu sinh trắc học theo yêu cầu", "the person's biometric data was erased"),
}
_AUDIT_ENTITY: dict[SnapshotKind, str] = {"attendance": "attendance_event", "unknown_face": "unknown_face"}


class SnapshotsUnavailable(Unavailable):
    """This hub process has no snapshot store (a tool or a test built its services without one)."""


class UnknownSnapshot(NotFound):
    """No stored event has this id, or the event came without a snapshot (HTTP 404)."""


class SnapshotRemoved(Gone):
    """The event had a snapshot that cannot be shown (HTTP 410): deleted (`reason` 'retention', 'erasure'),
    its file not on this hub ('missing'), or it does not open with this hub's key ('unreadable')."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ErasedSnapshots:
    events: int  # attendance events whose snapshot was unlinked
    files: int  # files deleted from disk


class SnapshotService:
    def __init__(
        self, pool: ConnectionPool, store: SnapshotStore, clear: ContentStore | None, audit: AuditSink | None
    ) -> None:
        self.pool = pool
        self.store = store
        self.clear = clear  # an earlier version's clear-text store, until its snapshots are sealed
        self._audit = audit

    def open(self, principal: Principal, kind: SnapshotKind, event_id: UUID, actor: Actor) -> OpenedSnapshot:
        """The event's snapshot for this viewer, written to the audit log; UnknownSnapshot, SnapshotRemoved,
        AccessDenied (nothing shown, nothing written)."""
        with self.pool.connection() as conn:
            row = repo.event_snapshot(conn, kind, event_id)
            if row is None:
                raise UnknownSnapshot(f"không có sự kiện {event_id} / no stored event has the id {event_id}")
            self._require_viewer(conn, principal, row)
        jpeg = self._read(row)
        with self.pool.connection() as conn, conn.transaction():
            if self._audit is not None:
                self._audit(
                    conn,
                    actor,
                    "snapshot.open",
                    _AUDIT_ENTITY[kind],
                    str(event_id),
                    after={
                        "person": row.employee_code or row.person_id,
                        "employee_code": row.employee_code,
                        "person_id": row.person_id,
                        "device_id": row.device_id,
                        "ts": row.ts,
                    },
                    unit_path=row.unit_path,
                )
        return OpenedSnapshot(kind, row.event_id, row.ts, row.device_id, row.person_id, row.employee_code, jpeg)

    def erase_person(self, conn: psycopg.Connection, person_id: str) -> ErasedSnapshots:
        """In the caller's transaction (the person's erasure): every snapshot of the person's attendance is
        deleted from disk and unlinked from its row, which then says 'removed by erasure'."""
        sealed, cleartext = repo.erase_person(conn, person_id, datetime.now(UTC))
        files = sum(self.store.remove(name) for name in sealed)
        if self.clear is not None:
            files += sum(self.clear.remove(digest) for digest in set(cleartext))
        return ErasedSnapshots(len(sealed) + len(cleartext), files)

    def _require_viewer(self, conn: psycopg.Connection, principal: Principal, row: SnapshotRow) -> None:
        if row.kind == "unknown_face":
            devices_service.require_site(conn, principal, row.site, access.DEVICE_ADMINS, _SEE)
        elif row.employee_id is None or row.unit_path is None:
            access.require_system_admin(principal, _SEE)
        else:
            access.require_employee(principal, row.employee_id, row.unit_path, access.PEOPLE_VIEWERS, _SEE)

    def _read(self, row: SnapshotRow) -> bytes:
        if row.removed is not None:
            when = row.removed_at.isoformat(timespec="seconds") if row.removed_at else "?"
            vi, en = _REMOVED_BY.get(row.removed, (row.removed, row.removed))
            raise SnapshotRemoved(
                f"ảnh chụp đã bị xóa lúc {when} ({vi}) / the snapshot was deleted at {when} ({en})", row.removed
            )
        try:
            if row.file is not None:
                return self.store.open(row.event, row.file)
            if row.clear_sha256 is not None and self.clear is not None:
                return self.clear.get(row.clear_sha256)
        except (SnapshotMissing, FileNotFoundError) as exc:
            log.warning("snapshot of %s %s: %s", row.kind, row.event_id, exc)
            raise SnapshotRemoved(
                "tệp ảnh chụp không có trên máy chủ này / the snapshot's file is not on this hub", "missing"
            ) from exc
        except SealError as exc:  # another hub's key (CCES_BIOMETRICS_SECRET differs), or an altered file
            log.error("snapshot of %s %s: %s", row.kind, row.event_id, exc)
            raise SnapshotRemoved(
                "ảnh chụp không mở được bằng khóa sinh trắc học của máy chủ này / the snapshot does not open with"
                " this hub's biometrics key",
                "unreadable",
            ) from exc
        if row.clear_sha256 is not None:
            raise SnapshotRemoved(
                "tệp ảnh chụp không có trên máy chủ này / the snapshot's file is not on this hub", "missing"
            )
        raise UnknownSnapshot(
            f"sự kiện {row.event_id} không kèm ảnh chụp / the event {row.event_id} came without a snapshot"
        )
