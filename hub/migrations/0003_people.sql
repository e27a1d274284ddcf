-- depends: 0002_devices_and_ingest
-- People and organisation: org units as a tree (đơn vị), work schedules (ca làm việc), employees (nhân viên).

-- The tree: Tổng cục (General Department) → Cục/Vụ (departments) → Chi cục (branch offices) → Đội (teams).
-- `path` is the materialized path of ids ('/1/7/42/'), maintained by the triggers below, so a subtree
-- is one `path LIKE '/1/7/%'` on a text_pattern_ops index (ltree is not in the embedded server).
CREATE TABLE org_units (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id  bigint REFERENCES org_units (id),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    kind       text NOT NULL CHECK (kind IN ('general_department', 'department', 'branch', 'team')),
    path       text NOT NULL DEFAULT '',  -- set by cces_org_unit_path()
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((parent_id IS NULL) = (kind = 'general_department'))
);
CREATE INDEX org_units_path ON org_units (path text_pattern_ops);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE FUNCTION cces_org_unit_path() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parent_path text;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := '/' || NEW.id || '/';
    ELSE
        SELECT path INTO parent_path FROM org_units WHERE id = NEW.parent_id;
        IF TG_OP = 'UPDATE' AND parent_path LIKE OLD.path || '%' THEN
            RAISE EXCEPTION 'org unit % cannot move under its own subtree', OLD.code;
        END IF;
        NEW.path := parent_path || NEW.id || '/';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER org_units_path_insert BEFORE INSERT ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_path();
CREATE TRIGGER org_units_path_move BEFORE UPDATE OF parent_id ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_path();

-- a moved unit takes its subtree along
CREATE FUNCTION cces_org_unit_move_subtree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.path <> OLD.path THEN
        UPDATE org_units SET path = NEW.path || substr(path, length(OLD.path) + 1)
        WHERE path LIKE OLD.path || '%' AND id <> NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER org_units_path_subtree AFTER UPDATE OF parent_id ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_move_subtree();

-- A shift as hub.timekeeping.schedule.WorkSchedule defines it (the model validates; the table stores).
CREATE TABLE work_schedules (
    code                      text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    name                      text NOT NULL,
    start_time                time NOT NULL,
    end_time                  time NOT NULL,
    lunch_start               time,
    lunch_end                 time,
    check_in_opens            time NOT NULL,
    check_in_closes           time NOT NULL,
    check_out_opens           time NOT NULL,
    check_out_closes          time NOT NULL,
    late_grace_minutes        integer NOT NULL DEFAULT 0 CHECK (late_grace_minutes BETWEEN 0 AND 120),
    early_leave_grace_minutes integer NOT NULL DEFAULT 0 CHECK (early_leave_grace_minutes BETWEEN 0 AND 120),
    missing_punch_rule        text NOT NULL DEFAULT 'scheduled' CHECK (missing_punch_rule IN ('scheduled', 'half_day', 'none')),
    timezone                  text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- giờ hành chính: 08:00–17:00, lunch 12:00–13:00, 5 minutes' grace (= hub.timekeeping.schedule.office_hours())
INSERT INTO work_schedules (code, name, start_time, end_time, lunch_start, lunch_end, check_in_opens, check_in_closes,
                            check_out_opens, check_out_closes, late_grace_minutes, early_leave_grace_minutes)
VALUES ('HC', 'Giờ hành chính', '08:00', '17:00', '12:00', '13:00', '05:00', '16:00', '08:30', '23:00', 5, 5);

CREATE TABLE employees (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_code text NOT NULL UNIQUE CHECK (employee_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    full_name     text NOT NULL CHECK (btrim(full_name) <> ''),
    search_text   text NOT NULL,  -- lower case, no diacritics, đ→d (normalised in Python: no unaccent here)
    unit_id       bigint NOT NULL REFERENCES org_units (id),
    position      text,
    schedule_code text NOT NULL DEFAULT 'HC' REFERENCES work_schedules (code),
    person_id     text NOT NULL UNIQUE CHECK (person_id ~ '^\S{1,64}$'),  -- the id FaceID events carry
    active_from   date,  -- NULL: employed since before the records begin
    active_to     date,  -- NULL: still employed
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (active_to IS NULL OR active_from IS NULL OR active_to >= active_from)
);
CREATE INDEX employees_unit ON employees (unit_id);
