-- Foundation: user accounts with preferences, API tokens and shared rate-limit counters.

CREATE TABLE users (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored exactly as typed; uniqueness ignores case so "Ann" and "ann" are one account.
    username           TEXT NOT NULL CHECK (char_length(username) BETWEEN 1 AND 64),
    email              TEXT NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    password_hash      TEXT NOT NULL,
    is_admin           BOOLEAN NOT NULL DEFAULT FALSE,
    preferred_language TEXT CHECK (preferred_language IN ('en', 'nl', 'sv', 'nb', 'fr')),
    timezone           TEXT CHECK (char_length(timezone) <= 64),
    -- 128×128 PNG, re-encoded by HUD from the upload; never the uploaded bytes.
    avatar_png         BYTEA,
    avatar_version     INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- Bearer tokens for the JSON API. Only a BLAKE3 hash is stored; the token is shown once.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Fixed-window counters shared by every HUD process (login, signup, … limits).
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
