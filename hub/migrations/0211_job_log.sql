-- depends: 0210_job_queue
-- What the job queue does not keep itself (issue 13, item 7): procrastinate stores a job's state but not
-- why it failed, nor the periodic schedules (they live in each worker's code). The admin page and
-- GET /api/v1/jobs read them from here (hub.jobs).
--
-- job_runs: one row per attempt of a job (its log): which worker ran it, when, for which period (the
-- periodic timestamp, NULL for a job deferred on demand), and how it ended — the error's first line and
-- its traceback when it failed. No foreign key to procrastinate_jobs: that table is procrastinate's, and
-- the log outlives the job row until the cleanup job removes both after CCES_JOBS_KEEP_DAYS.
-- job_schedules: every periodic job some worker runs (upserted by each worker at start), with its cron
-- expression and queue, so any hub process can show the next run of each, also of jobs it does not run.

CREATE TABLE job_runs (
    id          bigserial PRIMARY KEY,
    job_id      bigint NOT NULL,
    task        text NOT NULL,
    queue       text NOT NULL,
    attempt     integer NOT NULL CHECK (attempt >= 1),
    period_at   timestamptz,
    worker      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed')),
    error       text,
    traceback   text
);
CREATE INDEX job_runs_job ON job_runs (job_id, id);
CREATE INDEX job_runs_task_started ON job_runs (task, started_at DESC);
CREATE INDEX job_runs_started ON job_runs (started_at);

CREATE TABLE job_schedules (
    task        text NOT NULL,
    periodic_id text NOT NULL DEFAULT '',
    cron        text NOT NULL,
    queue       text NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    seen_by     text NOT NULL,
    PRIMARY KEY (task, periodic_id)
);
