//! Untrusted image uploads (avatars, captcha images): read one multipart file field with a size
//! cap, sniff the format from the bytes (not the file name or declared type), and decode with
//! dimension and allocation caps, so a "decompression bomb" of 20,000 × 20,000 pixels is refused
//! without allocating it. Callers store only their own re-encoding of the result.
//!
//! Decoding runs on the blocking pool, which grows to hundreds of threads: [`run_decode`]
//! admits as many decodes at once as there are cores, so fifty parallel uploads queue instead
//! of each holding its decoded pixels in memory at the same time.

use std::{io::Cursor, sync::LazyLock};

use axum::extract::multipart::Field;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

use super::Message;

const MAX_DECODER_ALLOC: u64 = 128 * 1024 * 1024;

/// Image decodes running at once in this process.
static DECODES: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
});

/// Run `work` (a decode and whatever follows it) on the blocking pool once a decode slot is
/// free.
pub async fn run_decode<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let _slot = DECODES.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

/// What decoding one upload may cost.
#[derive(Clone, Copy, Debug)]
pub struct DecodeLimits {
    /// Largest file.
    pub max_bytes: usize,
    /// Largest width and height.
    pub max_side: u32,
    /// Largest width × height.
    pub max_pixels: u64,
    /// Largest decoded buffer in bytes (pixels × bytes per pixel).
    pub max_alloc: u64,
}

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
    decode_with(
        bytes,
        &DecodeLimits {
            max_bytes,
            max_side,
            max_pixels: u64::MAX,
            max_alloc: MAX_DECODER_ALLOC,
        },
    )
}

/// Decode a PNG, JPEG, WebP or GIF within `limits`; the size is read from the header and
/// judged before any pixel is decoded.
pub fn decode_with(bytes: &[u8], limits: &DecodeLimits) -> Result<DynamicImage, Message> {
    let DecodeLimits {
        max_bytes,
        max_side,
        max_pixels,
        max_alloc,
    } = *limits;
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
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    let too_large = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => {
            Message::new("image-too-many-pixels").arg("max", i64::from(max_side))
        }
        _ => Message::new("image-corrupt"),
    };
    let decoder = reader.into_decoder().map_err(too_large)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels || decoder.total_bytes() > max_alloc {
        return Err(Message::new("image-too-many-megapixels")
            .arg("max", (max_pixels / 1_000_000).max(1) as i64));
    }
    DynamicImage::from_decoder(decoder).map_err(too_large)
}

/// Encode as PNG.
pub fn to_png(image: &DynamicImage) -> Result<Vec<u8>, Message> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| Message::new("image-corrupt"))?;
    Ok(out)
}
