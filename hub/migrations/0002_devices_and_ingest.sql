-- depends: 0001_timeseries_helpers
-- Devices, their broker credentials, and what ingest stores: events by type, telemetry,
-- dead-lettered payloads and exactly-once counters.

CREATE TABLE devices (
    device_id        text PRIMARY KEY CHECK (device_id ~ '^[a-z0-9-]{3,64}$'),
    kind             text NOT NULL DEFAULT 'generic',
    site             text,
    room             text,
    direction        text CHECK (direction IN ('in', 'out')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    online           boolean NOT NULL DEFAULT false,
    status_at        timestamptz,
    last_seen        timestamptz,
    software_version text
);

-- broker credentials of a device (argon2 hash; the password is shown once, at provisioning)
CREATE TABLE device_credentials (
    device_id     text PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,
    username      text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

CALL cces_create_timeseries('attendance_events', $cols$
    id               uuid        NOT NULL,
    ts               timestamptz NOT NULL,
    device_id        text        NOT NULL,
    seq              bigint      NOT NULL,
    person_id        text        NOT NULL,
    score            real        NOT NULL,
    liveness         real,
    model            text        NOT NULL,
    direction        text,
    snapshot_sha256  text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, ts)
$cols$, 'ts');

CALL cces_create_timeseries('unknown_faces', $cols$
    id               uuid        NOT NULL,
    ts               timestamptz NOT NULL,
    device_id        text        NOT NULL,
    seq              bigint      NOT NULL,
    score            real,
    liveness         real,
    model            text        NOT NULL,
    direction        text,
    snapshot_sha256  text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, ts)
$cols$, 'ts');

CALL cces_create_timeseries('rfid_reads', $cols$
    id               uuid        NOT NULL,
    ts               timestamptz NOT NULL,
    device_id        text        NOT NULL,
    seq              bigint      NOT NULL,
    epc              text        NOT NULL,
    antenna          smallint    NOT NULL,
    rssi             real,
    read_count       integer     NOT NULL,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    scheme           text,
    uri              text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, ts)
$cols$, 'ts');

-- events without a table of their own yet (rfid.inventory, meeting.checkin): kept whole
CALL cces_create_timeseries('device_events', $cols$
    id               uuid        NOT NULL,
    ts               timestamptz NOT NULL,
    device_id        text        NOT NULL,
    seq              bigint      NOT NULL,
    type             text        NOT NULL,
    data             jsonb       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, ts)
$cols$, 'ts');

CALL cces_create_timeseries('device_telemetry', $cols$
    device_id         text        NOT NULL,
    ts                timestamptz NOT NULL,
    uptime_s          double precision NOT NULL,
    software_version  text        NOT NULL,
    outbox_pending    integer     NOT NULL,
    outbox_bytes      bigint      NOT NULL,
    telemetry_dropped integer     NOT NULL,
    metrics           jsonb       NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, ts)
$cols$, 'ts');

CREATE INDEX attendance_events_person_ts ON attendance_events (person_id, ts);
CREATE INDEX rfid_reads_epc_ts ON rfid_reads (epc, ts);

DO $$ BEGIN PERFORM cces_ensure_all_partitions(now() - interval '1 month', now() + interval '3 months'); END $$;

-- a payload the hub could not accept, kept whole with the reason (dead letter)
CREATE TABLE ingest_rejects (
    id           bigserial PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    topic        text NOT NULL,
    device_id    text,
    reason       text NOT NULL,
    detail       text NOT NULL,
    payload      bytea NOT NULL
);
CREATE INDEX ingest_rejects_received_at ON ingest_rejects (received_at);

-- counters updated in the same transaction as the rows they count (one row per worker)
CREATE TABLE ingest_counters (
    worker      text PRIMARY KEY,
    accepted    bigint NOT NULL DEFAULT 0,
    duplicates  bigint NOT NULL DEFAULT 0,
    rejected    bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
