//! The description of a sub-app as the web layer sees it: name, routes, navigation entry,
//! home-page card and admin links. The list itself is declared once, in `crate::apps`.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use super::{AppState, state::AppLocals};
use crate::jobs::{JobKind, Schedule};

/// A link in the navbar.
#[derive(Clone, Copy, Debug)]
pub struct NavEntry {
    /// Message id of the label.
    pub label: &'static str,
    /// Path, without language prefix.
    pub path: &'static str,
}

/// A card on the home page.
#[derive(Clone, Copy, Debug)]
pub struct HomeCard {
    /// Message id of the title.
    pub title: &'static str,
    /// Message id of the one-paragraph description.
    pub text: &'static str,
    /// Where the card's button leads.
    pub path: &'static str,
}

/// A section of the `/admin` area.
#[derive(Clone, Copy, Debug)]
pub struct AdminLink {
    /// Message id of the label.
    pub label: &'static str,
    /// Path of the admin page.
    pub path: &'static str,
}

/// A switchable sub-app, declared once in the registry.
pub struct SubApp {
    /// The name used in `HUD_APPS`.
    pub name: &'static str,
    /// Core parts (home, admin) are always on; the others follow `HUD_APPS`.
    pub switchable: bool,
    /// Navbar entry, if any.
    pub nav: Option<NavEntry>,
    /// Home-page card, if any.
    pub card: Option<HomeCard>,
    /// Sections this app adds to `/admin`.
    pub admin: &'static [AdminLink],
    /// HTML pages (mounted only when the app is enabled).
    pub pages: fn(&AppState) -> Router<AppState>,
    /// JSON API routes with their OpenAPI description.
    pub api: fn() -> OpenApiRouter<AppState>,
    /// Public GET pages whose anonymous responses are cached at start, in every language.
    pub warm_paths: &'static [&'static str],
    /// Job kinds its workers run.
    pub jobs: &'static [&'static JobKind<AppState>],
    /// What the scheduler does for it periodically.
    pub schedules: &'static [&'static Schedule<AppState>],
    /// A task every `hud serve` process runs for it while serving (e.g. keeping its own search
    /// index current); aborted at shutdown.
    pub background: Option<fn(&AppState) -> tokio::task::JoinHandle<()>>,
    /// Creates its per-process values ([`super::AppState::local`]) at start.
    pub local: fn(&mut AppLocals),
    /// The guard it offers to other sub-apps' forms, if any (see [`super::form_guard`]).
    pub form_guard: Option<&'static dyn super::form_guard::FormGuard>,
    /// What it keeps about users, for their export and account deletion (see
    /// [`super::personal_data`]).
    pub personal_data: Option<&'static dyn super::personal_data::PersonalData>,
}

/// The sub-apps switched on in this process.
pub struct EnabledApps {
    apps: Vec<&'static SubApp>,
    /// The names joined by `+`, for cache keys (built once, not per request).
    key: String,
}

/// `HUD_APPS` named a sub-app that does not exist.
#[derive(Debug, thiserror::Error)]
#[error("HUD_APPS names unknown sub-app {name:?}; known sub-apps: {known}")]
pub struct UnknownApp {
    name: String,
    known: String,
}

impl EnabledApps {
    /// Resolve `HUD_APPS` (None = all) against the registry.
    pub fn resolve(
        registry: &'static [SubApp],
        wanted: Option<&[String]>,
    ) -> Result<Self, UnknownApp> {
        let Some(wanted) = wanted else {
            return Ok(EnabledApps::new(registry.iter().collect()));
        };
        let mut apps: Vec<&'static SubApp> = registry.iter().filter(|a| !a.switchable).collect();
        for name in wanted.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let app = registry
                .iter()
                .find(|a| a.switchable && a.name == name)
                .ok_or_else(|| UnknownApp {
                    name: name.to_owned(),
                    known: registry
                        .iter()
                        .filter(|a| a.switchable)
                        .map(|a| a.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            apps.push(app);
        }
        // Keep registry order so navigation does not depend on how HUD_APPS was written.
        apps.sort_by_key(|a| registry.iter().position(|r| std::ptr::eq(r, *a)));
        apps.dedup_by(|a, b| std::ptr::eq(*a, *b));
        Ok(EnabledApps::new(apps))
    }

    fn new(apps: Vec<&'static SubApp>) -> Self {
        let key = apps.iter().map(|a| a.name).collect::<Vec<_>>().join("+");
        EnabledApps { apps, key }
    }

    /// The enabled apps as one cache-key value (`accounts+wordcloud+…`).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether the sub-app called `name` is on.
    pub fn enabled(&self, name: &str) -> bool {
        self.apps.iter().any(|a| a.name == name)
    }

    /// The enabled apps, in registry order.
    pub fn iter(&self) -> impl Iterator<Item = &'static SubApp> + '_ {
        self.apps.iter().copied()
    }

    /// Names of the enabled apps (for cache keys and logs).
    pub fn names(&self) -> Vec<&'static str> {
        self.apps.iter().map(|a| a.name).collect()
    }
}
