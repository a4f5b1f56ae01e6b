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
/// those of each passage's own language. Each line is tokenised once; a short rest at the end
/// is taken to be in the language of the passage before it.
pub fn count(text: &str, page_language: Option<&str>) -> Vec<(String, i32)> {
    let page_stopwords = page_language.map(language::stopwords).unwrap_or_default();
    let mut counts = Counts::default();
    let mut passage: Vec<String> = Vec::with_capacity(2 * PASSAGE_TOKENS);
    let mut before: Option<Option<&'static str>> = None;
    let mut flush = |passage: &mut Vec<String>, own: Option<&'static str>| {
        let own = own
            .filter(|code| Some(*code) != page_language)
            .map(language::stopwords);
        counts.add_words(passage, |word| {
            page_stopwords.contains(word) || own.as_ref().is_some_and(|list| list.contains(word))
        });
        passage.clear();
    };
    for line in text.split_inclusive('\n') {
        for_each_token(line, |word| passage.push(word.to_owned()));
        if passage.len() >= PASSAGE_TOKENS {
            let own = language::by_stopwords_of(passage.iter().map(String::as_str));
            flush(&mut passage, own);
            before = Some(own);
        }
    }
    if !passage.is_empty() {
        let own =
            before.unwrap_or_else(|| language::by_stopwords_of(passage.iter().map(String::as_str)));
        flush(&mut passage, own);
    }
    counts.sorted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_passage_loses_its_own_languages_stopwords() {
        let dutch = "Iedereen heeft het recht op vrijheid van mening en van meningsuiting; dit \
                     recht omvat de vrijheid om zonder inmenging een mening te koesteren en om \
                     door alle middelen en ongeacht grenzen inlichtingen en denkbeelden op te \
                     sporen, te ontvangen en door te geven, want dat is wat het is.";
        let english = "Everyone has the right to freedom of opinion and expression; this right \
                       includes freedom to hold opinions without interference and to seek, \
                       receive and impart information and ideas through any media and \
                       regardless of frontiers, and that is what it is for the people.";
        let text = format!("Titel\n{dutch}\n{english}\nand the end");
        let counts = count(&text, Some("nl"));
        let has = |word: &str| counts.iter().any(|(w, _)| w == word);
        for stopword in ["het", "van", "the", "and", "that", "for"] {
            assert!(!has(stopword), "{stopword}");
        }
        for word in ["vrijheid", "mening", "freedom", "opinion", "titel"] {
            assert!(has(word), "{word}");
        }
        // Without passages, the English passage keeps its stopwords.
        let naive = crate::text::words::count(&text, &language::stopwords("nl"));
        assert!(naive.iter().any(|(w, _)| w == "the"));
        assert!(count("", Some("en")).is_empty());
    }
}
