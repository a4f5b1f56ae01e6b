//! Request middleware, outermost first: security headers and `Server-Timing`
//! (`response_headers`), language prefix, session, error pages, then one pass (`request`) that
//! resolves the context (user, language, timezone), checks CSRF, counts, and adds ETags.
//!
//! `web::router::build` composes the stack once around the whole router. HUD's own layers
//! around it are tower services written by hand rather than `from_fn` layers, which would box
//! and move the futures of the stack below them on every request. Only the request pass is a
//! `from_fn` layer applied per route, because it needs the matched route.

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
