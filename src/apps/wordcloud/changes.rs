//! What changed between two word counts (the compare view's left and right side): words that
//! appeared, words that went, and the biggest rises and falls of words both have.

use std::collections::{HashMap, HashSet};

/// Most words in each list.
const LIST: usize = 12;

/// One word's count on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The word.
    pub word: String,
    /// Its count on the left (0: absent).
    pub before: i64,
    /// Its count on the right (0: absent).
    pub after: i64,
}

impl Change {
    /// Right minus left, with its sign (`+9`, `−3`).
    pub fn delta(&self) -> String {
        let d = self.after - self.before;
        if d >= 0 {
            format!("+{d}")
        } else {
            // A real minus sign, as typeset numbers have.
            format!("\u{2212}{}", d.unsigned_abs())
        }
    }
}

/// The four lists, each largest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Only on the right, by their count there.
    pub gained: Vec<Change>,
    /// Only on the left, by their count there.
    pub lost: Vec<Change>,
    /// On both sides and more on the right, by how much.
    pub rises: Vec<Change>,
    /// On both sides and fewer on the right, by how much.
    pub falls: Vec<Change>,
}

impl Changes {
    /// The lists as the page shows them: element id, heading message, words.
    pub fn lists(&self) -> [(&'static str, &'static str, &[Change]); 4] {
        [
            ("gained", "compare-gained", &self.gained),
            ("lost", "compare-lost", &self.lost),
            ("rises", "compare-rises", &self.rises),
            ("falls", "compare-falls", &self.falls),
        ]
    }

    /// Whether every list is empty (the two sides count the same words the same).
    pub fn is_empty(&self) -> bool {
        self.gained.is_empty()
            && self.lost.is_empty()
            && self.rises.is_empty()
            && self.falls.is_empty()
    }
}

/// Words both sides share: of the left's [`super::compare::SIDE_WORDS`] most frequent (both
/// lists are most frequent first), those among the right's too, at most 30, in the left's order.
pub fn shared(left: &[(String, i64)], right: &[(String, i64)]) -> Vec<String> {
    let top = super::compare::SIDE_WORDS;
    let right: HashSet<&str> = right.iter().take(top).map(|(w, _)| w.as_str()).collect();
    left.iter()
        .take(top)
        .filter(|(w, _)| right.contains(w.as_str()))
        .take(30)
        .map(|(w, _)| w.clone())
        .collect()
}

/// Compare two count lists (any order; a word listed twice counts once, its first count).
pub fn between(left: &[(String, i64)], right: &[(String, i64)]) -> Changes {
    let index = |side: &[(String, i64)]| -> HashMap<String, i64> {
        let mut map = HashMap::with_capacity(side.len());
        for (w, n) in side {
            map.entry(w.clone()).or_insert(*n);
        }
        map
    };
    let (l, r) = (index(left), index(right));
    let mut changes = Changes::default();
    for (word, &after) in &r {
        let before = l.get(word).copied().unwrap_or(0);
        let change = Change {
            word: word.clone(),
            before,
            after,
        };
        if before == 0 {
            changes.gained.push(change);
        } else if after > before {
            changes.rises.push(change);
        } else if after < before {
            changes.falls.push(change);
        }
    }
    for (word, &before) in &l {
        if !r.contains_key(word) {
            changes.lost.push(Change {
                word: word.clone(),
                before,
                after: 0,
            });
        }
    }
    // Largest first, ties by word, so the same counts always give the same lists.
    let by = |key: fn(&Change) -> i64| {
        move |a: &Change, b: &Change| key(b).cmp(&key(a)).then_with(|| a.word.cmp(&b.word))
    };
    changes.gained.sort_by(by(|c| c.after));
    changes.lost.sort_by(by(|c| c.before));
    changes.rises.sort_by(by(|c| c.after - c.before));
    changes.falls.sort_by(by(|c| c.before - c.after));
    for list in [
        &mut changes.gained,
        &mut changes.lost,
        &mut changes.rises,
        &mut changes.falls,
    ] {
        list.truncate(LIST);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(items: &[(&str, i64)]) -> Vec<(String, i64)> {
        items.iter().map(|(w, n)| ((*w).to_owned(), *n)).collect()
    }

    #[test]
    fn gains_losses_rises_and_falls() {
        let saturday = counts(&[
            ("market", 10),
            ("rain", 6),
            ("match", 4),
            ("stall", 2),
            ("same", 3),
        ]);
        let sunday = counts(&[
            ("match", 12),
            ("rain", 1),
            ("church", 5),
            ("brunch", 5),
            ("market", 9),
            ("same", 3),
        ]);
        let c = between(&saturday, &sunday);
        fn words(l: &[Change]) -> Vec<&str> {
            l.iter().map(|c| c.word.as_str()).collect()
        }
        assert_eq!(words(&c.gained), ["brunch", "church"]);
        assert_eq!(words(&c.lost), ["stall"]);
        assert_eq!(words(&c.rises), ["match"]);
        assert_eq!(words(&c.falls), ["rain", "market"]);
        assert_eq!(c.rises[0].delta(), "+8");
        assert_eq!(c.falls[0].delta(), "\u{2212}5");
        assert_eq!((c.falls[0].before, c.falls[0].after), (6, 1));
        assert!(between(&saturday, &saturday).is_empty());
        assert!(between(&[], &[]).is_empty());
    }

    #[test]
    fn lists_are_cut() {
        let many: Vec<(String, i64)> = (0..50).map(|i| (format!("w{i}"), i + 1)).collect();
        let c = between(&[], &many);
        assert_eq!(c.gained.len(), LIST);
        assert_eq!(c.gained[0].word, "w49");
    }
}
