-- depends: 0220_org_history 0020_accounts
-- Meeting rooms and their bookings (issue 17 item 1, hub.meetings). A room has a public id that is also its
-- display topic's (`cces/v1/rooms/{room_id}/display`), an office (the `devices.site` label of its building), a
-- managing unit (who may edit it and decide its bookings), a capacity, equipment and its display and door devices.
--
-- Two bookings of one room may not overlap while both are live (pending approval or confirmed): an exclusion
-- constraint over (room, time range). The embedded PostgreSQL (pgserver wheel) ships no btree_gist, so the room
-- is compared as a one-point int8range (GiST range_ops are built in) instead of with `=` on a bigint.

CREATE TABLE meeting_rooms (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id           text NOT NULL UNIQUE CHECK (room_id ~ '^[a-z0-9-]{1,64}$'),
    office            text NOT NULL CHECK (btrim(office) <> '' AND length(office) <= 128),
    unit_id           bigint NOT NULL REFERENCES org_units (id),
    name              text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    capacity          integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    equipment         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(equipment) <= 50),
    display_device_id text UNIQUE CHECK (display_device_id ~ '^[a-z0-9-]{3,64}$'),
    door_device_id    text CHECK (door_device_id ~ '^[a-z0-9-]{3,64}$'),
    needs_approval    boolean NOT NULL DEFAULT false,
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_rooms_door ON meeting_rooms (door_device_id) WHERE door_device_id IS NOT NULL;

CREATE TABLE meeting_bookings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_key         bigint NOT NULL REFERENCES meeting_rooms (id),
    title            text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'confirmed'
                     CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled', 'released')),
    series_id        uuid,  -- the occurrences of one recurring booking share it
    booked_by        text NOT NULL,  -- the account's username
    booked_by_user   bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_by       text,
    decided_at       timestamptz,
    decision_note    text CHECK (decision_note IS NULL OR length(decision_note) <= 2000),
    checked_in_at    timestamptz,  -- the first check-in (a participant, the secretary): keeps the room
    checked_in_by    text,
    released_at      timestamptz,  -- released by the job: no check-in within the room's minutes
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours'),
    CONSTRAINT meeting_bookings_no_overlap EXCLUDE USING gist (
        int8range(room_key, room_key, '[]') WITH &&,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status IN ('pending', 'confirmed'))
);
CREATE INDEX meeting_bookings_room_time ON meeting_bookings (room_key, starts_at);
CREATE INDEX meeting_bookings_series ON meeting_bookings (series_id) WHERE series_id IS NOT NULL;
CREATE INDEX meeting_bookings_unchecked ON meeting_bookings (starts_at)
    WHERE status = 'confirmed' AND checked_in_at IS NULL;
