//! Per-issue variants of a captcha image: every issue is served as a different picture.
//!
//! A pool image is shown a few times (`HUD_CAPTCHA_MAX_ISSUES`) before it is retired. Serving
//! it as the same bytes each time would let an attacker solve it once and recognise it by its
//! hash afterwards; so each issue gets its own rendering of the stored picture, drawn from a
//! secret per-token seed: shifted by a few pixels and gently warped (so even a perceptual hash
//! moves), its colour channels re-levelled a little (a new shade of every colour, but blue stays
//! blue: challenges ask for the characters drawn in blue), with fresh per-pixel noise and
//! speckles, then encoded anew. The characters stay where a reader expects them and
//! as readable as in the original. The seed never leaves the server, so a client cannot undo
//! the variation to recover the stored image.
//!
//! It works on any stored image, generated or uploaded (both are HUD's own PNG encoding).
//! `cargo bench --bench captcha` measures it (bench/RESULTS.md).

use image::{Rgb, RgbImage};
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::generate::{Waves, bend};

/// Largest shift in pixels in each direction.
const MAX_SHIFT: f32 = 3.0;
/// Per-channel noise amplitude (of 255).
const NOISE: i16 = 7;

/// The variant of `image` for `seed`: the same seed gives the same picture (a reloaded image
/// stays the same), different seeds give different pictures.
pub fn vary(image: &RgbImage, seed: u64) -> RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    let shift = (
        rng.random_range(-MAX_SHIFT..=MAX_SHIFT),
        rng.random_range(-MAX_SHIFT..=MAX_SHIFT),
    );
    // Gentler than the waves a picture is drawn with: enough to move every edge a little.
    let waves = Waves {
        amplitude_x: 0.6..1.6,
        period_x: 0.9..1.6,
        amplitude_y: 0.6..1.6,
        period_y: 0.3..0.7,
    };
    let mut out = bend(image, shift, &waves, &mut rng);
    // New shades: each channel re-levelled a little. Dark stays dark and light stays light, so
    // the contrast people read by survives, and no colour turns into another (the channels are
    // not swapped: that made blue characters red).
    let gain: [f32; 3] = std::array::from_fn(|_| rng.random_range(0.9..1.08));
    let lift: [f32; 3] = std::array::from_fn(|_| rng.random_range(-10.0..10.0));
    for pixel in out.pixels_mut() {
        for (c, value) in pixel.0.iter_mut().enumerate() {
            let level = f32::from(*value) * gain[c] + lift[c];
            let noise = f32::from(rng.random_range(-NOISE..=NOISE));
            *value = (level + noise).round().clamp(0.0, 255.0) as u8;
        }
    }
    // Fresh speckles, light and dark, where the stored image has none.
    let speckles = (image.width() * image.height()) / 150;
    for _ in 0..speckles {
        let (x, y) = (
            rng.random_range(0..image.width()),
            rng.random_range(0..image.height()),
        );
        let shade: u8 = if rng.random_bool(0.5) {
            rng.random_range(20..90)
        } else {
            rng.random_range(200..250)
        };
        let tint: [u8; 3] = std::array::from_fn(|_| shade.saturating_add(rng.random_range(0..6)));
        out.put_pixel(x, y, Rgb(tint));
    }
    out
}

/// The variant of a stored PNG for `seed`, encoded as PNG. None when the bytes are not a PNG
/// (stored images always are: HUD encodes every image it keeps).
pub fn vary_png(png: &[u8], seed: u64) -> Option<Vec<u8>> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .ok()?
        .to_rgb8();
    Some(super::generate::png(&vary(&image, seed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::captcha::generate::{self, Size};

    const SIZE: Size = Size {
        width: 240,
        height: 80,
    };

    #[test]
    fn each_seed_gives_other_bytes_and_one_seed_the_same() {
        let stored = generate::generate(SIZE, &mut StdRng::seed_from_u64(5)).png;
        let variants: Vec<Vec<u8>> = (0..20).map(|s| vary_png(&stored, s).unwrap()).collect();
        for (i, a) in variants.iter().enumerate() {
            assert_ne!(a, &stored);
            for b in &variants[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(vary_png(&stored, 3).unwrap(), variants[3]);
        let decoded = image::load_from_memory(&variants[0]).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (240, 80));
    }

    #[test]
    fn most_pixels_change_but_the_picture_stays_close() {
        let mut rng = StdRng::seed_from_u64(9);
        let layout = generate::random_layout(&mut rng);
        let stored = generate::render(&layout, SIZE, generate::Style::Captcha, &mut rng);
        let varied = vary(&stored, 77);
        let (mut changed, mut luma_diff) = (0u32, 0f64);
        let luma = |p: &Rgb<u8>| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) as f64 / 3.0;
        for (a, b) in stored.pixels().zip(varied.pixels()) {
            changed += u32::from(a != b);
            luma_diff += (luma(a) - luma(b)).abs();
        }
        let n = f64::from(SIZE.width * SIZE.height);
        assert!(
            f64::from(changed) / n > 0.9,
            "{changed} of {n} pixels changed"
        );
        // Brightness, which carries the characters, moves only a little on average.
        assert!(
            luma_diff / n < 40.0,
            "mean brightness change {}",
            luma_diff / n
        );
    }

    #[test]
    fn blue_stays_blue_and_warm_stays_warm() {
        let mut image = RgbImage::new(20, 20);
        for (x, _, pixel) in image.enumerate_pixels_mut() {
            *pixel = if x < 10 {
                Rgb([30, 60, 200])
            } else {
                Rgb([170, 50, 20])
            };
        }
        for seed in 0..50 {
            let varied = vary(&image, seed);
            // Away from the edges the warp and shift may pull in.
            let (b, w) = (varied.get_pixel(4, 10), varied.get_pixel(15, 10));
            assert!(b[2] > b[0] + 80 && b[2] > b[1] + 80, "seed {seed}: {b:?}");
            assert!(w[0] > w[2] + 80 && w[0] > w[1] + 60, "seed {seed}: {w:?}");
        }
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(vary_png(b"not a png", 1).is_none());
        assert!(vary_png(&[], 1).is_none());
    }
}
