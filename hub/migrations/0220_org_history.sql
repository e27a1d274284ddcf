-- depends: 0003_people 0060_timekeeping_input_versions 0100_audit_second_unit
-- The organisation with validity dates (issue 13, item 5; ../shared/DOMAIN.md §0.1).
--
-- * Unit kinds become data (`org_unit_kinds`): the structure in force since 2025-03-01 (Cục Hải quan →
--   Chi cục Hải quan khu vực → Hải quan cửa khẩu / đội / phòng) beside the one that ended that day
--   (Tổng cục → Cục → Chi cục → Đội), which kinds keep a seal (their own document registers) and which
--   are offices (trụ sở), and under which kinds each may sit.
-- * A unit has validity dates (`valid_from`, `valid_to`: the first day it no longer exists) and, once
--   merged, its successor. Its names, codes, kinds and parents over time are `org_unit_versions`,
--   kept by a trigger whatever writes the table.
-- * `employee_unit_history`: the unit each employee was in over time (kept by a trigger on
--   `employees.unit_id`), so an attendance event or a later leave request resolves to the unit the
--   person was in when it was made: `cces_unit_of_employee_at`, `cces_unit_of_person_at`, and the views
--   `employee_unit_periods` and `attendance_event_units`.
-- A change takes effect on the date in the transaction setting `cces.org_effective` (a date, Hanoi) and,
-- for employees, at `cces.org_effective_at` (a timestamptz); without them, today / now.

CREATE TABLE org_unit_kinds (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name_vi      text NOT NULL CHECK (btrim(name_vi) <> ''),
    name_en      text NOT NULL CHECK (btrim(name_en) <> ''),
    level        smallint NOT NULL CHECK (level BETWEEN 1 AND 9),  -- 1: the top of the tree
    has_seal     boolean NOT NULL,  -- a unit of this kind keeps its own seal, number series and registers
    is_office    boolean NOT NULL,  -- a unit of this kind is an office (trụ sở) with its own premises
    parent_kinds text[] NOT NULL DEFAULT '{}',  -- '{}': a root (no parent)
    valid_from   date,              -- NULL: since before the records begin
    valid_to     date,              -- NULL: still in force; else the first day it no longer is
    basis        text,              -- the legal basis of this kind
    sort         smallint NOT NULL DEFAULT 0
);

INSERT INTO org_unit_kinds (code, name_vi, name_en, level, has_seal, is_office, parent_kinds, valid_from, valid_to, basis, sort)
VALUES
    -- the structure since 2025-03-01 (Decision 382/QĐ-BTC of 2025-02-26, Decree 29/2025/NĐ-CP) [S]
    ('customs_department', 'Cục Hải quan', 'Customs Department', 1, true, true, '{}', '2025-03-01', NULL,
     'QĐ 382/QĐ-BTC 26/02/2025', 10),
    ('central_unit', 'Đơn vị thuộc Cục (Văn phòng, Ban)', 'Central unit (Office, Board)', 2, false, false,
     '{customs_department}', '2025-03-01', NULL, 'QĐ 382/QĐ-BTC 26/02/2025', 20),
    ('regional_branch', 'Chi cục Hải quan khu vực', 'Regional customs branch', 2, true, true,
     '{customs_department}', '2025-03-01', NULL, 'QĐ 382/QĐ-BTC 26/02/2025', 30),
    ('border_gate', 'Hải quan cửa khẩu / ngoài cửa khẩu', 'Border-gate or inland customs office', 3, true, true,
     '{regional_branch}', '2025-03-01', NULL, 'QĐ 382/QĐ-BTC 26/02/2025', 40),
    ('division', 'Phòng', 'Division', 3, false, false,
     '{regional_branch,central_unit}', '2025-03-01', NULL, 'QĐ 382/QĐ-BTC 26/02/2025', 50),
    -- a team (đội) exists in both structures
    ('team', 'Đội', 'Team', 3, true, false,
     '{regional_branch,central_unit,customs_department,general_department,department,branch}', NULL, NULL,
     'QĐ 382/QĐ-BTC 26/02/2025', 60),
    -- the structure that ended on 2025-03-01 (kept: records made before keep their units)
    ('general_department', 'Tổng cục Hải quan', 'General Department of Customs', 1, true, true, '{}', NULL,
     '2025-03-01', 'trước 01/03/2025 / before 2025-03-01', 110),
    ('department', 'Cục Hải quan tỉnh, thành phố / Vụ, Cục', 'Provincial customs department / central department',
     2, true, true, '{general_department}', NULL, '2025-03-01', 'trước 01/03/2025 / before 2025-03-01', 120),
    ('branch', 'Chi cục Hải quan', 'Customs branch', 3, true, true, '{department,general_department}', NULL,
     '2025-03-01', 'trước 01/03/2025 / before 2025-03-01', 130);

