//! The fonts in `static/fonts/` (licences next to them), compiled in.
//!
//! Liberation Sans is metric-compatible with Arial, so a layout measured with it also fits in
//! browsers that draw the SVG with Arial or Helvetica.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

/// Liberation Sans Bold: word clouds, charts.
pub static SANS_BOLD_BYTES: &[u8] = include_bytes!("../../static/fonts/LiberationSans-Bold.ttf");

/// The family name SVG output asks for, with metric-compatible fallbacks.
pub const SANS_FAMILY: &str = "'Liberation Sans', Arial, Helvetica, sans-serif";

/// Liberation Sans Bold, parsed.
pub static SANS_BOLD: LazyLock<FontRef<'static>> =
    LazyLock::new(|| FontRef::try_from_slice(SANS_BOLD_BYTES).expect("bundled font is valid"));

/// Several distinct faces (captcha images).
pub static VARIED: LazyLock<Vec<FontRef<'static>>> = LazyLock::new(|| {
    [
        SANS_BOLD_BYTES,
        &include_bytes!("../../static/fonts/LiberationSerif-BoldItalic.ttf")[..],
        &include_bytes!("../../static/fonts/LiberationMono-Bold.ttf")[..],
        &include_bytes!("../../static/fonts/DejaVuSerifCondensed-Bold.ttf")[..],
    ]
    .into_iter()
    .map(|bytes| FontRef::try_from_slice(bytes).expect("bundled font is valid"))
    .collect()
});

/// Width, ascent and descent (positive) of `text` set in `font` at a CSS font size of `px`
/// pixels (the em size; ab_glyph's own scale is the ascent-to-descent height, about 12 % more
/// for Liberation Sans, so it is converted).
pub fn measure(font: &FontRef<'_>, px: f32, text: &str) -> (f32, f32, f32) {
    let units_per_em = font.units_per_em().unwrap_or(1000.0);
    let scale = PxScale::from(px * font.height_unscaled() / units_per_em);
    let scaled = font.as_scaled(scale);
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            width += scaled.kern(before, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    (width, scaled.ascent(), -scaled.descent())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let (w1, ascent, descent) = measure(&SANS_BOLD, 20.0, "word");
        let (w2, ..) = measure(&SANS_BOLD, 40.0, "word");
        let (w3, ..) = measure(&SANS_BOLD, 20.0, "wordword");
        assert!(w1 > 30.0 && w1 < 70.0, "{w1}");
        assert!((w2 / w1 - 2.0).abs() < 0.01);
        assert!((w3 / w1 - 2.0).abs() < 0.05);
        // Liberation Sans: ascent 0.905 em, descent 0.212 em.
        assert!(
            (ascent - 18.1).abs() < 0.2 && (descent - 4.24).abs() < 0.2,
            "{ascent} {descent}"
        );
    }
}
