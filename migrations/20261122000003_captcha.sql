-- Captchas: images (generated or uploaded), the challenges that can be asked about an image, and
-- the issued single-use tokens that bind one (image, challenge) pair to one visitor.

CREATE TABLE captcha_images (
    id         BIGSERIAL PRIMARY KEY,
    -- The characters drawn, exactly as drawn (case matters for case-sensitive challenges).
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 32),
    png        BYTEA NOT NULL,
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    uploaded   BOOLEAN NOT NULL DEFAULT FALSE,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX captcha_images_active ON captcha_images (id) WHERE active;

-- A challenge is an answer rule plus its prompt. Built-in challenges take their prompt from the
-- translation files (`builtin` names the message); custom ones carry a prompt per language.
CREATE TABLE captcha_challenges (
    id             BIGSERIAL PRIMARY KEY,
    builtin        TEXT UNIQUE,
    prompts        JSONB NOT NULL DEFAULT '{}',
    -- Which characters of the image text count: all, letters, digits, uppercase, lowercase.
    chars          TEXT NOT NULL CHECK (chars IN ('all', 'letters', 'digits', 'uppercase', 'lowercase')),
    -- Which of them: all, the first N or the last N.
    take           TEXT NOT NULL CHECK (take IN ('all', 'first', 'last')),
    take_count     INTEGER NOT NULL DEFAULT 0 CHECK (take_count BETWEEN 0 AND 32),
    reverse        BOOLEAN NOT NULL DEFAULT FALSE,
    case_sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((take = 'all') = (take_count = 0)),
    CHECK (builtin IS NOT NULL OR prompts ?& ARRAY['en', 'nl', 'sv', 'nb', 'fr'])
);

INSERT INTO captcha_challenges (builtin, chars, take, take_count, reverse) VALUES
    ('captcha-prompt-text', 'all', 'all', 0, FALSE),
    ('captcha-prompt-digits', 'digits', 'all', 0, FALSE),
    ('captcha-prompt-letters', 'letters', 'all', 0, FALSE),
    ('captcha-prompt-last-four-reversed', 'letters', 'last', 4, TRUE);

-- Issued tokens. Only a hash of the token is stored; a token is deleted when it is checked, so it
-- can be used once. `owner` binds it to one browser session (or marks it as an API token).
CREATE TABLE captcha_tokens (
    token_hash   BYTEA PRIMARY KEY,
    owner        TEXT NOT NULL,
    image_id     BIGINT NOT NULL REFERENCES captcha_images (id) ON DELETE CASCADE,
    challenge_id BIGINT NOT NULL REFERENCES captcha_challenges (id) ON DELETE CASCADE,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX captcha_tokens_expiry ON captcha_tokens (expires_at);
