//! Evaluating a query: expand its words, decode their postings inside the date window, and
//! combine the row sets with sorted-list set operations.
//!
//! Row sets are ascending row numbers (newest first). AND intersects its positive operands
//! smallest first (galloping through a much longer list instead of walking it), then removes
//! the rows of its negated operands; OR merges. The parser guarantees every AND has a positive
//! operand and no OR has a negated one, so no operation ever needs "all rows".
//! The language filter is applied to the final set (it commutes with all three operations).

use std::borrow::Cow;

use super::{
    ast::{Node, Query},
    expand::Expansion,
    postings::Postings,
    store::Index,
};

/// Postings of one matched stored word, inside the window.
pub(crate) struct List {
    pub(crate) rows: Vec<u32>,
    pub(crate) counts: Vec<u32>,
}

impl List {
    /// The word's count in `row`, if the row holds it.
    pub(crate) fn count(&self, row: u32) -> Option<u32> {
        self.rows.binary_search(&row).ok().map(|i| self.counts[i])
    }
}

/// A query word with what it matched.
pub(crate) struct Leaf {
    pub(crate) expansion: Expansion,
    /// Under a `NOT`: excluded, never scored nor reported.
    pub(crate) negated: bool,
    /// One list per `expansion.found`, same order.
    pub(crate) lists: Vec<List>,
    /// The union of the lists' rows when there are several.
    union: Option<Vec<u32>>,
}

impl Leaf {
    fn rows(&self) -> &[u32] {
        match (&self.union, self.lists.first()) {
            (Some(union), _) => union,
            (None, Some(list)) => &list.rows,
            (None, None) => &[],
        }
    }
}

enum Tree {
    Leaf(usize),
    And(Vec<Tree>),
    Or(Vec<Tree>),
    Not(Box<Tree>),
}

/// A query bound to an index and a window, ready to evaluate.
pub(crate) struct Plan {
    pub(crate) leaves: Vec<Leaf>,
    tree: Tree,
}

impl Plan {
    /// Expand every word of `query` and decode its postings in rows `lo..hi`.
    pub(crate) fn new(index: &Index, query: &Query, (lo, hi): (u32, u32), typos: bool) -> Plan {
        let mut leaves = Vec::new();
        let tree = plan(index, &query.root, false, typos, (lo, hi), &mut leaves);
        Plan { leaves, tree }
    }

    /// The matching rows, ascending.
    pub(crate) fn rows(&self) -> Vec<u32> {
        self.evaluate(&self.tree).into_owned()
    }

    fn evaluate(&self, tree: &Tree) -> Cow<'_, [u32]> {
        match tree {
            Tree::Leaf(i) => Cow::Borrowed(self.leaves[*i].rows()),
            Tree::And(children) => {
                let mut positive: Vec<Cow<'_, [u32]>> = children
                    .iter()
                    .filter(|c| !matches!(c, Tree::Not(_)))
                    .map(|c| self.evaluate(c))
                    .collect();
                positive.sort_by_key(|rows| rows.len());
                let mut positive = positive.into_iter();
                let Some(mut result) = positive.next() else {
                    return Cow::Borrowed(&[]);
                };
                for rows in positive {
                    if result.is_empty() {
                        break;
                    }
                    result = Cow::Owned(intersect(&result, &rows));
                }
                for child in children {
                    if let Tree::Not(inner) = child {
                        if result.is_empty() {
                            break;
                        }
                        result = Cow::Owned(difference(&result, &self.evaluate(inner)));
                    }
                }
                result
            }
            Tree::Or(children) => {
                let mut result: Cow<'_, [u32]> = Cow::Borrowed(&[]);
                for child in children {
                    let rows = self.evaluate(child);
                    result = if result.is_empty() {
                        rows
                    } else {
                        Cow::Owned(union(&result, &rows))
                    };
                }
                result
            }
            // The parser never puts a `Not` outside an `And`.
            Tree::Not(_) => Cow::Borrowed(&[]),
        }
    }
}

