-- Files kept with an asset record (issue 16 item 1: "attachments and history"): the purchase invoice, the
-- hand-over minutes, a photo, the warranty. Bytes in the hub's content store (by SHA-256), rows here.
CREATE TABLE asset_attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id     bigint NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    filename     text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
    content_type text NOT NULL CHECK (char_length(content_type) <= 100),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    note         text CHECK (char_length(note) <= 500),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX asset_attachments_asset ON asset_attachments (asset_id, id);
