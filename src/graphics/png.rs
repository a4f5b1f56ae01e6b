//! SVG → PNG with resvg, using only the bundled fonts (no system font lookup: the same SVG
//! renders the same everywhere).

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

use super::fonts;

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(fonts::SANS_BOLD_BYTES.to_vec());
    // Every generic family and the names SVGs ask for resolve to the bundled face.
    db.set_sans_serif_family("Liberation Sans");
    db.set_serif_family("Liberation Sans");
    db.set_monospace_family("Liberation Sans");
    Arc::new(db)
});

/// Rasterise an SVG document at `scale` (2.0 for sharp downloads).
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        font_family: "Liberation Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty image")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("image too large")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_text_with_the_bundled_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
            <text x="5" y="30" font-size="28" font-family="'Liberation Sans', Arial" fill="#000">Hud</text></svg>"##;
        let png = super::render(svg, 2.0).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!((image.width(), image.height()), (240, 80));
        let dark = image.pixels().filter(|p| p.0[0] < 128).count();
        assert!(dark > 500, "the text was drawn ({dark} dark pixels)");
        assert!(super::render("<svg", 1.0).is_err());
    }
}
