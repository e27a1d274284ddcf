-- depends: 0801_meetings
-- Votes in a meeting (issue 17 item 4, hub.meetings.voting). One vote per participant: `meeting_vote_voters`'
-- primary key, for open and secret votes alike. An open vote's ballots name the voter; a secret vote's ballots
-- (`meeting_secret_ballots`) have no voter, no time and a random key, so nothing stored links a ballot to who cast
-- it (the voters table says only who has voted). Results are given once the vote is closed.

CREATE TABLE meeting_votes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id    bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id       bigint REFERENCES meeting_items (id) ON DELETE SET NULL,
    question      text NOT NULL CHECK (btrim(question) <> '' AND length(question) <= 500),
    secret        boolean NOT NULL DEFAULT false,
    choices       text[] NOT NULL DEFAULT '{for,against,abstain}' CHECK (cardinality(choices) BETWEEN 2 AND 20),
    quorum_pct    integer NOT NULL DEFAULT 50 CHECK (quorum_pct BETWEEN 0 AND 100),  -- voters / eligible > this %
    eligible      integer NOT NULL CHECK (eligible >= 0),  -- voting participants when it opened
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by     text NOT NULL,
    opened_at     timestamptz NOT NULL,
    closed_at     timestamptz
);
CREATE UNIQUE INDEX meeting_one_open_vote ON meeting_votes (meeting_id) WHERE status = 'open';

CREATE TABLE meeting_vote_voters (
    vote_id        bigint NOT NULL REFERENCES meeting_votes (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    PRIMARY KEY (vote_id, participant_id)
);

CREATE TABLE meeting_open_ballots (
    vote_id        bigint NOT NULL REFERENCES meeting_votes (id) ON DELETE CASCADE,
    participant_id bigint NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    choice         text NOT NULL,
    PRIMARY KEY (vote_id, participant_id)
);

CREATE TABLE meeting_secret_ballots (
    id      uuid PRIMARY KEY,  -- random (gen in the hub), never ordered by time
    vote_id bigint NOT NULL REFERENCES meeting_votes (id) ON DELETE CASCADE,
    choice  text NOT NULL
);
CREATE INDEX meeting_secret_ballots_vote ON meeting_secret_ballots (vote_id);
