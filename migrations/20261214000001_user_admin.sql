-- Admin user management (issue 19): accounts an administrator can disable, and the audit log
-- of every administrative action.

-- A disabled account cannot log in, and its sessions and API tokens stop working at once
-- (they are ended when it is disabled; the user lookups skip disabled rows besides).
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;

-- Who did what, when, from where. The actor's name is copied, so the record outlives the
-- account (the id is cleared when the account goes).
CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor    TEXT NOT NULL CHECK (char_length(actor) <= 64),
    action   TEXT NOT NULL CHECK (char_length(action) <= 200),
    target   TEXT NOT NULL DEFAULT '' CHECK (char_length(target) <= 500),
    -- The HTTP status the action was answered with: refused attempts are recorded too.
    status   SMALLINT NOT NULL,
    ip       INET
);
CREATE INDEX audit_log_newest ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id) WHERE actor_id IS NOT NULL;
