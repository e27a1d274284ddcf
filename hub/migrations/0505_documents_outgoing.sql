-- depends: 0504_documents_handling
-- Issue 15 item 3, outgoing documents (../shared/DOMAIN.md §1.1): drafts with versions (each file in the
-- content-addressed store) and comments; the review and approval chain drafter → head of unit → signing
-- leader, with the signing prefixes of Decree 30 Appendix I §II.7 as data; the number is taken only at
-- release, through the registers' locked counter (0500), so the register stays gap-free; recipients
-- (nơi nhận) inside (CCES units with a seal: their incoming registers, 0502) and outside.
-- Revocation, replacement and update freeze the original and keep their trail (document_links).

CREATE TABLE document_signing_prefixes (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z]{1,5}$'),
    label       text NOT NULL CHECK (label ~ '^[A-Z]{1,5}\.$'),  -- as printed: TM., KT., TL., TUQ., Q.
    name_vi     text NOT NULL,
    name_en     text NOT NULL,
    needs_delegation boolean NOT NULL DEFAULT false,  -- TUQ.: the authorisation's duration and scope (Art. 13)
    basis       text NOT NULL,
    valid_from  date,
    valid_to    date,
    sort        smallint NOT NULL DEFAULT 0
);
INSERT INTO document_signing_prefixes (code, label, name_vi, name_en, needs_delegation, basis, valid_from, sort) VALUES
    ('TM', 'TM.', 'Thay mặt tập thể', 'On behalf of a collective', false, 'NĐ 30/2020/NĐ-CP PL I §II.7', '2020-03-05', 1),
    ('KT', 'KT.', 'Ký thay người đứng đầu', 'Deputy signing for the head', false, 'NĐ 30/2020/NĐ-CP PL I §II.7', '2020-03-05', 2),
    ('TL', 'TL.', 'Thừa lệnh', 'By order', false, 'NĐ 30/2020/NĐ-CP PL I §II.7', '2020-03-05', 3),
    ('TUQ', 'TUQ.', 'Thừa ủy quyền', 'By authorisation', true, 'NĐ 30/2020/NĐ-CP PL I §II.7, Đ.13', '2020-03-05', 4),
    ('Q', 'Q.', 'Quyền (cấp trưởng)', 'Acting head', false, 'NĐ 30/2020/NĐ-CP PL I §II.7', '2020-03-05', 5);

-- A draft of an outgoing document of `unit_id` (a unit with a seal: its registers give the number).
CREATE TABLE document_drafts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id            bigint NOT NULL REFERENCES org_units (id),         -- the issuing unit (its registers)
    drafting_unit_id   bigint NOT NULL REFERENCES org_units (id),         -- the drafter's unit (the head reviews)
    drafter_notation   text CHECK (drafter_notation ~ '^[[:alnum:].]{1,20}$'),  -- VP in 05/HQKV2-VP
    type_key           text NOT NULL REFERENCES document_types (key),
    subject            text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 500),
    secrecy            smallint NOT NULL DEFAULT 0 CHECK (secrecy BETWEEN 0 AND 3),
    urgency            smallint NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 3),
    created_by         text NOT NULL,
    created_by_user_id bigint REFERENCES users (id),
    created_at         timestamptz NOT NULL,
    reviewer_user_id   bigint REFERENCES users (id),   -- head of the drafting unit; NULL: straight to the signer
    signer_user_id     bigint NOT NULL REFERENCES users (id),
    signing_prefix     text REFERENCES document_signing_prefixes (code),  -- NULL: the head signs in person
    authority_title    text CHECK (length(authority_title) <= 100),      -- after the prefix: CHI CỤC TRƯỞNG
    signer_position    text NOT NULL CHECK (btrim(signer_position) <> '' AND length(signer_position) <= 100),
    signer_name        text NOT NULL CHECK (btrim(signer_name) <> '' AND length(signer_name) <= 50),
    delegation         text CHECK (length(delegation) <= 500),            -- TUQ.: the authorisation
    state              text NOT NULL DEFAULT 'drafting'
                       CHECK (state IN ('drafting', 'reviewing', 'signing', 'approved', 'returned', 'released')),
    relates_kind       text CHECK (relates_kind IN ('revokes', 'replaces', 'updates')),
    relates_to         bigint REFERENCES documents (id),
    document_id        bigint UNIQUE REFERENCES documents (id),          -- set at release
    released_at        timestamptz,
    CHECK ((relates_kind IS NULL) = (relates_to IS NULL)),
    CHECK ((state = 'released') = (document_id IS NOT NULL)),
    CHECK (signing_prefix IS NULL OR authority_title IS NOT NULL)
);
CREATE INDEX document_drafts_state ON document_drafts (state, unit_id);
CREATE INDEX document_drafts_creator ON document_drafts (created_by_user_id);

