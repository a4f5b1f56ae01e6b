//! Captcha image generation: random text drawn so that people read it and OCR does not.
//!
//! The text (8 to 10 characters) is set on two lines; a few characters are drawn in blue, the
//! others in warm colours, and a circle is drawn around three neighbours on one line. Those
//! marks ([`Marks`]) let one image carry challenges a text reader cannot answer alone ("type the
//! characters drawn in blue", "…inside the circle", "…on the upper line"), and two lines already
//! defeat solvers trained on one line of text. Blue against red/brown/orange stays apart for the
//! common (red–green) colour-vision deficiencies.
//!
//! Each character gets its own font, size, rotation and vertical offset, and characters overlap
//! a little (which defeats splitting the text into characters). The picture is then warped by
//! two sine waves, crossed by thin curves in the text's colours (which join the characters into
//! one shape for a machine, while people see through them), sprinkled with speckles and slightly
//! blurred. [`Style::Clean`] draws the same glyphs without any of that, which is how the
//! benchmark shows the text itself stays legible (`bench/captcha_ocr.sh`).

use std::{f32::consts::PI, ops::Range};

use ab_glyph::{Font, FontRef, PxScale, point};

use image::{GrayImage, ImageEncoder, Luma, Rgb, RgbImage, codecs::png::PngEncoder};
use imageproc::{
    drawing::{draw_filled_circle_mut, draw_hollow_ellipse_mut},
    filter::gaussian_blur_f32,
    geometric_transformations::{Border, Interpolation, rotate_about_center, warp_with},
};
use rand::{
    Rng, SeedableRng,
    rngs::StdRng,
    seq::{IndexedRandom, SliceRandom},
};

use super::rule::Marks;
use crate::graphics::fonts;

/// Upper-case letters without I, O, Q, B, S and Z (confused with 1, 0, O, 8, 5 and 2).
const UPPER: &[u8] = b"ACDEFGHJKLMNPRTUVWXY";
/// Lower-case letters whose shape differs from their upper case (so case-sensitive challenges
/// are fair) and from digits (no g or q: 9).
const LOWER: &[u8] = b"abdefhkmnrty";
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
    /// The characters drawn, upper line first.
    pub text: String,
    /// The [`Marks`] of each character.
    pub marks: Vec<i16>,
    /// The PNG.
    pub png: Vec<u8>,
    /// Its size.
    pub size: Size,
}

/// What to draw: the characters, upper line first, and the marks of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The characters.
    pub text: String,
    /// One [`Marks`] value per character.
    pub marks: Vec<i16>,
    /// Seed of the glyphs' fonts, sizes, colours, angles and places, so that both [`Style`]s
    /// draw the same glyphs.
    pub seed: u64,
}

impl Layout {
    /// How many characters are on the upper line.
    fn upper_len(&self) -> usize {
        self.marks
            .iter()
            .take_while(|m| !Marks(**m).has(Marks::LOWER_LINE))
            .count()
    }
}

/// Random captcha text: 8 to 10 characters with at least 4 letters (so "the last four letters"
/// always exists) and 2 to 4 digits.
pub fn random_text(rng: &mut impl Rng) -> String {
    let len = rng.random_range(8..=10);
    let digits = rng.random_range(2..=4);
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
    chars.shuffle(rng);
    String::from_utf8(chars).expect("ASCII")
}

/// A random layout: random text split into two lines of four or five, three or four characters
/// in blue (anywhere, but never every letter), and a circle around three neighbours on one line.
pub fn random_layout(rng: &mut impl Rng) -> Layout {
    let text = random_text(rng);
    let len = text.len();
    let upper = len / 2 + usize::from(len % 2 == 1 && rng.random_bool(0.5));
    let mut marks: Vec<i16> = (0..len)
        .map(|i| if i < upper { 0 } else { Marks::LOWER_LINE })
        .collect();
    let blue = rng.random_range(3..=4);
    for i in rand::seq::index::sample(rng, len, blue) {
        marks[i] |= Marks::BLUE;
    }
    // Never every letter blue: "the blue letters" would then be "the letters", which a text
    // reader answers. (Only with four letters and four blue, so a plain digit is there to swap.)
    let letters: Vec<usize> = (0..len)
        .filter(|i| text.as_bytes()[*i].is_ascii_alphabetic())
        .collect();
    if letters.iter().all(|i| Marks(marks[*i]).has(Marks::BLUE)) {
        let plain: Vec<usize> = (0..len)
            .filter(|i| !Marks(marks[*i]).has(Marks::BLUE))
            .collect();
        if let (Some(from), Some(to)) = (letters.choose(rng), plain.choose(rng)) {
            marks[*from] &= !Marks::BLUE;
            marks[*to] |= Marks::BLUE;
        }
    }
    let (line_start, line_len) = if rng.random_bool(0.5) {
        (0, upper)
    } else {
        (upper, len - upper)
    };
    let first = line_start + rng.random_range(0..=line_len - CIRCLED);
    for mark in &mut marks[first..first + CIRCLED] {
        *mark |= Marks::CIRCLED;
    }
    Layout {
        text,
        marks,
        seed: rng.random(),
    }
}

