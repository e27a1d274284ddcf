-- depends: 0700_reporting
-- Attachments to a report (issue 18 item 2): the files a unit sends with its report (an explanatory note, a
-- signed scan, a spreadsheet). The bytes live in the hub's content store (hub.files.ContentStore, named by
-- SHA-256, the store the documents use); a row here says which report holds which file under which name.
-- Checked before the row is written (hub.reporting.service.attach): at most 20 MB a file, 10 files a report,
-- PDF, scans (JPEG, PNG, TIFF) and Office / OpenDocument files, the type sniffed from the bytes.

CREATE TABLE reporting_attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id    bigint NOT NULL REFERENCES reporting_reports (id) ON DELETE CASCADE,
    filename     text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 255),
    content_type text NOT NULL CHECK (length(content_type) <= 200),
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),  -- hub.files.ContentStore
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reporting_attachments_report ON reporting_attachments (report_id, id);
