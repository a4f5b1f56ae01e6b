//! `Accept-Language` negotiation with q-values, mapping Norwegian variants to Bokmål.

use super::Lang;

/// Map one language range (`nl-BE`, `no`, `*`) to a supported language, if any.
fn match_range(range: &str) -> Option<Lang> {
    let primary = range.split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Lang::En),
        "nl" => Some(Lang::Nl),
        "sv" => Some(Lang::Sv),
        // Norwegian: `no` is the macrolanguage and Nynorsk readers read Bokmål far better than
        // any other language we offer.
        "nb" | "no" | "nn" => Some(Lang::Nb),
        "fr" => Some(Lang::Fr),
        _ => None,
    }
}

/// The best supported language for an `Accept-Language` header, honouring q-values.
///
/// Ranges with `q=0` are refused; among equal weights the earlier range wins. Malformed
/// parts are skipped rather than failing the whole header.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (position, part) in header.split(',').enumerate().take(64) {
        let mut pieces = part.split(';');
        let range = pieces.next().unwrap_or("").trim();
        let mut q = 1.0f32;
        for param in pieces {
            if let Some(v) = param.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if !(q > 0.0 && q <= 1.0) || range.is_empty() {
            continue;
        }
        let Some(lang) = match_range(range) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((bq, bpos, _)) => q > bq || (q == bq && position < bpos),
        };
        if better {
            best = Some((q, position, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_q_values_and_variants() {
        assert_eq!(
            from_accept_language("de, fr;q=0.5, nl;q=0.8"),
            Some(Lang::Nl)
        );
        assert_eq!(from_accept_language("nn-NO,en;q=0.3"), Some(Lang::Nb));
        assert_eq!(from_accept_language("no"), Some(Lang::Nb));
        assert_eq!(
            from_accept_language("sv-SE;q=0.9, en-GB;q=0.9"),
            Some(Lang::Sv)
        );
        assert_eq!(from_accept_language("fr;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language("de, ja"), None);
        assert_eq!(from_accept_language(";;;,q=,fr;q=abc"), None);
        assert_eq!(from_accept_language(""), None);
    }
}
