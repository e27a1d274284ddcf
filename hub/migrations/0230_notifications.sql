-- depends: 0211_job_log 0020_accounts
-- Notifications (thông báo): an inbox per account, e-mail through an outbox, signed single-use action
-- links (hub.notifications; issues 14, 15, 17, 18, 19 all send through it).
--
-- notification_categories: what a notification is about, as data with its labels (domains add theirs in
--   their own migrations or with hub.notifications.repository.ensure_categories); `mail_default` says
--   whether it goes by mail to an account that chose nothing for it.
-- notifications: one row per recipient account. The texts are rendered when it is sent (Vietnamese and
--   English); `message_key`/`params` keep what they were rendered from. `link` is a path in the hub.
--   Inserting rows sends pg_notify('cces_notifications') in the same transaction (the live bell).
-- notification_settings / notification_mail_choices: an account's e-mail address and which categories
--   it wants by mail (no row: the category's default).
-- notification_mail: the outbox, written in the notifying transaction; the sender job claims a due row
--   with FOR UPDATE SKIP LOCKED and holds that lock while it talks SMTP, so two hub processes never send
--   one message twice; failures wait with a growing backoff, then stay 'failed' with their error.
-- notification_actions: one single-use action link per recipient (the mail carries it, signed); used_at
--   is set in the transaction of the action itself.

CREATE TABLE notification_categories (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$' AND length(code) <= 64),
    label_vi     text NOT NULL CHECK (btrim(label_vi) <> ''),
    label_en     text NOT NULL CHECK (btrim(label_en) <> ''),
    mail_default boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('system.notice', 'Thông báo của hệ thống', 'System notice', true);

CREATE TABLE notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category    text NOT NULL REFERENCES notification_categories (code),
    title_vi    text NOT NULL CHECK (btrim(title_vi) <> '' AND length(title_vi) <= 300),
    title_en    text NOT NULL CHECK (btrim(title_en) <> '' AND length(title_en) <= 300),
    body_vi     text NOT NULL DEFAULT '' CHECK (length(body_vi) <= 4000),
    body_en     text NOT NULL DEFAULT '' CHECK (length(body_en) <= 4000),
    message_key text,
    params      jsonb NOT NULL DEFAULT '{}',
    link        text CHECK (link IS NULL OR (link ~ '^/([^/\\]|$)' AND length(link) <= 1000)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notifications_inbox ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_created ON notifications (created_at);

CREATE TABLE notification_settings (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email      text CHECK (email IS NULL OR (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254)),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notification_mail_choices (
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category text NOT NULL REFERENCES notification_categories (code) ON DELETE CASCADE,
    by_mail  boolean NOT NULL,
    PRIMARY KEY (user_id, category)
);

CREATE TABLE notification_actions (
    id              uuid PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notification_id bigint REFERENCES notifications (id) ON DELETE SET NULL,
    action          text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$'),
    params          jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    used_from       text,
    outcome_vi      text,
    outcome_en      text
);
CREATE INDEX notification_actions_expires ON notification_actions (expires_at);

CREATE TABLE notification_mail (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id bigint REFERENCES notifications (id) ON DELETE SET NULL,
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    action_id       uuid REFERENCES notification_actions (id) ON DELETE SET NULL,
    to_address      text NOT NULL,
    subject         text NOT NULL,
    message_id      text NOT NULL UNIQUE,  -- the Message-ID header: the same on every attempt
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    sent_by         text  -- the hub worker that delivered it
);
CREATE INDEX notification_mail_due ON notification_mail (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notification_mail_created ON notification_mail (created_at);
