-- depends: 0803_meeting_speakers
-- Tasks assigned in a meeting's conclusion (issue 17 item 6): an owner (an employee), a deadline, done or not;
-- open / overdue / done is derived as for document assignments (finished_at, deadline).

CREATE TABLE meeting_tasks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id     bigint REFERENCES meeting_items (id) ON DELETE SET NULL,
    title       text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    owner_id    bigint NOT NULL REFERENCES employees (id),
    deadline    date NOT NULL,
    assigned_by text NOT NULL,
    assigned_at timestamptz NOT NULL,
    finished_at timestamptz,
    result_note text CHECK (result_note IS NULL OR length(result_note) <= 2000)
);
CREATE INDEX meeting_tasks_owner_open ON meeting_tasks (owner_id, deadline) WHERE finished_at IS NULL;
