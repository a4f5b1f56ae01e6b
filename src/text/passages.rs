//! Pages that mix languages — partly translated documentation, a quotation, a summary in
//! English under a Dutch article. The page's language is still the one of the whole text (and
//! stored as such), but its words are counted passage by passage: the text is cut at block
//! boundaries (the line breaks the HTML extraction puts there) into passages of at least
//! [`PASSAGE_TOKENS`] tokens, each passage's language is judged on its own by its stopwords,
//! and each passage loses its own language's stopwords as well as the page's. Without that,
//! the biggest words of such a page's cloud are "the", "and", "for".

use super::{
    language,
    words::{Counts, for_each_token},
};

/// Tokens a passage gathers before its language is judged: shorter blocks (a heading, a list
/// item) join the ones after them, since a handful of words cannot tell languages apart.
pub const PASSAGE_TOKENS: usize = 40;

/// The word counts of `text` (sorted by word) without the stopwords of `page_language` nor
/// those of each passage's own language.
pub fn count(text: &str, page_language: Option<&str>) -> Vec<(String, i32)> {
    let page_stopwords = page_language.map(language::stopwords).unwrap_or_default();
    let mut counts = Counts::default();
    for passage in passages(text) {
        let own = language::by_stopwords(passage)
            .filter(|code| Some(*code) != page_language)
            .map(language::stopwords);
        counts.add(passage, |word| {
            page_stopwords.contains(word) || own.as_ref().is_some_and(|list| list.contains(word))
        });
    }
    counts.sorted()
}

/// `text` cut at line breaks into runs of at least [`PASSAGE_TOKENS`] tokens; a short rest
/// joins the passage before it.
pub fn passages(text: &str) -> Vec<&str> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
        for_each_token(line, |_| tokens += 1);
        if tokens >= PASSAGE_TOKENS {
            cuts.push((start, end));
            (start, tokens) = (end, 0);
        }
    }
    if start < end {
        match cuts.last_mut() {
            Some(last) if tokens < PASSAGE_TOKENS => last.1 = end,
            _ => cuts.push((start, end)),
        }
    }
    cuts.into_iter().map(|(from, to)| &text[from..to]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(word: &str, n: usize) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn passages_gather_short_blocks_and_keep_every_byte() {
        let long = sentence("word", PASSAGE_TOKENS);
        let text = format!("Title\n{long}\nshort line\n{long}\ntail");
        let cut = passages(&text);
        assert_eq!(cut.concat(), text, "nothing lost or doubled");
        assert_eq!(cut.len(), 2);
        assert!(
            cut[0].starts_with("Title\n"),
            "a heading joins what follows"
        );
        assert!(
            cut[1].ends_with("tail"),
            "a short rest joins the passage before"
        );
        assert_eq!(passages("only a few words"), ["only a few words"]);
        assert!(passages("").is_empty());
    }
}
