//! Turns every error response into a translated page (HTML) or RFC 9457 problem+json (`/api`).
//!
//! It catches both [`AppError`](crate::web::AppError)s (which leave an [`ErrorInfo`]) and the
//! bare status codes produced by the framework (unknown route, wrong method, unreadable form,
//! body too large, timeout). Responses a handler rendered itself (an HTML form re-shown with a
//! 422, say) pass through untouched.

use std::{
    convert::Infallible,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use askama::Template;
use axum::{
    extract::Request,
    http::{HeaderValue, StatusCode, Uri, header},
    response::{Html, IntoResponse, Response},
};
use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tower_sessions::Session;

use super::{context::Ctx, lang_prefix::UrlLang};
use crate::{
    i18n::{Lang, from_accept_language},
    web::{
        AppState, Page,
        error::{ErrorInfo, FieldError, Problem},
    },
};

/// The styled error page.
#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate {
    page: Page,
    status: u16,
    title: String,
    detail: String,
}

/// Used when even the base context cannot be built (e.g. the database is down).
#[derive(Template)]
#[template(path = "errors/bare.html")]
struct BareErrorTemplate {
    lang: Lang,
    status: u16,
    title: String,
    detail: String,
}

/// The error-page layer (see the module docs).
#[derive(Clone)]
pub struct ErrorPagesLayer(pub AppState);

impl<S> Layer<S> for ErrorPagesLayer {
    type Service = ErrorPages<S>;

    fn layer(&self, inner: S) -> ErrorPages<S> {
        ErrorPages {
            inner,
            state: self.0.clone(),
        }
    }
}

/// Wraps the router. A hand-written service rather than a `from_fn` layer: a response below
/// 400 passes straight through, and only an error pays for boxing the (async) page rendering.
#[derive(Clone)]
pub struct ErrorPages<S> {
    inner: S,
    state: AppState,
}

impl<S> Service<Request> for ErrorPages<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ErrorPageFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let origin = Origin {
            state: self.state.clone(),
            session: req.extensions().get::<Session>().cloned(),
            uri: req.uri().clone(),
            url_lang: req.extensions().get::<UrlLang>().map(|u| u.0),
            accept_language: req.headers().get(header::ACCEPT_LANGUAGE).cloned(),
        };
        ErrorPageFuture::Routing {
            inner: self.inner.call(req),
            origin: Some(origin),
        }
    }
}

pin_project! {
    /// The router's future, then (for an error response only) the error page's.
    #[project = ErrorPageProjection]
    pub enum ErrorPageFuture<F> {
        Routing { #[pin] inner: F, origin: Option<Origin> },
        Rendering { page: Pin<Box<dyn Future<Output = Response> + Send>> },
    }
}

impl<F> Future for ErrorPageFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project() {
                ErrorPageProjection::Routing { inner, origin } => {
                    let Ok(response) = ready!(inner.poll(cx));
                    let origin = match origin.take() {
                        Some(origin) if response.status().as_u16() >= 400 => origin,
                        _ => return Poll::Ready(Ok(response)),
                    };
                    self.set(ErrorPageFuture::Rendering {
                        page: Box::pin(render(origin, response)),
                    });
                }
                ErrorPageProjection::Rendering { page } => {
                    return page.as_mut().poll(cx).map(Ok);
                }
            }
        }
    }
}

/// What an error page needs to know of the request, kept while the router runs.
pub struct Origin {
    state: AppState,
    session: Option<Session>,
    uri: Uri,
    url_lang: Option<Lang>,
    accept_language: Option<HeaderValue>,
}

/// The error page (or problem+json document) for an error response.
async fn render(origin: Origin, response: Response) -> Response {
    let status = response.status();
    let info = response.extensions().get::<Arc<ErrorInfo>>().cloned();
    if info.is_none() && handler_rendered(&response) {
        return response;
    }
    let path = origin.uri.path();
    let api = path.starts_with("/api/");
    let fallback_lang = origin
        .url_lang
        .or_else(|| {
            origin
                .accept_language
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or_default();
    let info = info.unwrap_or_else(|| Arc::new(ErrorInfo::status(status)));
    let ctx = response.extensions().get::<Ctx>().cloned();
    let lang = ctx.as_ref().map_or(fallback_lang, |c| c.lang);
    let title = lang
        .t(&format!("error-{}-title", title_key(status)))
        .to_owned();
    let detail = match &info.detail {
        Some(message) => message.text(lang),
        None => lang
            .t(&format!("error-{}-detail", title_key(status)))
            .to_owned(),
    };
    let mut rendered = if api {
        problem_json(&info, lang, &title, &detail, path)
    } else {
        let session = origin.session.as_ref();
        html_page(
            &origin.state,
            ctx,
            session,
            lang,
            status,
            title,
            detail,
            path,
        )
        .await
    };
    *rendered.status_mut() = status;
    let headers = rendered.headers_mut();
    for name in [
        header::VARY,
        header::CONTENT_LANGUAGE,
        header::ALLOW,
        header::SET_COOKIE,
    ] {
        for value in response.headers().get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    if let Some(secs) = info.retry_after_secs {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    rendered
}

/// Whether a handler produced this body on purpose (HTML or JSON), rather than the framework.
fn handler_rendered(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("text/html")
                || ct.starts_with("application/problem+json")
                || ct.starts_with("application/json")
        })
}

/// Message-id stem for a status; uncommon statuses share a generic text.
fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        503 => "503",
        _ if status.is_client_error() => "4xx",
        _ => "500",
    }
}

fn problem_json(info: &ErrorInfo, lang: Lang, title: &str, detail: &str, path: &str) -> Response {
    let errors: Vec<FieldError> = info
        .fields
        .iter()
        .map(|f| FieldError {
            field: f.field.clone(),
            message: f
                .reason
                .as_ref()
                .map(|r| r.text(lang))
                .or_else(|| f.message.clone()),
            reason: None,
        })
        .collect();
    let body = Problem {
        kind: "about:blank".to_owned(),
        title: title.to_owned(),
        status: info.status.as_u16(),
        detail: detail.to_owned(),
        instance: path.to_owned(),
        errors: (!errors.is_empty()).then_some(errors),
    };
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site; the page's parts are separate inputs"
)]
async fn html_page(
    state: &AppState,
    ctx: Option<Ctx>,
    session: Option<&Session>,
    lang: Lang,
    status: StatusCode,
    title: String,
    detail: String,
    path: &str,
) -> Response {
    let ctx = ctx.unwrap_or_else(|| Ctx {
        lang,
        tz: chrono_tz::UTC,
        user: None,
        token: None,
        url_lang: None,
        path: path.to_owned(),
        api: false,
    });
    // The session is always there inside the session layer; without one, the bare page.
    let page = match session {
        Some(session) => Page::build(state, &ctx, session).await.ok(),
        None => None,
    };
    let html = match page {
        Some(page) => ErrorTemplate {
            page,
            status: status.as_u16(),
            title: title.clone(),
            detail: detail.clone(),
        }
        .render(),
        None => Err(askama::Error::Fmt),
    };
    let html = html.or_else(|_| {
        BareErrorTemplate {
            lang,
            status: status.as_u16(),
            title,
            detail,
        }
        .render()
    });
    match html {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            status.into_response()
        }
    }
}
