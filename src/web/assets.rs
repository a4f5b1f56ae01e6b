//! Static files (`static/`), compiled into the binary and served under content-hashed names.
//!
//! `css/app.css` is served as `/static/css/app.3fa9c1d2e4b5.css` with a one-year immutable
//! cache lifetime; a changed file gets a new name, so browsers never see a stale copy.
//! Text assets are compressed once (brotli and gzip) on first request and kept in memory,
//! instead of on every request by the compression layer.

use std::{borrow::Cow, collections::HashMap, io::Write, sync::OnceLock};

use axum::body::Bytes;

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{AppState, middleware::etag};

#[derive(rust_embed::Embed)]
#[folder = "static/"]
// The TrueType fonts are compiled into the captcha generator and the PNG renderer; browsers get
// the WOFF2 of the cloud font (so clouds are drawn with the font they were measured with).
#[exclude = "fonts/*.ttf"]
#[exclude = "fonts/*.txt"]
struct StaticFiles;

struct Asset {
    bytes: Bytes,
    content_type: String,
    etag: String,
    compressible: bool,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// The embedded static files, by logical and by hashed name.
pub struct Assets {
    hashed_url: HashMap<String, String>,
    by_served_name: HashMap<String, Asset>,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

impl Assets {
    /// Hash every embedded file. Stylesheets are hashed after their `url(…)` references to other
    /// files have been rewritten to those files' hashed names, so a changed font changes the
    /// stylesheet's name too.
    pub fn load() -> Self {
        let mut hashed_url = HashMap::new();
        let mut by_served_name = HashMap::new();
        let mut names: Vec<_> = StaticFiles::iter().collect();
        // Everything a stylesheet may point to first.
        names.sort_by_key(|name| name.ends_with(".css"));
        for name in names {
            let Some(file) = StaticFiles::get(&name) else {
                continue;
            };
            let bytes = if name.ends_with(".css") {
                let css = String::from_utf8_lossy(&file.data);
                Bytes::from(rewrite_css_urls(&name, &css, &hashed_url).into_bytes())
            } else {
                match file.data {
                    Cow::Borrowed(b) => Bytes::from_static(b),
                    Cow::Owned(v) => Bytes::from(v),
                }
            };
            let hash = blake3::hash(&bytes).to_hex();
            let short = &hash[..12];
            let served = match name.rsplit_once('.') {
                Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{short}.{ext}"),
                _ => format!("{name}.{short}"),
            };
            let content_type = file.metadata.mimetype().to_owned();
            let compressible = content_type.starts_with("text/")
                || content_type.contains("javascript")
                || content_type.contains("json")
                || content_type.contains("svg");
            hashed_url.insert(name.to_string(), format!("/static/{served}"));
            by_served_name.insert(
                served,
                Asset {
                    bytes,
                    content_type,
                    etag: format!("\"{short}\""),
                    compressible,
                    brotli: OnceLock::new(),
                    gzip: OnceLock::new(),
                },
            );
        }
        Assets {
            hashed_url,
            by_served_name,
        }
    }

    /// The URL of a static file by its path under `static/` (e.g. `css/app.css`).
    ///
    /// An unknown name yields a URL that answers 404 rather than breaking the page.
    pub fn url(&self, logical: &str) -> String {
        self.hashed_url
            .get(logical)
            .cloned()
            .unwrap_or_else(|| format!("/static/{logical}"))
    }
}

/// Replace `url(../fonts/x.woff2)` (relative to the stylesheet `css_name`) with hashed URLs.
fn rewrite_css_urls(css_name: &str, css: &str, hashed: &HashMap<String, String>) -> String {
    let dir = css_name.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].trim().trim_matches(['"', '\'']);
        // Resolve `../x/y` and `x/y` against the stylesheet's folder.
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for part in target.split('/') {
            match part {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                p => parts.push(p),
            }
        }
        match hashed.get(&parts.join("/")) {
            Some(url) if !target.contains(':') && !target.starts_with('/') => {
                out.push_str(&format!("\"{url}\""));
            }
            _ => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `GET /static/{*path}`: a hashed asset, compressed when the client accepts it.
pub async fn serve(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(asset) = state.assets.by_served_name.get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if etag::matches(headers.get(header::IF_NONE_MATCH), &asset.etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, asset.etag.clone())],
        )
            .into_response();
    }
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (body, encoding): (Bytes, Option<&str>) = if asset.compressible && accepts.contains("br") {
        (
            asset
                .brotli
                .get_or_init(|| brotli_compress(&asset.bytes))
                .clone(),
            Some("br"),
        )
    } else if asset.compressible && accepts.contains("gzip") {
        (
            asset
                .gzip
                .get_or_init(|| gzip_compress(&asset.bytes))
                .clone(),
            Some("gzip"),
        )
    } else {
        (asset.bytes.clone(), None)
    };
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(v) = HeaderValue::from_str(&asset.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

fn brotli_compress(data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    // Writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
    out.into()
}

fn gzip_compress(data: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default().into()
}

#[cfg(test)]
mod css_tests {
    use super::*;

    #[test]
    fn stylesheet_urls_point_at_hashed_files() {
        let hashed = HashMap::from([(
            "fonts/a.woff2".to_owned(),
            "/static/fonts/a.0123456789ab.woff2".to_owned(),
        )]);
        let css = r#"x { src: url("../fonts/a.woff2") } y { b: url(../img/missing.svg) } z { c: url(data:x) }"#;
        let out = rewrite_css_urls("css/app.css", css, &hashed);
        assert!(
            out.contains(r#"url("/static/fonts/a.0123456789ab.woff2")"#),
            "{out}"
        );
        assert!(out.contains("url(../img/missing.svg)"));
        assert!(out.contains("url(data:x)"));
    }

    #[test]
    fn the_cloud_font_is_served_and_referenced() {
        let assets = Assets::load();
        let font = assets.url("fonts/LiberationSans-Bold.woff2");
        assert!(
            font.ends_with(".woff2")
                && font.len() > "/static/fonts/LiberationSans-Bold.woff2".len()
        );
        let css_url = assets.url("css/app.css");
        let css = &assets.by_served_name[css_url.trim_start_matches("/static/")].bytes;
        assert!(String::from_utf8_lossy(css).contains(&font));
        assert!(
            !assets
                .hashed_url
                .contains_key("fonts/LiberationSans-Bold.ttf"),
            "TrueType stays in the binary's code, not served"
        );
    }
}
