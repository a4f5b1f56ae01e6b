-- Word clouds: registered pages, their crawls and word counts, admin ignore lists, and the
-- PostgreSQL job queue the crawler runs on. Sizing notes are in src/apps/wordcloud/model.rs.

CREATE TABLE pages (
    id            BIGSERIAL PRIMARY KEY,
    -- Normalised (scheme and host lower-case, default port and fragment removed).
    url           TEXT NOT NULL UNIQUE CHECK (length(url) <= 2048),
    title         TEXT CHECK (length(title) <= 200),
    added_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Filled by crawls.
    page_title    TEXT,
    language      TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_crawl_at TIMESTAMPTZ,
    last_outcome  TEXT
);
CREATE INDEX pages_due ON pages (last_crawl_at NULLS FIRST) WHERE active;

-- One row per fetch attempt that ended (successfully or not). Word counts of a successful crawl
-- are two parallel arrays sorted by word: one row per crawl instead of one per word keeps
-- 10,000 pages × 4 crawls a day × 90 days at ~3.6 M rows instead of ~1 G.
CREATE TABLE crawls (
    id          BIGSERIAL PRIMARY KEY,
    page_id     BIGINT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    -- The job that made it: a retried job finds its crawl already stored and stores nothing.
    job_id      BIGINT UNIQUE,
    crawled_at  TIMESTAMPTZ NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN
                  ('ok', 'not_modified', 'http_error', 'timeout', 'too_large', 'not_html', 'blocked', 'unreachable')),
    http_status INTEGER,
    detail      TEXT,
    language    TEXT,
    words       TEXT[],
    counts      INTEGER[],
    total       INTEGER,
    UNIQUE (page_id, crawled_at),
    CHECK (cardinality(words) = cardinality(counts))
);
-- Counts at a time / in a range for one page; the search index reads by time.
CREATE INDEX crawls_page_time ON crawls (page_id, crawled_at DESC) WHERE outcome = 'ok';
CREATE INDEX crawls_time ON crawls (crawled_at) WHERE outcome = 'ok';

CREATE TABLE ignore_lists (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    words      TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE page_ignore_lists (
    page_id        BIGINT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    ignore_list_id BIGINT NOT NULL REFERENCES ignore_lists (id) ON DELETE CASCADE,
    PRIMARY KEY (page_id, ignore_list_id)
);
CREATE INDEX page_ignore_lists_list ON page_ignore_lists (ignore_list_id);

-- The job queue. Workers claim with FOR UPDATE SKIP LOCKED; at most one queued or running job
-- per (kind, key), so several schedulers never enqueue the same crawl twice and two workers
-- never crawl the same page at once.
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    payload      JSONB NOT NULL DEFAULT '{}',
    state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_by    TEXT,
    locked_at    TIMESTAMPTZ,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX jobs_one_pending ON jobs (kind, key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_failed ON jobs (finished_at DESC) WHERE state = 'failed';
