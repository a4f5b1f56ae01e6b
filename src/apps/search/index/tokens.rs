//! The one place the search core meets HUD's tokenizer: query words are cut and folded by the
//! very function the crawler uses on page text (`text::words::for_each_token`: NFC,
//! lower case, 3–40 letters, no digits), so a query word is spelt as the stored words are.
//!
//! This is the search core's only import from another sub-app. The tokenizer is shared text
//! processing and belongs a layer down (e.g. `src/text/`); until it moves, this file keeps the
//! dependency in one line.

use crate::text::words;

/// Call `each` with every word of `text`, folded as stored (before stopword removal).
pub(crate) fn for_each_word(text: &str, each: impl FnMut(&str)) {
    words::for_each_token(text, each);
}
