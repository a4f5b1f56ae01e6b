//! `AppError`, the one error type of handlers.
//!
//! Converting an error into a response only records *what* went wrong ([`ErrorInfo`] in the
//! response extensions); the error-page middleware then renders it in the request's language as
//! a styled HTML page, or as RFC 9457 problem+json under `/api`. Server errors are logged here
//! (inside the request's span, so with its request id) and never shown.

use std::sync::Arc;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::Message;

/// Result type of handlers and web helpers.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// An error a handler can return.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such page or object.
    #[error("not found")]
    NotFound,
    /// 403: logged in (or not) but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong.
    #[error("CSRF token missing or invalid")]
    Csrf,
    /// 401: the API needs a valid bearer token.
    #[error("unauthorized")]
    Unauthorized,
    /// 429: too many attempts.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until the client may try again.
        retry_after_secs: u64,
    },
    /// 400: the request cannot be understood.
    #[error("bad request: {0:?}")]
    BadRequest(Message),
    /// 422: well-formed but invalid input (API); one message per field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Valid input the current state refuses (API), with a message on the field concerned:
    /// 409 a name already taken, 404 a referenced object that does not exist, 403 a captcha
    /// not solved. Not 422: a client cannot tell from the document that the value is wrong.
    #[error("refused ({status})")]
    Refused {
        /// 403, 404 or 409.
        status: StatusCode,
        /// What was refused.
        field: FieldError,
    },
    /// 413: the upload is too large.
    #[error("payload too large")]
    TooLarge,
    /// 415: the request body is not in a format the endpoint reads (the API: JSON).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 503: a dependency (database) is unavailable.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500: anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The body of every API error: an RFC 9457 problem details document, translated per
/// `Accept-Language` (or the caller's language preference).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"type": "about:blank", "title": "Invalid input", "status": 422,
    "detail": "Some of the data you sent is not valid.", "instance": "/api/v1/me/preferences",
    "errors": [{"field": "timezone", "message": "Unknown timezone."}]}))]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's name.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The path of the request.
    pub instance: String,
    /// Per-field problems (invalid input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

/// A problem with one input field.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field: a body field's path (`words[2]`, `username`) or a query parameter's name;
    /// `body` or `query` for the whole of either.
    pub field: String,
    /// The translated message.
    pub message: Option<String>,
    /// The untranslated message reference.
    #[serde(skip)]
    #[schema(ignore)]
    pub reason: Option<Message>,
}

impl FieldError {
    /// A field error with a message id.
    pub fn new(field: &str, reason: Message) -> Self {
        FieldError {
            field: field.to_owned(),
            message: None,
            reason: Some(reason),
        }
    }
}

impl AppError {
    /// 409: `field`'s value is taken.
    pub fn conflict(field: &str, message: Message) -> Self {
        AppError::Refused {
            status: StatusCode::CONFLICT,
            field: FieldError::new(field, message),
        }
    }

    /// 404: `field` names an object that does not exist.
    pub fn unknown(field: &str, message: Message) -> Self {
        AppError::Refused {
            status: StatusCode::NOT_FOUND,
            field: FieldError::new(field, message),
        }
    }

    /// 403: refused until `field` is right (a captcha).
    pub fn denied(field: &str, message: Message) -> Self {
        AppError::Refused {
            status: StatusCode::FORBIDDEN,
            field: FieldError::new(field, message),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                AppError::Unavailable(e.to_string())
            }
            // Class 08 (connection exception) and 57 (operator intervention: the server
            // shutting down, or the backend terminated by an administrator) end the
            // connection, which the pool replaces; the request met an outage, not a bug.
            sqlx::Error::Database(ref db)
                if db
                    .code()
                    .is_some_and(|state| matches!(state.get(..2), Some("08" | "57"))) =>
            {
                AppError::Unavailable(e.to_string())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {e}"))
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("session: {e}"))
    }
}

/// What the error-page middleware needs to render an error.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// HTTP status.
    pub status: StatusCode,
    /// Optional specific message (else the status's generic one).
    pub detail: Option<Message>,
    /// Per-field problems (API validation).
    pub fields: Vec<FieldError>,
    /// For 429 and 503.
    pub retry_after_secs: Option<u64>,
}

impl ErrorInfo {
    /// A generic error for a status.
    pub fn status(status: StatusCode) -> Self {
        ErrorInfo {
            status,
            detail: None,
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }
}

/// The `Retry-After` of a 503: an outage of a dependency (PostgreSQL, mostly) is usually a
/// restart, over in seconds.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

impl AppError {
    fn info(self) -> ErrorInfo {
        let mut info = ErrorInfo::status(self.status());
        match self {
            AppError::Csrf => info.detail = Some(Message::new("error-csrf")),
            AppError::RateLimited { retry_after_secs } => {
                info.retry_after_secs = Some(retry_after_secs);
                info.detail = Some(
                    Message::new("error-rate-limited")
                        .arg("minutes", retry_after_secs.div_ceil(60) as i64),
                );
            }
            AppError::BadRequest(m) => info.detail = Some(m),
            AppError::Invalid(fields) => info.fields = fields,
            AppError::Refused { field, .. } => info.fields = vec![field],
            // A dependency down or restarting: clients (and load balancers) retry soon.
            AppError::Unavailable(_) => info.retry_after_secs = Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => {}
        }
        info
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused { status, .. } => *status,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(error) => tracing::error!(error = ?error, "internal error"),
            AppError::Unavailable(error) => tracing::error!(%error, "dependency unavailable"),
            _ => {}
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Arc::new(self.info()));
        response
    }
}
