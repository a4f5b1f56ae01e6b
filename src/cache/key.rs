//! Cache keys: model name + lookup fields + values, made safe for memcached.
//!
//! `CacheKey::new("page").field("id", 10)` is `page:id=10`. Values are percent-encoded (every
//! byte outside `A-Z a-z 0-9 . _ -`), so any value — spaces, control characters, any Unicode —
//! gives a key of printable ASCII without spaces, and the encoding is injective (distinct
//! field lists give distinct texts). The full key adds the cache version prefix; when it would
//! exceed memcached's 250-byte limit, the tail is replaced by a BLAKE3 hash of the whole text,
//! keeping a readable prefix. Hashed keys contain `~`, which an encoded key never does, so the
//! two forms cannot collide either.

use std::fmt::{self, Write};

/// memcached's maximum key length.
pub const MAX_KEY_LEN: usize = 250;
/// How much readable text a hashed key keeps.
const READABLE_PREFIX: usize = MAX_KEY_LEN - 1 - 64;

/// A key under a namespace (the model or fragment name), without version prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    namespace: &'static str,
    text: String,
}

impl CacheKey {
    /// A key in `namespace` (a lower-case identifier such as `user` or `page_word_counts`).
    pub fn new(namespace: &'static str) -> Self {
        debug_assert!(
            namespace
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "namespace {namespace:?} must be a lower-case identifier"
        );
        // Room for a few fields up front: growing the text field by field reallocated it.
        let mut text = String::with_capacity(namespace.len() + 96);
        text.push_str(namespace);
        CacheKey { namespace, text }
    }

    /// Add a lookup field and its value.
    pub fn field(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        let separator = if self.text.len() == self.namespace.len() {
            ':'
        } else {
            ','
        };
        self.text.push(separator);
        self.text.push_str(name);
        self.text.push('=');
        // Encoded as it is formatted: no intermediate string per field.
        let _ = write!(Encoder(&mut self.text), "{value}");
        self
    }

    /// The namespace (for metrics and invalidation).
    pub fn namespace(&self) -> &'static str {
        self.namespace
    }

    /// The key text without version prefix (`page:id=10`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The memcached key: `prefix` + text, hashed down to at most 250 bytes when longer.
    pub fn full(&self, prefix: &str) -> String {
        full_key(prefix, &self.text)
    }
}

/// The memcached key of a key's text (as [`CacheKey::as_str`] gives it, e.g. from the
/// invalidation log) under `prefix`.
pub fn full_key(prefix: &str, text: &str) -> String {
    let mut full = String::with_capacity(prefix.len() + text.len());
    full.push_str(prefix);
    full.push_str(text);
    if full.len() <= MAX_KEY_LEN {
        return full;
    }
    let hash = blake3::hash(full.as_bytes()).to_hex();
    // Everything is ASCII, so any byte index is a character boundary.
    let mut short = full[..READABLE_PREFIX].to_owned();
    short.push('~');
    short.push_str(&hash);
    short
}

impl fmt::Display for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Writes what is formatted into it percent-encoded (byte-wise, so split writes encode alike).
struct Encoder<'a>(&'a mut String);

impl fmt::Write for Encoder<'_> {
    fn write_str(&mut self, raw: &str) -> fmt::Result {
        encode_into(raw, self.0);
        Ok(())
    }
}

fn encode_into(raw: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut run_start = 0;
    for (i, byte) in raw.bytes().enumerate() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            continue;
        }
        // A run of safe bytes is ASCII, so it starts and ends on character boundaries.
        if run_start < i {
            out.push_str(&raw[run_start..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
        run_start = i + 1;
    }
    if run_start < raw.len() {
        out.push_str(&raw[run_start..]);
    }
}

/// Whether `key` is acceptable to memcached: 1–250 bytes, printable ASCII, no spaces.
pub fn is_valid_memcached_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn readable_keys() {
        assert_eq!(CacheKey::new("page").field("id", 10).as_str(), "page:id=10");
        assert_eq!(
            CacheKey::new("page_word_counts")
                .field("page", 10)
                .field("lang", "nl")
                .as_str(),
            "page_word_counts:page=10,lang=nl"
        );
        assert_eq!(
            CacheKey::new("user").field("name", "a b:c").as_str(),
            "user:name=a%20b%3Ac"
        );
    }

    #[test]
    fn long_keys_are_hashed_with_a_readable_prefix() {
        let key = CacheKey::new("search").field("q", "x".repeat(10_000));
        let full = key.full("hud1.3.0:");
        assert!(
            full.len() <= MAX_KEY_LEN && is_valid_memcached_key(&full),
            "{}",
            full.len()
        );
        assert!(full.starts_with("hud1.3.0:search:q=xxx"));
        assert!(full.contains('~'));
    }

    proptest! {
        #[test]
        fn any_values_give_valid_distinct_keys(
            a in proptest::collection::vec(any::<String>(), 1..4),
            b in proptest::collection::vec(any::<String>(), 1..4),
            long in "\\PC{0,3000}",
        ) {
            let build = |values: &[String]| {
                values.iter().fold(CacheKey::new("ns"), |k, v| k.field("f", v)).full("hud1.1.0:")
            };
            let ka = build(&a);
            let kb = build(&b);
            prop_assert!(is_valid_memcached_key(&ka), "{ka}");
            prop_assert!(is_valid_memcached_key(&build(&[long])));
            if a != b {
                prop_assert_ne!(ka, kb);
            } else {
                prop_assert_eq!(ka, kb);
            }
        }
    }

    #[test]
    fn no_collisions_among_tricky_values() {
        let values = [
            "", " ", "%20", "a,f=b", "a", "a\u{0}", "\n", "é", "e\u{301}", "~", "%7E",
        ];
        let mut seen = HashMap::new();
        for x in values {
            for y in values {
                let key = CacheKey::new("ns").field("f", x).field("g", y).full("p:");
                assert!(is_valid_memcached_key(&key));
                assert!(
                    seen.insert(key.clone(), (x, y)).is_none(),
                    "collision {key}"
                );
            }
        }
    }
}
