//! Turns every error response into a translated page (HTML) or RFC 9457 problem+json (`/api`).
//!
//! It catches both [`AppError`](crate::web::AppError)s (which leave an [`ErrorInfo`]) and the
//! bare status codes produced by the framework (unknown route, wrong method, unreadable form,
//! body too large, timeout). Responses a handler rendered itself (an HTML form re-shown with a
//! 422, say) pass through untouched.

use std::sync::Arc;

use askama::Template;
use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use tower_sessions::Session;

use super::{context::Ctx, lang_prefix::UrlLang};
use crate::{
    i18n::{Lang, from_accept_language},
    web::{AppState, Page, error::ErrorInfo},
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

/// Render error responses.
pub async fn render(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let fallback_lang = req
        .extensions()
        .get::<UrlLang>()
        .map(|u| u.0)
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or_default();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    if status.as_u16() < 400 {
        return response;
    }
    let info = response.extensions().get::<Arc<ErrorInfo>>().cloned();
    if info.is_none() && handler_rendered(&response) {
        return response;
    }
    let info = info.unwrap_or_else(|| Arc::new(ErrorInfo::status(status)));
    let ctx = response.extensions().get::<Ctx>().cloned();
    let lang = ctx.as_ref().map(|c| c.lang).unwrap_or(fallback_lang);
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
        problem_json(&info, lang, &title, &detail, &path)
    } else {
        html_page(&state, ctx, &session, lang, status, title, detail, &path).await
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
    let errors: Vec<serde_json::Value> = info
        .fields
        .iter()
        .map(|f| {
            serde_json::json!({
                "field": f.field,
                "message": f.reason.as_ref().map(|r| r.text(lang)).or_else(|| f.message.clone()),
            })
        })
        .collect();
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": info.status.as_u16(),
        "detail": detail,
        "instance": path,
    });
    if !errors.is_empty() {
        body["errors"] = serde_json::Value::Array(errors);
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        body.to_string(),
    )
        .into_response()
}

#[allow(clippy::too_many_arguments)]
async fn html_page(
    state: &AppState,
    ctx: Option<Ctx>,
    session: &Session,
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
        url_lang: None,
        path: path.to_owned(),
        api: false,
    });
    let page = Page::build(state, &ctx, session).await;
    let html = match page {
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
