-- depends: 0211_job_log
-- One run per period of a periodic job, also when procrastinate defers a period twice.
--
-- procrastinate keeps, per periodic task, only the newest deferred instant (procrastinate_periodic_defers:
-- each defer deletes the older rows), so a hub process that lags behind (a loaded machine) can defer
-- an instant that another process deferred and that was since superseded: the queue then holds two
-- jobs for one period (seen in CI). The first job to start claims the period here; the other finds it
-- claimed and does nothing. A retry of the claiming job (same job id) goes on.

CREATE TABLE job_periods (
    task       text NOT NULL,
    queue      text NOT NULL,
    period_at  timestamptz NOT NULL,
    job_id     bigint NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task, queue, period_at)
);
