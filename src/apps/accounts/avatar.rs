//! Avatar processing: any PNG, JPEG, WebP or GIF up to 2 MB in, a 128×128 PNG out.
//!
//! Uploads are untrusted: the format is sniffed from the bytes (not the file name or the
//! declared type), dimensions and decoder allocations are capped before decoding (a
//! "decompression bomb" of 20,000 × 20,000 pixels is refused without allocating it), and only
//! HUD's own re-encoded image is ever stored or served.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits, imageops::FilterType};

use crate::web::Message;

/// Largest accepted upload.
pub const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024;
/// Side of the stored square avatar.
pub const SIDE: u32 = 128;
const MAX_DIMENSION: u32 = 6000;
const MAX_DECODER_ALLOC: u64 = 128 * 1024 * 1024;

/// Validate, decode, crop to a square, resize and re-encode an uploaded image.
pub fn process(bytes: &[u8]) -> Result<Vec<u8>, Message> {
    if bytes.is_empty() {
        return Err(Message::new("avatar-empty"));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(
            Message::new("avatar-too-large").arg("max", (MAX_UPLOAD_BYTES / 1024 / 1024) as i64)
        );
    }
    let format = image::guess_format(bytes).map_err(|_| Message::new("avatar-unsupported"))?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(Message::new("avatar-unsupported"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            Message::new("avatar-too-many-pixels").arg("max", MAX_DIMENSION as i64)
        }
        _ => Message::new("avatar-corrupt"),
    })?;
    let square = image.resize_to_fill(SIDE, SIDE, FilterType::Lanczos3);
    let mut out = Vec::new();
    square
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| Message::new("avatar-corrupt"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
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
        assert_eq!(process(b"").unwrap_err().id, "avatar-empty");
        let truncated = png(40, 40);
        assert_eq!(
            process(&truncated[..truncated.len() / 2]).unwrap_err().id,
            "avatar-corrupt"
        );
        assert_eq!(
            process(b"%PDF-1.4 hello").unwrap_err().id,
            "avatar-unsupported"
        );
    }
}
