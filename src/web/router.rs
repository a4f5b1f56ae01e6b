//! Builds the whole HTTP application: the enabled sub-apps' pages and API, the OpenAPI document,
//! operational endpoints, static files, and the middleware stack around them.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Request, State},
    http::{HeaderName, StatusCode, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use tower::{Service, ServiceBuilder};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
    validate_request::ValidateRequestHeaderLayer,
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

use super::{
    AppError, AppState, assets,
    middleware::{
        api_rate_limit, audit, context, csrf, diagnostics, etag, lang_prefix, metrics,
        security_headers, token_scope,
    },
    openapi::{ApiDoc, CommonResponses},
    session_store::CachedSessionStore,
};
use crate::db;

/// What the application is: a cloneable HTTP service that never fails (errors are responses).
pub trait HttpService:
    Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> HttpService for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "hud_session";

/// The OpenAPI document of the enabled sub-apps' API.
pub fn openapi(state: &AppState) -> utoipa::openapi::OpenApi {
    api_router(state).1
}

/// The enabled sub-apps' API routes and their OpenAPI document.
fn api_router(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = state
        .apps
        .iter()
        .fold(
            OpenApiRouter::with_openapi(ApiDoc::openapi()),
            |router, app| router.merge((app.api)()),
        )
        .split_for_parts();
    CommonResponses.modify(&mut openapi);
    (router, openapi)
}

/// The complete application. Read top to bottom, the layers are in the order a request passes
/// them (and a response passes them back, bottom to top).
pub fn build(state: AppState) -> impl HttpService {
    let config = state.config.clone();
    let (api, openapi) = api_router(&state);
    let mut pages = Router::new();
    for app in state.apps.iter() {
        pages = pages.merge((app.pages)(&state));
    }
    let store = CachedSessionStore::new(state.db.clone(), state.cache.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.server.secure_cookies)
        // Anonymous until proven otherwise: `session_lifetime` gives logged-in sessions theirs.
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(config.accounts.anon_session_ttl)
                .unwrap_or(time::Duration::HOUR),
        ))
        .with_signed(state.cookie_key.clone());
    let api_docs = Router::from(
        SwaggerUi::new("/api/docs").config(Config::from("/api/openapi.json")),
    )
    .layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        security_headers::CSP_API_DOCS,
    ));

    // The sub-apps' pages and API. Only metrics need the matched route, so only they are
    // applied per route: a layer there is cloned with every route's stack on each request.
    let routed = pages
        .merge(api)
        .route("/api/openapi.json", get(openapi_document(&openapi)))
        .merge(api_docs)
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn(metrics::layer))
        .with_state(state.clone());

    // Pages (and the API) are compressed on the fly; static files were compressed at build time.
    let localized = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .layer(ValidateRequestHeaderLayer::custom(
            lang_prefix::route_in_language,
        ))
        .layer(sessions)
        // Renders the error responses of everything below it as translated pages.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::layer,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.server.request_timeout(),
        ))
        .layer(RequestBodyLimitLayer::new(config.server.body_limit_bytes))
        .map_response(IntoResponse::into_response)
        // The limited body as axum's own, for the `from_fn` layers below.
        .map_request(|req: axum::http::Request<_>| req.map(Body::new))
        .layer(DefaultBodyLimit::max(config.server.body_limit_bytes))
        // Before anything reads the body: a refused request costs next to nothing.
        .layer(middleware::from_fn_with_state(
            Arc::new(api_rate_limit::ApiLimits::new(&config.server)),
            api_rate_limit::layer,
        ))
        .layer(ValidateRequestHeaderLayer::custom(
            token_scope::refuse_read_only_writes,
        ))
        // Inside the body limit: it reads the body of a form.
        .layer(middleware::from_fn_with_state(state.clone(), csrf::layer))
        .layer(middleware::from_fn_with_state(state.clone(), audit::layer))
        .layer(middleware::from_fn_with_state(state.etag_seed, etag::layer))
        .service(routed);

    // Static files and the operational endpoints need no session or context.
    let site = Router::new()
        .route("/static/{*path}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text).layer(CompressionLayer::new()))
        .with_state(state)
        .fallback_service(localized);

    let request_id = HeaderName::from_static("x-request-id");
    let everyone = config.telemetry.diagnostic_headers;
    ServiceBuilder::new()
        // One body type for the server (the trace layer wraps the body).
        .map_response(IntoResponse::into_response)
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            security_headers::CSP,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            security_headers::NOSNIFF,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            security_headers::SAME_ORIGIN,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            security_headers::DENY,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            security_headers::CROSS_ORIGIN_OPENER_POLICY,
            security_headers::SAME_ORIGIN,
        ))
        // Last on the way out: compressed pages and static files are encoded by now.
        .map_response(etag::weaken_when_encoded)
        .map_future(move |request| diagnostics::measure(everyone, request))
        .service(site)
}

/// `/api/openapi.json`, serialized once: the document is fixed for the life of the process,
/// and encoding its 23 kB on every request made it as slow to serve as a database page.
fn openapi_document(
    openapi: &utoipa::openapi::OpenApi,
) -> impl Fn() -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    let body = match openapi.to_json() {
        Ok(json) => Some(axum::body::Bytes::from(json)),
        Err(error) => {
            tracing::error!(%error, "cannot encode the OpenAPI document");
            None
        }
    };
    move || {
        std::future::ready(match &body {
            Some(body) => {
                ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
            }
            None => AppError::Internal(anyhow::anyhow!("no OpenAPI document")).into_response(),
        })
    }
}

/// `/readyz`: 200 when the database answers and every migration is applied, else 503.
async fn readyz(State(state): State<AppState>) -> Response {
    let ping = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.db),
    )
    .await;
    if !matches!(ping, Ok(Ok(1))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    }
    if !db::migrations_current(&state.db).await {
        return (StatusCode::SERVICE_UNAVAILABLE, "migrations pending").into_response();
    }
    (StatusCode::OK, "ready").into_response()
}

/// `/metrics` in the Prometheus text format, for a scraper that sends `HUD_METRICS_TOKEN` as a
/// bearer token; 404 when no token is configured (the endpoint is off), 401 without the token.
async fn metrics_text(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(expected) = state
        .config
        .telemetry
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    // Hashes compare in constant time, so the answer's timing does not reveal a prefix.
    let authorized = given
        .is_some_and(|given| blake3::hash(given.as_bytes()) == blake3::hash(expected.as_bytes()));
    if !authorized {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
