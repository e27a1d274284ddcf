-- depends: 0806_meeting_reminders
-- Opinions on a draft (góp ý, issue 17 item 3; hub.meetings.opinions): a participant writes an opinion on an agenda
-- item, optionally naming one of the item's papers they may read; edits or withdraws their own while the meeting
-- has not ended. The chair and the secretary read all of a meeting's opinions (and the minutes draft lists them per
-- item); a participant reads their own. A withdrawn opinion is kept (withdrawn_at) but shown nowhere.

CREATE TABLE meeting_opinions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id        bigint NOT NULL REFERENCES meeting_items (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    paper_id       bigint REFERENCES meeting_papers (id) ON DELETE SET NULL,
    body           text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 4000),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    withdrawn_at   timestamptz
);
CREATE INDEX meeting_opinions_meeting ON meeting_opinions (meeting_id, item_id, id) WHERE withdrawn_at IS NULL;
CREATE INDEX meeting_opinions_participant ON meeting_opinions (participant_id);
