//! Captcha image generation: random text drawn so that people read it and OCR does not.
//!
//! Each character gets its own font, size, colour, rotation and vertical offset, and characters
//! overlap a little (which defeats splitting the text into characters). The whole picture is
//! then warped by two sine waves, crossed by thin curves in the text's colours (which join the
//! characters into one shape for a machine, while people see through them), sprinkled with
//! speckles and slightly blurred. `make bench` measures how often Tesseract still reads the
//! text (target ≤ 2 %) and how long an image takes.

use std::{f32::consts::PI, ops::Range};

use ab_glyph::{Font, FontRef, PxScale, point};

use image::{GrayImage, ImageEncoder, Luma, Rgb, RgbImage, codecs::png::PngEncoder};
use imageproc::{
    drawing::{draw_filled_circle_mut, draw_hollow_ellipse_mut},
    filter::gaussian_blur_f32,
    geometric_transformations::{Border, Interpolation, rotate_about_center, warp_with},
};
use rand::{Rng, seq::IndexedRandom};

use crate::graphics::fonts;

/// Upper-case letters without I, O and Q (confused with 1, 0 and O).
const UPPER: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
/// Lower-case letters whose shape differs from their upper case (so case-sensitive challenges
/// are fair) and from digits.
const LOWER: &[u8] = b"abdefghkmnqrty";
/// Digits without 0 and 1.
const DIGITS: &[u8] = b"23456789";

/// Image size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Smallest image size accepted from the configuration.
pub const MIN_SIZE: Size = Size {
    width: 120,
    height: 40,
};

/// A generated captcha.
pub struct Generated {
    /// The characters drawn.
    pub text: String,
    /// The PNG.
    pub png: Vec<u8>,
    /// Its size.
    pub size: Size,
}

/// Random captcha text: 6 or 7 characters with at least 4 letters (so "the last four letters"
/// always exists) and at least 2 digits.
pub fn random_text(rng: &mut impl Rng) -> String {
    let len = rng.random_range(6..=7);
    let digits = rng.random_range(2..=len - 4);
    let mut chars: Vec<u8> = (0..len)
        .map(|i| {
            if i < digits {
                *DIGITS.choose(rng).expect("non-empty")
            } else if rng.random_bool(0.35) {
                *LOWER.choose(rng).expect("non-empty")
            } else {
                *UPPER.choose(rng).expect("non-empty")
            }
        })
        .collect();
    // Shuffle so digits are anywhere.
    for i in (1..chars.len()).rev() {
        chars.swap(i, rng.random_range(0..=i));
    }
    String::from_utf8(chars).expect("ASCII")
}

/// A colour from hue (0..1), saturation and lightness.
fn hsl(h: f32, s: f32, l: f32) -> Rgb<u8> {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h * 6.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to(r), to(g), to(b)])
}

fn dark(rng: &mut impl Rng) -> Rgb<u8> {
    hsl(
        rng.random(),
        rng.random_range(0.5..0.9),
        rng.random_range(0.12..0.32),
    )
}

fn blend(under: Rgb<u8>, over: Rgb<u8>, alpha: f32) -> Rgb<u8> {
    let mix = |a: u8, b: u8| (f32::from(a) * (1.0 - alpha) + f32::from(b) * alpha).round() as u8;
    Rgb([
        mix(under[0], over[0]),
        mix(under[1], over[1]),
        mix(under[2], over[2]),
    ])
}

/// A light two-colour gradient with faint rings behind the text.
fn background(size: Size, rng: &mut impl Rng) -> RgbImage {
    let hue: f32 = rng.random();
    let from = hsl(hue, 0.5, rng.random_range(0.86..0.95));
    let to = hsl((hue + 0.3) % 1.0, 0.5, rng.random_range(0.86..0.95));
    let mut image = RgbImage::from_fn(size.width, size.height, |x, y| {
        let t = (x + y) as f32 / (size.width + size.height) as f32;
        blend(from, to, t)
    });
    for _ in 0..6 {
        let centre = (
            rng.random_range(0..size.width as i32),
            rng.random_range(0..size.height as i32),
        );
        let radii = (
            rng.random_range(8..size.width as i32 / 3),
            rng.random_range(6..size.height as i32),
        );
        let colour = hsl(rng.random(), 0.5, rng.random_range(0.55..0.75));
        draw_hollow_ellipse_mut(&mut image, centre, radii.0, radii.1, colour);
    }
    image
}

