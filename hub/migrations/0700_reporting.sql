-- depends: 0220_org_history 0230_notifications 0100_audit_second_unit
-- Summary reporting (tổng hợp – báo cáo, issue 18 items 1–2; ../shared/DOMAIN.md §2, Decree 09/2019/NĐ-CP).
--
-- * A reporting regime (chế độ báo cáo) is data, versioned: each change is a new row of
--   `reporting_regime_versions`, in force from its `valid_from`; a report keeps the version it was opened
--   on, so a regime changed mid-year leaves the reports already opened on their old version.
-- * A version names its receiving unit, its frequency, the cut-off day of its periods (15: Decree 09 Art. 12),
--   the submission deadline (days after the cut-off, working or calendar), its template of indicators
--   (JSON, checked by hub.reporting.template) and which units report to which (`reporting_regime_units`).
-- * A report is one reporting unit's report for one period of one regime; its values one row per indicator,
--   the pre-filled figure kept beside the corrected one with the note that explains the correction.

CREATE TABLE reporting_regimes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{0,39}$'),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL
);

CREATE TABLE reporting_regime_versions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    regime_id        bigint NOT NULL REFERENCES reporting_regimes (id),
    version          integer NOT NULL CHECK (version >= 1),
    valid_from       date NOT NULL,
    name_vi          text NOT NULL CHECK (btrim(name_vi) <> '' AND length(name_vi) <= 300),
    name_en          text NOT NULL CHECK (btrim(name_en) <> '' AND length(name_en) <= 300),
    basis            text NOT NULL CHECK (btrim(basis) <> '' AND length(basis) <= 300),  -- căn cứ pháp lý
    content          text NOT NULL DEFAULT '' CHECK (length(content) <= 4000),        -- nội dung báo cáo
    frequency        text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'half-year', 'nine-month', 'yearly')),
    cutoff_day       smallint NOT NULL DEFAULT 15 CHECK (cutoff_day BETWEEN 1 AND 28),
    deadline_days    smallint NOT NULL CHECK (deadline_days BETWEEN 0 AND 60),
    deadline_working boolean NOT NULL DEFAULT true,  -- count working days (the work calendar) or calendar days
    owner_unit_id    bigint NOT NULL REFERENCES org_units (id),  -- the unit that receives the consolidated report
    template         jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL,
    UNIQUE (regime_id, version),
    UNIQUE (regime_id, valid_from)
);

-- which units report under a version, and to which unit (an ancestor of theirs, inside the owner's subtree)
CREATE TABLE reporting_regime_units (
    version_id        bigint NOT NULL REFERENCES reporting_regime_versions (id),
    unit_id           bigint NOT NULL REFERENCES org_units (id),
    recipient_unit_id bigint NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (version_id, unit_id),
    CHECK (unit_id <> recipient_unit_id)
);

CREATE TABLE reporting_reports (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    regime_id         bigint NOT NULL REFERENCES reporting_regimes (id),
    version_id        bigint NOT NULL REFERENCES reporting_regime_versions (id),
    period_key        text NOT NULL CHECK (length(period_key) <= 10),
    period_start      date NOT NULL,
    period_end        date NOT NULL,
    unit_id           bigint NOT NULL REFERENCES org_units (id),
    recipient_unit_id bigint NOT NULL REFERENCES org_units (id),
    deadline          date NOT NULL,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    opened_at         timestamptz NOT NULL DEFAULT now(),
    submitted_at      timestamptz,
    submitted_by      text,
    decided_at        timestamptz,
    decided_by        text,
    comment           text CHECK (length(comment) <= 2000),  -- the reviewer's comments when returned
    reminded_on       date,                                  -- the last reminder (at most one a day)
    reminders         integer NOT NULL DEFAULT 0,
    UNIQUE (regime_id, period_key, unit_id),
    CHECK (period_end >= period_start)
);
CREATE INDEX reporting_reports_open ON reporting_reports (deadline) WHERE status IN ('draft', 'returned');
CREATE INDEX reporting_reports_recipient ON reporting_reports (recipient_unit_id, period_key);

CREATE TABLE reporting_values (
    report_id  bigint NOT NULL REFERENCES reporting_reports (id) ON DELETE CASCADE,
    code       text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    value      jsonb,            -- a number, a text, or a table's rows (list of objects); NULL: not filled
    prefilled  jsonb,            -- what CCES data gave when the report was opened (NULL: not bound or no data)
    source     text,             -- the binding it came from (attendance_rate, leave_days, …)
    note       text CHECK (length(note) <= 1000),  -- why a pre-filled figure was corrected
    updated_by text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, code)
);

-- what happened to a report: opened, saved, submitted, returned (with the comment), accepted, reminded
CREATE TABLE reporting_report_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id bigint NOT NULL REFERENCES reporting_reports (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor     text NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('opened', 'saved', 'submitted', 'returned', 'accepted', 'reminded')),
    comment   text CHECK (length(comment) <= 2000)
);
CREATE INDEX reporting_report_events_report ON reporting_report_events (report_id, at);

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('reporting.due', 'Báo cáo đến hạn, quá hạn của đơn vị', 'Reports of my units due or late', true),
    ('reporting.decided', 'Báo cáo bị trả lại hoặc được tiếp nhận', 'Reports returned or accepted', true),
    ('reporting.submitted', 'Báo cáo gửi đến đơn vị tôi', 'Reports submitted to my unit', false)
ON CONFLICT (code) DO NOTHING;
