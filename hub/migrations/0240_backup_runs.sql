-- depends: 0211_job_log
-- Backups taken by `cces backup create` and by the schedule (hub.backup): what the admin page and
-- /metrics report (the last success, its size), and what the alert looks at. A run is written when it
-- has finished, so a database restored from a backup does not hold that backup's own run half done.
CREATE TABLE backup_runs (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    trigger      text NOT NULL CHECK (trigger IN ('command', 'schedule')),
    status       text NOT NULL CHECK (status IN ('succeeded', 'failed')),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    size_bytes   bigint,
    location     text,
    error        text
);
CREATE INDEX backup_runs_finished ON backup_runs (finished_at DESC);
