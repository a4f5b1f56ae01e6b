//! Memoized messages without arguments.
//!
//! A fluent lookup negotiates the fallback chain and walks the message's pattern on every call;
//! pages ask for the same few dozen labels on every request (table headers, buttons, the date
//! patterns). A message without arguments always formats to the same text, so each language
//! keeps the texts it has produced. The set is bounded by the message ids compiled into the
//! binary (ids come from code, never from requests), so the texts are leaked once and handed out
//! as `&'static str`: a page writes each label without allocating a copy.

use std::{
    collections::HashMap,
    sync::{LazyLock, RwLock},
};

use super::Lang;

type Texts = RwLock<HashMap<&'static str, &'static str>>;

static TEXTS: LazyLock<[Texts; Lang::ALL.len()]> = LazyLock::new(Default::default);

/// The text of `id` in `lang`, formatted by `format` the first time only.
pub(super) fn lookup(lang: Lang, id: &str, format: impl FnOnce() -> String) -> &'static str {
    let texts = &TEXTS[lang.index()];
    if let Some(text) = texts
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(id)
    {
        return text;
    }
    let text = format();
    let mut texts = texts
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Another thread may have formatted it meanwhile: keep (and leak) only the first copy.
    if let Some(text) = texts.get(id) {
        return text;
    }
    let id: &'static str = Box::leak(id.into());
    let text: &'static str = Box::leak(text.into_boxed_str());
    texts.insert(id, text);
    text
}
