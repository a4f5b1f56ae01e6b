//! Typo tolerance: a Levenshtein automaton that walks the term dictionary directly.
//!
//! Rules (Meilisearch's, which Algolia's resemble): a query word of 5–8 characters may match
//! stored words one edit away, a word of 9 or more two edits away (edits are inserting,
//! deleting or substituting one character; characters, not bytes, so `é` is one). A typo in
//! the first character costs two edits: "caturday" is not "saturday". Besides matching what
//! people mean (first letters are rarely mistyped), that rule is what keeps the search fast:
//! a one-edit search never leaves the subtree of the word's first letter, and a two-edit
//! search leaves it only to follow an otherwise exact spelling.
//!
//! Why not `fst::automaton::Levenshtein`: measured on the reference corpus (173,693 words,
//! release build) it takes 0.8–1.2 ms to construct for a 9-letter word at distance 2 (it
//! builds a DFA eagerly) and the unrestricted search another 1–1.4 ms, against a 200 µs
//! budget; its builder also fails (too many states) on long words. This automaton is the
//! bit-parallel NFA simulation of Wu and Manber (one machine word per error level, at most
//! 62 characters per word), so constructing it costs next to nothing and a transition a few
//! instructions, with nothing to fail. fst's automaton remains the test oracle for the plain
//! distance.
//!
//! Even so, walking the dictionary with fst's generic search visits every child of every
//! node still within reach (~250 µs at distance 2 here). `walk.rs` walks it directly
//! and, once the edits are spent and one alignment is left, follows the rest of the pattern
//! byte by byte instead of trying each child: about three times faster (see
//! `bench/RESULTS.md`).

use fst::Automaton;

/// The most edits allowed (the state holds one bit vector per level up to this).
pub(crate) const MAX_DISTANCE: u8 = 2;
const LEVELS: usize = MAX_DISTANCE as usize + 1;
/// Characters of a query word from which one typo is tolerated.
pub(crate) const ONE_TYPO_CHARS: usize = 5;
/// Characters of a query word from which two typos are tolerated.
pub(crate) const TWO_TYPOS_CHARS: usize = 9;
/// Pattern bits: characters of a word the automaton takes (words are at most 40 characters).
const MAX_CHARS: usize = 62;

/// The edits a query word of `chars` characters may have.
pub(crate) fn allowed_distance(chars: usize) -> u8 {
    match chars {
        n if n >= TWO_TYPOS_CHARS => 2,
        n if n >= ONE_TYPO_CHARS => 1,
        _ => 0,
    }
}

/// Matches the words within `distance` edits of a pattern (first-character edits cost 2).
#[derive(Clone, Debug)]
pub(crate) struct Typos {
    /// For ASCII characters, the pattern positions they occur at (bit j + 1 for position j).
    ascii: [u64; 128],
    /// The same for the pattern's other characters.
    other: Vec<(char, u64)>,
    /// Bit of the final state (pattern length).
    last: u64,
    /// Bits 0..=len.
    all: u64,
    pub(super) distance: usize,
    /// Whether the first character's edits cost 2 (off only to compare with plain Levenshtein).
    first_costs_two: bool,
    /// The pattern, and where each of its characters starts in it (plus its length).
    pub(super) pattern: Box<str>,
    pub(super) starts: Vec<usize>,
}

/// Where the automaton is: reachable pattern positions for each error level, plus a partly
/// read UTF-8 character.
#[derive(Clone, Copy, Debug)]
pub(crate) struct State {
    /// `levels[e]` bit j: the input so far aligns with the first j pattern characters with at
    /// most e edits.
    pub(super) levels: [u64; LEVELS],
    code: u32,
    pub(super) pending: u8,
}

impl Typos {
    /// The automaton for `pattern` within `distance` edits (`None` if the pattern is longer
    /// than the automaton takes, or `distance` is above [`MAX_DISTANCE`]).
    pub(crate) fn new(pattern: &str, distance: u8) -> Option<Typos> {
        Self::with_first_character_rule(pattern, distance, true)
    }

    pub(crate) fn with_first_character_rule(
        pattern: &str,
        distance: u8,
        first_costs_two: bool,
    ) -> Option<Typos> {
        if distance > MAX_DISTANCE {
            return None;
        }
        let mut ascii = [0u64; 128];
        let mut other: Vec<(char, u64)> = Vec::new();
        let mut len = 0;
        let mut starts: Vec<usize> = pattern.char_indices().map(|(i, _)| i).collect();
        starts.push(pattern.len());
        for (j, c) in pattern.chars().enumerate() {
            if j >= MAX_CHARS {
                return None;
            }
            let bit = 1u64 << (j + 1);
            if c.is_ascii() {
                ascii[c as usize] |= bit;
            } else if let Some(entry) = other.iter_mut().find(|(o, _)| *o == c) {
                entry.1 |= bit;
            } else {
                other.push((c, bit));
            }
            len = j + 1;
        }
        Some(Typos {
            ascii,
            other,
            last: 1 << len,
            all: (1 << (len + 1)) - 1,
            distance: usize::from(distance),
            first_costs_two,
            pattern: pattern.into(),
            starts,
        })
    }

