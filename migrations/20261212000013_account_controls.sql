-- Account controls (issue 17, finding 13): named, scoped API tokens, and sessions that know
-- their user, so "log out everywhere" can find them.

-- `read` tokens may only read (GET/HEAD) and revoke themselves; `full` tokens may do anything
-- their user may. Tokens made before this migration keep full access.
ALTER TABLE api_tokens
    ADD COLUMN name  TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('read', 'full'));

-- tower-sessions' table, as its store creates it (it still runs its own `CREATE … IF NOT
-- EXISTS` after these migrations), created here so that it can carry the session's user.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
ALTER TABLE tower_sessions.session
    ADD COLUMN IF NOT EXISTS user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS sessions_by_user ON tower_sessions.session (user_id)
    WHERE user_id IS NOT NULL;

-- Logged-in sessions saved before now do not say whose they are, so "log out everywhere"
-- could not reach them: log their users out once. (A logged-in session's MessagePack data
-- holds the key "user_id", encoded as the fixstr 0xa7 'user_id'.)
DELETE FROM tower_sessions.session
WHERE position('\xa7757365725f6964'::bytea IN data) > 0;
