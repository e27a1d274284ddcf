-- depends: 0806_meeting_reminders
-- The minutes of a meeting (biên bản, issue 17 item 6): the secretary (or another organiser) turns the draft
-- (agenda, attendance, votes) into text per section; every save is a new version (who, when) and the old ones are
-- kept; the secretary submits them to the chair, who signs them off or returns them with a comment. Signed minutes
-- are frozen: the trigger below refuses a new version or a change of their text's state, whoever writes.

CREATE TABLE meeting_minutes (
    meeting_id     bigint PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    status         text NOT NULL DEFAULT 'editing' CHECK (status IN ('editing', 'submitted', 'signed')),
    version        integer NOT NULL DEFAULT 0 CHECK (version >= 0),  -- the current version (0: none saved yet)
    submitted_by   text,
    submitted_at   timestamptz,
    signed_by      text,
    signed_at      timestamptz,
    returned_by    text,
    returned_at    timestamptz,
    return_comment text CHECK (return_comment IS NULL OR length(return_comment) <= 1000),
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
);

CREATE TABLE meeting_minutes_versions (
    meeting_id bigint NOT NULL REFERENCES meeting_minutes (meeting_id) ON DELETE CASCADE,
    version    integer NOT NULL CHECK (version >= 1),
    sections   jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'object' AND length(sections::text) <= 200000),
    saved_by   text NOT NULL,
    saved_at   timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, version)
);

CREATE FUNCTION cces_meeting_minutes_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'meeting_minutes_versions' THEN
        IF EXISTS (SELECT 1 FROM meeting_minutes WHERE meeting_id = NEW.meeting_id AND status = 'signed') THEN
            RAISE EXCEPTION 'signed minutes of meeting % are frozen', NEW.meeting_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'signed' AND (NEW.status, NEW.version, NEW.signed_at) IS DISTINCT FROM
                                 (OLD.status, OLD.version, OLD.signed_at) THEN
        RAISE EXCEPTION 'signed minutes of meeting % are frozen', OLD.meeting_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER meeting_minutes_versions_frozen BEFORE INSERT ON meeting_minutes_versions
    FOR EACH ROW EXECUTE FUNCTION cces_meeting_minutes_frozen();
CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes
    FOR EACH ROW EXECUTE FUNCTION cces_meeting_minutes_frozen();

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('meetings.minutes', 'Biên bản cuộc họp trình ký, trả lại', 'Meeting minutes submitted or returned', true)
ON CONFLICT (code) DO NOTHING;