-- units: kinds by reference (the old CHECKs named four kinds and made the General Department the only root)
ALTER TABLE org_units DROP CONSTRAINT IF EXISTS org_units_kind_check;
ALTER TABLE org_units DROP CONSTRAINT IF EXISTS org_units_check;
ALTER TABLE org_units ADD CONSTRAINT org_units_kind_fk FOREIGN KEY (kind) REFERENCES org_unit_kinds (code);
ALTER TABLE org_units
    ADD COLUMN valid_from   date,     -- NULL: since before the records begin
    ADD COLUMN valid_to     date,     -- NULL: exists; else the first day it no longer does (closed or merged)
    ADD COLUMN successor_id bigint REFERENCES org_units (id),  -- merged into
    ADD COLUMN has_seal     boolean,  -- NULL on insert: the kind's
    ADD COLUMN is_office    boolean;  -- NULL on insert: the kind's
ALTER TABLE org_units
    ADD CONSTRAINT org_units_validity CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
    ADD CONSTRAINT org_units_successor CHECK (successor_id IS NULL OR (valid_to IS NOT NULL AND successor_id <> id));
UPDATE org_units u SET has_seal = k.has_seal, is_office = k.is_office FROM org_unit_kinds k WHERE k.code = u.kind;
CREATE INDEX org_units_open ON org_units (path text_pattern_ops) WHERE valid_to IS NULL;

CREATE FUNCTION cces_org_unit_defaults() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.has_seal IS NULL OR NEW.is_office IS NULL THEN
        SELECT coalesce(NEW.has_seal, k.has_seal), coalesce(NEW.is_office, k.is_office)
          INTO NEW.has_seal, NEW.is_office FROM org_unit_kinds k WHERE k.code = NEW.kind;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER org_units_defaults BEFORE INSERT ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_defaults();

