-- depends: 0020_accounts
-- Links of the hub-served kiosk screens (màn hình công cộng): a door's greeting screen
-- (/kiosk/terminal/{device_id}) and a meeting room's display (/kiosk/room/{room_id}) need no
-- sign-in, so each screen gets its own link with a secret key, made by an admin and revocable.
-- Only the SHA-256 of the key is stored (like sessions): the link is shown once, when made.
CREATE TABLE kiosk_links (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('terminal', 'room')),
    target       text NOT NULL CHECK (target ~ '^[a-z0-9-]{1,64}$'),  -- a device id or a room id
    key_sha256   bytea NOT NULL UNIQUE CHECK (length(key_sha256) = 32),
    label        text CHECK (label IS NULL OR btrim(label) <> ''),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_by   text,
    revoked_at   timestamptz,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX kiosk_links_target ON kiosk_links (kind, target);
