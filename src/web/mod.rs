//! The HTTP layer shared by every sub-app: state, routing, errors, page context, middleware.

pub mod api_input;
pub mod apps;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod client_ip;
pub mod error;
pub mod extract;
pub mod flash;
pub mod form;
pub mod form_guard;
pub mod fragments;
pub mod image_upload;
pub mod local_path;
pub mod message;
pub mod middleware;
pub mod openapi;
pub mod page;
pub mod pagination;
pub mod personal_data;
pub mod router;
pub mod session_store;
pub mod state;
pub mod users;
pub mod warm;
pub mod when;

pub use error::{AppError, Result};
pub use message::{Message, Notice};
pub use page::Page;
pub use state::AppState;
