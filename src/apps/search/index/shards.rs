//! Building the term dictionary shards from the interned words and postings, in parallel.
//!
//! The words (of every part of the vocabulary, see [`Words`]) are split into [`SHARDS`]
//! consecutive ranges of equal size by their first two bytes (a histogram finds the split
//! points, so no global sort is needed). Each range is then built on its own thread, start to
//! finish: sort its words bytewise, scatter its postings into per-word lists with a counting
//! sort (reading the rows in their final order keeps each list ascending), write the lists with
//! [`ListWriter`] and insert each word with its list's offset into an `fst::MapBuilder`. Building an fst is inherently sequential and
//! is the largest cost (about 0.6 µs per word here), hence the split.

use std::ops::Range;

use super::{
    error::BuildError,
    postings::ListWriter,
    store::{SHARDS, Shard},
    words::Words,
};

/// A word's first two bytes as a number: ordering words by it never contradicts bytewise order.
fn head(word: &[u8]) -> usize {
    let first = word.first().copied().unwrap_or(0);
    let second = word.get(1).copied().unwrap_or(0);
    (usize::from(first) << 8) | usize::from(second)
}

/// Build the shards (only non-empty ones), in word order, from the vocabulary's parts; `order`
/// lists the rows (as numbered when added) newest first.
pub(crate) fn build(parts: &[Words], order: &[u32]) -> Result<Vec<Shard>, BuildError> {
    let input = &Input { parts, order };
    let words: usize = parts.iter().map(Words::len).sum();
    let mut histogram = vec![0usize; 1 << 16];
    for part in parts {
        for term in 0..part.len() as u32 {
            histogram[head(part.word(term))] += 1;
        }
    }
    // Heads [bounds[i], bounds[i + 1]) go to shard i.
    let mut bounds = vec![0usize];
    let mut seen = 0;
    for (key, &count) in histogram.iter().enumerate() {
        if bounds.len() < SHARDS && seen >= words * bounds.len() / SHARDS && seen > 0 {
            bounds.push(key);
        }
        seen += count;
    }
    bounds.push(1 << 16);
    let ranges: Vec<Range<usize>> = bounds.windows(2).map(|b| b[0]..b[1]).collect();

    let shards: Vec<Option<Shard>> = std::thread::scope(|scope| {
        // Spawn all but the first range; build the first on this thread meanwhile. A range
        // whose thread cannot be spawned is built here too.
        let spawned: Vec<_> = ranges
            .iter()
            .skip(1)
            .map(|range| {
                std::thread::Builder::new()
                    .name("search-index-build".into())
                    .spawn_scoped(scope, move || build_shard(input, range.clone()))
                    .map_err(|_| range.clone())
            })
            .collect();
        let mut shards = Vec::with_capacity(ranges.len());
        shards.push(build_shard(input, ranges[0].clone())?);
        for handle in spawned {
            shards.push(match handle {
                Ok(handle) => match handle.join() {
                    Ok(shard) => shard?,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(range) => build_shard(input, range)?,
            });
        }
        Ok::<_, BuildError>(shards)
    })?;
    Ok(shards.into_iter().flatten().collect())
}

struct Input<'a> {
    parts: &'a [Words],
    order: &'a [u32],
}

impl Input<'_> {
    fn word(&self, part: u32, term: u32) -> &[u8] {
        self.parts[part as usize].word(term)
    }
}

/// The shard of the words whose [`head`] is in `heads`; `None` if there are none.
fn build_shard(input: &Input<'_>, heads: Range<usize>) -> Result<Option<Shard>, BuildError> {
    // Sort on the first eight bytes as an integer; only ties compare the whole words.
    let mut keys: Vec<(u64, u32, u32)> = Vec::new();
    for (p, part) in input.parts.iter().enumerate() {
        keys.extend((0..part.len() as u32).filter_map(|term| {
            let word = part.word(term);
            if !heads.contains(&head(word)) {
                return None;
            }
            let mut first = [0u8; 8];
            let n = word.len().min(8);
            first[..n].copy_from_slice(&word[..n]);
            Some((u64::from_be_bytes(first), p as u32, term))
        }));
    }
    if keys.is_empty() {
        return Ok(None);
    }
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| input.word(a.1, a.2).cmp(input.word(b.1, b.2)))
    });

    // Counting sort: where each word's postings go, then scatter the rows in order.
    const ELSEWHERE: u32 = u32::MAX;
    let mut rank: Vec<Vec<u32>> = input
        .parts
        .iter()
        .map(|part| vec![ELSEWHERE; part.len()])
        .collect();
    let mut starts = Vec::with_capacity(keys.len() + 1);
    let mut total = 0usize;
    for (position, &(_, part, term)) in keys.iter().enumerate() {
        rank[part as usize][term as usize] = position as u32;
        starts.push(total);
        total += input.parts[part as usize].df(term) as usize;
    }
    starts.push(total);
    let mut cursor = starts.clone();
    let mut rows = vec![0u32; total];
    let mut counts = vec![0u32; total];
    for (new_row, &row) in input.order.iter().enumerate() {
        for (part, rank) in input.parts.iter().zip(&rank) {
            for &(term, count) in part.row(row as usize) {
                let position = rank[term as usize];
                if position == ELSEWHERE {
                    continue;
                }
                let slot = &mut cursor[position as usize];
                rows[*slot] = new_row as u32;
                counts[*slot] = count;
                *slot += 1;
            }
        }
    }

    let dictionary = |e: fst::Error| BuildError::Dictionary(e.to_string());
    // About one byte per posting plus one or two for each list's length.
    let mut postings = Vec::with_capacity(total + keys.len() * 2);
    let mut builder = fst::MapBuilder::memory();
    for (position, &(_, part, term)) in keys.iter().enumerate() {
        let offset = postings.len() as u64;
        let mut list = ListWriter::new(&mut postings, input.parts[part as usize].df(term));
        for p in starts[position]..starts[position + 1] {
            list.push(rows[p], counts[p]);
        }
        builder
            .insert(input.word(part, term), offset)
            .map_err(dictionary)?;
    }
    let mut bytes = builder.into_inner().map_err(dictionary)?;
    bytes.shrink_to_fit();
    postings.shrink_to_fit();
    Ok(Some(Shard {
        first: input.word(keys[0].1, keys[0].2).into(),
        map: fst::Map::new(bytes).map_err(dictionary)?,
        postings,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_order_agrees_with_byte_order() {
        let mut words: Vec<&[u8]> = vec![b"", b"a", b"a\0", b"ab", b"abc", b"b", b"\xc3\xa9", b"z"];
        words.sort();
        let heads: Vec<usize> = words.iter().map(|w| head(w)).collect();
        assert!(heads.windows(2).all(|h| h[0] <= h[1]));
    }
}
