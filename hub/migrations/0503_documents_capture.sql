-- depends: 0502_documents_internal_delivery
-- Issue 15 items 2 and 10: capturing incoming documents. The metadata of Decree 30 Appendix VI Part II
-- for incoming documents that the first tables lacked, the day by which a document had to be registered
-- (arrival day, or the next working day: Art. 22; computed with the working calendar of the day it was
-- registered, so a later calendar change does not rewrite history), and the files of a document in the
-- content-addressed store with their extracted text (pypdf, or Tesseract OCR as a job).
ALTER TABLE documents
    ADD COLUMN language        text CHECK (length(language) <= 30),          -- Language S30
    ADD COLUMN page_amount     smallint CHECK (page_amount BETWEEN 1 AND 999), -- PageAmount N3
    ADD COLUMN description     text CHECK (length(description) <= 500),      -- Description S500
    ADD COLUMN signer_position text CHECK (length(signer_position) <= 100),  -- SignerInfo.Position S100
    ADD COLUMN signer_name     text CHECK (length(signer_name) <= 50),       -- SignerInfo.FullName S50
    ADD COLUMN to_places       text CHECK (length(to_places) <= 1000),       -- ToPlaces S1000
    ADD COLUMN due_date        date,                                          -- DueDate D10 (the sender's)
    ADD COLUMN organ_id        text CHECK (length(organ_id) <= 64),          -- the issuing organ's electronic id
    ADD COLUMN external_id     text CHECK (length(external_id) <= 200),      -- edXML DocumentId, if any
    ADD COLUMN register_by     date;                                          -- incoming: registered at the latest on
CREATE INDEX documents_external_id ON documents (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE document_files (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id  bigint NOT NULL REFERENCES documents (id),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),  -- hub.files.ContentStore
    filename     text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 255),
    content_type text NOT NULL,       -- sniffed from the bytes, never the sender's claim
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    text_status  text NOT NULL DEFAULT 'pending' CHECK (text_status IN ('pending', 'done', 'failed', 'none')),
    text_source  text CHECK (text_source IN ('pdf', 'ocr')),
    text         text,
    text_error   text
);
CREATE INDEX document_files_document ON document_files (document_id);
CREATE INDEX document_files_pending ON document_files (id) WHERE text_status = 'pending';
