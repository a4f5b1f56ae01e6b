//! From visible text to word counts: Unicode-aware tokenisation, case folding, stopwords.
//!
//! A token is a maximal run of letters (any script; combining marks stay with their letter, and
//! text is NFC-normalised first so "Übersicht" typed with a combining umlaut counts as the
//! precomposed word). Runs touching a digit are dropped (numbers, "mp3", "covid19"), as are
//! whole URLs and e-mail addresses, tokens shorter than [`MIN_CHARS`] or longer than
//! [`MAX_CHARS`], and the stopwords of the page's language. Apostrophes and hyphens split words
//! ("l'homme" → "homme"), which is what search engines do for French elision too.
//!
//! Counting is deterministic: the same text always gives the same counts, sorted by word.

use std::collections::{HashMap, HashSet};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Shortest word kept, in characters.
pub const MIN_CHARS: usize = 3;
/// Longest word kept, in characters (longer runs are noise: hashes, base64, glued text).
pub const MAX_CHARS: usize = 40;

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

/// Combining diacritical marks (the blocks real text uses); they belong to the letter before.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Whether a white-space separated chunk is a URL or an e-mail address (dropped whole).
fn is_address(chunk: &str) -> bool {
    chunk.contains("://")
        || chunk.starts_with("www.")
        || (chunk.contains('@') && chunk.contains('.'))
}

/// Call `each` with every kept token, lower-cased, in text order (before stopword removal).
pub fn for_each_token(text: &str, mut each: impl FnMut(&str)) {
    let normalized: std::borrow::Cow<'_, str> = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text.into(),
        _ => text.nfc().collect::<String>().into(),
    };
    let mut lower = String::with_capacity(64);
    for chunk in normalized.split_whitespace() {
        if is_address(chunk) {
            continue;
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            // Skip to the next word character.
            let Some(start) = rest.find(is_word_char) else {
                break;
            };
            let before = &rest[..start];
            rest = &rest[start..];
            let end = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            // A run glued to a digit on either side is part of a number or a code.
            let digit_before = before.chars().next_back().is_some_and(char::is_numeric);
            let digit_after = rest.chars().next().is_some_and(char::is_numeric);
            if digit_before || digit_after {
                continue;
            }
            let chars = word.chars().filter(|c| !is_combining_mark(*c)).count();
            if !(MIN_CHARS..=MAX_CHARS).contains(&chars) {
                continue;
            }
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            each(&lower);
        }
    }
}

/// Count the words of `text`, leaving out `stopwords`; sorted by word.
pub fn count(text: &str, stopwords: &HashSet<String>) -> Vec<(String, i32)> {
    let mut counts = Counts::default();
    counts.add(text, |word| stopwords.contains(word));
    counts.sorted()
}

/// Word counts gathered from several texts (the passages of one page), each with its own
/// stopwords.
#[derive(Debug, Default)]
pub struct Counts(HashMap<String, i32>);

impl Counts {
    /// Count the words of `text` that are not stopwords by `is_stopword`.
    pub fn add(&mut self, text: &str, is_stopword: impl Fn(&str) -> bool) {
        for_each_token(text, |word| {
            if is_stopword(word) {
                return;
            }
            if let Some(n) = self.0.get_mut(word) {
                *n += 1;
            } else {
                self.0.insert(word.to_owned(), 1);
            }
        });
    }

    /// Count `words` (as [`for_each_token`] yields them) that are not stopwords by
    /// `is_stopword`.
    pub fn add_words(&mut self, words: &[String], is_stopword: impl Fn(&str) -> bool) {
        for word in words {
            if is_stopword(word) {
                continue;
            }
            if let Some(n) = self.0.get_mut(word.as_str()) {
                *n += 1;
            } else {
                self.0.insert(word.clone(), 1);
            }
        }
    }

    /// The counts, sorted by word.
    pub fn sorted(self) -> Vec<(String, i32)> {
        let mut sorted: Vec<(String, i32)> = self.0.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn keeps_letters_of_every_script_and_folds_case() {
        assert_eq!(
            tokens("Übersicht, FRANÇAIS! smörgåsbord — Ελληνικά Привет"),
            ["übersicht", "français", "smörgåsbord", "ελληνικά", "привет"]
        );
        // A decomposed umlaut (U + combining diaeresis) is the same word.
        assert_eq!(tokens("U\u{308}bersicht"), ["übersicht"]);
    }

    #[test]
    fn drops_numbers_urls_punctuation_and_short_tokens() {
        assert_eq!(
            tokens(
                "In 2024 see https://example.org/x?y=1 or www.hud.test, mail ann@example.org; mp3 covid19 ok it's l'homme"
            ),
            ["see", "mail", "homme"]
        );
        assert!(tokens(&"a".repeat(41)).is_empty());
        assert!(tokens("... --- !!! 12,5 %").is_empty());
    }

    #[test]
    fn counts_are_deterministic_and_skip_stopwords() {
        let stop: HashSet<String> = ["the".to_owned()].into();
        let text = "The cat and the hat. The CAT!";
        let counts = count(text, &stop);
        assert_eq!(
            counts,
            [
                ("and".to_owned(), 1),
                ("cat".to_owned(), 2),
                ("hat".to_owned(), 1)
            ]
        );
        assert_eq!(count(text, &stop), counts);
    }
}
