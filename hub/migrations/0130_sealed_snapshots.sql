-- depends: 0002_devices_and_ingest 0013_timeseries_rollups
-- Face snapshots sealed at rest, deleted after their retention, erased with their person (issue 12, item 10).
--
-- The snapshot of an attendance or unknown-face event is a file under <data dir>/snapshots, sealed with
-- AES-256-GCM under the biometrics key and named by a keyed hash of the event (hub.snapshots.store);
-- `snapshot_file` names it. `snapshot_sha256` now only points at clear-text snapshots written by earlier
-- versions to the content store (<data dir>/files) until the hub seals them (hub.snapshots.jobs).
-- A deleted snapshot leaves its trace: `snapshot_removed` says why ('retention': older than
-- CCES_SNAPSHOT_RETENTION_DAYS; 'erasure': the person's biometric data was erased) and
-- `snapshot_removed_at` when; `snapshot_file` and `snapshot_sha256` are then empty.
-- One ALTER per column: TimescaleDB refuses several subcommands on a hypertable with compression.

ALTER TABLE attendance_events ADD COLUMN snapshot_file text;
ALTER TABLE attendance_events ADD COLUMN snapshot_removed text;
ALTER TABLE attendance_events ADD COLUMN snapshot_removed_at timestamptz;
ALTER TABLE unknown_faces ADD COLUMN snapshot_file text;
ALTER TABLE unknown_faces ADD COLUMN snapshot_removed text;
ALTER TABLE unknown_faces ADD COLUMN snapshot_removed_at timestamptz;

-- the retention job reads only the rows that still hold a file (about CCES_SNAPSHOT_RETENTION_DAYS of
-- them), never the years of rows whose snapshot is gone
CREATE INDEX attendance_events_snapshot_ts ON attendance_events (ts) WHERE snapshot_file IS NOT NULL;
CREATE INDEX unknown_faces_snapshot_ts ON unknown_faces (ts) WHERE snapshot_file IS NOT NULL;
-- the rows of an earlier version's clear-text file (empty once they are sealed)
CREATE INDEX attendance_events_clear_snapshot ON attendance_events (snapshot_sha256) WHERE snapshot_sha256 IS NOT NULL;
CREATE INDEX unknown_faces_clear_snapshot ON unknown_faces (snapshot_sha256) WHERE snapshot_sha256 IS NOT NULL;
