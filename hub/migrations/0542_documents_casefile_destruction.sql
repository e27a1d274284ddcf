-- depends: 0541_documents_casefile_warnings
-- The review of case files past their retention (issue 15 item 7; DOMAIN.md §3, hồ sơ hết thời hạn bảo quản):
-- a closed file whose retention (years, counted from the year after its end year; never vĩnh viễn) has run out
-- is listed for the archive, which may propose it for destruction with a reason; one proposal per file, kept
-- here beside the file (an archived file's row is frozen by its trigger) and audited
-- (documents.case_file_propose_destruction, documents.case_file_withdraw_destruction).

CREATE TABLE case_file_destruction_proposals (
    case_file_id bigint PRIMARY KEY REFERENCES case_files (id),
    reason       text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    proposed_at  timestamptz NOT NULL,
    proposed_by  text NOT NULL CHECK (length(proposed_by) <= 100)
);
