-- depends: 0505_documents_outgoing 0533_documents_secrecy
-- Issue 15 item 7, case files (hồ sơ) and the hand-over to the agency archive (Decree 30/2020 Ch. IV and
-- Appendix V; Law on Archives 2024): the yearly file list (danh mục hồ sơ) of a unit with its headings and
-- planned files, the case files opened from it (or outside it) holding documents and other files in order,
-- their closing, and the hand-over (nộp lưu) the archive accepts, after which the file and its documents
-- are frozen (hub.documents.casefiles).

-- Retention periods (thời hạn bảo quản) as data [U]: Circular 10/2022/TT-BNV and the sector tables.
CREATE TABLE case_file_retentions (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,20}$'),
    years    smallint CHECK (years BETWEEN 1 AND 100),  -- NULL: vĩnh viễn (permanent)
    label_vi text NOT NULL CHECK (btrim(label_vi) <> '' AND length(label_vi) <= 60),
    label_en text NOT NULL CHECK (btrim(label_en) <> '' AND length(label_en) <= 60),
    basis    text NOT NULL CHECK (length(basis) <= 200),
    position smallint NOT NULL DEFAULT 0
);
INSERT INTO case_file_retentions (code, years, label_vi, label_en, basis, position) VALUES
    ('vinh_vien', NULL, 'Vĩnh viễn', 'Permanent', 'NĐ 30/2020/NĐ-CP PL V; TT 10/2022/TT-BNV [U]', 1),
    ('70', 70, '70 năm', '70 years', 'TT 10/2022/TT-BNV [U]', 2),
    ('50', 50, '50 năm', '50 years', 'TT 10/2022/TT-BNV [U]', 3),
    ('20', 20, '20 năm', '20 years', 'TT 10/2022/TT-BNV [U] (e.g. the agency charter and working rules)', 4),
    ('10', 10, '10 năm', '10 years', 'TT 10/2022/TT-BNV [U]', 5),
    ('5', 5, '5 năm', '5 years', 'TT 10/2022/TT-BNV [U]', 6),
    ('2', 2, '2 năm', '2 years', 'TT 10/2022/TT-BNV [U]', 7);

-- The periods of the hand-over as data [U] (DOMAIN.md §3): months after the work ended (general files),
-- months after settlement (capital construction), the warning before the due day, the most a holder may
-- keep a file beyond it with written approval (years), the least retention that must be handed over.
CREATE TABLE case_file_rules (
    key   text PRIMARY KEY CHECK (key IN ('handover_months', 'construction_months', 'warn_days',
                                          'max_keep_years', 'min_handover_years')),
    value smallint NOT NULL CHECK (value BETWEEN 0 AND 1000),
    basis text NOT NULL CHECK (length(basis) <= 200)
);
INSERT INTO case_file_rules (key, value, basis) VALUES
    ('handover_months', 12, 'NĐ 30/2020 PL V; Luật Lưu trữ 2024: 1 năm kể từ khi công việc kết thúc [U]'),
    ('construction_months', 3, 'NĐ 30/2020 PL V: hồ sơ XDCB 3 tháng kể từ khi quyết toán [U]'),
    ('warn_days', 30, 'NĐ 30/2020 PL VI §III.5.b: cảnh báo trước 30 ngày [U]'),
    ('max_keep_years', 2, 'NĐ 30/2020 PL V: giữ lại tối đa 2 năm, có văn bản đồng ý [U]'),
    ('min_handover_years', 5, 'NĐ 30/2020 PL V: thời hạn bảo quản từ 5 năm trở lên phải nộp lưu [U]');

-- The yearly file list of a unit (danh mục hồ sơ): drafted, then approved by the head at the start of the year.
CREATE TABLE case_file_lists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES org_units (id),
    year        smallint NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL,
    approved_at timestamptz,
    approved_by text,
    decision    text CHECK (length(decision) <= 200),  -- the head's decision issuing it
    UNIQUE (unit_id, year),
    CHECK ((approved_at IS NULL) = (approved_by IS NULL))
);

-- Headings: major ones with Roman numerals and an abbreviation (I. TCCB), sub-headings with Arabic ones.
CREATE TABLE case_file_headings (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id   bigint NOT NULL REFERENCES case_file_lists (id) ON DELETE CASCADE,
    parent_id bigint REFERENCES case_file_headings (id) ON DELETE CASCADE,
    code      text CHECK (code ~ '^[[:alnum:]ĐđÀ-ỹ]{1,20}$'),  -- a major heading's abbreviation: TCCB
    title     text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
    position  integer NOT NULL CHECK (position BETWEEN 1 AND 10000),
    CHECK ((parent_id IS NULL) = (code IS NOT NULL))
);
CREATE UNIQUE INDEX case_file_headings_code ON case_file_headings (list_id, code) WHERE code IS NOT NULL;

-- The planned files of the list: 01.TCCB | title | retention | người lập hồ sơ | ghi chú.
CREATE TABLE case_file_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id     bigint NOT NULL REFERENCES case_file_lists (id) ON DELETE CASCADE,
    heading_id  bigint NOT NULL REFERENCES case_file_headings (id) ON DELETE CASCADE,
    number      integer NOT NULL CHECK (number BETWEEN 1 AND 9999),
    code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),   -- 01.TCCB
    title       text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    retention   text NOT NULL REFERENCES case_file_retentions (code),
    responsible text CHECK (length(responsible) <= 100),              -- a username or a unit's name
    note        text CHECK (length(note) <= 500),
    UNIQUE (list_id, code)
);

