-- depends: 0804_meeting_tasks
-- A participant's own private notes per agenda item (issue 17 item 3), written on the tablet page: read and
-- written only by that participant (hub.meetings.tablet), never listed to the chair, the organisers or the
-- administrators. A note goes with its item (an agenda replaced anew drops the old items' notes) and with its
-- participant (removed from the meeting).

CREATE TABLE meeting_notes (
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    item_id        bigint NOT NULL REFERENCES meeting_items (id) ON DELETE CASCADE,
    body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (participant_id, item_id)
);
