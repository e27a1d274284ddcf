-- Time-series helpers: TimescaleDB hypertables when the server has the extension,
-- native monthly range partitions (created ahead, BRIN on time) otherwise.
-- Every time-series table is registered in cces_timeseries so partitions can be made for all.

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    END IF;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'TimescaleDB is available but cannot be loaded (%); using native partitions', SQLERRM;
END $$;

CREATE TABLE cces_timeseries (
    table_name  text PRIMARY KEY,
    time_column text NOT NULL,
    storage     text NOT NULL CHECK (storage IN ('hypertable', 'partitioned'))
);

CREATE FUNCTION cces_timescaledb_enabled() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
$$;

CREATE PROCEDURE cces_create_timeseries(tbl text, columns text, time_column text)
LANGUAGE plpgsql AS $$
BEGIN
    IF cces_timescaledb_enabled() THEN
        EXECUTE format('CREATE TABLE %I (%s)', tbl, columns);
        PERFORM create_hypertable(tbl::regclass, time_column::name, chunk_time_interval => interval '7 days');
        INSERT INTO cces_timeseries VALUES (tbl, time_column, 'hypertable');
    ELSE
        EXECUTE format('CREATE TABLE %I (%s) PARTITION BY RANGE (%I)', tbl, columns, time_column);
        EXECUTE format('CREATE INDEX %I ON %I USING brin (%I)', tbl || '_' || time_column || '_brin', tbl, time_column);
        INSERT INTO cces_timeseries VALUES (tbl, time_column, 'partitioned');
    END IF;
END $$;

-- Create the monthly partitions (UTC months) of one table covering [from_ts, to_ts].
-- Returns how many were created. A no-op for hypertables, which chunk by themselves.
CREATE FUNCTION cces_ensure_partitions(tbl text, from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamp;  -- UTC wall time
    part        text;
    created     integer := 0;
BEGIN
    IF (SELECT storage FROM cces_timeseries WHERE table_name = tbl) IS DISTINCT FROM 'partitioned' THEN
        RETURN 0;
    END IF;
    -- concurrent hub workers may ask for the same month at once
    PERFORM pg_advisory_xact_lock(hashtext('cces_ensure_partitions:' || tbl));
    month_start := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    WHILE month_start <= to_ts AT TIME ZONE 'UTC' LOOP
        part := format('%s_p%s', tbl, to_char(month_start, 'YYYYMM'));
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           part, tbl,
                           month_start AT TIME ZONE 'UTC',
                           (month_start + interval '1 month') AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;
    RETURN created;
END $$;

CREATE FUNCTION cces_ensure_all_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t       record;
    created integer := 0;
BEGIN
    FOR t IN SELECT table_name FROM cces_timeseries WHERE storage = 'partitioned' LOOP
        created := created + cces_ensure_partitions(t.table_name, from_ts, to_ts);
    END LOOP;
    RETURN created;
END $$;
