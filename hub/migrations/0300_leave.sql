-- depends: 0060_timekeeping_input_versions 0020_accounts
-- Leave (nghỉ phép, issue 14): leave types and policies as data with their legal basis and validity
-- dates, requests with their approval steps, attachments, HR adjustments and year closes. The old
-- `approved_absences` table (timekeeping's input) becomes a VIEW over approved requests, its rows moved.

-- the employee's facts the entitlement needs (Labour Code 2019 art. 113, 114)
ALTER TABLE employees
    ADD COLUMN service_start date,  -- ngày bắt đầu công tác: seniority counts from here (NULL: active_from)
    ADD COLUMN working_condition text NOT NULL DEFAULT 'normal'
        CHECK (working_condition IN ('normal', 'heavy', 'especially_heavy'));

-- What can be asked for. `category` drives the logic; everything else is admin-editable data.
CREATE TABLE leave_types (
    code               text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name_vi            text NOT NULL CHECK (btrim(name_vi) <> '' AND char_length(name_vi) <= 200),
    name_en            text NOT NULL CHECK (btrim(name_en) <> '' AND char_length(name_en) <= 200),
    category           text NOT NULL CHECK (category ~ '^[a-z_]{1,32}$'),  -- annual, paid_personal, unpaid_personal, …
    absence_kind       text NOT NULL DEFAULT 'leave' CHECK (absence_kind ~ '^(leave|business_trip)$'),
    symbol             text NOT NULL CHECK (char_length(symbol) BETWEEN 1 AND 8),  -- ký hiệu chấm công
    paid               boolean NOT NULL,
    deducts_balance    boolean NOT NULL DEFAULT false,  -- counted against the annual balance
    max_days           numeric(5, 1) CHECK (max_days > 0),  -- per request (art. 115: 3 / 1 / 3 / 1), NULL: none
    allow_over_balance boolean NOT NULL DEFAULT true,
    needs_attachment   boolean NOT NULL DEFAULT false,  -- e.g. a sick-leave certificate
    counts_as_worked   boolean NOT NULL DEFAULT false,  -- Decree 145 art. 65/66: counts toward a month worked
    legal_basis        text NOT NULL CHECK (char_length(legal_basis) <= 500),
    certainty          text NOT NULL DEFAULT 'S' CHECK (certainty ~ '^[TSU]$'),  -- DOMAIN.md tags
    valid_from         date NOT NULL DEFAULT '2021-01-01',
    valid_to           date,
    position           integer NOT NULL DEFAULT 100,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

INSERT INTO leave_types (code, name_vi, name_en, category, absence_kind, symbol, paid, deducts_balance, max_days,
                         allow_over_balance, needs_attachment, counts_as_worked, legal_basis, certainty, position)
VALUES
 ('annual', 'Nghỉ phép năm', 'Annual leave', 'annual', 'leave', 'P', true, true, NULL, false, false, true,
  'Bộ luật Lao động 2019, Điều 113, 114; Nghị định 145/2020/NĐ-CP, Điều 65, 66', 'T', 10),
 ('marriage', 'Nghỉ kết hôn', 'Own marriage', 'paid_personal', 'leave', 'R', true, false, 3, true, false, true,
  'Bộ luật Lao động 2019, Điều 115 khoản 1 điểm a', 'T', 20),
 ('child_marriage', 'Con kết hôn', 'Marriage of a child', 'paid_personal', 'leave', 'R', true, false, 1, true, false,
  true, 'Bộ luật Lao động 2019, Điều 115 khoản 1 điểm b', 'T', 21),
 ('bereavement', 'Tang (cha, mẹ, cha mẹ vợ/chồng, vợ/chồng, con)', 'Death of a parent, parent-in-law, spouse or child',
  'paid_personal', 'leave', 'R', true, false, 3, true, false, true,
  'Bộ luật Lao động 2019, Điều 115 khoản 1 điểm c', 'T', 22),
 ('unpaid_personal', 'Nghỉ việc riêng không lương (ông bà, anh chị em; cha mẹ, anh chị em kết hôn)',
  'Unpaid personal leave (grandparent or sibling death; parent or sibling marriage)', 'unpaid_personal', 'leave',
  'KL', false, false, 1, true, false, false, 'Bộ luật Lao động 2019, Điều 115 khoản 2', 'T', 30),
 ('unpaid_agreement', 'Nghỉ không lương theo thỏa thuận', 'Unpaid leave by agreement', 'unpaid_agreement', 'leave',
  'KL', false, false, NULL, true, false, false, 'Bộ luật Lao động 2019, Điều 115 khoản 3', 'T', 31),
 ('sick', 'Nghỉ ốm', 'Sick leave', 'sick', 'leave', 'Ô', false, false, NULL, true, true, false,
  'Luật Bảo hiểm xã hội; Nghị định 145/2020/NĐ-CP, Điều 65 (tính là thời gian làm việc đến 2 tháng/năm) [U]', 'U', 40),
 ('maternity', 'Nghỉ thai sản', 'Maternity leave', 'maternity', 'leave', 'TS', false, false, NULL, true, true, false,
  'Bộ luật Lao động 2019, Điều 139; Luật Bảo hiểm xã hội', 'S', 41),
 ('study', 'Học tập, bồi dưỡng', 'Study, training', 'study', 'leave', 'H', true, false, NULL, true, false, true,
  'Quyết định cử đi học của cơ quan', 'S', 50),
 ('business_trip', 'Công tác', 'Business trip', 'business_trip', 'business_trip', 'CT', true, false, NULL, true,
  false, true, 'Công tác là làm việc, không phải nghỉ (Thông tư 40/2017/TT-BTC về chế độ công tác phí)', 'S', 60);

-- How annual leave is granted and carried over; the one in force on a date applies.
CREATE TABLE leave_policies (
    code                   text PRIMARY KEY CHECK (code ~ '^[a-z0-9_-]{1,32}$'),
    name                   text NOT NULL CHECK (btrim(name) <> ''),
    base_normal            numeric(4, 1) NOT NULL DEFAULT 12,  -- art. 113(1)(a)
    base_heavy             numeric(4, 1) NOT NULL DEFAULT 14,  -- art. 113(1)(b)
    base_especially_heavy  numeric(4, 1) NOT NULL DEFAULT 16,  -- art. 113(1)(c)
    seniority_every_years  integer NOT NULL DEFAULT 5 CHECK (seniority_every_years > 0),  -- art. 114
    seniority_days         numeric(3, 1) NOT NULL DEFAULT 1,
    seniority_as_of        text NOT NULL DEFAULT 'year_end' CHECK (seniority_as_of ~ '^(year_end|year_start)$'),  -- [U]
    partial_rounding       text NOT NULL DEFAULT 'half_up' CHECK (partial_rounding ~ '^(half_up|down|up|half_day|none)$'),
    carry_over_max_days    numeric(5, 1) CHECK (carry_over_max_days >= 0),  -- NULL: no cap
    carry_over_until       text CHECK (carry_over_until ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'),  -- MM-DD of the next year, NULL: no expiry
    carry_over_years       integer NOT NULL DEFAULT 3 CHECK (carry_over_years BETWEEN 1 AND 3),  -- art. 113(4): combine ≤ 3 years
    legal_basis            text NOT NULL,
    valid_from             date NOT NULL DEFAULT '2021-01-01',
    valid_to               date,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
INSERT INTO leave_policies (code, name, carry_over_max_days, carry_over_until, carry_over_years, legal_basis)
VALUES ('default', 'Bộ luật Lao động 2019 (gộp tối đa 3 năm)', NULL, NULL, 3,
        'Bộ luật Lao động 2019, Điều 113, 114; Nghị định 145/2020/NĐ-CP, Điều 66 (làm tròn: [U], cài đặt được)');

-- Who approves: per unit (NULL: everywhere) and leave type (NULL: any), from a length on. The most
-- specific chain wins. Steps are levels above the employee: 0 = a manager of the person's own unit,
-- 1 = of its parent, …; 'hr' records at the end.
CREATE TABLE leave_approval_chains (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id     bigint REFERENCES org_units (id),
    leave_type  text REFERENCES leave_types (code),
    min_days    numeric(5, 1) NOT NULL DEFAULT 0 CHECK (min_days >= 0),
    levels      integer[] NOT NULL CHECK (cardinality(levels) BETWEEN 1 AND 5),
    hr_records  boolean NOT NULL DEFAULT true,
    escalate_after_hours integer NOT NULL DEFAULT 16 CHECK (escalate_after_hours BETWEEN 1 AND 400),  -- working hours
    UNIQUE NULLS NOT DISTINCT (unit_id, leave_type, min_days)
);
INSERT INTO leave_approval_chains (unit_id, leave_type, min_days, levels) VALUES (NULL, NULL, 0, '{0}');

-- An approver's backup for a period (ủy quyền).
CREATE TABLE leave_delegations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    approver   text NOT NULL REFERENCES users (username),
    backup     text NOT NULL REFERENCES users (username),
    first_day  date NOT NULL,
    last_day   date NOT NULL,
    reason     text CHECK (char_length(reason) <= 500),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (last_day >= first_day),
    CHECK (approver <> backup)
);
CREATE INDEX leave_delegations_approver ON leave_delegations (approver, first_day, last_day);

CREATE TABLE leave_requests (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id    bigint NOT NULL REFERENCES employees (id),
    unit_id        bigint NOT NULL REFERENCES org_units (id),  -- the unit at the time of the request
    leave_type     text NOT NULL REFERENCES leave_types (code),
    first_day      date NOT NULL,
    last_day       date NOT NULL,
    first_day_part text NOT NULL DEFAULT 'full' CHECK (first_day_part IN ('full', 'morning', 'afternoon')),
    last_day_part  text NOT NULL DEFAULT 'full' CHECK (last_day_part IN ('full', 'morning', 'afternoon')),
    working_days   numeric(6, 1) CHECK (working_days >= 0),  -- counted on the calendar when asked (NULL: moved rows)
    status         text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('draft', 'pending', 'returned', 'approved', 'rejected', 'cancelled')),
    reason         text CHECK (char_length(reason) <= 1000),
    substitute_id  bigint REFERENCES employees (id),  -- người thay thế
    reference      text CHECK (char_length(reference) <= 64),  -- e.g. the GNP number, or the old id
    symbol         text CHECK (char_length(symbol) BETWEEN 1 AND 8),  -- overrides the type's symbol
    work_refusal   boolean NOT NULL DEFAULT false,  -- refused for work reasons (Circular 141/2011: may be paid out)
    replaces_id    bigint REFERENCES leave_requests (id),  -- a change of an approved leave
    requested_by   text NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    decided_by     text,
    decided_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (last_day >= first_day),
    CHECK (first_day = last_day OR (first_day_part IN ('full', 'afternoon') AND last_day_part IN ('full', 'morning')))
);
CREATE INDEX leave_requests_employee_days ON leave_requests (employee_id, first_day, last_day);
CREATE INDEX leave_requests_days ON leave_requests (first_day, last_day) WHERE status IN ('pending', 'approved');
CREATE INDEX leave_requests_unit ON leave_requests (unit_id, first_day);

-- One approval step: who must act, on whose behalf, and what they did.
CREATE TABLE leave_request_steps (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES leave_requests (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    level       integer,  -- the chain's level; NULL: HR
    approver    text NOT NULL,  -- username
    acting_for  text,  -- the approver this backup stands in for
    state       text NOT NULL DEFAULT 'waiting'
                CHECK (state IN ('waiting', 'pending', 'approved', 'rejected', 'returned', 'skipped', 'escalated')),
    comment     text CHECK (char_length(comment) <= 1000),
    due_at      timestamptz,
    decided_at  timestamptz,
    UNIQUE (request_id, position)
);
CREATE INDEX leave_request_steps_approver ON leave_request_steps (approver) WHERE state = 'pending';

CREATE TABLE leave_attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   bigint NOT NULL REFERENCES leave_requests (id) ON DELETE CASCADE,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename     text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
    content_type text NOT NULL CHECK (char_length(content_type) <= 100),
    size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);

-- Days added to or taken from a person's balance of a year: HR adjustments, opening balances,
-- carry-over from a closed year (with its expiry) — append-only, every row with its reason.
CREATE TABLE leave_adjustments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id bigint NOT NULL REFERENCES employees (id),
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2199),
    kind        text NOT NULL CHECK (kind IN ('adjustment', 'opening', 'carry_over')),
    days        numeric(6, 1) NOT NULL,
    expires_on  date,  -- carried days not taken by then lapse
    reason      text NOT NULL CHECK (btrim(reason) <> '' AND char_length(reason) <= 1000),
    author      text NOT NULL,
    made_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX leave_adjustments_employee_year ON leave_adjustments (employee_id, year);
CREATE TRIGGER leave_adjustments_append_only BEFORE UPDATE OR DELETE ON leave_adjustments
    FOR EACH ROW EXECUTE FUNCTION cces_append_only();

-- A closed year: no request may start in it any more; its carry-over has been written.
CREATE TABLE leave_year_closes (
    year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2199),
    policy_code text NOT NULL REFERENCES leave_policies (code),
    closed_by   text NOT NULL,
    closed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    summary     jsonb NOT NULL DEFAULT '{}'
);