/// How many neighbours the circle encloses.
const CIRCLED: usize = 3;

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

/// A clear, saturated blue (hue 215°–240°), dark enough to read on the light background.
fn blue(rng: &mut impl Rng) -> Rgb<u8> {
    hsl(
        rng.random_range(0.6..0.665),
        rng.random_range(0.75..0.95),
        rng.random_range(0.36..0.46),
    )
}

/// A dark warm colour: red, brown or orange (hue −15°–35°), never mistaken for blue.
fn warm(rng: &mut impl Rng) -> Rgb<u8> {
    hsl(
        rng.random_range(-0.04f32..0.1).rem_euclid(1.0),
        rng.random_range(0.6..0.9),
        rng.random_range(0.26..0.38),
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
        // Faint, thin and light: never taken for the circle a challenge asks about.
        let colour = hsl(rng.random(), 0.4, rng.random_range(0.74..0.82));
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

/// How a picture is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As visitors see it: rotated glyphs on a patterned background, crossed, warped, speckled.
    Captcha,
    /// The same glyphs (fonts, sizes, colours, places) upright on white, nothing else: the
    /// legibility reference.
    Clean,
}

/// Draw `layout` into a captcha picture of `size`.
pub fn render(layout: &Layout, size: Size, style: Style, rng: &mut impl Rng) -> RgbImage {
    let clean = style == Style::Clean;
    let mut image = if clean {
        RgbImage::from_pixel(size.width, size.height, Rgb([255, 255, 255]))
    } else {
        background(size, rng)
    };
    let (w, h) = (size.width as f32, size.height as f32);
    let upper = layout.upper_len();
    let chars: Vec<char> = layout.text.chars().collect();
    let longest = upper.max(chars.len() - upper).max(1) as f32;
    // Two lines, their middles at 30 % and 72 % of the height. Characters are about 0.6 em
    // wide; a line fits into 80 % of the width with a little overlap.
    let px = (h * 0.44).min(w * 0.8 / (longest * 0.6 * 0.92));
    let side = (px * 1.5).ceil() as u32;
    let step = w * 0.8 / longest;
    let line_y = [h * 0.3, h * 0.72];
    let mut colours = Vec::new();
    // Where each character's middle lands, for the circle.
    let mut centres = Vec::with_capacity(chars.len());
    let glyphs = &mut StdRng::seed_from_u64(layout.seed);
    for (line, range) in [(0, 0..upper), (1, upper..chars.len())] {
        // Each line starts at its own indent, so the two do not stand in columns.
        let spare = w * 0.9 - step * range.len() as f32;
        let mut x = w * 0.05 + glyphs.random_range(0.0..spare.max(1.0)) + step / 2.0;
        for i in range {
            let font = fonts::VARIED.choose(glyphs).expect("fonts are bundled");
            let scale = px * glyphs.random_range(0.9..1.08);
            let angle = glyphs.random_range(-0.35..0.35);
            let colour = if Marks(layout.marks[i]).has(Marks::BLUE) {
                blue(glyphs)
            } else {
                warm(glyphs)
            };
            colours.push(colour);
            let y = line_y[line] + glyphs.random_range(-h * 0.03..h * 0.03);
            let cx = x + glyphs.random_range(-1.5..1.5);
            // Drawn from `glyphs` in both styles, so the rest of the glyphs stay the same.
            let angle = if clean { 0.0 } else { angle };
            if let Some(mask) = glyph_mask(font, chars[i], scale, angle, side) {
                stamp(&mut image, &mask, colour, cx, y);
            }
            centres.push((cx, y));
            x += step * glyphs.random_range(0.94..1.02);
        }
    }
    if clean {
        return image;
    }
    circle(&mut image, layout, &centres, px, rng);
    // Two hairline curves in the text's own colours: they join the characters into one shape
    // for a machine, and are thin enough for people to read through (thicker ones hid letters).
    for _ in 0..2 {
        let colour = *colours.choose(rng).unwrap_or(&Rgb([40, 40, 40]));
        strike(&mut image, colour, 0, rng);
    }
    // Two sine waves bend the whole picture (gently: two lines leave less room).
    let waves = Waves {
        amplitude_x: 1.5..3.0,
        period_x: 0.8..1.4,
        amplitude_y: 1.5..3.0,
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
    gaussian_blur_f32(&image, 0.5)
}

/// A dark grey ring, two pixels wide, around the circled characters (whose middles are in
/// `centres`), kept within their line.
fn circle(
    image: &mut RgbImage,
    layout: &Layout,
    centres: &[(f32, f32)],
    px: f32,
    rng: &mut impl Rng,
) {
    let circled: Vec<(f32, f32)> = layout
        .marks
        .iter()
        .zip(centres)
        .filter(|(m, _)| Marks(**m).has(Marks::CIRCLED))
        .map(|(_, c)| *c)
        .collect();
    let (Some(first), Some(last)) = (circled.first(), circled.last()) else {
        return;
    };
    let cx = (first.0 + last.0) / 2.0;
    let cy = circled.iter().map(|c| c.1).sum::<f32>() / circled.len() as f32;
    let rx = (last.0 - first.0) / 2.0 + px * 0.55;
    let ry = px * 0.55;
    let colour = hsl(0.0, 0.0, rng.random_range(0.18..0.3));
    for grow in 0..2 {
        draw_hollow_ellipse_mut(
            image,
            (cx as i32, cy as i32),
            rx as i32 + grow,
            ry as i32 + grow,
            colour,
        );
    }
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

/// A new captcha: a random layout, drawn and encoded.
pub fn generate(size: Size, rng: &mut impl Rng) -> Generated {
    let layout = random_layout(rng);
    let image = render(&layout, size, Style::Captcha, rng);
    Generated {
        png: png(&image),
        text: layout.text,
        marks: layout.marks,
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_have_enough_letters_and_digits() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let text = random_text(&mut rng);
            let letters = text.chars().filter(char::is_ascii_alphabetic).count();
            let digits = text.chars().filter(char::is_ascii_digit).count();
            assert!((8..=10).contains(&text.len()), "{text}");
            assert!(letters >= 4 && (2..=4).contains(&digits), "{text}");
        }
    }

    #[test]
    fn layouts_mark_two_lines_some_blue_and_three_circled_neighbours() {
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..500 {
            let layout = random_layout(&mut rng);
            let marks: Vec<Marks> = layout.marks.iter().map(|m| Marks(*m)).collect();
            assert_eq!(marks.len(), layout.text.len());
            let upper = layout.upper_len();
            assert!((4..=5).contains(&upper), "{layout:?}");
            assert!(marks[upper..].iter().all(|m| m.has(Marks::LOWER_LINE)));
            let blue = marks.iter().filter(|m| m.has(Marks::BLUE)).count();
            assert!((3..=4).contains(&blue), "{layout:?}");
            let plain_letter = layout
                .text
                .bytes()
                .zip(&marks)
                .any(|(c, m)| c.is_ascii_alphabetic() && !m.has(Marks::BLUE));
            assert!(plain_letter, "not every letter blue: {layout:?}");
            let circled: Vec<usize> = (0..marks.len())
                .filter(|i| marks[*i].has(Marks::CIRCLED))
                .collect();
            assert_eq!(circled.len(), CIRCLED, "{layout:?}");
            assert_eq!(circled[2] - circled[0], 2, "neighbours: {layout:?}");
            let lines: Vec<bool> = circled
                .iter()
                .map(|i| marks[*i].has(Marks::LOWER_LINE))
                .collect();
            assert!(lines.iter().all(|l| *l == lines[0]), "one line: {layout:?}");
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
