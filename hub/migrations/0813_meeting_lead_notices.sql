-- depends: 0812_meeting_papers_sent
-- A meeting's chair or secretary replaced before it ends (issue 17 item 2): the new one (and the one replaced) is
-- told in the notification inbox under a category of its own.

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('meetings.role', 'Thay chủ trì, thư ký cuộc họp', 'Meeting chair or secretary replaced', true)
ON CONFLICT (code) DO NOTHING;