-- approved and cancelled leave changes timekeeping's days (migration 0060's counters)
CREATE FUNCTION cces_tk_leave_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'approved' THEN
        PERFORM cces_bump_timekeeping_days(NEW.first_day, NEW.last_day);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.status = 'approved' THEN
        PERFORM cces_bump_timekeeping_days(OLD.first_day, OLD.last_day);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER leave_requests_tk_version AFTER INSERT OR UPDATE OR DELETE ON leave_requests
    FOR EACH ROW EXECUTE FUNCTION cces_tk_leave_changed();
CREATE TRIGGER leave_requests_tk_truncated AFTER TRUNCATE ON leave_requests
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();

-- move the approved absences into requests (kind + code → a leave type; the code kept as the symbol)
INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, first_day_part, status, symbol,
                            reference, requested_by, requested_at, decided_by, decided_at)
SELECT a.employee_id, e.unit_id,
       CASE WHEN a.kind = 'business_trip' THEN 'business_trip'
            ELSE COALESCE((SELECT t.code FROM leave_types t WHERE t.symbol = a.code ORDER BY t.position LIMIT 1),
                          'annual') END,
       a.first_day, a.last_day, a.part, 'approved', a.code, a.reference, a.approved_by, a.approved_at,
       a.approved_by, a.approved_at
