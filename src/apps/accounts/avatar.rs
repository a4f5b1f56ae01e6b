//! Avatar processing: any PNG, JPEG, WebP or GIF up to 2 MB in, a 128×128 PNG out. Uploads are
//! untrusted: see [`crate::web::image_upload`] for the limits; only HUD's own re-encoded image
//! is ever stored or served.

use image::imageops::FilterType;

use crate::web::{Message, image_upload};

/// Largest accepted upload.
pub const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024;
/// Side of the stored square avatar.
pub const SIDE: u32 = 128;
/// What an avatar upload may cost: a 128-pixel avatar needs far less than a photo's 4 megapixels
/// (2048 × 2048), and 32 MiB holds those at 16 bits per channel with alpha. Two cores decoding
/// at once stay under 100 MiB, where 6000 × 6000 and 128 MiB per decode, unbounded in number,
/// took gigabytes.
const LIMITS: image_upload::DecodeLimits = image_upload::DecodeLimits {
    max_bytes: MAX_UPLOAD_BYTES,
    max_side: 4096,
    max_pixels: 4 * 1024 * 1024,
    max_alloc: 32 * 1024 * 1024,
};

/// Validate, decode, crop to a square, resize and re-encode an uploaded image.
pub fn process(bytes: &[u8]) -> Result<Vec<u8>, Message> {
    let image = image_upload::decode_with(bytes, &LIMITS)?;
    image_upload::to_png(&image.resize_to_fill(SIDE, SIDE, FilterType::Lanczos3))
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::ImageFormat;

    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn resizes_to_square_png() {
        let out = process(&png(300, 200)).unwrap();
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (SIDE, SIDE));
    }

    #[test]
    fn refuses_garbage_and_empty() {
        assert_eq!(process(b"").unwrap_err().id, "image-empty");
        let truncated = png(40, 40);
        assert_eq!(
            process(&truncated[..truncated.len() / 2]).unwrap_err().id,
            "image-corrupt"
        );
        assert_eq!(
            process(b"%PDF-1.4 hello").unwrap_err().id,
            "image-unsupported"
        );
    }
}
