//! Cached template fragments: the navbar, the footer and the profile card are rendered once per
//! combination of what they vary on and then served from the local cache tier.
//!
//! The key names every input: language, URL prefix, timezone, the user (id, name, admin flag,
//! avatar version — all from the cached current user, which every write invalidates), the
//! enabled sub-apps and the active navbar entry; the cache version and generation are in every
//! key's prefix.
//!
//! Two values of the navbar differ per request — the CSRF token of its forms and the current
//! path in the language switcher's `next` field — so the template is rendered with
//! placeholders in their slots (`csrf_slot`, `next_slot`; marked by U+0001, which escaping
//! keeps and no text of a page contains), and [`Filled`] writes this request's values into
//! them as the page is written. Nothing per request is ever stored.

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
    /// Where the forms' CSRF token goes.
    csrf_slot: &'static str,
    /// Where the language switcher's `next` field goes.
    next_slot: &'static str,
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
            NavbarTemplate {
                page: self,
                csrf_slot: CSRF_MARK,
                next_slot: NEXT_MARK,
            }
            .render()
            .ok()
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

/// Writes the fragment with this request's values in its slots, in one pass and straight into
/// the page.
impl fmt::Display for Filled<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.html {
            Some(html) => fill_slots(html.as_str(), self.csrf, &self.next, out),
            None => Ok(()),
        }
    }
}

/// Write `html` with `csrf` and `next` in place of their slots' placeholders.
fn fill_slots(html: &str, csrf: &str, next: &str, out: &mut impl Write) -> fmt::Result {
    let mut rest = html;
    while let Some(at) = rest.find('\u{1}') {
        out.write_str(&rest[..at])?;
        let tail = &rest[at..];
        rest = if let Some(after) = tail.strip_prefix(CSRF_MARK) {
            out.write_str(csrf)?;
            after
        } else if let Some(after) = tail.strip_prefix(NEXT_MARK) {
            out.write_str(next)?;
            after
        } else {
            out.write_char('\u{1}')?;
            &tail[1..]
        };
    }
    out.write_str(rest)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slot_gets_this_requests_value_and_other_text_is_kept() {
        let html = format!(
            "<form>{NEXT_MARK}<input name=csrf_token value=\"{CSRF_MARK}\"></form>\
             <form><input name=csrf_token value=\"{CSRF_MARK}\"></form>\u{1}x"
        );
        let mut out = String::new();
        fill_slots(&html, "tok", "<input name=next value=\"/p\">", &mut out).unwrap();
        assert_eq!(
            out,
            "<form><input name=next value=\"/p\"><input name=csrf_token value=\"tok\"></form>\
             <form><input name=csrf_token value=\"tok\"></form>\u{1}x"
        );
    }
}
