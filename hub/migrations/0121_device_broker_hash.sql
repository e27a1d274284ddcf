-- depends: 0120_reject_payload_cap
-- The embedded broker is Mosquitto when its binary is installed (issue 12, item 2). Mosquitto checks
-- passwords against its own password file, which cannot verify our argon2 hashes, so a device's
-- broker password is also kept as Mosquitto's PBKDF2-SHA512 hash ("$7$…"), made when the password is
-- issued. Devices registered before this migration have none: Mosquitto refuses them until their
-- credentials are issued again (`cces provision device ID --rotate`); amqtt still accepts them.
ALTER TABLE device_credentials ADD COLUMN broker_hash text;

-- The embedded Mosquitto's password and ACL files follow the registry at once: a change of
-- credentials (issued, rotated, revoked) or of a device's room is announced on this channel.
CREATE FUNCTION cces_notify_broker_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cces_broker_accounts', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER device_credentials_notify_broker AFTER INSERT OR UPDATE OR DELETE ON device_credentials
    FOR EACH STATEMENT EXECUTE FUNCTION cces_notify_broker_accounts();
CREATE TRIGGER devices_room_notify_broker AFTER UPDATE OF room ON devices
    FOR EACH STATEMENT EXECUTE FUNCTION cces_notify_broker_accounts();
