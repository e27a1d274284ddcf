-- depends: 0002_devices_and_ingest
-- Commands sent to devices and the replies they sent back (issue #5).
-- A command is 'pending' until its reply arrives ('replied') or its expires_at passes without
-- one ('expired', set when read). A reply is stored whole: ok, its result or its refusal.

CREATE TABLE device_commands (
    id          uuid PRIMARY KEY,
    device_id   text NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    name        text NOT NULL,
    args        jsonb NOT NULL DEFAULT '{}'::jsonb,
    issued_by   text NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > issued_at),
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'replied', 'expired')),
    replied_at  timestamptz,
    reply_ok    boolean,
    reply_code  text,
    reply_error text,
    reply       jsonb,
    CHECK ((state = 'replied') = (replied_at IS NOT NULL))
);
CREATE INDEX device_commands_device_issued ON device_commands (device_id, issued_at DESC);
CREATE INDEX device_commands_pending ON device_commands (expires_at) WHERE state = 'pending';
