-- depends: 0503_documents_capture 0230_notifications
-- Issue 15 item 2: the leader's instruction on an incoming document (phiếu giải quyết văn bản đến,
-- Decree 30 Art. 24, Appendix IV §VII): a lead unit or person and supporting ones, each with a deadline,
-- and a comment; handlers report progress, ask for an extension (approved or refused), and finish with a
-- reply document or a note. Statuses (đang xử lý trong hạn / quá hạn, hoàn thành đúng hạn / quá hạn) are
-- derived from the deadline, the approved extensions and the finishing day, never stored.
CREATE TABLE document_assignments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id bigint NOT NULL UNIQUE REFERENCES documents (id),
    assigned_by text NOT NULL,
    assigned_by_user_id bigint REFERENCES users (id),
    assigned_at timestamptz NOT NULL,
    comment     text CHECK (length(comment) <= 2000)
);

-- One handler of an assignment: a unit or a person, lead (exactly one) or supporting.
CREATE TABLE document_handlers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL REFERENCES document_assignments (id),
    lead          boolean NOT NULL,
    unit_id       bigint REFERENCES org_units (id),
    user_id       bigint REFERENCES users (id),
    deadline      date NOT NULL,                  -- as instructed; approved extensions move it
    finished_at   timestamptz,
    finished_by   text,
    result_note   text CHECK (length(result_note) <= 2000),
    reply_document_id bigint REFERENCES documents (id),
    reminded_for  date,                           -- the deadline a reminder was sent for (once each)
    escalated_for date,                           -- the deadline an escalation was sent for (once each)
    CHECK ((unit_id IS NULL) <> (user_id IS NULL)),
    CHECK (finished_at IS NULL OR reply_document_id IS NOT NULL OR result_note IS NOT NULL)
);
CREATE UNIQUE INDEX document_handlers_one_lead ON document_handlers (assignment_id) WHERE lead;
CREATE INDEX document_handlers_open ON document_handlers (deadline) WHERE finished_at IS NULL;
CREATE INDEX document_handlers_user ON document_handlers (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX document_handlers_unit ON document_handlers (unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE document_progress (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handler_id bigint NOT NULL REFERENCES document_handlers (id),
    at         timestamptz NOT NULL,
    by_user    text NOT NULL,
    note       text NOT NULL CHECK (btrim(note) <> '' AND length(note) <= 2000)
);
CREATE INDEX document_progress_handler ON document_progress (handler_id, at);

CREATE TABLE document_extensions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handler_id   bigint NOT NULL REFERENCES document_handlers (id),
    requested_at timestamptz NOT NULL,
    requested_by text NOT NULL,
    new_deadline date NOT NULL,
    reason       text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
    decision     text CHECK (decision IN ('approved', 'refused')),
    decided_at   timestamptz,
    decided_by   text,
    decision_note text CHECK (length(decision_note) <= 2000),
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX document_extensions_one_open ON document_extensions (handler_id) WHERE decision IS NULL;

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('documents.assigned', 'Văn bản đến giao tôi xử lý', 'Incoming documents assigned to me', true),
    ('documents.deadline', 'Văn bản sắp đến hạn, quá hạn xử lý', 'Documents near or past their deadline', true),
    ('documents.extension', 'Xin gia hạn xử lý văn bản', 'Requests to extend a document deadline', true)
ON CONFLICT (code) DO NOTHING;
