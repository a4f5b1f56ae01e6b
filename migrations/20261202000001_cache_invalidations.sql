-- The cache invalidation log. A write records the cache keys it changed here, inside its own
-- transaction, under the next number of one gapless sequence (`cache_state.seq`). The number is
-- taken last, just before COMMIT, and the row lock on `cache_state` is held until the commit, so
-- numbers become visible in commit order and without holes. Every HUD process applies the log in
-- order (NOTIFY brings each entry; a hole or a reconnect makes it read the missing entries
-- here), so no committed write can leave a cache unaware of it. Rows are pruned after a while.
ALTER TABLE cache_state ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE cache_invalidations (
    seq        BIGINT PRIMARY KEY,
    -- Logical keys (`page:id=10`), without any version prefix: every process, whatever its
    -- cache version, applies them to its own keys. Empty: the generation changed.
    keys       TEXT[] NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cache_invalidations_created_at ON cache_invalidations (created_at);
