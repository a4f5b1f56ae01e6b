//! Request middleware, outermost first: language prefix, session, context (user, language,
//! timezone), error pages, ETag, metrics, CSRF. Security headers are set in the router.

pub mod context;
pub mod csrf;
pub mod error_page;
pub mod etag;
pub mod lang_prefix;
pub mod metrics;
pub mod response_cache;
pub mod server_timing;
