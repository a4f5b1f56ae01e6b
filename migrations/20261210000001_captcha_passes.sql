-- A right captcha answer remembered until a form is accepted. The session holds the secret;
-- this table holds its hash. A form takes the pass with one DELETE … RETURNING, so of any number
-- of concurrent requests carrying the same session exactly one gets it (each request has its own
-- copy of the session, so the session alone cannot say "already used").
CREATE TABLE captcha_passes (
    pass_hash  BYTEA PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX captcha_passes_expiry ON captcha_passes (expires_at);
