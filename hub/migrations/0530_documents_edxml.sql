-- depends: 0502_documents_internal_delivery
-- Issue 15 item 4: documents exchanged as edXML (QCVN 102:2016). One row per document that arrived as,
-- or was sent as, an edXML message: the message's DocumentId and sender, the message itself in the
-- content store (hub.files, by SHA-256), its attachments after unzipping (name, type, size, SHA-256 in
-- the same store) and the rules of QCVN 102 / Decree 30 its fields broke when it was read. A status
-- packet answering a received document needs the sender's organ id and DocumentId: they are kept here.
CREATE TABLE document_edxml (
    document_id    bigint PRIMARY KEY REFERENCES documents (id),
    direction      text NOT NULL CHECK (direction IN ('received', 'sent')),
    message_id     text NOT NULL CHECK (length(message_id) <= 300),   -- edXML DocumentId
    from_organ_id  text NOT NULL CHECK (length(from_organ_id) <= 64),  -- 000.00.00.G12, or as sent
    message_sha256 text NOT NULL CHECK (message_sha256 ~ '^[0-9a-f]{64}$'),
    attachments    jsonb NOT NULL DEFAULT '[]',  -- [{name, content_type, size, sha256}]
    warnings       jsonb NOT NULL DEFAULT '[]',  -- [{field, rule, message}]
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_edxml_message ON document_edxml (message_id);