FROM approved_absences a JOIN employees e ON e.id = a.employee_id
ORDER BY a.id;

DROP TABLE approved_absences;

-- what timekeeping reads: one row per part of an approved request (a half first or last day on its own)
CREATE VIEW approved_absences AS
SELECT r.id, r.employee_id, t.absence_kind AS kind, s.first_day, s.last_day, s.part,
       COALESCE(r.symbol, t.symbol) AS code, r.reference,
       COALESCE(r.decided_by, r.requested_by) AS approved_by, COALESCE(r.decided_at, r.requested_at) AS approved_at
FROM leave_requests r
JOIN leave_types t ON t.code = r.leave_type
CROSS JOIN LATERAL (
    VALUES (r.first_day, r.first_day, r.first_day_part, r.first_day = r.last_day OR r.first_day_part <> 'full'),
           (r.first_day + CASE WHEN r.first_day_part = 'full' THEN 0 ELSE 1 END,
            r.last_day - CASE WHEN r.last_day_part = 'full' THEN 0 ELSE 1 END, 'full', r.first_day < r.last_day),
           (r.last_day, r.last_day, r.last_day_part, r.first_day < r.last_day AND r.last_day_part <> 'full')
) AS s (first_day, last_day, part, used)
WHERE r.status = 'approved' AND s.used AND s.first_day <= s.last_day;

-- writing to the old name (timekeeping's approve_absence, bulk loads) records an approved request
CREATE FUNCTION cces_approved_absence_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, first_day_part, status, symbol,
                                reference, requested_by, decided_by, decided_at)
    SELECT NEW.employee_id, e.unit_id,
           CASE WHEN NEW.kind = 'business_trip' THEN 'business_trip'
                ELSE COALESCE((SELECT t.code FROM leave_types t WHERE t.symbol = NEW.code ORDER BY t.position LIMIT 1),
                              'annual') END,
           NEW.first_day, NEW.last_day, COALESCE(NEW.part, 'full'), 'approved', NEW.code, NEW.reference,
           NEW.approved_by, NEW.approved_by, COALESCE(NEW.approved_at, clock_timestamp())
    FROM employees e WHERE e.id = NEW.employee_id
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RAISE EXCEPTION 'no employee with id %', NEW.employee_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.id := new_id;
    RETURN NEW;
END $$;
CREATE TRIGGER approved_absences_insert INSTEAD OF INSERT ON approved_absences
    FOR EACH ROW EXECUTE FUNCTION cces_approved_absence_insert();
