-- depends: 0090_command_attempts
-- A dead letter keeps at most the first 64 KiB of its payload, with the whole payload's size and
-- SHA-256: enough to see what a device sent and to recognise it again, without letting anyone who
-- can publish grow the disk by megabytes per message (20 x 10 MB once made a 211 MB table).
-- Done by a trigger so that every writer of ingest_rejects (ingest, command replies) keeps the rule.
ALTER TABLE ingest_rejects ADD COLUMN payload_size integer;
ALTER TABLE ingest_rejects ADD COLUMN payload_sha256 text;

UPDATE ingest_rejects
   SET payload_size = length(payload),
       payload_sha256 = encode(sha256(payload), 'hex'),
       payload = substring(payload FROM 1 FOR 65536);

ALTER TABLE ingest_rejects ALTER COLUMN payload_size SET NOT NULL;
ALTER TABLE ingest_rejects ALTER COLUMN payload_sha256 SET NOT NULL;

CREATE FUNCTION cces_cap_reject_payload() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload_size := length(NEW.payload);
    NEW.payload_sha256 := encode(sha256(NEW.payload), 'hex');
    NEW.payload := substring(NEW.payload FROM 1 FOR 65536);
    RETURN NEW;
END
$$;

CREATE TRIGGER ingest_rejects_cap_payload BEFORE INSERT ON ingest_rejects
    FOR EACH ROW EXECUTE FUNCTION cces_cap_reject_payload();
