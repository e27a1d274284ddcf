-- depends: 0013_timeseries_rollups 0004_timekeeping
-- Change counters of the timekeeping engine's inputs, so a computed month can be reused until
-- something it was computed from changes (hub.timekeeping.cache).
--
-- timekeeping_input_versions(day, slot, version): every write that can change the results of a
-- local day (Asia/Ho_Chi_Minh) adds 1 to that day's counter. Changes that affect every day (the
-- calendar's decisions, work schedules, employees) count on day '-infinity'. A reader sums the
-- counters of the days it computed (plus a day on each side for night shifts, plus '-infinity')
-- before reading the inputs and compares the sums later: any committed change shows as a larger
-- sum. `slot` spreads one day's counter over a few rows (by backend pid), so concurrent ingest
-- workers do not queue on one hot row; the sum is what counts.

CREATE TABLE timekeeping_input_versions (
    day     date     NOT NULL,
    slot    smallint NOT NULL,
    version bigint   NOT NULL,
    PRIMARY KEY (day, slot)
);

CREATE FUNCTION cces_bump_timekeeping_days(first_day date, last_day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT isfinite(first_day) OR first_day = last_day THEN  -- one day (or '-infinity': everything)
        INSERT INTO timekeeping_input_versions AS v (day, slot, version)
        VALUES (first_day, (pg_backend_pid() % 8)::smallint, 1)
        ON CONFLICT (day, slot) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO timekeeping_input_versions AS v (day, slot, version)
        SELECT d::date, (pg_backend_pid() % 8)::smallint, 1
        FROM generate_series(first_day::timestamp, last_day::timestamp, interval '1 day') AS d
        ON CONFLICT (day, slot) DO UPDATE SET version = v.version + 1;
    END IF;
END $$;

-- raw FaceID events: one bump per statement (an ingest batch), over the local days it touched
CREATE FUNCTION cces_tk_events_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    lo date;
    hi date;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT min((ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), max((ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
        INTO lo, hi FROM new_rows;
        IF lo IS NOT NULL THEN
            PERFORM cces_bump_timekeeping_days(lo, hi);
        END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT min((ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), max((ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
        INTO lo, hi FROM old_rows;
        IF lo IS NOT NULL THEN
            PERFORM cces_bump_timekeeping_days(lo, hi);
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- the same for a row-level trigger (TimescaleDB hypertables have no transition tables)
CREATE FUNCTION cces_tk_event_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cces_bump_timekeeping_days((NEW.ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                                           (NEW.ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM cces_bump_timekeeping_days((OLD.ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                                           (OLD.ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
    END IF;
    RETURN NULL;
END $$;

DO $$
BEGIN
    IF cces_timescaledb_enabled() THEN
        CREATE TRIGGER attendance_events_tk_version AFTER INSERT OR UPDATE OR DELETE ON attendance_events
            FOR EACH ROW EXECUTE FUNCTION cces_tk_event_row_changed();
    ELSE
        CREATE TRIGGER attendance_events_tk_inserted AFTER INSERT ON attendance_events
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_events_changed();
        CREATE TRIGGER attendance_events_tk_updated AFTER UPDATE ON attendance_events
            REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_events_changed();
        CREATE TRIGGER attendance_events_tk_deleted AFTER DELETE ON attendance_events
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_events_changed();
    END IF;
END $$;

-- approved leave and trips: the days of the old and the new range
CREATE FUNCTION cces_tk_absence_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cces_bump_timekeeping_days(NEW.first_day, NEW.last_day);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM cces_bump_timekeeping_days(OLD.first_day, OLD.last_day);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER approved_absences_tk_version AFTER INSERT OR UPDATE OR DELETE ON approved_absences
    FOR EACH ROW EXECUTE FUNCTION cces_tk_absence_changed();

-- managers' corrections (append-only): the corrected day
CREATE FUNCTION cces_tk_correction_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cces_bump_timekeeping_days(NEW.day, NEW.day);
    RETURN NULL;
END $$;
CREATE TRIGGER timekeeping_corrections_tk_version AFTER INSERT ON timekeeping_corrections
    FOR EACH ROW EXECUTE FUNCTION cces_tk_correction_added();

-- everything-wide inputs: the calendar's decisions, schedules, employees (name, unit, schedule, dates)
CREATE FUNCTION cces_tk_everything_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cces_bump_timekeeping_days('-infinity'::date, '-infinity'::date);
    RETURN NULL;
END $$;
CREATE TRIGGER calendar_adjustments_tk_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_adjustments
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
CREATE TRIGGER work_schedules_tk_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON work_schedules
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
CREATE TRIGGER employees_tk_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employees
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
CREATE TRIGGER org_units_tk_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
-- emptying a whole table of inputs (tests, restores) changes every day
CREATE TRIGGER attendance_events_tk_truncated AFTER TRUNCATE ON attendance_events
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
CREATE TRIGGER approved_absences_tk_truncated AFTER TRUNCATE ON approved_absences
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
CREATE TRIGGER timekeeping_corrections_tk_truncated AFTER TRUNCATE ON timekeeping_corrections
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
