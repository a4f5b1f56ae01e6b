//! URL language prefixes: `/nl/accounts/login` is routed as `/accounts/login` in Dutch.
//!
//! Runs before routing (it wraps the router as a service), so sub-apps declare each route once.

use axum::{
    extract::Request,
    http::Uri,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::i18n::Lang;

/// The language named by the URL prefix of this request.
#[derive(Clone, Copy, Debug)]
pub struct UrlLang(pub Lang);

/// Strip a `/nl`, `/sv`, `/nb` or `/fr` prefix and remember it; redirect `/en/…` to `/…`.
pub async fn strip(mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let Some((first, rest)) = split_first_segment(path) else {
        return next.run(req).await;
    };
    let Ok(lang) = first.parse::<Lang>() else {
        return next.run(req).await;
    };
    if first != lang.code() {
        // Only the canonical lower-case codes are prefixes; `/NL/x` is an ordinary path.
        return next.run(req).await;
    }
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let rest = if rest.is_empty() { "/" } else { rest };
    if lang == Lang::En {
        return Redirect::permanent(&format!("{rest}{query}")).into_response();
    }
    let Ok(uri) = format!("{rest}{query}").parse::<Uri>() else {
        return next.run(req).await;
    };
    *req.uri_mut() = uri;
    req.extensions_mut().insert(UrlLang(lang));
    next.run(req).await
}

/// `/nl/x/y` → `("nl", "/x/y")`; `/nl` → `("nl", "")`.
fn split_first_segment(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.strip_prefix('/')?;
    match trimmed.find('/') {
        Some(i) => Some((&trimmed[..i], &trimmed[i..])),
        None => Some((trimmed, "")),
    }
}
