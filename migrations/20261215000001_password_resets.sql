-- Password reset by e-mail (issue 19). Only a hash of each link's token is kept: a copy of the
-- database does not let anyone reset a password. A link works once, until it expires, and
-- only the newest one of an account works (asking again replaces it).
CREATE TABLE password_resets (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX password_resets_expiry ON password_resets (expires_at);
