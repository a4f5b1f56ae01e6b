-- How far a running job is (a long one, like training a model, reports it as it goes) and what a
-- finished one produced (e.g. the id of the model it stored), for the pages that follow a job.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS progress_done  INTEGER CHECK (progress_done >= 0),
    ADD COLUMN IF NOT EXISTS progress_total INTEGER CHECK (progress_total >= 0),
    ADD COLUMN IF NOT EXISTS result         JSONB;
