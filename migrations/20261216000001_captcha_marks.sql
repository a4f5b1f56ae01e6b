-- Challenges a text reader cannot answer alone. A generated image records what it shows about
-- each character besides its shape (`marks`: one bit set per character, 1 = on the lower line,
-- 2 = drawn in blue, 4 = inside the circle; NULL for uploaded images and for images generated
-- before marks existed), and a challenge may ask about one part of the picture only (`scope`).
ALTER TABLE captcha_images ADD COLUMN marks SMALLINT[]
    CHECK (marks IS NULL OR cardinality(marks) = char_length(text));

ALTER TABLE captcha_challenges ADD COLUMN scope TEXT NOT NULL DEFAULT 'all'
    CHECK (scope IN ('all', 'blue', 'circled', 'upper-line', 'lower-line'));

INSERT INTO captcha_challenges (builtin, scope, chars, take, take_count, reverse) VALUES
    ('captcha-prompt-blue', 'blue', 'all', 'all', 0, FALSE),
    ('captcha-prompt-circled', 'circled', 'all', 'all', 0, FALSE),
    ('captcha-prompt-upper-line', 'upper-line', 'all', 'all', 0, FALSE),
    ('captcha-prompt-lower-line', 'lower-line', 'all', 'all', 0, FALSE),
    ('captcha-prompt-blue-letters-reversed', 'blue', 'letters', 'all', 0, TRUE)
ON CONFLICT (builtin) DO NOTHING;