    fn mask(&self, c: u32) -> u64 {
        if c < 128 {
            return self.ascii[c as usize];
        }
        char::from_u32(c)
            .and_then(|c| self.other.iter().find(|(o, _)| *o == c))
            .map_or(0, |(_, mask)| *mask)
    }

    /// The positions reachable at level `e` by one edit from the lower levels: edits from
    /// position 0 (the first character) come from two levels down when they cost two.
    fn one_edit_into(&self, levels: &[u64], e: usize) -> u64 {
        if !self.first_costs_two {
            return if e >= 1 { levels[e - 1] } else { 0 };
        }
        let one = if e >= 1 { levels[e - 1] & !1 } else { 0 };
        let two = if e >= 2 { levels[e - 2] & 1 } else { 0 };
        one | two
    }

    /// One input character.
    #[inline]
    fn step(&self, levels: &[u64; LEVELS], c: u32) -> [u64; LEVELS] {
        let matches = self.mask(c);
        if self.first_costs_two {
            // The hot path, written out: level e takes one-edit moves from level e − 1 except
            // from position 0 (bit 0), whose edits come from level e − 2.
            let [l0, l1, l2] = *levels;
            let n0 = (l0 << 1) & matches;
            let b1 = l0 & !1;
            let n1 = ((l1 << 1) & matches) | (b1 << 1) | b1 | ((n0 & !1) << 1);
            let b2 = (l1 & !1) | (l0 & 1);
            let n2 = ((l2 << 1) & matches) | (b2 << 1) | b2 | (((n1 & !1) | (n0 & 1)) << 1);
            return [n0 & self.all, n1 & self.all, n2 & self.all];
        }
        let mut next = [0u64; LEVELS];
        for e in 0..=self.distance {
            let below = self.one_edit_into(levels, e);
            // match | substitution | insertion (an extra input character)
            let mut bits = ((levels[e] << 1) & matches) | (below << 1) | below;
            // deletion (a pattern character skipped), from the already updated lower levels
            bits |= self.one_edit_into(&next, e) << 1;
            next[e] = bits & self.all;
        }
        next
    }

    /// The smallest number of edits that turns the pattern into the input read so far.
    pub(crate) fn distance(&self, state: &State) -> Option<u8> {
        if state.pending != 0 {
            return None;
        }
        (0..=self.distance)
            .find(|&e| state.levels[e] & self.last != 0)
            .map(|e| e as u8)
    }
}

impl Automaton for Typos {
    type State = State;

    fn start(&self) -> State {
        let mut levels = [0u64; LEVELS];
        for e in 0..=self.distance {
            // Position 0 at no cost, then pattern characters deleted before any input.
            let mut bits = 1 | if e >= 1 { levels[e - 1] } else { 0 };
            bits |= self.one_edit_into(&levels, e) << 1;
            levels[e] = bits & self.all;
        }
        State {
            levels,
            code: 0,
            pending: 0,
        }
    }

    fn is_match(&self, state: &State) -> bool {
        state.pending == 0 && state.levels[self.distance] & self.last != 0
    }

    fn can_match(&self, state: &State) -> bool {
        state.levels[self.distance] != 0
    }

    #[inline]
    fn accept(&self, state: &State, byte: u8) -> State {
        if state.pending == 0 && byte < 0x80 {
            return State {
                levels: self.step(&state.levels, u32::from(byte)),
                code: 0,
                pending: 0,
            };
        }
        // Decode UTF-8 (dictionary keys are valid UTF-8); step once per whole character.
        let (code, pending) = if state.pending == 0 {
            match byte {
                0x00..=0x7f => (u32::from(byte), 0),
                0xc0..=0xdf => (u32::from(byte & 0x1f), 1),
                0xe0..=0xef => (u32::from(byte & 0x0f), 2),
                0xf0..=0xf7 => (u32::from(byte & 0x07), 3),
                _ => return DEAD,
            }
        } else {
            (
                (state.code << 6) | u32::from(byte & 0x3f),
                state.pending - 1,
            )
        };
        if pending != 0 {
            return State {
                levels: state.levels,
                code,
                pending,
            };
        }
        State {
            levels: self.step(&state.levels, code),
            code: 0,
            pending: 0,
        }
    }
}

const DEAD: State = State {
    levels: [0; LEVELS],
    code: 0,
    pending: 0,
};

#[cfg(test)]
mod tests {
    use fst::{IntoStreamer, Streamer, automaton::Levenshtein};
    use proptest::prelude::*;

    use super::*;

    fn distance(pattern: &str, word: &str, distance: u8, first_costs_two: bool) -> Option<u8> {
        let typos = Typos::with_first_character_rule(pattern, distance, first_costs_two).unwrap();
        let mut state = typos.start();
        for &b in word.as_bytes() {
            state = typos.accept(&state, b);
        }
        typos.distance(&state)
    }

