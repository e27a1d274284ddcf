-- depends: 0802_meeting_votes
-- The speakers' queue (issue 17 item 5): participants ask for the floor; the chair gives it (to anyone waiting,
-- in any order) and ends it; one speaker has the floor at a time. The room's display shows who speaks.

CREATE TABLE meeting_speakers (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    item_id        bigint REFERENCES meeting_items (id) ON DELETE SET NULL,
    asked_at       timestamptz NOT NULL,
    speaking_at    timestamptz,
    done_at        timestamptz
);
CREATE UNIQUE INDEX meeting_one_speaker ON meeting_speakers (meeting_id) WHERE speaking_at IS NOT NULL AND done_at IS NULL;
CREATE UNIQUE INDEX meeting_one_request ON meeting_speakers (meeting_id, participant_id) WHERE done_at IS NULL;
