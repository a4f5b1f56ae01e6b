//! Cached template fragments: the navbar, the footer and the profile card are rendered once per
//! combination of what they vary on and then served from the local cache tier.
//!
//! The key names every input: language, URL prefix, timezone, the user (id, name, admin flag,
//! avatar version — all from the cached current user, which every write invalidates), the
//! enabled sub-apps and the active navbar entry; the cache version and generation are in every
//! key's prefix. The two per-request values — the CSRF token and the current path in the
//! language switcher's `next` field — are swapped for placeholders before storing and put back on each use.

use std::{
    fmt::{self, Write},
    time::Duration,
};

use askama::Template;

use super::{Page, page::next_field};
use crate::cache::{CacheKey, Fragment};

const CSRF_MARK: &str = "\u{1}csrf\u{1}";
const NEXT_MARK: &str = "\u{1}next\u{1}";
const LIFETIME: Duration = Duration::from_secs(600);

/// The navbar.
#[derive(Template)]
#[template(path = "partials/navbar.html")]
struct NavbarTemplate<'a> {
    page: &'a Page,
}

/// The footer.
#[derive(Template)]
#[template(path = "partials/footer.html")]
struct FooterTemplate<'a> {
    page: &'a Page,
}

impl Page {
    fn fragment_key(&self, name: &'static str) -> CacheKey {
        // The navbar and the footer share everything but their name: build that part once.
        let base = self.fragment_base().get_or_init(|| {
            let key = CacheKey::new("fragment")
                .field("lang", self.lang)
                .field("prefix", self.prefix())
                .field("apps", self.state().apps.key());
            match &self.user {
                Some(u) => key
                    .field("user", u.id)
                    .field("name", &u.username)
                    .field("admin", u.is_admin)
                    .field("avatar", u.avatar_version),
                None => key.field("user", "anon"),
            }
        });
        base.clone().field("fragment", name)
    }

    /// The navbar, from the fragment cache, with this request's values put back as the page
    /// writes it.
    pub fn navbar(&self) -> Filled<'_> {
        let active = self
            .state()
            .apps
            .iter()
            .filter_map(|app| app.nav)
            .position(|nav| self.is_current(nav.path))
            .map_or(-1, |i| i as i64);
        let key = self.fragment_key("navbar").field("active", active);
        let csrf = self.user.as_ref().map(|_| self.csrf());
        let next = next_field(&self.path);
        let html = self.state().cache.fragment(&key, LIFETIME, || {
            let html = NavbarTemplate { page: self }.render().ok()?;
            let html = match csrf {
                Some(token) => html.replace(token, CSRF_MARK),
                None => html,
            };
            Some(html.replace(&next, NEXT_MARK))
        });
        Filled {
            html,
            next,
            csrf: csrf.unwrap_or_default(),
        }
    }

    /// The footer, from the fragment cache.
    pub fn footer(&self) -> Option<Fragment> {
        let key = self.fragment_key("footer").field("tz", self.tz.name());
        self.state().cache.fragment(&key, LIFETIME, || {
            FooterTemplate { page: self }.render().ok()
        })
    }
}

/// A cached fragment and the per-request values that go back into it.
pub struct Filled<'a> {
    html: Option<Fragment>,
    next: String,
    csrf: &'a str,
}

/// Writes the fragment with this request's values put back, in one pass and straight into
/// the page.
impl fmt::Display for Filled<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(html) = &self.html else {
            return Ok(());
        };
        let mut rest = html.as_str();
        while let Some(at) = rest.find('\u{1}') {
            out.write_str(&rest[..at])?;
            let tail = &rest[at..];
            rest = if let Some(after) = tail.strip_prefix(CSRF_MARK) {
                out.write_str(self.csrf)?;
                after
            } else if let Some(after) = tail.strip_prefix(NEXT_MARK) {
                out.write_str(&self.next)?;
                after
            } else {
                out.write_char('\u{1}')?;
                &tail[1..]
            };
        }
        out.write_str(rest)
    }
}

impl Page {
    /// Any other fragment: `vary` must name everything the fragment depends on beyond the
    /// language, prefix, enabled apps and the reader (which are always part of the key).
    pub fn cached_fragment(
        &self,
        name: &'static str,
        vary: &str,
        render: impl FnOnce() -> Option<String>,
    ) -> String {
        let key = self
            .fragment_key(name)
            .field("tz", self.tz.name())
            .field("vary", vary);
        self.state()
            .cache
            .fragment(&key, LIFETIME, render)
            .map(|html| html.as_str().to_owned())
            .unwrap_or_default()
    }
}
