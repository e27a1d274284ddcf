-- depends: 0003_people
-- Accounts (tài khoản): users, role grants scoped to org units, sessions shared by every API node,
-- sign-in failures for rate limiting, and the audit log (nhật ký thao tác).

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name        text NOT NULL CHECK (btrim(display_name) <> ''),
    employee_id         bigint UNIQUE REFERENCES employees (id),  -- one account per employee, at most
    password_hash       text NOT NULL,                            -- argon2id, never the password
    language            text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    disabled_at         timestamptz,                              -- NULL: may sign in
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          text NOT NULL
);

-- A role on a unit reaches its whole subtree; only the system admin's grant has no unit.
CREATE TABLE role_grants (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('system_admin', 'office_admin', 'hr', 'manager', 'asset_officer',
                                             'clerk', 'employee')),
    unit_id    bigint REFERENCES org_units (id),
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'system_admin') = (unit_id IS NULL)),
    UNIQUE NULLS NOT DISTINCT (user_id, role, unit_id)
);
CREATE INDEX role_grants_unit ON role_grants (unit_id);

-- Only the SHA-256 of a session token is stored: a database dump cannot be used to sign in.
CREATE TABLE sessions (
    token_sha256    bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,  -- pushed forward on use, never past expires_at
    expires_at      timestamptz NOT NULL,  -- absolute lifetime
    revoked_at      timestamptz,           -- sign-out, password change, account disabled
    client_ip       text,
    user_agent      text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, counted per username and per client address over a sliding window.
CREATE TABLE sign_in_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    username  text NOT NULL,  -- as typed (lower-cased): accounts that do not exist count too
    client_ip text
);
CREATE INDEX sign_in_failures_username ON sign_in_failures (username, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (client_ip, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

-- Every change, written in the transaction of the change itself.
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor         text NOT NULL,           -- username, or 'cli', 'system', 'device:<id>'
    actor_user_id bigint REFERENCES users (id),
    action        text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),  -- e.g. 'correction.create'
    entity        text NOT NULL,           -- e.g. 'employee', 'device', 'user', 'calendar'
    entity_id     text,
    unit_path     text,                    -- the org unit it concerns, so office admins see their units' rows
    before        jsonb,
    after         jsonb,
    client_ip     text,
    search_text   text NOT NULL            -- folded (no diacritics, lower case) for free-text search
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC);
CREATE INDEX audit_log_unit ON audit_log (unit_path text_pattern_ops);
