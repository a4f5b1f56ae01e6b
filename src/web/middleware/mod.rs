//! Request middleware, outermost first: language prefix, session, error pages, then one pass
//! (`request`) that resolves the context (user, language, timezone), checks CSRF, counts, and
//! adds ETags. Security headers and `Server-Timing` are set outermost (`response_headers`). The
//! router composes the stack once around the whole router (see `web::router::build`); the
//! layers that wrap every request are hand-written services, so no request pays for boxing
//! and moving the futures of the stack below them.

pub mod context;
pub mod csrf;
pub mod error_page;
pub mod etag;
pub mod lang_prefix;
pub mod metrics;
pub mod request;
pub mod response_cache;
pub mod response_headers;
pub mod server_timing;
