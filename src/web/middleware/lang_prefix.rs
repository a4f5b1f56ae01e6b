//! URL language prefixes: `/nl/accounts/login` is routed as `/accounts/login` in Dutch.
//!
//! Runs before routing (it wraps the router as a service), so sub-apps declare each route once.
//! A prefix followed by a path that a browser could read as another host (`/en//evil`,
//! `/en/\evil`, see [`crate::web::local_path`]) is not a prefix: the request is routed as it
//! came (and not found), never redirected to `//evil`.

use std::{
    convert::Infallible,
    future::{Ready, ready},
    task::{Context, Poll},
};

use axum::{
    extract::Request,
    http::Uri,
    response::{IntoResponse, Redirect, Response},
};
use futures_util::future::Either;
use tower::Service;

use crate::{i18n::Lang, web::local_path::is_plain_path};

/// The language named by the URL prefix of this request.
#[derive(Clone, Copy, Debug)]
pub struct UrlLang(pub Lang);

/// Wraps the router: strips a `/nl`, `/sv`, `/nb` or `/fr` prefix and remembers it; redirects
/// `/en/…` to `/…`. A plain service rather than a `from_fn` layer: it decides before the router
/// runs and hands the router's own future on, so no request pays for boxing or moving it.
#[derive(Clone)]
pub struct StripPrefix<S>(pub S);

impl<S> Service<Request> for StripPrefix<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match strip(req) {
            Ok(req) => Either::Right(self.0.call(req)),
            Err(location) => {
                Either::Left(ready(Ok(Redirect::permanent(&location).into_response())))
            }
        }
    }
}

/// The request to route (prefix stripped, [`UrlLang`] attached), or where to redirect.
fn strip(mut req: Request) -> Result<Request, String> {
    let path = req.uri().path();
    let Some((first, rest)) = split_first_segment(path) else {
        return Ok(req);
    };
    let Ok(lang) = first.parse::<Lang>() else {
        return Ok(req);
    };
    if first != lang.code() {
        // Only the canonical lower-case codes are prefixes; `/NL/x` is an ordinary path.
        return Ok(req);
    }
    if !is_plain_path(rest) {
        return Ok(req);
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
        return Ok(req);
    };
    *req.uri_mut() = uri;
    req.extensions_mut().insert(UrlLang(lang));
    Ok(req)
}

/// `/nl/x/y` → `("nl", "/x/y")`; `/nl` → `("nl", "")`.
fn split_first_segment(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.strip_prefix('/')?;
    match trimmed.find('/') {
        Some(i) => Some((&trimmed[..i], &trimmed[i..])),
        None => Some((trimmed, "")),
    }
}
