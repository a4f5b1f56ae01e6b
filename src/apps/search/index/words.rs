//! Interning rows' words while building: each distinct word is numbered and its bytes stored
//! once in an arena; each row becomes (word number, count) postings. No allocation per word.
//!
//! Looking every word up in a hash table is the sequential part of a build (a few cache misses
//! per posting). [`Index::build`](super::Index::build) therefore splits the vocabulary in two
//! by one bit of the word's hash and interns each half on its own thread ([`Words::part`]):
//! the halves never share a word, so no merge is needed.

use std::{hash::BuildHasher, ops::Range};

use hashbrown::{DefaultHashBuilder, HashTable};

use super::error::BuildError;

/// The hash bit that splits the vocabulary (one the hash table itself does not use).
const PART_BIT: u32 = 40;

/// One part of the vocabulary with its postings, row by row.
pub(crate) struct Words {
    hasher: DefaultHashBuilder,
    /// Only the words whose [`PART_BIT`] is this; all words if `None`.
    part: Option<u64>,
    /// Word numbers, found by hashing the word's bytes in `arena`.
    table: HashTable<u32>,
    arena: Vec<u8>,
    /// Word `i` is `arena[ends[i - 1]..ends[i]]`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// Rows holding each word.
    df: Vec<u32>,
    /// 1 + the index in `postings` of each word's last posting (0: none yet).
    last: Vec<usize>,
    /// (word, count) pairs, grouped by row.
    postings: Vec<(u32, u32)>,
    /// Where each row's postings start.
    row_starts: Vec<usize>,
}

impl Words {
    /// All words, or only those of `part` (0 or 1) if given; parts of one build must share
    /// `hasher`.
    pub(crate) fn new(hasher: DefaultHashBuilder, part: Option<u64>) -> Words {
        Words {
            hasher,
            part,
            table: HashTable::new(),
            arena: Vec::new(),
            ends: Vec::new(),
            hashes: Vec::new(),
            df: Vec::new(),
            last: Vec::new(),
            postings: Vec::new(),
            row_starts: Vec::new(),
        }
    }

    /// Add the next row's words (those of this part).
    pub(crate) fn add_row<W: AsRef<str>>(&mut self, counts: &[(W, u32)]) -> Result<(), BuildError> {
        let start = self.postings.len();
        self.row_starts.push(start);
        for (word, count) in counts {
            let (word, count) = (word.as_ref().as_bytes(), *count);
            if count == 0 || word.is_empty() {
                continue;
            }
            let hash = self.hasher.hash_one(word);
            if self.part.is_some_and(|part| (hash >> PART_BIT) & 1 != part) {
                continue;
            }
            let term = self.intern(word, hash)?;
            let last = self.last[term as usize];
            if last > start {
                // The word was listed twice in this row.
                let posting = &mut self.postings[last - 1];
                posting.1 = posting.1.saturating_add(count);
            } else {
                self.postings.push((term, count));
                self.last[term as usize] = self.postings.len();
                self.df[term as usize] += 1;
            }
        }
        Ok(())
    }

    fn intern(&mut self, bytes: &[u8], hash: u64) -> Result<u32, BuildError> {
        let (arena, ends) = (&self.arena, &self.ends);
        if let Some(&term) = self.table.find(hash, |&t| word_in(arena, ends, t) == bytes) {
            return Ok(term);
        }
        let term = u32::try_from(self.ends.len()).map_err(|_| BuildError::TooLarge("words"))?;
        self.arena.extend_from_slice(bytes);
        self.ends.push(self.arena.len());
        self.hashes.push(hash);
        self.df.push(0);
        self.last.push(0);
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, term, |&t| hashes[t as usize]);
        Ok(term)
    }

    /// Distinct words.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of word `term`.
    pub(crate) fn word(&self, term: u32) -> &[u8] {
        word_in(&self.arena, &self.ends, term)
    }

    /// Rows holding word `term`.
    pub(crate) fn df(&self, term: u32) -> u32 {
        self.df[term as usize]
    }

    /// Postings kept.
    pub(crate) fn postings(&self) -> usize {
        self.postings.len()
    }

    /// The postings of the `row`-th row added.
    pub(crate) fn row(&self, row: usize) -> &[(u32, u32)] {
        let range: Range<usize> = match (self.row_starts.get(row), self.row_starts.get(row + 1)) {
            (Some(&start), Some(&end)) => start..end,
            (Some(&start), None) => start..self.postings.len(),
            _ => 0..0,
        };
        &self.postings[range]
    }
}

fn word_in<'a>(arena: &'a [u8], ends: &[usize], term: u32) -> &'a [u8] {
    let term = term as usize;
    let start = if term == 0 { 0 } else { ends[term - 1] };
    &arena[start..ends[term]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_the_vocabulary_without_sharing_a_word() {
        let hasher = DefaultHashBuilder::default();
        let counts: Vec<(String, u32)> = (0..200).map(|i| (format!("word{i}"), 1)).collect();
        let mut all = Words::new(hasher.clone(), None);
        let mut parts = [
            Words::new(hasher.clone(), Some(0)),
            Words::new(hasher, Some(1)),
        ];
        all.add_row(&counts).unwrap();
        for part in &mut parts {
            part.add_row(&counts).unwrap();
        }
        assert_eq!(parts[0].len() + parts[1].len(), all.len());
        assert!(parts.iter().all(|p| p.len() > 50));
        for term in 0..parts[0].len() as u32 {
            let word = parts[0].word(term);
            assert!((0..parts[1].len() as u32).all(|t| parts[1].word(t) != word));
        }
    }
}
