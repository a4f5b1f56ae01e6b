//! Text processing shared by the crawler (word clouds) and the search: words as HUD stores
//! them (tokenising, case folding, NFC), per-language stopwords and language detection, and
//! pages whose passages are in different languages. A query must be cut into words exactly as
//! the pages were, so both sub-apps use this one module.

pub mod language;
pub mod passages;
pub mod words;
