-- depends: 0002_devices_and_ingest
-- One-time enrollment tokens and the certificates issued to devices.

-- only a hash of the token is kept: a database dump cannot be used to enroll a device
CREATE TABLE enrollment_tokens (
    token_sha256  text PRIMARY KEY,
    device_id     text NOT NULL CHECK (device_id ~ '^[a-z0-9-]{3,64}$'),
    kind          text NOT NULL,
    site          text,
    room          text,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX enrollment_tokens_device ON enrollment_tokens (device_id);

CREATE TABLE device_certificates (
    serial      numeric PRIMARY KEY,
    device_id   text NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    not_after   timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX device_certificates_device ON device_certificates (device_id);