/// The coverage mask of one character, rotated, in a square of side `side`.
fn glyph_mask(font: &FontRef<'_>, c: char, px: f32, angle: f32, side: u32) -> Option<GrayImage> {
    let glyph = font
        .glyph_id(c)
        .with_scale_and_position(PxScale::from(px), point(0.0, 0.0));
    let outline = font.outline_glyph(glyph)?;
    let bounds = outline.px_bounds();
    let mut mask = GrayImage::new(side, side);
    let left = (side as f32 - bounds.width()) / 2.0;
    let top = (side as f32 - bounds.height()) / 2.0;
    outline.draw(|x, y, coverage| {
        let (x, y) = ((x as f32 + left) as u32, (y as f32 + top) as u32);
        if x < side && y < side {
            mask.put_pixel(x, y, Luma([(coverage * 255.0).round() as u8]));
        }
    });
    Some(rotate_about_center(
        &mask,
        angle,
        Interpolation::Bilinear,
        Border::Constant(Luma([0])),
    ))
}

/// Stamp a mask onto the image in `colour`, its centre at (`cx`, `cy`).
fn stamp(image: &mut RgbImage, mask: &GrayImage, colour: Rgb<u8>, cx: f32, cy: f32) {
    let x0 = cx as i64 - i64::from(mask.width() / 2);
    let y0 = cy as i64 - i64::from(mask.height() / 2);
    for (mx, my, Luma([a])) in mask.enumerate_pixels() {
        if *a == 0 {
            continue;
        }
        let (x, y) = (x0 + i64::from(mx), y0 + i64::from(my));
        if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) {
            continue;
        }
        let pixel = image.get_pixel_mut(x as u32, y as u32);
        *pixel = blend(*pixel, colour, f32::from(*a) / 255.0);
    }
}

/// A cubic Bézier curve of `thickness` across the text band.
fn strike(image: &mut RgbImage, colour: Rgb<u8>, thickness: i32, rng: &mut impl Rng) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let band = |rng: &mut dyn rand::RngCore| rng.random_range(h * 0.3..h * 0.7);
    let p0 = (rng.random_range(0.0..w * 0.1), band(rng));
    let p1 = (
        rng.random_range(w * 0.2..w * 0.45),
        rng.random_range(0.0..h),
    );
    let p2 = (
        rng.random_range(w * 0.55..w * 0.8),
        rng.random_range(0.0..h),
    );
    let p3 = (rng.random_range(w * 0.9..w), band(rng));
    let steps = (w * 1.5) as u32;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        let u = 1.0 - t;
        let x =
            u * u * u * p0.0 + 3.0 * u * u * t * p1.0 + 3.0 * u * t * t * p2.0 + t * t * t * p3.0;
        let y =
            u * u * u * p0.1 + 3.0 * u * u * t * p1.1 + 3.0 * u * t * t * p2.1 + t * t * t * p3.1;
        draw_filled_circle_mut(image, (x as i32, y as i32), thickness, colour);
    }
}

/// How a picture is bent by two sine waves: amplitudes in pixels, periods as fractions of the
/// height (for the horizontal displacement) and of the width (for the vertical one).
pub(super) struct Waves {
    pub amplitude_x: Range<f32>,
    pub period_x: Range<f32>,
    pub amplitude_y: Range<f32>,
    pub period_y: Range<f32>,
}

/// `image` shifted by `shift` pixels and bent by random waves within `waves`.
pub(super) fn bend(
    image: &RgbImage,
    shift: (f32, f32),
    waves: &Waves,
    rng: &mut impl Rng,
) -> RgbImage {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let (ax, period_x, phase_x) = (
        rng.random_range(waves.amplitude_x.clone()),
        h * rng.random_range(waves.period_x.clone()),
        rng.random_range(0.0..2.0 * PI),
    );
    let (ay, period_y, phase_y) = (
        rng.random_range(waves.amplitude_y.clone()),
        w * rng.random_range(waves.period_y.clone()),
        rng.random_range(0.0..2.0 * PI),
    );
    warp_with(
        image,
        move |x, y| {
            (
                x + shift.0 + ax * (2.0 * PI * y / period_x + phase_x).sin(),
                y + shift.1 + ay * (2.0 * PI * x / period_y + phase_y).sin(),
            )
        },
        Interpolation::Bilinear,
        Border::Replicate,
    )
}

