//! URL language prefixes: `/nl/accounts/login` is routed as `/accounts/login` in Dutch.
//!
//! Runs before routing (it wraps the router), so sub-apps declare each route once.
//! A prefix followed by a path that a browser could read as another host (`/en//evil`,
//! `/en/\evil`, see [`crate::web::local_path`]) is not a prefix: the request is routed as it
//! came (and not found), never redirected to `//evil`.

use axum::{
    extract::Request,
    http::Uri,
    response::{IntoResponse, Redirect, Response},
};

use crate::{i18n::Lang, web::local_path::is_plain_path};

/// The language named by the URL prefix of this request.
#[derive(Clone, Copy, Debug)]
pub struct UrlLang(pub Lang);

/// The layer (`ValidateRequestHeaderLayer::custom`, around the router): strips a `/nl`,
/// `/sv`, `/nb` or `/fr` prefix and remembers it; redirects `/en/…` to `/…`.
#[expect(
    clippy::result_large_err,
    reason = "the signature ValidateRequestHeaderLayer::custom takes"
)]
pub fn route_in_language(req: &mut Request) -> Result<(), Response> {
    strip(req).map_err(|location| Redirect::permanent(&location).into_response())
}

/// Strip the prefix and attach [`UrlLang`], or say where to redirect.
fn strip(req: &mut Request) -> Result<(), String> {
    let path = req.uri().path();
    let Some((first, rest)) = split_first_segment(path) else {
        return Ok(());
    };
    let Ok(lang) = first.parse::<Lang>() else {
        return Ok(());
    };
    if first != lang.code() {
        // Only the canonical lower-case codes are prefixes; `/NL/x` is an ordinary path.
        return Ok(());
    }
    if !is_plain_path(rest) {
        return Ok(());
    }
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let rest = if rest.is_empty() { "/" } else { rest };
    if lang == Lang::En {
        return Err(format!("{rest}{query}"));
    }
    let Ok(uri) = format!("{rest}{query}").parse::<Uri>() else {
        return Ok(());
    };
    *req.uri_mut() = uri;
    req.extensions_mut().insert(UrlLang(lang));
    Ok(())
}

/// `/nl/x/y` → `("nl", "/x/y")`; `/nl` → `("nl", "")`.
fn split_first_segment(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.strip_prefix('/')?;
    match trimmed.find('/') {
        Some(i) => Some((&trimmed[..i], &trimmed[i..])),
        None => Some((trimmed, "")),
    }
}
