-- depends: 0001_timeseries_helpers
-- Retention: whole months (partitions) or chunks older than what is kept are dropped, never
-- row by row. The same call works on TimescaleDB (drop_chunks) and native partitions.

CREATE FUNCTION cces_apply_retention(tbl text, keep interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    storage_kind text;
    cutoff       timestamptz := now() - keep;
    part         record;
    dropped      integer := 0;
BEGIN
    SELECT storage INTO storage_kind FROM cces_timeseries WHERE table_name = tbl;
    IF storage_kind IS NULL THEN
        RAISE EXCEPTION 'not a time-series table: %', tbl;
    END IF;
    IF storage_kind = 'hypertable' THEN
        EXECUTE 'SELECT count(*) FROM drop_chunks($1::regclass, older_than => $2)' INTO dropped USING tbl, cutoff;
        RETURN dropped;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cces_ensure_partitions:' || tbl));
    FOR part IN
        SELECT c.relname,
               (to_date(substring(c.relname FROM '_p([0-9]{6})$'), 'YYYYMM') + interval '1 month') AT TIME ZONE 'UTC'
                   AS upper_bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = tbl::regclass AND c.relname ~ '_p[0-9]{6}$'
    LOOP
        IF part.upper_bound <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END $$;
