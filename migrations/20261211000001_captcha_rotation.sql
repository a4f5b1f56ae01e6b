-- Captcha images wear out: each is shown at most HUD_CAPTCHA_MAX_ISSUES times, then retired and
-- replaced, so a table of solved images (by hash or by look) is worth almost nothing.
-- `issues` counts how often an image was handed out; `worn_out_at` marks an image retired for
-- that reason (not by an admin), which upkeep deletes once no token can still show it.
ALTER TABLE captcha_images ADD COLUMN issues INTEGER NOT NULL DEFAULT 0 CHECK (issues >= 0);
ALTER TABLE captcha_images ADD COLUMN worn_out_at TIMESTAMPTZ;
CREATE INDEX captcha_images_worn_out ON captcha_images (worn_out_at) WHERE worn_out_at IS NOT NULL;

-- Every issue is served as different bytes: the picture is re-rendered from the stored image
-- with noise, offsets and colours drawn from this secret seed (never shown to the client, so the
-- variation cannot be undone).
ALTER TABLE captcha_tokens ADD COLUMN seed BIGINT NOT NULL DEFAULT 0;