-- Hand-overs to the agency archive (nộp lưu): a batch of closed files a unit submits; the archive accepts.
CREATE TABLE case_file_handovers (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      bigint NOT NULL REFERENCES org_units (id),
    submitted_at timestamptz NOT NULL,
    submitted_by text NOT NULL,
    submitted_by_id bigint,
    note         text CHECK (length(note) <= 500),
    accepted_at  timestamptz,
    accepted_by  text,
    CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
);

-- A case file (hồ sơ): opened from the list (entry_id) or outside it; closed (ngày kết thúc, pages); handed over.
CREATE TABLE case_files (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      bigint NOT NULL REFERENCES org_units (id),
    year         smallint NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    entry_id     bigint REFERENCES case_file_entries (id),
    code         text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    title        text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    retention    text NOT NULL REFERENCES case_file_retentions (code),
    kind         text NOT NULL DEFAULT 'general' CHECK (kind IN ('general', 'construction')),
    owner_id     bigint REFERENCES users (id),
    owner        text NOT NULL CHECK (length(owner) <= 100),          -- người lập hồ sơ (username)
    opened_on    date NOT NULL,
    opened_at    timestamptz NOT NULL,
    closed_on    date,                                                -- ngày kết thúc
    closed_at    timestamptz,
    closed_by    text,
    pages        integer CHECK (pages BETWEEN 0 AND 1000000),         -- số tờ/trang
    documents    integer CHECK (documents BETWEEN 0 AND 1000000),     -- số văn bản
    note         text CHECK (length(note) <= 500),
    keep_until   date,                                                -- kept beyond the due day, with approval
    keep_basis   text CHECK (length(keep_basis) <= 200),
    handover_id  bigint REFERENCES case_file_handovers (id),
    archived_at  timestamptz,                                         -- accepted by the archive: frozen
    UNIQUE (unit_id, year, code),
    CHECK ((closed_on IS NULL) = (closed_at IS NULL)),
    CHECK (archived_at IS NULL OR handover_id IS NOT NULL),
    CHECK (handover_id IS NULL OR closed_on IS NOT NULL)
);
CREATE INDEX case_files_owner ON case_files (owner_id) WHERE closed_on IS NULL;
CREATE UNIQUE INDEX case_files_entry ON case_files (entry_id) WHERE entry_id IS NOT NULL;

-- What a case file holds, in order: registered documents, or other files in the content-addressed store.
CREATE TABLE case_file_items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_file_id bigint NOT NULL REFERENCES case_files (id),
    position     integer NOT NULL CHECK (position BETWEEN 1 AND 100000),
    document_id  bigint REFERENCES documents (id),
    sha256       text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename     text CHECK (length(filename) <= 255),
    content_type text CHECK (length(content_type) <= 100),
    size_bytes   bigint CHECK (size_bytes >= 0),
    title        text CHECK (length(title) <= 500),                   -- another file: its name and summary
    item_date    date,                                                -- another file: its date
    pages        integer CHECK (pages BETWEEN 0 AND 100000),
    added_at     timestamptz NOT NULL,
    added_by     text NOT NULL,
    CHECK ((document_id IS NULL) = (sha256 IS NOT NULL)),
    CHECK (document_id IS NOT NULL OR (title IS NOT NULL AND item_date IS NOT NULL AND filename IS NOT NULL))
);
CREATE UNIQUE INDEX case_file_items_document ON case_file_items (case_file_id, document_id)
    WHERE document_id IS NOT NULL;
CREATE INDEX case_file_items_of_document ON case_file_items (document_id) WHERE document_id IS NOT NULL;
CREATE INDEX case_file_items_file ON case_file_items (case_file_id, position);

-- A document in an archived file is frozen like a revoked one (the existing trigger refuses changes).
ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_frozen_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_frozen_kind_check
    CHECK (frozen_kind IN ('revoked', 'replaced', 'updated', 'archived'));

-- An archived case file and what it holds change no more, whatever writes to them (the service answers 409).
CREATE FUNCTION cces_case_files_archived() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    file_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'case_files' THEN
        IF OLD.archived_at IS NOT NULL THEN
            RAISE EXCEPTION 'case file % is archived', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    file_id := CASE WHEN TG_OP = 'INSERT' THEN NEW.case_file_id ELSE OLD.case_file_id END;
    IF EXISTS (SELECT 1 FROM public.case_files WHERE id = file_id AND archived_at IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM public.case_files
                                         WHERE id = NEW.case_file_id AND archived_at IS NOT NULL)) THEN
        RAISE EXCEPTION 'case file % is archived', file_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER case_files_archived BEFORE UPDATE OR DELETE ON case_files
    FOR EACH ROW EXECUTE FUNCTION cces_case_files_archived();
CREATE TRIGGER case_file_items_archived BEFORE INSERT OR UPDATE OR DELETE ON case_file_items
    FOR EACH ROW EXECUTE FUNCTION cces_case_files_archived();
