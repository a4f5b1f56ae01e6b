//! The language of a page, and its stopwords.
//!
//! For the five languages HUD speaks (en, nl, sv, nb, fr) and their neighbours the strongest
//! signal is how many of the page's words are that language's stopwords: it tells Bokmål from
//! Danish, where n-gram detectors (whatlang) are unsure. When no supported language clearly
//! wins, whatlang names the language (if confident), then the page's own `lang` attribute.
//! Stopword lists come from the `stop-words` crate (Stopwords ISO), for every language it has.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, LazyLock, Mutex},
};

use super::words::for_each_token;

/// The languages whose stopword hits decide first (ISO 639-1; Bokmål is `nb`): the five HUD
/// speaks, and their neighbours, so a Danish page is not taken for Bokmål nor German for Dutch.
const PRIMARY: [&str; 12] = [
    "en", "nl", "sv", "nb", "fr", "da", "de", "es", "it", "pt", "fi", "pl",
];
/// Tokens looked at for detection.
const SAMPLE: usize = 3000;
/// A language wins with at least this many stopword hits…
const MIN_HITS: usize = 5;
/// …and at least this share of the sampled tokens.
const MIN_SHARE: f64 = 0.08;

/// The ISO 639-1 code `stop-words` uses for a language code of ours.
fn stopword_code(code: &str) -> &str {
    match code {
        // Stopwords ISO files Norwegian under `no`.
        "nb" | "nn" => "no",
        other => other,
    }
}

static STOPWORDS: LazyLock<Mutex<HashMap<String, Arc<HashSet<String>>>>> =
    LazyLock::new(Default::default);

/// The stopwords of a language (empty for a language without a list).
pub fn stopwords(code: &str) -> Arc<HashSet<String>> {
    let mut lists = STOPWORDS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    lists
        .entry(code.to_owned())
        .or_insert_with(|| {
            let words = stop_words::lookup(stopword_code(code)).unwrap_or(&[]);
            Arc::new(words.iter().map(|w| w.to_lowercase()).collect())
        })
        .clone()
}

/// whatlang's ISO 639-3 codes of the languages `stop-words` has lists for, as ISO 639-1.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Nld => "nl",
        Swe => "sv",
        Nob => "nb",
        Fra => "fr",
        Deu => "de",
        Dan => "da",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Fin => "fi",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Ces => "cs",
        Hun => "hu",
        Ron => "ro",
        Tur => "tr",
        Ell => "el",
        _ => return None,
    })
}

/// For each stopword of the [`PRIMARY`] languages, which of them list it (bit `i`:
/// `PRIMARY[i]`): one lookup per token instead of one per language.
static PRIMARY_STOPWORDS: LazyLock<HashMap<String, u16>> = LazyLock::new(|| {
    let mut map: HashMap<String, u16> = HashMap::new();
    for (i, code) in PRIMARY.iter().enumerate() {
        for word in stopwords(code).iter() {
            *map.entry(word.clone()).or_insert(0) |= 1 << i;
        }
    }
    map
});

/// Stopword hits per [`PRIMARY`] language over the first [`SAMPLE`] tokens.
#[derive(Default)]
struct Tally {
    hits: [usize; PRIMARY.len()],
    seen: usize,
}

impl Tally {
    fn add(&mut self, word: &str) {
        if self.seen >= SAMPLE {
            return;
        }
        self.seen += 1;
        if let Some(&languages) = PRIMARY_STOPWORDS.get(word) {
            for (i, hits) in self.hits.iter_mut().enumerate() {
                if languages & (1 << i) != 0 {
                    *hits += 1;
                }
            }
        }
    }

    fn winner(&self) -> Option<&'static str> {
        let (best, best_hits) = self
            .hits
            .iter()
            .enumerate()
            .max_by_key(|(i, h)| (**h, std::cmp::Reverse(*i)))
            .map_or((0, 0), |(i, h)| (i, *h));
        (best_hits >= MIN_HITS && best_hits as f64 >= MIN_SHARE * self.seen as f64)
            .then(|| PRIMARY[best])
    }
}

/// The language whose stopwords clearly dominate `text` (its first [`SAMPLE`] tokens), among
/// [`PRIMARY`] — the strong signal of [`detect`].
pub fn by_stopwords(text: &str) -> Option<&'static str> {
    let mut tally = Tally::default();
    // Stopwords are short: count them from the tokenizer, which drops 1–2 letter tokens, so
    // this favours the longer function words ("the", "het", "och", "ikke", "les").
    for_each_token(text, |word| tally.add(word));
    tally.winner()
}

/// [`by_stopwords`] of words already tokenised (one passage of a page, `super::passages`).
pub fn by_stopwords_of<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let mut tally = Tally::default();
    for word in words {
        tally.add(word);
    }
    tally.winner()
}

/// The language of a page's text (`html_lang`: its `lang` attribute, if any).
pub fn detect(text: &str, html_lang: Option<&str>) -> Option<String> {
    if let Some(code) = by_stopwords(text) {
        return Some(code.to_owned());
    }
    if let Some(info) = whatlang::detect(text)
        && info.is_reliable()
        && let Some(code) = iso639_1(info.lang())
    {
        return Some(code.to_owned());
    }
    html_lang
        .and_then(|l| l.split(['-', '_']).next())
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_five_languages_apart() {
        let samples = [
            (
                "en",
                "The quick brown fox jumps over the lazy dog because there was nothing else that they could have done with their time.",
            ),
            (
                "nl",
                "De snelle bruine vos springt over de luie hond omdat er niets anders was dat zij met hun tijd hadden kunnen doen.",
            ),
            (
                "sv",
                "Den snabba bruna räven hoppar över den lata hunden eftersom det inte fanns något annat som de kunde ha gjort med sin tid.",
            ),
            (
                "nb",
                "Den raske brune reven hopper over den late hunden fordi det ikke var noe annet som de kunne ha gjort med tiden sin.",
            ),
            (
                "fr",
                "Le rapide renard brun saute par-dessus le chien paresseux parce qu'il n'y avait rien d'autre qu'ils auraient pu faire de leur temps.",
            ),
        ];
        for (code, text) in samples {
            assert_eq!(detect(text, None).as_deref(), Some(code), "{text}");
        }
    }

    #[test]
    fn falls_back_to_whatlang_then_the_lang_attribute() {
        let german = "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller staatlichen Gewalt.";
        assert_eq!(detect(german, None).as_deref(), Some("de"));
        assert_eq!(detect("zzz qqq", Some("pt-BR")).as_deref(), Some("pt"));
        assert_eq!(detect("zzz qqq", Some("<script>")), None);
    }

    #[test]
    fn stopword_lists_exist_for_the_five_languages() {
        for code in ["en", "nl", "sv", "nb", "fr"] {
            assert!(stopwords(code).len() > 50, "{code}");
        }
        assert!(stopwords("en").contains("the"));
        assert!(stopwords("nb").contains("ikke"));
        assert!(stopwords("xx").is_empty());
    }
}
