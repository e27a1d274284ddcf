-- depends: 0011_retention
-- Roll-ups the reports read instead of raw rows, under the same names on both storages:
--   attendance_daily         (person_id, day, first_ts, last_ts, events)  day = local date, Asia/Ho_Chi_Minh
--   device_telemetry_hourly  (device_id, hour, heartbeats, max_outbox_pending, max_telemetry_dropped)
-- TimescaleDB: continuous aggregates refreshed by policy, plus compression of older chunks.
-- Native PostgreSQL: plain views over the partitioned tables (BRIN on ts keeps them cheap for a range).

DO $$
BEGIN
    IF cces_timescaledb_enabled() THEN
        -- WITH NO DATA: allowed inside the migration's transaction; the refresh policy fills it
        EXECUTE $q$
            CREATE MATERIALIZED VIEW attendance_daily_cagg WITH (timescaledb.continuous) AS
            SELECT person_id,
                   time_bucket(interval '1 day', ts, 'Asia/Ho_Chi_Minh') AS bucket,
                   min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events
            FROM attendance_events GROUP BY person_id, bucket
            WITH NO DATA $q$;
        PERFORM add_continuous_aggregate_policy('attendance_daily_cagg',
            start_offset => interval '45 days', end_offset => interval '1 minute',
            schedule_interval => interval '5 minutes');
        ALTER MATERIALIZED VIEW attendance_daily_cagg SET (timescaledb.materialized_only = false);
        EXECUTE $q$
            CREATE VIEW attendance_daily AS
            SELECT person_id, (bucket AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, first_ts, last_ts, events
            FROM attendance_daily_cagg $q$;

        EXECUTE $q$
            CREATE MATERIALIZED VIEW device_telemetry_hourly_cagg WITH (timescaledb.continuous) AS
            SELECT device_id, time_bucket(interval '1 hour', ts) AS hour, count(*) AS heartbeats,
                   max(outbox_pending) AS max_outbox_pending, max(telemetry_dropped) AS max_telemetry_dropped
            FROM device_telemetry GROUP BY device_id, hour
            WITH NO DATA $q$;
        PERFORM add_continuous_aggregate_policy('device_telemetry_hourly_cagg',
            start_offset => interval '3 days', end_offset => interval '1 minute',
            schedule_interval => interval '5 minutes');
        EXECUTE $q$
            CREATE VIEW device_telemetry_hourly AS
            SELECT device_id, hour, heartbeats, max_outbox_pending, max_telemetry_dropped
            FROM device_telemetry_hourly_cagg $q$;

        -- compression: telemetry after a week, events after a month (ordered by the unique key's columns)
        ALTER TABLE device_telemetry SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id',
                                          timescaledb.compress_orderby = 'ts DESC');
        PERFORM add_compression_policy('device_telemetry', interval '7 days');
        ALTER TABLE attendance_events SET (timescaledb.compress, timescaledb.compress_orderby = 'ts DESC, id');
        PERFORM add_compression_policy('attendance_events', interval '31 days');
        ALTER TABLE rfid_reads SET (timescaledb.compress, timescaledb.compress_orderby = 'ts DESC, id');
        PERFORM add_compression_policy('rfid_reads', interval '31 days');
    ELSE
        CREATE VIEW attendance_daily AS
        SELECT person_id, (ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
               min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events
        FROM attendance_events GROUP BY person_id, (ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

        CREATE VIEW device_telemetry_hourly AS
        SELECT device_id, date_trunc('hour', ts) AS hour, count(*) AS heartbeats,
               max(outbox_pending) AS max_outbox_pending, max(telemetry_dropped) AS max_telemetry_dropped
        FROM device_telemetry GROUP BY device_id, date_trunc('hour', ts);
    END IF;
END $$;
