"""From classified messages to table rows (and face snapshots, sealed, into the snapshot store)."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from hub.ingest.classify import AcceptedEvent, AcceptedStatus, AcceptedTelemetry, Classified, Reject
from hub.ingest.repository import BatchRows
from hub.snapshots.store import SnapshotEvent, SnapshotKind, SnapshotStore
from protocol.envelope import AttendanceFaceEvent, FaceUnknownEvent, RfidReadEvent


def _snapshot(
    store: SnapshotStore, kind: SnapshotKind, event: AttendanceFaceEvent | FaceUnknownEvent, encoded: str | None
) -> str | None:
    """The sealed file of the event's snapshot (written once per event, also when it is replayed)."""
    if not encoded:
        return None
    return store.put(SnapshotEvent(kind, event.id, event.ts), base64.b64decode(encoded))


def _text(value: str) -> str:
    """A refused message's text as a text column can keep it: a NUL shown, not stored."""
    return value.replace("\x00", "\\x00")


def build_rows(items: Iterable[Classified], store: SnapshotStore) -> tuple[BatchRows, list[AcceptedStatus]]:
    rows = BatchRows.empty()
    statuses: list[AcceptedStatus] = []
    for item in items:
        if isinstance(item, Reject):
            rows.rejects.append((_text(item.topic), item.device_id, item.reason, _text(item.detail), item.payload))
        elif isinstance(item, AcceptedTelemetry):
            t = item.telemetry
            rows.telemetry.append(
                (
                    t.device_id,
                    t.ts,
                    t.uptime_s,
                    t.software_version,
                    t.outbox_pending,
                    t.outbox_bytes,
                    t.telemetry_dropped,
                    t.metrics,
                )
            )
        elif isinstance(item, AcceptedStatus):
            statuses.append(item)
        elif isinstance(item, AcceptedEvent):
            e = item.event
            head = (e.id, e.ts, e.device_id, e.seq)
            if isinstance(e, AttendanceFaceEvent):
                d = e.data
                snapshot = _snapshot(store, "attendance", e, d.snapshot)
                rows.attendance.append(head + (d.person_id, d.score, d.liveness, d.model, d.direction, snapshot))
            elif isinstance(e, FaceUnknownEvent):
                d = e.data
                snapshot = _snapshot(store, "unknown_face", e, d.snapshot)
                rows.unknown_faces.append(head + (d.score, d.liveness, d.model, d.direction, snapshot))
            elif isinstance(e, RfidReadEvent):
                d = e.data
                rows.rfid_reads.append(
                    head
                    + (d.epc.upper(), d.antenna, d.rssi, d.count, d.first_seen, d.last_seen, d.scheme, d.uri)
                    + (d.zone, d.reader, d.zone_first_seen)
                )
            else:
                rows.device_events.append(head + (e.type, e.data.model_dump(mode="json")))
    return rows, statuses
