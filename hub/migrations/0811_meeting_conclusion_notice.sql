-- depends: 0810_meeting_minutes 0505_documents_outgoing
-- The conclusion notice of a meeting (thông báo kết luận, issue 17 item 6): once the minutes are signed off, the
-- secretary drafts it as an outgoing document (type TB) in hub.documents; this keeps which draft it is, one per
-- meeting. Its state and number are the documents module's own (read through its service).

CREATE TABLE meeting_conclusion_notices (
    meeting_id bigint PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    draft_id   bigint NOT NULL UNIQUE REFERENCES document_drafts (id),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
);
