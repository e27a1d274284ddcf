-- depends: 0411_asset_movements 0002_devices_and_ingest
-- Inventory (kiểm kê, issue 16 item 5): sessions over a room, floor, building, office or the whole administration;
-- the tags read in them (from fixed readers' rfid.read events, mapped to rooms here, and from handhelds), and how
-- the officer resolved each difference. Closing freezes the session: the difference report and the minutes
-- (biên bản kiểm kê) are drawn from these rows.

-- fixed readers: which room a reader's antenna reads (antenna 0: all its antennas)
CREATE TABLE asset_readers (
    device_id   text NOT NULL CHECK (device_id ~ '^[a-z0-9-]{3,64}$'),
    antenna     smallint NOT NULL DEFAULT 0 CHECK (antenna BETWEEN 0 AND 64),
    location_id bigint NOT NULL REFERENCES asset_locations (id),
    PRIMARY KEY (device_id, antenna)
);

CREATE TABLE asset_inventories (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location_id    bigint REFERENCES asset_locations (id),  -- NULL: the whole administration
    stocktake_year integer CHECK (stocktake_year BETWEEN 2000 AND 2200),  -- part of that year's stocktake
    title          text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    started_by     text NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    closed_by      text,
    closed_at      timestamptz,
    read_mark      timestamptz,  -- fixed readers' reads received up to here are taken in
    summary        jsonb,        -- the counts at closing
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX asset_inventories_year ON asset_inventories (stocktake_year) WHERE stocktake_year IS NOT NULL;

-- one row per tag per session: its latest room; `tag` is the EPC's hex (upper case) or, for a QR code or a typed
-- asset number, 'asset:<number>'
CREATE TABLE asset_inventory_reads (
    inventory_id bigint NOT NULL REFERENCES asset_inventories (id),
    tag          text NOT NULL CHECK (length(tag) <= 160),
    asset_id     bigint REFERENCES assets (id),  -- NULL: no asset has this tag (unknown)
    location_id  bigint REFERENCES asset_locations (id),  -- the room it was read in
    source       text NOT NULL,  -- the reader's device id, or 'handheld:<username>'
    first_at     timestamptz NOT NULL,
    last_at      timestamptz NOT NULL,
    PRIMARY KEY (inventory_id, tag)
);
CREATE INDEX asset_inventory_reads_asset ON asset_inventory_reads (asset_id, inventory_id);

CREATE TABLE asset_inventory_resolutions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inventory_id bigint NOT NULL REFERENCES asset_inventories (id),
    asset_id     bigint REFERENCES assets (id),
    tag          text,  -- an unknown tag's
    outcome      text NOT NULL CHECK (outcome IN ('moved', 'missing', 'registered')),
    note         text CHECK (note IS NULL OR length(note) <= 2000),
    by_user      text NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    CHECK (asset_id IS NOT NULL OR tag IS NOT NULL)
);
CREATE UNIQUE INDEX asset_inventory_resolutions_asset ON asset_inventory_resolutions (inventory_id, asset_id)
    WHERE asset_id IS NOT NULL AND outcome <> 'registered';
CREATE UNIQUE INDEX asset_inventory_resolutions_tag ON asset_inventory_resolutions (inventory_id, tag)
    WHERE tag IS NOT NULL;

-- a session takes in its rooms' readers' reads by device and time
CREATE INDEX IF NOT EXISTS rfid_reads_device_ts ON rfid_reads (device_id, ts);
