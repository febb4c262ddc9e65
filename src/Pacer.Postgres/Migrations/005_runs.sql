-- pacer serve's runs: one row per run, whose jobs are the pacer_jobs of its batch (batch_id = id).
-- Job N of a run is the job with seq = first_seq + N; first_seq is -1 while its jobs are being
-- added. Times are UTC ticks. Every server and worker on the database shares this table.
CREATE TABLE pacer_runs (
    id              text     PRIMARY KEY,
    name            text     NULL,
    priority        integer  NOT NULL,
    max_concurrency integer  NULL,
    jobs            bigint   NOT NULL,
    first_seq       bigint   NOT NULL,
    created_at      bigint   NOT NULL,
    started_at      bigint   NULL,
    finished_at     bigint   NULL,
    cancelled       boolean  NOT NULL DEFAULT false,
    mode            text     NOT NULL,
    idempotency_key text     NULL UNIQUE
);

CREATE INDEX pacer_runs_newest ON pacer_runs (created_at DESC, id);
CREATE INDEX pacer_runs_finished ON pacer_runs (finished_at) WHERE finished_at IS NOT NULL;
