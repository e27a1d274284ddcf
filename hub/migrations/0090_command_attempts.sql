-- depends: 0050_device_commands
-- Commands are published again until answered or expired (issue: a command sent while its
-- device was offline was lost — devices connect with a clean session). `attempts` counts the
-- publishes the broker took (the first send is 1); `last_sent_at` is the latest (hub clock).
-- Rows from before this migration were published once, when issued.

ALTER TABLE device_commands
    ADD COLUMN attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 0),
    ADD COLUMN last_sent_at timestamptz;
UPDATE device_commands SET last_sent_at = issued_at;
ALTER TABLE device_commands ALTER COLUMN last_sent_at SET NOT NULL;
ALTER TABLE device_commands ALTER COLUMN last_sent_at SET DEFAULT now();
