-- depends: 0504_documents_handling
-- The leadership screen (issue 18 item 5, hub.leadership) reads what other modules hold; it stores nothing.
-- Its document tile takes each open handler part's deadline in force (the last approved extension's, else the
-- instructed one): without an index on the extensions' handler that is one scan of document_extensions per part.
CREATE INDEX IF NOT EXISTS document_extensions_approved ON document_extensions (handler_id, decided_at DESC, id DESC)
    WHERE decision = 'approved';
-- The open parts of a few units (a Chi cục's subtree) without reading every open part of the administration.
CREATE INDEX IF NOT EXISTS document_handlers_unit_open ON document_handlers (unit_id) WHERE finished_at IS NULL;
CREATE INDEX IF NOT EXISTS document_handlers_user_open ON document_handlers (user_id) WHERE finished_at IS NULL;
