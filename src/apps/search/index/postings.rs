//! The postings byte format: for each word, the rows that hold it and how often.
//!
//! One list per word, at the offset the term dictionary maps the word to:
//!
//! ```text
//! varint(df)                      number of rows that hold the word
//! df × posting                    rows ascending (= newest first, see `store`)
//! posting = varint(delta << 1 | (count == 1)) [varint(count) if count != 1]
//! ```
//!
//! `delta` is the row index minus the previous one (the first is the row index itself).
//! Most postings are a small delta and a count of 1 (Zipf: most words occur once on a page),
//! so the flag bit saves the count byte: a typical posting is one byte. Varints are LEB128.
//!
//! Decoding never panics: a truncated or corrupt list just ends early.

/// Append `value` as an LEB128 varint.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Read an LEB128 varint at `*pos`, advancing it; `None` at the end of `bytes` or on overflow.
#[inline]
pub(crate) fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0u32;
    loop {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
        if shift >= 64 {
            return None;
        }
    }
}

/// Encodes one word's postings; rows must be pushed strictly ascending.
pub(crate) struct ListWriter<'a> {
    out: &'a mut Vec<u8>,
    previous: Option<u32>,
}

impl<'a> ListWriter<'a> {
    /// Start a list of `df` postings at the end of `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>, df: u32) -> Self {
        write_varint(out, u64::from(df));
        ListWriter {
            out,
            previous: None,
        }
    }

    /// Append the posting (`row`, `count`); `row` is greater than the previous one.
    #[inline]
    pub(crate) fn push(&mut self, row: u32, count: u32) {
        let delta = match self.previous {
            Some(previous) => row - previous,
            None => row,
        };
        self.previous = Some(row);
        let one = u64::from(count == 1);
        write_varint(self.out, (u64::from(delta) << 1) | one);
        if count != 1 {
            write_varint(self.out, u64::from(count));
        }
    }
}

/// The postings of one word, decoded lazily.
#[derive(Clone, Debug)]
pub(crate) struct Postings<'a> {
    bytes: &'a [u8],
    pos: usize,
    remaining: u32,
    row: u32,
    first: bool,
}

impl<'a> Postings<'a> {
    /// The list starting at `offset` of `bytes` (empty if the offset is out of range).
    pub(crate) fn at(bytes: &'a [u8], offset: u64) -> Self {
        let mut pos = usize::try_from(offset).unwrap_or(usize::MAX);
        let remaining = read_varint(bytes, &mut pos)
            .and_then(|df| u32::try_from(df).ok())
            .unwrap_or(0);
        Postings {
            bytes,
            pos,
            remaining,
            row: 0,
            first: true,
        }
    }

    /// How many postings the list holds (its document frequency), before any is read.
    pub(crate) fn len(&self) -> u32 {
        self.remaining
    }

    /// Decode the postings with `lo <= row < hi` into `rows` and `counts` (appending).
    pub(crate) fn decode_window(
        self,
        lo: u32,
        hi: u32,
        rows: &mut Vec<u32>,
        counts: &mut Vec<u32>,
    ) {
        for (row, count) in self {
            if row >= hi {
                break;
            }
            if row >= lo {
                rows.push(row);
                counts.push(count);
            }
        }
    }
}

impl Iterator for Postings<'_> {
    type Item = (u32, u32);

    #[inline]
    fn next(&mut self) -> Option<(u32, u32)> {
        if self.remaining == 0 {
            return None;
        }
        let Some(head) = read_varint(self.bytes, &mut self.pos) else {
            self.remaining = 0;
            return None;
        };
        let count = if head & 1 == 1 {
            1
        } else {
            match read_varint(self.bytes, &mut self.pos).and_then(|c| u32::try_from(c).ok()) {
                Some(count) => count,
                None => {
                    self.remaining = 0;
                    return None;
                }
            }
        };
        let delta = u32::try_from(head >> 1).ok();
        let row = if self.first {
            delta
        } else {
            delta.and_then(|d| self.row.checked_add(d))
        };
        let Some(row) = row else {
            self.remaining = 0;
            return None;
        };
        self.first = false;
        self.row = row;
        self.remaining -= 1;
        Some((row, count))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rows_and_counts() {
        let postings = [(0, 1), (1, 7), (5, 1), (300, 100_000), (u32::MAX, u32::MAX)];
        let mut bytes = vec![0xAA]; // lists start at an offset
        let mut writer = ListWriter::new(&mut bytes, postings.len() as u32);
        for (row, count) in postings {
            writer.push(row, count);
        }
        let list = Postings::at(&bytes, 1);
        assert_eq!(list.len(), 5);
        assert_eq!(list.collect::<Vec<_>>(), postings);
        // A count of one costs no byte: three postings, three bytes after the df.
        let mut small = Vec::new();
        let mut writer = ListWriter::new(&mut small, 3);
        writer.push(0, 1);
        writer.push(1, 1);
        writer.push(9, 1);
        assert_eq!(small.len(), 4);
    }

    #[test]
    fn decodes_a_window() {
        let mut bytes = Vec::new();
        let mut writer = ListWriter::new(&mut bytes, 4);
        for row in [2, 4, 6, 8] {
            writer.push(row, row);
        }
        let (mut rows, mut counts) = (Vec::new(), Vec::new());
        Postings::at(&bytes, 0).decode_window(4, 8, &mut rows, &mut counts);
        assert_eq!(rows, [4, 6]);
        assert_eq!(counts, [4, 6]);
    }

    #[test]
    fn corrupt_or_truncated_lists_end_without_panicking() {
        let mut bytes = Vec::new();
        let mut writer = ListWriter::new(&mut bytes, 3);
        writer.push(1, 500);
        writer.push(2, 1);
        writer.push(3, 1);
        for cut in 0..bytes.len() {
            let _ = Postings::at(&bytes[..cut], 0).count();
        }
        assert_eq!(Postings::at(&bytes, 99).count(), 0);
        assert_eq!(Postings::at(&[0xff; 20], 0).count(), 0);
        assert_eq!(
            Postings::at(&[2, 0xff, 0xff, 0xff, 0xff, 0x7f, 0], 0).count(),
            0
        );
    }
}