/// Draw `text` into a captcha picture of `size`.
pub fn render(text: &str, size: Size, rng: &mut impl Rng) -> RgbImage {
    let mut image = background(size, rng);
    let (w, h) = (size.width as f32, size.height as f32);
    let n = text.chars().count().max(1) as f32;
    // Characters are about 0.6 em wide; fit them into 85 % of the width with a little overlap.
    let px = (h * 0.62).min(w * 0.88 / (n * 0.6 * 0.92));
    let side = (px * 1.5).ceil() as u32;
    let step = w * 0.86 / n;
    let mut x = w * 0.07 + step / 2.0;
    let mut colours = Vec::new();
    for c in text.chars() {
        let font = fonts::VARIED.choose(rng).expect("fonts are bundled");
        let scale = px * rng.random_range(0.85..1.1);
        let angle = rng.random_range(-0.45..0.45);
        let colour = dark(rng);
        colours.push(colour);
        if let Some(mask) = glyph_mask(font, c, scale, angle, side) {
            let y = h / 2.0 + rng.random_range(-h * 0.1..h * 0.1);
            stamp(
                &mut image,
                &mask,
                colour,
                x + rng.random_range(-2.0..2.0),
                y,
            );
        }
        x += step * rng.random_range(0.9..1.02);
    }
    // Three thin curves in the text's own colours: they join the characters into one shape for
    // a machine, and are thin enough for people to read through (thicker ones hid letters).
    for thickness in [1, 1, 1] {
        let colour = *colours.choose(rng).unwrap_or(&Rgb([40, 40, 40]));
        strike(&mut image, colour, thickness, rng);
    }
    // Two sine waves bend the whole picture.
    let waves = Waves {
        amplitude_x: 2.0..4.0,
        period_x: 0.8..1.4,
        amplitude_y: 3.0..5.0,
        period_y: 0.35..0.6,
    };
    let mut image = bend(&image, (0.0, 0.0), &waves, rng);
    // Speckles in text colours and in light colours.
    let speckles = (size.width * size.height) / 40;
    for _ in 0..speckles {
        let (x, y) = (
            rng.random_range(0..size.width),
            rng.random_range(0..size.height),
        );
        let colour = if rng.random_bool(0.5) {
            *colours.choose(rng).unwrap_or(&Rgb([40, 40, 40]))
        } else {
            hsl(rng.random(), 0.4, 0.9)
        };
        image.put_pixel(x, y, colour);
    }
    gaussian_blur_f32(&image, 0.6)
}

/// Encode as PNG.
pub fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * 1024);
    PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )
    .expect("encoding to memory cannot fail");
    out
}

/// A new captcha: random text, drawn and encoded.
pub fn generate(size: Size, rng: &mut impl Rng) -> Generated {
    let text = random_text(rng);
    let image = render(&text, size, rng);
    Generated {
        png: png(&image),
        text,
        size,
    }
}

#[cfg(test)]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;

    #[test]
    fn texts_have_enough_letters_and_digits() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let text = random_text(&mut rng);
            let letters = text.chars().filter(char::is_ascii_alphabetic).count();
            let digits = text.chars().filter(char::is_ascii_digit).count();
            assert!((6..=7).contains(&text.len()), "{text}");
            assert!(letters >= 4 && digits >= 2, "{text}");
        }
    }

    #[test]
    fn every_character_exists_in_every_font() {
        for font in fonts::VARIED.iter() {
            for c in UPPER.iter().chain(LOWER).chain(DIGITS) {
                assert_ne!(font.glyph_id(char::from(*c)).0, 0, "{}", char::from(*c));
            }
        }
    }

    #[test]
    fn images_decode_at_the_requested_size() {
        let mut rng = StdRng::seed_from_u64(1);
        for size in [
            MIN_SIZE,
            Size {
                width: 240,
                height: 80,
            },
        ] {
            let captcha = generate(size, &mut rng);
            let decoded = image::load_from_memory(&captcha.png).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (size.width, size.height)
            );
        }
    }
}
