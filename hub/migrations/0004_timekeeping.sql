-- depends: 0003_people
-- Timekeeping storage (chấm công): approved absences, managers' corrections, each year's calendar decisions.
-- Raw FaceID events (attendance_events) are never written here; daily results are computed, not stored.

-- Approved leave (nghỉ phép) and business trips (công tác), day ranges. Minimal on purpose: the leave
-- module will own requests and approvals and write approved ones here.
CREATE TABLE approved_absences (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id bigint NOT NULL REFERENCES employees (id),
    kind        text NOT NULL CHECK (kind IN ('leave', 'business_trip')),
    first_day   date NOT NULL,
    last_day    date NOT NULL,
    part        text NOT NULL DEFAULT 'full' CHECK (part IN ('full', 'morning', 'afternoon')),
    code        text CHECK (char_length(code) BETWEEN 1 AND 8),
    reference   text CHECK (char_length(reference) <= 64),
    approved_by text NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT now(),
    CHECK (last_day >= first_day),
    CHECK (part = 'full' OR first_day = last_day)
);
CREATE INDEX approved_absences_employee_days ON approved_absences (employee_id, first_day, last_day);

-- A manager's correction of one person's day (điều chỉnh chấm công). Append-only: a later correction
-- of the same day wins, the earlier ones stay as the audit trail (who, when, why).
CREATE TABLE timekeeping_corrections (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id         bigint NOT NULL REFERENCES employees (id),
    day                 date NOT NULL,
    reason              text NOT NULL CHECK (btrim(reason) <> ''),
    author              text NOT NULL CHECK (btrim(author) <> ''),
    made_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    status              text,
    first_in            timestamptz,
    last_out            timestamptz,
    late_minutes        integer,
    early_leave_minutes integer,
    worked_minutes      integer,
    worked_days         real
);
CREATE INDEX timekeeping_corrections_employee_day ON timekeeping_corrections (employee_id, day);

-- Calendar decisions per year (hoán đổi, làm bù, Tết days): hub.timekeeping.calendar.CalendarAdjustments
-- as JSON. Each save is a new version; the latest is in force, the others are the audit trail.
CREATE TABLE calendar_adjustments (
    year       integer NOT NULL CHECK (year BETWEEN 1901 AND 2199),
    version    integer NOT NULL CHECK (version >= 1),
    data       jsonb NOT NULL,
    author     text NOT NULL,
    made_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (year, version)
);

-- the audit trails cannot be rewritten
CREATE FUNCTION cces_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: add a new row instead', TG_TABLE_NAME;
END $$;

CREATE TRIGGER timekeeping_corrections_append_only BEFORE UPDATE OR DELETE ON timekeeping_corrections
    FOR EACH ROW EXECUTE FUNCTION cces_append_only();
CREATE TRIGGER calendar_adjustments_append_only BEFORE UPDATE OR DELETE ON calendar_adjustments
    FOR EACH ROW EXECUTE FUNCTION cces_append_only();
