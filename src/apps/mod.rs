//! The sub-app registry: every sub-app is declared here once. `HUD_APPS` switches the
//! switchable ones on and off; the router, navbar, home page and admin area read this list.

pub mod accounts;
pub mod admin;
pub mod captcha;
pub mod home;
pub mod prognosis;
pub mod search;
pub mod wordcloud;

use crate::web::apps::SubApp;

/// All sub-apps, in navigation order.
pub static REGISTRY: [SubApp; 7] = [
    home::APP,
    wordcloud::APP,
    search::APP,
    prognosis::APP,
    accounts::APP,
    captcha::APP,
    admin::APP,
];
