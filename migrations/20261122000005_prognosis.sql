-- Prognosis: algorithms, trained or uploaded models (their files live under HUD_DATA_DIR/models),
-- samples of the 30 WDBC features, and the prognoses users asked for.

-- The algorithms HUD can train. Names and built-in descriptions come from the translation files;
-- admins may add their own description per language (`descriptions`, language code → text).
CREATE TABLE ml_algorithms (
    slug         TEXT PRIMARY KEY,
    descriptions JSONB NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO ml_algorithms (slug) VALUES
    ('gradient-boosting'), ('random-forest'), ('svc'), ('knn'), ('logistic-regression');

CREATE TABLE ml_models (
    id            BIGSERIAL PRIMARY KEY,
    algorithm     TEXT NOT NULL REFERENCES ml_algorithms (slug),
    name          TEXT NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
    params        JSONB NOT NULL DEFAULT '{}',
    -- Cross-validation metrics (`trained`), or metrics on the stored labelled samples
    -- (`uploaded`; see `metrics_source`).
    metrics       JSONB,
    metrics_source TEXT NOT NULL CHECK (metrics_source IN ('cross-validation', 'samples', 'none')),
    -- Relative to HUD_DATA_DIR; the file is never changed once written (identical models, e.g.
    -- trained twice with one seed, share it).
    file_path     TEXT NOT NULL,
    -- BLAKE3 of the whole file, hex; checked on every load.
    checksum      TEXT NOT NULL CHECK (char_length(checksum) = 64),
    file_bytes    INTEGER NOT NULL CHECK (file_bytes > 0),
    train_seconds DOUBLE PRECISION,
    source        TEXT NOT NULL CHECK (source IN ('trained', 'uploaded')),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE ml_samples (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
    features   DOUBLE PRECISION[] NOT NULL CHECK (cardinality(features) = 30),
    -- The known diagnosis, when there is one.
    diagnosis  TEXT CHECK (diagnosis IN ('malignant', 'benign')),
    -- `wdbc` (imported), `form` or `csv` (added by an admin).
    source     TEXT NOT NULL CHECK (source IN ('wdbc', 'form', 'csv')),
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE ml_prognoses (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model_id    BIGINT NOT NULL REFERENCES ml_models (id) ON DELETE CASCADE,
    sample_id   BIGINT REFERENCES ml_samples (id) ON DELETE SET NULL,
    features    DOUBLE PRECISION[] NOT NULL CHECK (cardinality(features) = 30),
    diagnosis   TEXT NOT NULL CHECK (diagnosis IN ('malignant', 'benign')),
    probability DOUBLE PRECISION NOT NULL CHECK (probability BETWEEN 0 AND 1),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ml_prognoses_user ON ml_prognoses (user_id, created_at DESC);
