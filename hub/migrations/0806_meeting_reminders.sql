-- depends: 0805_meeting_notes
-- Reminders before a meeting (issue 17 item 2): the job `meetings.remind_upcoming` tells each participant with an
-- account, through the notification inbox (and e-mail by default), that a planned meeting starts soon; once per
-- meeting (`reminded_at`).

ALTER TABLE meetings ADD COLUMN reminded_at timestamptz;

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('meetings.reminder', 'Nhắc lịch họp', 'Meeting reminder', true)
ON CONFLICT (code) DO NOTHING;
