-- The jobs table: one row per job, kept small (no history), updated in short transactions.
-- Times are UTC ticks from the store's TimeProvider. States: 0 pending, 1 claimed, 2 succeeded,
-- 3 failed, 4 cancelled.
CREATE TABLE pacer_jobs (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload         text     NOT NULL,
    lane            text     NOT NULL,
    priority        integer  NOT NULL,
    cost            bigint   NOT NULL,
    batch_id        text     NULL,
    idempotency_key text     NULL UNIQUE,
    state           integer  NOT NULL,
    attempts        integer  NOT NULL DEFAULT 0,
    lease_owner     text     NULL,
    lease_expires   bigint   NULL,
    result          text     NULL,
    error           text     NULL,
    created_at      bigint   NOT NULL,
    completed_at    bigint   NULL
) WITH (fillfactor = 70);

-- What a claim looks through: the jobs not final, highest priority first, then oldest.
CREATE INDEX pacer_jobs_claimable ON pacer_jobs (priority DESC, seq) WHERE state IN (0, 1);
CREATE INDEX pacer_jobs_batch ON pacer_jobs (batch_id, seq) WHERE batch_id IS NOT NULL;
