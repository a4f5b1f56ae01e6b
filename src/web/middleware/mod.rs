//! Request middleware, one concern per module, composed in `web::router::build` in the order
//! a request flows through them:
//!
//! - around everything: request id, tracing, [`diagnostics`], the [`security_headers`];
//! - around the pages: compression, [`lang_prefix`], the session layer, [`context`] (which
//!   renders the [`error_page`]s and sets the [`session_lifetime`]), panics, timeout, body
//!   limit, the [`api_rate_limit`], [`token_scope`], [`csrf`], [`audit`], [`etag`];
//! - on every route: [`metrics`]; the sub-apps add the [`response_cache`] to the routes it
//!   serves.

pub mod api_rate_limit;
pub mod audit;
pub mod context;
pub mod csrf;
pub mod diagnostics;
pub mod error_page;
pub mod etag;
pub mod lang_prefix;
pub mod metrics;
pub mod response_cache;
pub mod security_headers;
pub mod session_lifetime;
pub mod token_scope;
