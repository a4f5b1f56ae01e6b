//! Which paths may become a `Location` header: only paths that every browser reads as a path
//! on this site.
//!
//! A `Location` starting with `//` or `/\` is a scheme-relative URL to another host (browsers
//! treat `\` as `/` in http URLs, and drop tabs and newlines before parsing), so `/en//evil`
//! redirected to `//evil` is an open redirect. The check decodes percent-escapes first: a path
//! that is only safe while encoded is one careless decode away from being unsafe, and no page
//! of HUD has `//`, `\` or control characters in its path.

use std::borrow::Cow;

/// Longest path accepted as a redirect target.
const MAX_LEN: usize = 2048;

/// Whether `target` (a path with an optional query) is a safe local redirect target.
pub fn is_local(target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    target.len() < MAX_LEN
        && !target.chars().any(char::is_control)
        && path.starts_with('/')
        && is_plain_path(path)
}

/// Whether a path (no query) contains nothing a browser could read as the start of another
/// host: no `//`, no `\`, no control character, also after percent-decoding (decoded twice,
/// against double encoding such as `%252F`).
pub fn is_plain_path(path: &str) -> bool {
    let once = decode(path);
    let twice = decode(&once);
    [path, &once, &twice]
        .iter()
        .all(|p| !p.contains("//") && !p.contains('\\') && !p.chars().any(char::is_control))
}

fn decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_relative_targets_are_refused() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
            "/en//evil.example",
            "/nl/\\evil.example",
            "evil.example",
            "https://evil.example",
            "",
        ] {
            assert!(!is_local(bad), "{bad:?}");
        }
    }

    #[test]
    fn local_paths_pass() {
        for good in [
            "/",
            "/accounts/profile",
            "/nl/pages/3?at=2024-01-01T00:00:00Z",
            "/search?q=a//b",
            "/pages/%C3%A9",
        ] {
            assert!(is_local(good), "{good:?}");
        }
    }
}
