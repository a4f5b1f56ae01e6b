//! The security headers every response carries (set by `SetResponseHeaderLayer`s in
//! `web::router`): a strict Content-Security-Policy, no MIME sniffing, no framing, no
//! cross-origin referrers or opener.

use axum::http::{HeaderName, HeaderValue};

/// The policy of every page: nothing inline, nothing from elsewhere.
pub const CSP: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'",
);
/// Swagger UI sets inline styles; `/api/docs` is the only page that gets them.
pub const CSP_API_DOCS: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
);
/// `X-Content-Type-Options`.
pub const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
/// `Referrer-Policy`.
pub const SAME_ORIGIN: HeaderValue = HeaderValue::from_static("same-origin");
/// `X-Frame-Options`.
pub const DENY: HeaderValue = HeaderValue::from_static("DENY");
/// `Cross-Origin-Opener-Policy` (its value is [`SAME_ORIGIN`]).
pub const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");
