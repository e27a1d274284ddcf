-- depends: 0013_timeseries_rollups
-- rfid.read events (issue 16 item 4) carry where they were read: `zone` (the zone of the antenna, from
-- the device's config), `reader` (which reader of the device) and `zone_first_seen` (when the tag was
-- first seen in that zone in its current stay). Nullable: events of older agents have none of them.
-- On a parent of range partitions (or a TimescaleDB hypertable) ADD COLUMN reaches every partition.
ALTER TABLE rfid_reads
    ADD COLUMN IF NOT EXISTS zone text,
    ADD COLUMN IF NOT EXISTS reader text,
    ADD COLUMN IF NOT EXISTS zone_first_seen timestamptz;

CREATE INDEX IF NOT EXISTS rfid_reads_zone_ts ON rfid_reads (zone, ts) WHERE zone IS NOT NULL;
