-- The cache generation: part of every cache key. `hud cache flush` bumps it, which makes every
-- cached entry unreachable at once (sessions live in PostgreSQL and are not affected).
CREATE TABLE cache_state (
    singleton  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    generation BIGINT NOT NULL DEFAULT 0
);
INSERT INTO cache_state DEFAULT VALUES;
