-- depends: 0540_documents_casefiles
-- The hand-over warning (issue 15 item 7; DOMAIN.md §3, NĐ 30/2020 PL VI §III.5.b): the daily job
-- `documents.case_files_due` tells the keeper of each closed case file not yet handed over, and the unit's văn
-- thư, that its hand-over is due within the warning days (case_file_rules.warn_days, data) or overdue; once per
-- file, state and due day, recorded here, so a second run (or the next day) sends nothing again.

CREATE TABLE case_file_warnings (
    case_file_id bigint NOT NULL REFERENCES case_files (id),
    kind         text NOT NULL CHECK (kind IN ('soon', 'overdue')),
    due_on       date NOT NULL,           -- the due day warned of (keep_until when kept): a new one warns again
    sent_at      timestamptz NOT NULL,
    recipients   integer NOT NULL CHECK (recipients BETWEEN 0 AND 10000),
    PRIMARY KEY (case_file_id, kind, due_on)
);

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('documents.case_file_due', 'Hồ sơ sắp đến hạn, quá hạn nộp lưu', 'Case files due or overdue for hand-over', true)
ON CONFLICT (code) DO NOTHING;
