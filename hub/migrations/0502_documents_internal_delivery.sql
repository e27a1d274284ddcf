-- depends: 0501_documents_register_by_code
-- Issue 15 item 2 (start): an outgoing document sent to another CCES unit with a seal arrives in that
-- unit's incoming register by itself, in the releasing transaction; the incoming entry points at it.
ALTER TABLE documents ADD COLUMN source_id bigint REFERENCES documents (id);
CREATE INDEX documents_source ON documents (source_id) WHERE source_id IS NOT NULL;
