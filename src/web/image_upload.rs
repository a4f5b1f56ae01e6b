//! Untrusted image uploads (avatars, captcha images): read one multipart file field with a size
//! cap, sniff the format from the bytes (not the file name or declared type), and decode with
//! dimension and allocation caps, so a "decompression bomb" of 20,000 × 20,000 pixels is refused
//! without allocating it. Callers store only their own re-encoding of the result.

use std::io::Cursor;

use axum::extract::multipart::Field;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use super::Message;

const MAX_DECODER_ALLOC: u64 = 128 * 1024 * 1024;

/// Read a multipart file field, refusing more than `max_bytes`.
pub async fn read_field(mut field: Field<'_>, max_bytes: usize) -> Result<Vec<u8>, Message> {
    let mut data = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if data.len() + chunk.len() > max_bytes {
                    return Err(too_large(max_bytes));
                }
                data.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(data),
            Err(_) => return Err(Message::new("upload-failed")),
        }
    }
}

fn too_large(max_bytes: usize) -> Message {
    Message::new("image-too-large").arg("max", (max_bytes / 1024 / 1024).max(1) as i64)
}

/// Decode a PNG, JPEG, WebP or GIF of at most `max_bytes` and `max_side` × `max_side` pixels.
pub fn decode(bytes: &[u8], max_bytes: usize, max_side: u32) -> Result<DynamicImage, Message> {
    if bytes.is_empty() {
        return Err(Message::new("image-empty"));
    }
    if bytes.len() > max_bytes {
        return Err(too_large(max_bytes));
    }
    let format = image::guess_format(bytes).map_err(|_| Message::new("image-unsupported"))?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(Message::new("image-unsupported"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            Message::new("image-too-many-pixels").arg("max", i64::from(max_side))
        }
        _ => Message::new("image-corrupt"),
    })
}

/// Encode as PNG.
pub fn to_png(image: &DynamicImage) -> Result<Vec<u8>, Message> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| Message::new("image-corrupt"))?;
    Ok(out)
}