-- Each uploaded file is a new version (1, 2, …), its bytes in hub.files.ContentStore.
CREATE TABLE document_draft_versions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id     bigint NOT NULL REFERENCES document_drafts (id),
    version      integer NOT NULL CHECK (version >= 1),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename     text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 255),
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    note         text CHECK (length(note) <= 2000),
    UNIQUE (draft_id, version)
);

CREATE TABLE document_draft_comments (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id bigint NOT NULL REFERENCES document_drafts (id),
    version  integer,                       -- the version it is about (NULL: the draft as a whole)
    at       timestamptz NOT NULL,
    by_user  text NOT NULL,
    body     text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 4000)
);
CREATE INDEX document_draft_comments_draft ON document_draft_comments (draft_id, at);

-- The chain's trail: submit, forward, approve, return, release (who, when, from which state to which).
CREATE TABLE document_draft_steps (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id   bigint NOT NULL REFERENCES document_drafts (id),
    step       text NOT NULL CHECK (step IN ('submit', 'forward', 'approve', 'return', 'release')),
    from_state text NOT NULL,
    to_state   text NOT NULL,
    at         timestamptz NOT NULL,
    by_user    text NOT NULL,
    note       text CHECK (length(note) <= 2000)
);
CREATE INDEX document_draft_steps_draft ON document_draft_steps (draft_id, at);

-- Recipients (nơi nhận): a CCES unit with a seal (it receives the document in its incoming register at
-- release) or an outside organ by name (and its electronic id, if known).
CREATE TABLE document_draft_recipients (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id   bigint NOT NULL REFERENCES document_drafts (id),
    unit_id    bigint REFERENCES org_units (id),
    organ_name text CHECK (length(organ_name) <= 200),
    organ_id   text CHECK (length(organ_id) <= 13),
    CHECK ((unit_id IS NULL) <> (organ_name IS NULL))
);
CREATE UNIQUE INDEX document_draft_recipients_unit ON document_draft_recipients (draft_id, unit_id)
    WHERE unit_id IS NOT NULL;

-- Revocation, replacement, update: the original is frozen (no further change) and the link kept.
ALTER TABLE documents
    ADD COLUMN frozen_at   timestamptz,
    ADD COLUMN frozen_kind text CHECK (frozen_kind IN ('revoked', 'replaced', 'updated'));
ALTER TABLE documents ADD CONSTRAINT documents_frozen CHECK ((frozen_at IS NULL) = (frozen_kind IS NULL));

CREATE TABLE document_links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('revokes', 'replaces', 'updates')),
    target_id   bigint NOT NULL REFERENCES documents (id),     -- the original
    document_id bigint REFERENCES documents (id),              -- the revoking/replacing/updating one, if any
    reason      text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
    at          timestamptz NOT NULL,
    by_user     text NOT NULL,
    CHECK (kind = 'revokes' OR document_id IS NOT NULL)
);
CREATE UNIQUE INDEX document_links_target ON document_links (target_id);  -- one freeze per original
CREATE INDEX document_links_document ON document_links (document_id) WHERE document_id IS NOT NULL;

-- A frozen document changes no more, whatever writes to it (the service answers 409 before this).
CREATE FUNCTION cces_documents_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'documents' THEN
        IF OLD.frozen_at IS NOT NULL THEN
            RAISE EXCEPTION 'document % is frozen (%)', OLD.id, OLD.frozen_kind USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM documents WHERE id = NEW.document_id AND frozen_at IS NOT NULL) THEN
        RAISE EXCEPTION 'document % is frozen', NEW.document_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER documents_frozen BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION cces_documents_frozen();
CREATE TRIGGER document_files_frozen BEFORE INSERT ON document_files
    FOR EACH ROW EXECUTE FUNCTION cces_documents_frozen();

-- Signatures found on a document's PDF (PAdES/CMS, read with pyHanko): who signed, and whether it holds.
CREATE TABLE document_file_signatures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id     bigint NOT NULL REFERENCES document_files (id),
    field_name  text,
    signer      text NOT NULL CHECK (length(signer) <= 500),   -- the certificate's subject, readable
    signer_name text CHECK (length(signer_name) <= 200),       -- its common name
    issuer      text CHECK (length(issuer) <= 500),
    signed_at   timestamptz,
    intact      boolean NOT NULL,     -- the signed bytes are unchanged
    valid       boolean NOT NULL,     -- intact and the signature checks out cryptographically
    trusted     boolean NOT NULL,     -- the certificate chains to a trusted root
    coverage    text,                 -- ENTIRE_FILE, ENTIRE_REVISION, …
    summary     text CHECK (length(summary) <= 2000),
    checked_at  timestamptz NOT NULL
);
CREATE INDEX document_file_signatures_file ON document_file_signatures (file_id);

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('documents.drafts', 'Dự thảo văn bản đi chờ tôi', 'Outgoing drafts waiting for me', true)
ON CONFLICT (code) DO NOTHING;
