//! Relevance: BM25 over the stored counts, with a mild preference for recent crawls.
//!
//! For each non-negated query word, a row scores the BM25 weight of the best of the stored
//! words that word matched in the row (so a prefix with many forms counts once):
//!
//! ```text
//! idf(w)     = ln(1 + (N − df + 0.5) / (df + 0.5))            N rows, df rows holding w
//! bm25(w, r) = idf · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avglen))   k1 = 1.2, b = 0.75
//! ```
//!
//! with tf the word's count in the row and len the row's length in words; a match with typos
//! weighs 1 / (1 + typos). The sum is multiplied by the recency factor
//! `1 + 0.1 · 2^(−age / 30 days)`, age counted from the index's newest crawl (not the clock:
//! results do not drift between rebuilds). So a crawl from today gains 10 % over one from
//! months ago and can only reorder near-ties; when all crawls share one time (the Cranfield
//! test) the factor is the same for every row and the order is plain BM25.

use chrono::{DateTime, Utc};

use super::store::{Index, RowEntry};

/// BM25 term-frequency saturation.
pub const K1: f64 = 1.2;
/// BM25 length normalisation.
pub const B: f64 = 0.75;
/// Extra weight of a crawl from the index's newest moment (10 %).
pub const RECENCY_WEIGHT: f64 = 0.1;
/// Age at which the recency bonus halves, in days.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 30.0;

/// Scores rows of one index.
pub(crate) struct Scorer {
    rows: f64,
    mean_length: f64,
    newest: Option<DateTime<Utc>>,
}

impl Scorer {
    pub(crate) fn new(index: &Index) -> Scorer {
        Scorer {
            rows: index.rows.len() as f64,
            mean_length: index.mean_length.max(1.0),
            newest: index.rows.first().map(|r| r.crawl_time),
        }
    }

    /// Inverse document frequency of a word held by `df` rows.
    pub(crate) fn idf(&self, df: u32) -> f64 {
        let df = f64::from(df);
        (1.0 + (self.rows - df + 0.5) / (df + 0.5)).ln()
    }

    /// The BM25 weight of a word (of inverse document frequency `idf`) counted `tf` times in
    /// `row`.
    pub(crate) fn weight(&self, idf: f64, tf: u32, row: &RowEntry, typos: u8) -> f64 {
        let tf = f64::from(tf);
        let length = f64::from(row.length) / self.mean_length;
        let saturation = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length));
        idf * saturation / (1.0 + f64::from(typos))
    }

    /// The recency factor of a row.
    pub(crate) fn recency(&self, row: &RowEntry) -> f64 {
        let Some(newest) = self.newest else {
            return 1.0;
        };
        let age_days = (newest - row.crawl_time).num_seconds().max(0) as f64 / 86_400.0;
        1.0 + RECENCY_WEIGHT * (-age_days / RECENCY_HALF_LIFE_DAYS).exp2()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn row(length: u32, days_old: i64) -> RowEntry {
        RowEntry {
            id: 1,
            crawl_time: Utc
                .timestamp_opt(1_000_000_000 - days_old * 86_400, 0)
                .unwrap(),
            page: 0,
            language: 0,
            length,
        }
    }

    fn scorer() -> Scorer {
        Scorer {
            rows: 100.0,
            mean_length: 100.0,
            newest: Some(Utc.timestamp_opt(1_000_000_000, 0).unwrap()),
        }
    }

    #[test]
    fn rare_words_weigh_more_and_counts_saturate() {
        let s = scorer();
        assert!(s.idf(1) > s.idf(10) && s.idf(10) > s.idf(100));
        assert!(
            s.idf(100) > 0.0,
            "idf stays positive for words in every row"
        );
        let r = row(100, 0);
        let (one, two, ten) = (
            s.weight(1.0, 1, &r, 0),
            s.weight(1.0, 2, &r, 0),
            s.weight(1.0, 10, &r, 0),
        );
        assert!(one < two && two < ten && ten < K1 + 1.0);
        // Average length: tf = 1 gives exactly 1 · idf.
        assert!((one - 1.0).abs() < 1e-12);
        // Longer rows weigh a count less; typos halve a match.
        assert!(s.weight(1.0, 2, &row(400, 0), 0) < two);
        assert!((s.weight(1.0, 2, &r, 1) - two / 2.0).abs() < 1e-12);
    }

    #[test]
    fn recency_is_a_mild_bonus() {
        let s = scorer();
        assert!((s.recency(&row(1, 0)) - 1.1).abs() < 1e-12);
        assert!((s.recency(&row(1, 30)) - 1.05).abs() < 1e-12);
        let old = s.recency(&row(1, 3650));
        assert!((1.0..1.0001).contains(&old));
    }
}
