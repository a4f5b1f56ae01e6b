//! A parsed query: words combined with AND, OR and NOT.
//!
//! [`super::parse`] builds it, already normalised: `And` and `Or` have at least two children
//! and never a child of their own kind, `Not` never wraps a `Not`, and every group has a word
//! to search for (see [`super::QueryError::OnlyNegations`]). Its [`Display`](std::fmt::Display)
//! is the canonical query text, which parses back to the same tree; "did you mean" suggestions
//! are written with it.

use std::fmt;

/// A valid query. Build it with [`Query::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub(crate) root: Node,
}

impl Query {
    /// The query's tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The words (with their prefix flag) in text order, negated ones included.
    pub fn words(&self) -> Vec<&Word> {
        let mut out = Vec::new();
        self.root.collect_words(&mut out);
        out
    }
}

/// A node of the query tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// One word (or prefix), folded like the stored words.
    Word(Word),
    /// All of the children (juxtaposition, or `AND`).
    And(Vec<Node>),
    /// Any of the children (`OR`).
    Or(Vec<Node>),
    /// Rows without the child (`-` or `NOT`); only inside an `And`.
    Not(Box<Node>),
}

/// A query word: lower-cased, NFC, as the crawler stores words.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Word {
    /// The folded word (or the prefix, for `word*`).
    pub text: String,
    /// Written `word*`: matches every stored word that starts with `text`.
    pub prefix: bool,
}

impl Node {
    fn collect_words<'a>(&'a self, out: &mut Vec<&'a Word>) {
        match self {
            Node::Word(word) => out.push(word),
            Node::And(children) | Node::Or(children) => {
                for child in children {
                    child.collect_words(out);
                }
            }
            Node::Not(child) => child.collect_words(out),
        }
    }

    /// The tree with every word passed through `map` (used to write suggestions).
    pub(crate) fn map_words(&self, map: &mut impl FnMut(&Word) -> Word) -> Node {
        match self {
            Node::Word(word) => Node::Word(map(word)),
            Node::And(children) => Node::And(children.iter().map(|c| c.map_words(map)).collect()),
            Node::Or(children) => Node::Or(children.iter().map(|c| c.map_words(map)).collect()),
            Node::Not(child) => Node::Not(Box::new(child.map_words(map))),
        }
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if self.prefix {
            f.write_str("*")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    /// Canonical text: OR binds tighter than the implicit AND, so only an `And` inside an `Or`
    /// or a `Not` needs parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Word(word) => word.fmt(f),
            Node::And(children) => {
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    child.fmt(f)?;
                }
                Ok(())
            }
            Node::Or(children) => {
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    match child {
                        Node::And(_) => write!(f, "({child})")?,
                        _ => child.fmt(f)?,
                    }
                }
                Ok(())
            }
            Node::Not(child) => match **child {
                Node::Word(_) => write!(f, "-{child}"),
                _ => write!(f, "-({child})"),
            },
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}
