-- depends: 0800_meeting_rooms 0230_notifications 0002_devices_and_ingest
-- Meetings (issue 17 items 2-3, hub.meetings): a meeting in a booked room (or online only), its participants
-- (staff and guests; one chair, one secretary), its agenda, and papers per item kept in the content store
-- (hub.files), a restricted paper readable only by the participants listed for it (and the chair and secretary).
--
-- Check-in at the room's door: the door agent sends `attendance.face` (and a room device may send
-- `meeting.checkin`); ingest's insert of that row runs `cces_meeting_checkin` in the same transaction, which marks
-- the participant present when the device is the room's door (or display) device and a meeting runs in that room
-- at the event's time (from 30 minutes before its start to its end) — not outside a meeting. The first arrival
-- also checks the booking in (so the release job keeps the room). pg_notify tells the hub (after COMMIT).

CREATE TABLE meetings (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id         bigint UNIQUE REFERENCES meeting_bookings (id),
    unit_id            bigint NOT NULL REFERENCES org_units (id),  -- the organising unit
    title              text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'closed', 'cancelled')),
    video_url          text CHECK (video_url IS NULL OR (video_url ~ '^https://' AND length(video_url) <= 500)),
    late_after_minutes integer NOT NULL DEFAULT 5 CHECK (late_after_minutes BETWEEN 0 AND 240),
    created_by         text NOT NULL,
    created_by_user    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    current_item_id    bigint,  -- the agenda item the chair has on (a foreign key once meeting_items exists)
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_time ON meetings (starts_at);

CREATE TABLE meeting_participants (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    employee_id    bigint REFERENCES employees (id),
    guest_name     text CHECK (guest_name IS NULL OR (btrim(guest_name) <> '' AND length(guest_name) <= 200)),
    guest_org      text CHECK (guest_org IS NULL OR length(guest_org) <= 200),
    part           text NOT NULL DEFAULT 'member' CHECK (part IN ('chair', 'secretary', 'member', 'guest')),
    voting         boolean NOT NULL DEFAULT true,
    present_at     timestamptz,
    checkin_method text CHECK (checkin_method IN ('face', 'qr', 'secretary', 'device')),
    checked_in_by  text,
    late           boolean NOT NULL DEFAULT false,
    CHECK ((employee_id IS NULL) <> (guest_name IS NULL)),
    CHECK ((present_at IS NULL) = (checkin_method IS NULL)),
    UNIQUE (meeting_id, employee_id)
);
CREATE UNIQUE INDEX meeting_one_chair ON meeting_participants (meeting_id) WHERE part = 'chair';
CREATE UNIQUE INDEX meeting_one_secretary ON meeting_participants (meeting_id) WHERE part = 'secretary';
CREATE INDEX meeting_participants_employee ON meeting_participants (employee_id);

CREATE TABLE meeting_items (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id       bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position         integer NOT NULL CHECK (position BETWEEN 1 AND 1000),
    title            text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    presenter_id     bigint REFERENCES meeting_participants (id) ON DELETE SET NULL,
    duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 600),
    minutes          text CHECK (minutes IS NULL OR length(minutes) <= 20000),  -- the secretary's notes
    UNIQUE (meeting_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
ALTER TABLE meetings ADD CONSTRAINT meetings_current_item FOREIGN KEY (current_item_id)
    REFERENCES meeting_items (id) ON DELETE SET NULL;

CREATE TABLE meeting_papers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id     bigint REFERENCES meeting_items (id) ON DELETE CASCADE,
    title       text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
    filename    text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 255),
    media_type  text NOT NULL CHECK (length(media_type) <= 100),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    restricted  boolean NOT NULL DEFAULT false,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_papers_meeting ON meeting_papers (meeting_id);

-- who may read a restricted paper (besides the chair and the secretary)
CREATE TABLE meeting_paper_readers (
    paper_id       bigint NOT NULL REFERENCES meeting_papers (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    PRIMARY KEY (paper_id, participant_id)
);

-- Mark a participant present from a device's event, in ingest's transaction. `meeting` NULL: whichever meeting
-- runs in the device's room at `at`. Returns the participant's id, NULL when nothing was marked.
CREATE FUNCTION cces_meeting_checkin(meeting bigint, device text, person text, at timestamptz, method text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    m record;
    p_id bigint;
BEGIN
    SELECT mt.id, mt.starts_at, mt.late_after_minutes, b.id AS booking_id, r.room_id INTO m
      FROM meetings mt
      JOIN meeting_bookings b ON b.id = mt.booking_id
      JOIN meeting_rooms r ON r.id = b.room_key
     WHERE (r.door_device_id = device OR r.display_device_id = device)
       AND (meeting IS NULL OR mt.id = meeting)
       AND mt.status IN ('planned', 'in_progress') AND b.status = 'confirmed'
       AND at >= mt.starts_at - interval '30 minutes' AND at < mt.ends_at
     ORDER BY mt.starts_at LIMIT 1;
    IF m.id IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE meeting_participants p
       SET present_at = at, checkin_method = method, checked_in_by = 'device:' || device,
           late = at > m.starts_at + make_interval(mins => m.late_after_minutes)
      FROM employees e
     WHERE p.meeting_id = m.id AND p.employee_id = e.id AND e.person_id = person AND p.present_at IS NULL
    RETURNING p.id INTO p_id;
    IF p_id IS NOT NULL THEN
        UPDATE meeting_bookings SET checked_in_at = at, checked_in_by = 'device:' || device
         WHERE id = m.booking_id AND checked_in_at IS NULL;
        PERFORM pg_notify('cces_meeting_room', m.room_id);
        PERFORM pg_notify('cces_meeting_checkin', json_build_object('meeting_id', m.id, 'participant_id', p_id)::text);
    END IF;
    RETURN p_id;
END $$;

CREATE FUNCTION cces_meeting_face() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM meeting_rooms WHERE door_device_id = NEW.device_id) THEN
        PERFORM cces_meeting_checkin(NULL, NEW.device_id, NEW.person_id, NEW.ts, 'face');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER attendance_events_meeting AFTER INSERT ON attendance_events
    FOR EACH ROW EXECUTE FUNCTION cces_meeting_face();

CREATE FUNCTION cces_meeting_device_checkin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.type = 'meeting.checkin' AND (NEW.data ->> 'meeting_id') ~ '^[0-9]{1,18}$' THEN
        PERFORM cces_meeting_checkin((NEW.data ->> 'meeting_id')::bigint, NEW.device_id, NEW.data ->> 'person_id',
                                     NEW.ts, CASE WHEN NEW.data ->> 'method' = 'face' THEN 'face' ELSE 'device' END);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER device_events_meeting AFTER INSERT ON device_events
    FOR EACH ROW EXECUTE FUNCTION cces_meeting_device_checkin();

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('meetings.booking_released', 'Phòng họp được trả do không điểm danh', 'Room released: nobody checked in', true),
    ('meetings.invitation', 'Mời họp', 'Meeting invitation', true)
ON CONFLICT (code) DO NOTHING;
