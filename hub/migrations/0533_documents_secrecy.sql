-- depends: 0504_documents_handling 0532_search_tags
-- Issue 15 item 6, who sees what: a secret document (mật, tối mật, tuyệt mật) is seen only by an account
-- cleared for its level AND involved with it (it registered it, gave or holds its instruction, a cleared
-- leader over the registering unit, or a leader granted it). Clearances are data a system admin sets
-- (audited); grants are given and withdrawn by a cleared leader (audited); every opening is audited
-- (hub.documents.secrecy).
CREATE TABLE security_clearances (
    user_id    bigint PRIMARY KEY REFERENCES users (id),
    level      smallint NOT NULL CHECK (level BETWEEN 1 AND 3),  -- 1 mật, 2 tối mật, 3 tuyệt mật
    basis      text CHECK (length(basis) <= 200),                -- the decision that cleared the person
    set_by     text NOT NULL,
    set_at     timestamptz NOT NULL
);

CREATE TABLE document_secret_grants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id bigint NOT NULL REFERENCES documents (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    reason      text CHECK (length(reason) <= 500),
    granted_by  text NOT NULL,
    granted_at  timestamptz NOT NULL,
    revoked_by  text,
    revoked_at  timestamptz,
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL))
);
CREATE UNIQUE INDEX document_secret_grants_open ON document_secret_grants (document_id, user_id)
    WHERE revoked_at IS NULL;
CREATE INDEX document_secret_grants_user ON document_secret_grants (user_id) WHERE revoked_at IS NULL;

-- the secret documents alone, for the question "which secret documents may this person see"
CREATE INDEX documents_secret ON documents (secrecy, registered_by) WHERE secrecy > 0;
