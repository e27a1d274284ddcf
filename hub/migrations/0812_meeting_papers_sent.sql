-- depends: 0809_meeting_speaker_timer
-- Papers sent before a meeting (issue 17 item 2; DOMAIN.md §5, Decision 45/2018/QĐ-TTg): the job
-- `meetings.send_papers` tells each participant with an account, [meetings] papers_days_before working days before
-- the meeting, which of its papers they may read; each paper once to each participant (a paper added later goes out
-- in a later run).

CREATE TABLE meeting_papers_sent (
    paper_id       bigint NOT NULL REFERENCES meeting_papers (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    sent_at        timestamptz NOT NULL,
    PRIMARY KEY (paper_id, participant_id)
);
CREATE INDEX meeting_papers_sent_participant ON meeting_papers_sent (participant_id);

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('meetings.papers', 'Tài liệu họp gửi trước', 'Meeting papers in advance', true)
ON CONFLICT (code) DO NOTHING;
