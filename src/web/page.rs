//! `Page`: the base context every HTML template receives (language, timezone, user, navigation,
//! flash messages, CSRF token, asset URLs), and the helpers templates call on it.
//!
//! Templates never hold text: `{{ page.t("nav-home") }}`. Links go through `page.url("/x")` so a
//! page reached under `/nl/…` keeps linking to Dutch pages.

use std::sync::{Arc, OnceLock};

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{Html, IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tower_sessions::Session;

use super::{
    AppError, AppState, Message,
    auth::CurrentUser,
    flash::{self, Flash},
    middleware::{context::Ctx, csrf, response_cache::Uncacheable},
};
use crate::{
    cache::CacheKey,
    i18n::{DateStyle, FluentArg, Lang, LocalTime},
};

/// The base template context.
pub struct Page {
    /// Page language.
    pub lang: Lang,
    /// Reader's timezone.
    pub tz: Tz,
    /// The logged-in user.
    pub user: Option<Arc<CurrentUser>>,
    /// Messages queued by the previous request.
    pub flashes: Vec<Flash>,
    /// Path without language prefix (for the language switcher).
    pub path: String,
    csrf: Option<String>,
    /// An anonymous visitor's cookie token (see `middleware::csrf`).
    anon: csrf::AnonToken,
    prefix: &'static str,
    state: AppState,
    session: Session,
    uncacheable: Option<Uncacheable>,
    /// What every fragment of this page is keyed by (built by the first fragment).
    fragment_base: OnceLock<CacheKey>,
}

/// A navbar or switcher link.
pub struct Link {
    /// Translated label.
    pub label: &'static str,
    /// Target URL.
    pub url: String,
    /// Whether it points at the current page / language.
    pub active: bool,
}

/// A language switcher entry (a button of the switcher's form, `POST /lang`).
pub struct LangLink {
    /// Language code (the button's value and `lang`).
    pub code: &'static str,
    /// The language's own name.
    pub label: &'static str,
    /// Whether it is the current language.
    pub active: bool,
}

/// A home-page card.
pub struct Card {
    /// Translated title.
    pub title: &'static str,
    /// Translated description (its message may differ for a logged-in reader: `$signed_in` is
    /// `yes` or `no`).
    pub text: String,
    /// Target URL.
    pub url: String,
}

impl Page {
    /// Build the context for a request whose [`Ctx`] is known.
    pub async fn build(state: &AppState, ctx: &Ctx, session: &Session) -> Result<Self, AppError> {
        Self::build_marking(state, ctx, session, None, csrf::AnonToken::default()).await
    }

    /// Build, telling the response cache (if it watches this request) when the page becomes
    /// personal: a rendered CSRF token or flash messages must never be served to someone else.
    async fn build_marking(
        state: &AppState,
        ctx: &Ctx,
        session: &Session,
        uncacheable: Option<Uncacheable>,
        anon: csrf::AnonToken,
    ) -> Result<Self, AppError> {
        // Logged-in pages always carry the logout form, so they need a token. Anonymous
        // visitors' tokens live in a cookie, never in a session (no session row per page view).
        let csrf = match ctx.user {
            Some(_) => Some(csrf::token(session).await?),
            None => match csrf::existing(session).await? {
                Some(token) => Some(token),
                None => anon.current(),
            },
        };
        let flashes = flash::take(session).await?;
        if let Some(marker) = &uncacheable
            && !flashes.is_empty()
        {
            marker.mark();
        }
        Ok(Page {
            lang: ctx.lang,
            tz: ctx.tz,
            user: ctx.user.clone(),
            flashes,
            path: ctx.path.clone(),
            csrf,
            anon,
            prefix: ctx.url_prefix(),
            state: state.clone(),
            session: session.clone(),
            uncacheable,
            fragment_base: OnceLock::new(),
        })
    }

    /// Make sure the page can carry a form (creates the visitor's CSRF token if needed: in the
    /// session when logged in, else in a cookie the response sets).
    pub async fn with_form(mut self) -> Result<Self, AppError> {
        if self.csrf.is_none() {
            self.csrf = Some(match self.user {
                Some(_) => csrf::token(&self.session).await?,
                None => self.anon.get_or_mint(),
            });
        }
        Ok(self)
    }

    /// The page's CSRF token, if it has one (without marking the page personal).
    pub fn csrf_token(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    /// The session behind this page.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The application state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The language prefix of this page's URLs (`""` or `"/nl"`).
    pub(super) fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The memo of the key part all fragments of this page share (see `web::fragments`).
    pub(super) fn fragment_base(&self) -> &OnceLock<CacheKey> {
        &self.fragment_base
    }

    /// Translate a message id.
    pub fn t(&self, id: &str) -> &'static str {
        self.lang.t(id)
    }

    /// Translate a message id with one text argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        self.lang.t_args(id, &[(name, FluentArg::from(value))])
    }

    /// Translate a message id with one numeric argument.
    pub fn tn(&self, id: &str, name: &str, value: &i64) -> String {
        self.lang.t_args(id, &[(name, FluentArg::from(*value))])
    }

    /// A site path with this page's language prefix.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// The URL of a static file (content-hashed).
    pub fn asset(&self, logical: &str) -> String {
        self.state.assets.url(logical)
    }

    /// The CSRF token for a hidden form field.
    pub fn csrf(&self) -> &str {
        debug_assert!(
            self.csrf.is_some(),
            "render forms from a page built with with_form()"
        );
        // A page showing a token is personal: never let the response cache keep it.
        if let Some(marker) = &self.uncacheable {
            marker.mark();
        }
        self.csrf.as_deref().unwrap_or("")
    }

    /// A timestamp in the reader's timezone and language (formatted when written).
    pub fn datetime(&self, at: &DateTime<Utc>) -> LocalTime {
        self.local_time(at, DateStyle::DateTime)
    }

    /// A date in the reader's timezone and language (formatted when written).
    pub fn date(&self, at: &DateTime<Utc>) -> LocalTime {
        self.local_time(at, DateStyle::Date)
    }

    /// An instant in the reader's timezone and language, in a given style (chart axes).
    pub fn local_time(&self, at: &DateTime<Utc>, style: DateStyle) -> LocalTime {
        LocalTime {
            at: *at,
            tz: self.tz,
            lang: self.lang,
            style,
        }
    }

    /// A message reference (flash, form error) in the page language.
    pub fn message(&self, message: &Message) -> String {
        message.text(self.lang)
    }

    /// The native name of a language code (the code itself when unknown).
    pub fn language_name(&self, code: &str) -> String {
        code.parse::<Lang>()
            .map_or_else(|_| code.to_owned(), |l| l.native_name().to_owned())
    }

    /// Whether a sub-app is switched on.
    pub fn enabled(&self, app: &str) -> bool {
        self.state.apps.enabled(app)
    }

    /// Whether the reader is an administrator.
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin)
    }

    /// Navbar entries of the enabled sub-apps.
    pub fn nav(&self) -> Vec<Link> {
        self.state
            .apps
            .iter()
            .filter_map(|app| app.nav)
            .map(|nav| Link {
                label: self.t(nav.label),
                url: self.url(nav.path),
                active: self.is_current(nav.path),
            })
            .collect()
    }

    /// Whether this page is `path` or below it (`/pages` for `/pages/3`).
    pub fn is_current(&self, path: &str) -> bool {
        self.path
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// Home-page cards of the enabled sub-apps.
    pub fn cards(&self) -> Vec<Card> {
        let signed_in = if self.user.is_some() { "yes" } else { "no" };
        self.state
            .apps
            .iter()
            .filter_map(|app| app.card)
            .map(|card| Card {
                title: self.t(card.title),
                text: self.t1(card.text, "signed_in", signed_in),
                url: self.url(card.path),
            })
            .collect()
    }

    /// Sections of the admin area contributed by the enabled sub-apps.
    pub fn admin_links(&self) -> Vec<Link> {
        self.state
            .apps
            .iter()
            .flat_map(|app| app.admin.iter())
            .map(|link| Link {
                label: self.t(link.label),
                url: self.url(link.path),
                active: false,
            })
            .collect()
    }

    /// Language switcher entries: each sets the preference and returns to this page.
    pub fn languages(&self) -> Vec<LangLink> {
        Lang::ALL
            .into_iter()
            .map(|lang| LangLink {
                code: lang.code(),
                label: lang.native_name(),
                active: lang == self.lang,
            })
            .collect()
    }

    /// The reader's avatar URL, if any.
    pub fn avatar_url(&self) -> Option<String> {
        self.user.as_ref().and_then(|u| u.avatar_url())
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ctx = parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| AppError::Internal(anyhow::anyhow!("session missing: {msg}")))?;
        let uncacheable = parts.extensions.get::<Uncacheable>().cloned();
        let anon = parts
            .extensions
            .get::<csrf::AnonToken>()
            .cloned()
            .unwrap_or_default();
        Page::build_marking(state, &ctx, &session, uncacheable, anon).await
    }
}

/// The hidden `next` input for `path`.
pub(super) fn next_field(path: &str) -> String {
    let mut value = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '&' => value.push_str("&amp;"),
            '<' => value.push_str("&lt;"),
            '>' => value.push_str("&gt;"),
            '"' => value.push_str("&quot;"),
            '\'' => value.push_str("&#39;"),
            c => value.push(c),
        }
    }
    format!(r#"<input type="hidden" name="next" value="{value}">"#)
}

/// Render a form page: 422 Unprocessable Content when it is shown again because of `invalid`
/// input (its messages are on the page), else 200.
pub fn render_form<T: askama::Template>(template: &T, invalid: bool) -> Result<Response, AppError> {
    let mut response = render(template)?;
    if invalid {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// Render an askama template into an HTML response.
pub fn render<T: askama::Template>(template: &T) -> Result<Response, AppError> {
    // Pages are 5–20 kB, far above askama's size hint: one allocation up front instead of a
    // string that grows (and is copied) several times.
    let mut html = String::with_capacity(T::SIZE_HINT.max(16 * 1024));
    template.render_into(&mut html)?;
    Ok(Html(html).into_response())
}
