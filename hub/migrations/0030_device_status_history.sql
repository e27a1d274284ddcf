-- depends: 0002_devices_and_ingest
-- Device status history (lịch sử trạng thái thiết bị) for the uptime report, and the live feed's
-- notification of each change.
--
-- Fed by a trigger on `devices`, so it is written wherever a status is applied (ingest's
-- set_status today, anything else tomorrow) and in the same transaction: a change is in the
-- history exactly when it is in the registry. The trigger also sends NOTIFY on the channel
-- `cces_device_status`, which PostgreSQL delivers only after COMMIT (a notification means
-- the change is stored). Payload: {"device_id", "online", "at"} — well under the 8,000-byte limit.

CREATE TABLE device_status_changes (
    device_id text        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    at        timestamptz NOT NULL,
    online    boolean     NOT NULL,
    PRIMARY KEY (device_id, at, online)
);
-- "offline now, since when" and the state at the start of a report's period
CREATE INDEX device_status_changes_at ON device_status_changes (at);

CREATE FUNCTION cces_device_status_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stamp timestamptz := COALESCE(NEW.status_at, now());
BEGIN
    INSERT INTO device_status_changes (device_id, at, online) VALUES (NEW.device_id, stamp, NEW.online)
    ON CONFLICT DO NOTHING;
    PERFORM pg_notify('cces_device_status',
                      json_build_object('device_id', NEW.device_id, 'online', NEW.online, 'at', stamp)::text);
    RETURN NULL;
END $$;

-- only a real change (online ↔ offline) is history; a repeated status just refreshes status_at
CREATE TRIGGER devices_status_history AFTER UPDATE OF online ON devices
    FOR EACH ROW WHEN (OLD.online IS DISTINCT FROM NEW.online) EXECUTE FUNCTION cces_device_status_changed();

-- what is known already: each device's current state, from when it was set
INSERT INTO device_status_changes (device_id, at, online)
SELECT device_id, status_at, online FROM devices WHERE status_at IS NOT NULL;
