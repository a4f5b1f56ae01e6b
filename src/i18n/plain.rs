//! Memoized messages without arguments.
//!
//! A fluent lookup negotiates the fallback chain and walks the message's pattern on every call;
//! pages ask for the same few dozen labels on every request (table headers, buttons, the date
//! patterns). A message without arguments always formats to the same text, so each language
//! keeps the texts it has produced. The set is bounded by the message ids compiled into the
//! binary (ids come from code, never from requests).

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, RwLock},
};

use super::Lang;

type Texts = RwLock<HashMap<Box<str>, Arc<str>>>;

static TEXTS: LazyLock<[Texts; Lang::ALL.len()]> = LazyLock::new(Default::default);

/// The text of `id` in `lang`, formatted by `format` the first time only.
pub(super) fn lookup(lang: Lang, id: &str, format: impl FnOnce() -> String) -> String {
    let texts = &TEXTS[lang.index()];
    if let Some(text) = texts.read().unwrap_or_else(|e| e.into_inner()).get(id) {
        return text.as_ref().to_owned();
    }
    let text = format();
    texts
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .entry(id.into())
        .or_insert_with(|| text.as_str().into());
    text
}