fn plan(
    index: &Index,
    node: &Node,
    negated: bool,
    typos: bool,
    (lo, hi): (u32, u32),
    leaves: &mut Vec<Leaf>,
) -> Tree {
    let mut children = |nodes: &[Node], negated: bool| -> Vec<Tree> {
        nodes
            .iter()
            .map(|n| plan(index, n, negated, typos, (lo, hi), leaves))
            .collect()
    };
    match node {
        Node::Word(word) => {
            let expansion = index.expand(word, typos && !negated);
            let lists: Vec<List> = expansion
                .found
                .iter()
                .map(|found| {
                    let postings: Postings<'_> = index.postings(found.term);
                    let mut list = List {
                        rows: Vec::with_capacity(postings.len() as usize),
                        counts: Vec::with_capacity(postings.len() as usize),
                    };
                    postings.decode_window(lo, hi, &mut list.rows, &mut list.counts);
                    list
                })
                .collect();
            let union = (lists.len() > 1).then(|| {
                let mut all: Vec<u32> = lists.iter().flat_map(|l| l.rows.iter().copied()).collect();
                all.sort_unstable();
                all.dedup();
                all
            });
            leaves.push(Leaf {
                expansion,
                negated,
                lists,
                union,
            });
            Tree::Leaf(leaves.len() - 1)
        }
        Node::And(nodes) => Tree::And(children(nodes, negated)),
        Node::Or(nodes) => Tree::Or(children(nodes, negated)),
        Node::Not(inner) => Tree::Not(Box::new(plan(index, inner, true, typos, (lo, hi), leaves))),
    }
}

/// Rows in both; gallops through `b` when it is much longer than `a`.
pub(crate) fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    if large.len() > 8 * small.len() {
        let mut rest = large;
        for &x in small {
            match gallop(rest, x) {
                (true, i) => {
                    out.push(x);
                    rest = &rest[i + 1..];
                }
                (false, i) => rest = &rest[i..],
            }
            if rest.is_empty() {
                break;
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(small[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Where `x` is or would go in sorted `rows`, searching exponentially from the start.
fn gallop(rows: &[u32], x: u32) -> (bool, usize) {
    let mut bound = 1;
    while bound < rows.len() && rows[bound] < x {
        bound *= 2;
    }
    let start = bound / 2;
    let end = (bound + 1).min(rows.len());
    match rows[start..end].binary_search(&x) {
        Ok(i) => (true, start + i),
        Err(i) => (false, start + i),
    }
}

/// Rows in `a` but not in `b`.
pub(crate) fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    if b.is_empty() {
        return a.to_vec();
    }
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j >= b.len() || b[j] != x {
            out.push(x);
        }
    }
    out
}

/// Rows in either.
pub(crate) fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn set_operations_agree_with_btreeset(
            a in proptest::collection::btree_set(0u32..2000, 0..300),
            b in proptest::collection::btree_set(0u32..2000, 0..30),
        ) {
            let (va, vb): (Vec<u32>, Vec<u32>) = (a.iter().copied().collect(), b.iter().copied().collect());
            let and: Vec<u32> = a.intersection(&b).copied().collect();
            let or: Vec<u32> = a.union(&b).copied().collect();
            let minus: Vec<u32> = a.difference(&b).copied().collect();
            let minus_ba: Vec<u32> = b.difference(&a).copied().collect();
            prop_assert_eq!(intersect(&va, &vb), and.clone());
            prop_assert_eq!(intersect(&vb, &va), and);
            prop_assert_eq!(union(&va, &vb), or);
            prop_assert_eq!(difference(&va, &vb), minus);
            prop_assert_eq!(difference(&vb, &va), minus_ba);
        }
    }

    #[test]
    fn galloping_finds_positions() {
        let rows = [1, 3, 5, 7, 9, 11, 13];
        assert_eq!(gallop(&rows, 1), (true, 0));
        assert_eq!(gallop(&rows, 0), (false, 0));
        assert_eq!(gallop(&rows, 8), (false, 4));
        assert_eq!(gallop(&rows, 13), (true, 6));
        assert_eq!(gallop(&rows, 14), (false, 7));
        assert_eq!(intersect(&[5, 13], &(0..200).collect::<Vec<_>>()), [5, 13]);
    }
}
