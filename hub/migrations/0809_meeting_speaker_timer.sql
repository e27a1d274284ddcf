-- depends: 0808_meeting_opinions
-- A timer per speaker (issue 17 item 3): when the chair gives the floor it has a limit in minutes (the chair's
-- choice, by default [meetings] speaker_minutes), counted from `speaking_at`; the chair may add minutes (up to 240
-- in all) or end the floor. The room's display and the tablets show the speaker and the time left.

ALTER TABLE meeting_speakers ADD COLUMN limit_minutes integer CHECK (limit_minutes BETWEEN 1 AND 240);