-- the day a change takes effect: the transaction's `cces.org_effective`, else today in Hanoi
CREATE FUNCTION cces_org_effective_date() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('cces.org_effective', true), '')::date,
                    (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
$$;

CREATE TABLE org_unit_versions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
    valid_from  date,  -- NULL: since before the records begin
    valid_to    date,  -- NULL: the current version
    code        text NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL,
    parent_id   bigint REFERENCES org_units (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE INDEX org_unit_versions_unit ON org_unit_versions (unit_id, valid_from);

INSERT INTO org_unit_versions (unit_id, valid_from, valid_to, code, name, kind, parent_id)
SELECT id, NULL, NULL, code, name, kind, parent_id FROM org_units;

CREATE FUNCTION cces_org_unit_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    day date := cces_org_effective_date();
    open_from date;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO org_unit_versions (unit_id, valid_from, valid_to, code, name, kind, parent_id)
        VALUES (NEW.id, NEW.valid_from, NEW.valid_to, NEW.code, NEW.name, NEW.kind, NEW.parent_id);
        RETURN NULL;
    END IF;
    IF (NEW.code, NEW.name, NEW.kind, NEW.parent_id) IS DISTINCT FROM (OLD.code, OLD.name, OLD.kind, OLD.parent_id) THEN
        SELECT valid_from INTO open_from FROM org_unit_versions
         WHERE unit_id = NEW.id AND valid_to IS NULL ORDER BY id DESC LIMIT 1;
        IF FOUND AND open_from IS NOT DISTINCT FROM day THEN
            -- a second change on the same day: that day's version becomes this one
            UPDATE org_unit_versions SET code = NEW.code, name = NEW.name, kind = NEW.kind, parent_id = NEW.parent_id,
                   recorded_at = now()
             WHERE unit_id = NEW.id AND valid_to IS NULL;
        ELSE
            IF open_from IS NOT NULL AND open_from > day THEN
                RAISE EXCEPTION 'org unit %: a change on % is earlier than its version of %', NEW.code, day, open_from;
            END IF;
            UPDATE org_unit_versions SET valid_to = day WHERE unit_id = NEW.id AND valid_to IS NULL;
            INSERT INTO org_unit_versions (unit_id, valid_from, valid_to, code, name, kind, parent_id)
            VALUES (NEW.id, day, NULL, NEW.code, NEW.name, NEW.kind, NEW.parent_id);
        END IF;
    END IF;
    IF NEW.valid_to IS DISTINCT FROM OLD.valid_to THEN
        SELECT valid_from INTO open_from FROM org_unit_versions
         WHERE unit_id = NEW.id AND valid_to IS NULL ORDER BY id DESC LIMIT 1;
        IF FOUND AND open_from IS NOT DISTINCT FROM NEW.valid_to
           AND EXISTS (SELECT 1 FROM org_unit_versions WHERE unit_id = NEW.id AND valid_to = NEW.valid_to) THEN
            -- closed on the day a change took effect: that change never held, the version before ends here
            DELETE FROM org_unit_versions WHERE unit_id = NEW.id AND valid_to IS NULL;
        ELSE
            UPDATE org_unit_versions SET valid_to = NEW.valid_to WHERE unit_id = NEW.id
               AND id = (SELECT max(id) FROM org_unit_versions WHERE unit_id = NEW.id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER org_units_version_insert AFTER INSERT ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_version();
CREATE TRIGGER org_units_version_update AFTER UPDATE OF code, name, kind, parent_id, valid_to ON org_units
    FOR EACH ROW EXECUTE FUNCTION cces_org_unit_version();

-- the unit's name, code, kind and parent on a day
CREATE FUNCTION cces_unit_version_at(p_unit bigint, p_day date) RETURNS org_unit_versions
LANGUAGE sql STABLE AS $$
    SELECT * FROM org_unit_versions
     WHERE unit_id = p_unit AND (valid_from IS NULL OR valid_from <= p_day) AND (valid_to IS NULL OR valid_to > p_day)
     ORDER BY id DESC LIMIT 1
$$;

-- Which unit each employee was in, over time.
CREATE TABLE employee_unit_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id bigint NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES org_units (id),
    valid_from  timestamptz NOT NULL,  -- '-infinity': since before the records begin
    valid_to    timestamptz,           -- NULL: still there
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX employee_unit_history_open ON employee_unit_history (employee_id) WHERE valid_to IS NULL;
CREATE INDEX employee_unit_history_employee ON employee_unit_history (employee_id, valid_from);
CREATE INDEX employee_unit_history_unit ON employee_unit_history (unit_id);

INSERT INTO employee_unit_history (employee_id, unit_id, valid_from) SELECT id, unit_id, '-infinity' FROM employees;

CREATE FUNCTION cces_employee_unit_history() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz := coalesce(nullif(current_setting('cces.org_effective_at', true), '')::timestamptz, now());
    open_from timestamptz;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO employee_unit_history (employee_id, unit_id, valid_from) VALUES (NEW.id, NEW.unit_id, '-infinity');
        RETURN NULL;
    END IF;
    IF NEW.unit_id IS NOT DISTINCT FROM OLD.unit_id THEN
        RETURN NULL;
    END IF;
    SELECT valid_from INTO open_from FROM employee_unit_history WHERE employee_id = NEW.id AND valid_to IS NULL;
    IF NOT FOUND THEN
        INSERT INTO employee_unit_history (employee_id, unit_id, valid_from) VALUES (NEW.id, NEW.unit_id, at);
    ELSIF open_from >= at THEN
        -- moved again before the last move took effect: that move now goes here
        UPDATE employee_unit_history SET unit_id = NEW.unit_id WHERE employee_id = NEW.id AND valid_to IS NULL;
    ELSE
        UPDATE employee_unit_history SET valid_to = at WHERE employee_id = NEW.id AND valid_to IS NULL;
        INSERT INTO employee_unit_history (employee_id, unit_id, valid_from) VALUES (NEW.id, NEW.unit_id, at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER employees_unit_history_insert AFTER INSERT ON employees
    FOR EACH ROW EXECUTE FUNCTION cces_employee_unit_history();
CREATE TRIGGER employees_unit_history_update AFTER UPDATE OF unit_id ON employees
    FOR EACH ROW EXECUTE FUNCTION cces_employee_unit_history();

-- the unit of a person at a moment (NULL: not employed in the records then)
CREATE FUNCTION cces_unit_of_employee_at(p_employee bigint, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT unit_id FROM employee_unit_history
     WHERE employee_id = p_employee AND valid_from <= p_at AND (valid_to IS NULL OR valid_to > p_at)
$$;
CREATE FUNCTION cces_unit_of_person_at(p_person_id text, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT h.unit_id FROM employees e JOIN employee_unit_history h ON h.employee_id = e.id
     WHERE e.person_id = p_person_id AND h.valid_from <= p_at AND (h.valid_to IS NULL OR h.valid_to > p_at)
$$;

CREATE VIEW employee_unit_periods AS
SELECT h.employee_id, e.employee_code, e.person_id, h.unit_id, u.code AS unit_code, h.valid_from, h.valid_to
  FROM employee_unit_history h JOIN employees e ON e.id = h.employee_id JOIN org_units u ON u.id = h.unit_id;

-- every attendance event with the unit its person was in when it happened
CREATE VIEW attendance_event_units AS
SELECT a.id AS event_id, a.ts, a.device_id, a.person_id, e.id AS employee_id, h.unit_id
  FROM attendance_events a
  JOIN employees e ON e.person_id = a.person_id
  JOIN employee_unit_history h ON h.employee_id = e.id AND h.valid_from <= a.ts AND (h.valid_to IS NULL OR h.valid_to > a.ts);

-- The demo's organisation is marked here when `cces demo` seeds it (never seeded anywhere else).
CREATE TABLE demo_seed (
    id        smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    seeded_at timestamptz NOT NULL DEFAULT now(),
    version   integer NOT NULL,
    summary   jsonb NOT NULL
);
