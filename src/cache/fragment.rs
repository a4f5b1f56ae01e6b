//! A rendered template fragment as the local tier holds it, lent to the page without copying.

use std::{fmt, sync::Arc};

use super::codec::Item;

/// Cached HTML: the local-tier item itself.
#[derive(Clone)]
pub struct Fragment(Arc<Item>);

impl Fragment {
    pub(super) fn new(item: Arc<Item>) -> Self {
        Fragment(item)
    }

    /// The HTML. Only [`Cache::fragment`](super::Cache::fragment) stores fragments, always
    /// from a `String`; bytes that are somehow not UTF-8 read as an empty fragment.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0.payload).unwrap_or_default()
    }
}

impl fmt::Display for Fragment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