    /// Plain Levenshtein distance over characters.
    fn levenshtein(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let above = row[j + 1];
                row[j + 1] = (above + 1)
                    .min(row[j] + 1)
                    .min(diagonal + usize::from(ca != cb));
                diagonal = above;
            }
        }
        row[b.len()]
    }

    /// Edit distance from `pattern` to `text` where edits of the pattern's first character
    /// (substituting or deleting it, inserting before it) cost 2.
    fn weighted(pattern: &str, text: &str) -> usize {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        let cost = |j: usize| if j == 0 { 2 } else { 1 };
        // d[i][j]: first i text characters against the first j pattern characters.
        let mut d = vec![vec![0usize; p.len() + 1]; t.len() + 1];
        for j in 1..=p.len() {
            d[0][j] = d[0][j - 1] + cost(j - 1);
        }
        for i in 1..=t.len() {
            d[i][0] = d[i - 1][0] + 2;
            for j in 1..=p.len() {
                let substitute =
                    d[i - 1][j - 1] + if t[i - 1] == p[j - 1] { 0 } else { cost(j - 1) };
                let insert = d[i - 1][j] + cost(j);
                let delete = d[i][j - 1] + cost(j - 1);
                d[i][j] = substitute.min(insert).min(delete);
            }
        }
        d[t.len()][p.len()]
    }

    #[test]
    fn counts_edits_in_characters() {
        assert_eq!(distance("saturday", "saturday", 1, true), Some(0));
        assert_eq!(distance("saturday", "satuday", 1, true), Some(1));
        assert_eq!(distance("saturday", "saturdays", 1, true), Some(1));
        assert_eq!(distance("saturday", "saturdy", 1, true), Some(1));
        assert_eq!(distance("saturday", "sutuday", 1, true), None);
        assert_eq!(distance("élément", "élement", 1, true), Some(1));
        assert_eq!(distance("élément", "elément", 2, true), Some(2));
        assert_eq!(distance("kitten", "sitting", 2, false), None);
        assert_eq!(distance("kittens", "sittin", 2, false), None);
        assert_eq!(distance("kitten", "sittin", 2, false), Some(2));
    }

    #[test]
    fn a_first_character_typo_costs_two() {
        assert_eq!(distance("saturday", "caturday", 1, true), None);
        assert_eq!(distance("saturday", "caturday", 1, false), Some(1));
        assert_eq!(distance("saturday", "caturday", 2, true), Some(2));
        assert_eq!(distance("saturday", "aturday", 2, true), Some(2));
        assert_eq!(distance("saturday", "xsaturday", 2, true), Some(2));
        assert_eq!(distance("saturday", "sxaturday", 2, true), Some(1));
        assert_eq!(distance("saturday", "caturdays", 2, true), None);
    }

    #[test]
    fn allowed_distance_by_length() {
        assert_eq!(allowed_distance(4), 0);
        assert_eq!(allowed_distance(5), 1);
        assert_eq!(allowed_distance(8), 1);
        assert_eq!(allowed_distance(9), 2);
        assert!(Typos::new(&"a".repeat(63), 2).is_none());
        assert!(Typos::new(&"a".repeat(40), 2).is_some());
        assert!(Typos::new("abc", 3).is_none());
    }

    proptest! {
        #[test]
        fn without_the_first_character_rule_it_is_levenshtein(
            a in "[abcé]{0,7}", b in "[abcé]{0,7}", d in 0u8..=2
        ) {
            let expected = levenshtein(&a, &b);
            let got = distance(&a, &b, d, false);
            prop_assert_eq!(got, (expected <= usize::from(d)).then_some(expected as u8));
        }

        #[test]
        fn with_the_first_character_rule_it_is_the_weighted_distance(
            a in "[abcé]{0,7}", b in "[abcé]{0,7}", d in 0u8..=2
        ) {
            let expected = weighted(&a, &b);
            let got = distance(&a, &b, d, true);
            prop_assert_eq!(got, (expected <= usize::from(d)).then_some(expected as u8));
        }

        #[test]
        fn finds_what_fst_levenshtein_finds(
            words in proptest::collection::btree_set("[abcdé]{1,8}", 1..60),
            query in "[abcdé]{1,8}",
            d in 1u32..=2,
        ) {
            let map = fst::Set::from_iter(words.iter()).unwrap();
            let oracle = Levenshtein::new(&query, d).unwrap();
            let mut expected = Vec::new();
            let mut stream = map.search(&oracle).into_stream();
            while let Some(k) = stream.next() {
                expected.push(k.to_vec());
            }
            let ours = Typos::with_first_character_rule(&query, d as u8, false).unwrap();
            let mut got = Vec::new();
            let mut stream = map.search(&ours).into_stream();
            while let Some(k) = stream.next() {
                got.push(k.to_vec());
            }
            prop_assert_eq!(got, expected);
        }
    }
}
