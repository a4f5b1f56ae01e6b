//! Turns an error response into a translated page (HTML) or RFC 9457 problem+json (`/api`),
//! in the request's context: the context layer ([`super::context::layer`]) calls [`render`]
//! on every response, so the page speaks the user's language and shows their navigation.
//!
//! It renders both [`AppError`](crate::web::AppError)s (which leave an [`ErrorInfo`]) and the
//! bare status codes produced by the framework and the layers inside the context layer
//! (unknown route, wrong method, unreadable form, body too large, timeout, panic). A response a
//! handler rendered itself (an HTML form re-shown with a 422, say) passes through untouched.

use std::sync::Arc;

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use tower_sessions::Session;

use super::{api_rate_limit, context::Ctx};
use crate::{
    i18n::Lang,
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

/// The error page (or problem+json document) for `response` if it is an error the handler did
/// not render itself; any other response as it is.
pub async fn render(
    state: &AppState,
    session: &Session,
    ctx: &Ctx,
    response: Response,
) -> Response {
    let status = response.status();
    if status.as_u16() < 400 {
        return response;
    }
    let info = response.extensions().get::<Arc<ErrorInfo>>().cloned();
    if info.is_none() && handler_rendered(&response) {
        return response;
    }
    let info = info.unwrap_or_else(|| Arc::new(ErrorInfo::status(status)));
    let lang = ctx.lang;
    let title = lang
        .t(&format!("error-{}-title", title_key(status)))
        .to_owned();
    let detail = match &info.detail {
        Some(message) => message.text(lang),
        None => lang
            .t(&format!("error-{}-detail", title_key(status)))
            .to_owned(),
    };
    let mut rendered = if ctx.api {
        problem_json(&info, lang, &title, &detail, &ctx.path)
    } else {
        html_page(state, ctx, session, status, title, detail).await
    };
    *rendered.status_mut() = status;
    let headers = rendered.headers_mut();
    for name in [
        header::ALLOW,
        header::SET_COOKIE,
        api_rate_limit::RATELIMIT,
        api_rate_limit::RATELIMIT_POLICY,
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

async fn html_page(
    state: &AppState,
    ctx: &Ctx,
    session: &Session,
    status: StatusCode,
    title: String,
    detail: String,
) -> Response {
    // Without a page frame (the database is down, say), the bare page.
    let html = match Page::build(state, ctx, session).await {
        Ok(page) => ErrorTemplate {
            page,
            status: status.as_u16(),
            title: title.clone(),
            detail: detail.clone(),
        }
        .render(),
        Err(_) => Err(askama::Error::Fmt),
    };
    let html = html.or_else(|_| {
        BareErrorTemplate {
            lang: ctx.lang,
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
