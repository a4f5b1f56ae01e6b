//! Why a query or a build was refused: enums with stable keys, no English.
//!
//! The web layer shows a [`QueryError`] to the user through its fluent key
//! ([`QueryError::key`], e.g. `search-error-unbalanced` in `locales/*/search.ftl`), so the core
//! carries no user-visible text. [`BuildError`]s are for operators' logs.

use super::parse::{MAX_DEPTH, MAX_QUERY_CHARS};

/// A query the parser refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueryError {
    /// Nothing but white space.
    Empty,
    /// Longer than [`MAX_QUERY_CHARS`] characters.
    TooLong,
    /// A `(` without its `)` or a `)` without its `(`.
    Unbalanced,
    /// `OR`, `AND`, `NOT` or `-(` with an operand missing (`cat OR`, `NOT`, `a OR OR b`).
    DanglingOperator,
    /// Parentheses and `NOT`s nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Some group has nothing to search for, only words to leave out: `-cat`,
    /// `dog OR -cat`, `NOT (a b)`. See [`super::parse`] for the rule.
    OnlyNegations,
    /// Text, but no searchable word: numbers, punctuation, words shorter than three letters or
    /// longer than forty, or only stopwords.
    NoWords,
}

impl QueryError {
    /// The fluent message key of this error (stable: the locales use it).
    pub fn key(self) -> &'static str {
        match self {
            QueryError::Empty => "search-error-empty",
            QueryError::TooLong => "search-error-too-long",
            QueryError::Unbalanced => "search-error-unbalanced",
            QueryError::DanglingOperator => "search-error-dangling-operator",
            QueryError::TooDeep => "search-error-too-deep",
            QueryError::OnlyNegations => "search-error-only-negations",
            QueryError::NoWords => "search-error-no-words",
        }
    }

    /// The limit a message can quote (`$max`): characters for `TooLong`, levels for `TooDeep`.
    pub fn limit(self) -> Option<usize> {
        match self {
            QueryError::TooLong => Some(MAX_QUERY_CHARS),
            QueryError::TooDeep => Some(MAX_DEPTH),
            _ => None,
        }
    }
}

impl std::fmt::Display for QueryError {
    /// The key: logs and tests read it; users get the translated message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::error::Error for QueryError {}

/// An index could not be built from the rows given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The same crawl row id was given twice.
    #[error("crawl row {0} was given twice")]
    DuplicateRow(i64),
    /// More rows, pages or languages than the index's compact tables address.
    #[error("too many {0} for one index")]
    TooLarge(&'static str),
    /// The term dictionary refused its input (a bug: keys are sorted and unique).
    #[error("term dictionary: {0}")]
    Dictionary(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_search_error_key() {
        let all = [
            QueryError::Empty,
            QueryError::TooLong,
            QueryError::Unbalanced,
            QueryError::DanglingOperator,
            QueryError::TooDeep,
            QueryError::OnlyNegations,
            QueryError::NoWords,
        ];
        let keys: std::collections::HashSet<_> = all.iter().map(|e| e.key()).collect();
        assert_eq!(keys.len(), all.len());
        assert!(keys.iter().all(|k| k.starts_with("search-error-")));
        assert_eq!(QueryError::TooLong.limit(), Some(512));
        assert_eq!(QueryError::Empty.limit(), None);
    }
}
