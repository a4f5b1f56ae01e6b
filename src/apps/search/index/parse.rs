//! The query language, from text to a [`Query`].
//!
//! - Words are ANDed: `solar wind` finds rows holding both. `AND` (upper case) may be written.
//! - `OR` (upper case) between two operands: `cat OR dog`. OR binds tighter than the implicit
//!   AND, as in web search engines: `solar wind OR power` = `solar (wind OR power)`.
//! - `-word`, `-(group)` and `NOT operand` leave rows out: `jaguar -car`.
//! - Parentheses group: `(cat OR dog) food`.
//! - `word*` matches every stored word starting with `word`.
//! - Everything else is text: each chunk between spaces is cut and folded by HUD's tokenizer
//!   (so `Übersicht` finds `übersicht`, `foo-bar` means `foo bar`, and `l'homme` means
//!   `homme`); double quotes are spaces (no phrase search). A chunk that yields no word (`a`,
//!   `2024`, `—`, a stopword given to [`Query::parse_with_stopwords`]) is dropped from its
//!   group: `the OR cat` is `cat`.
//!
//! Every group must search for something: an AND group needs an operand that is not negated,
//! and no alternative of an OR may be negated. So `dog -cat` and `(a OR b) -c` are valid;
//! `-cat`, `NOT (a b)` and `dog OR -cat` are [`QueryError::OnlyNegations`]. This keeps
//! evaluation to set operations on posting lists, never "every row except …".
//!
//! Limits that keep parsing cheap and panic-free whatever the input: [`MAX_QUERY_CHARS`]
//! characters, [`MAX_DEPTH`] levels of parentheses and `NOT`.

use std::collections::HashSet;

use super::{
    ast::{Node, Query},
    error::QueryError,
    lex::{Token, lex},
};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 512;
/// The deepest nesting of parentheses and `NOT`s accepted.
pub const MAX_DEPTH: usize = 32;

impl Query {
    /// Parse a query typed by a user.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        parse(text, &|_| false)
    }

    /// Parse a query, dropping the words in `stopwords` (e.g. the stopwords of the language
    /// searched: the crawler did not store them, so they would only empty an AND).
    pub fn parse_with_stopwords(
        text: &str,
        stopwords: &HashSet<String>,
    ) -> Result<Query, QueryError> {
        parse(text, &|word| stopwords.contains(word))
    }
}

fn parse(text: &str, is_stopword: &dyn Fn(&str) -> bool) -> Result<Query, QueryError> {
    // Bytes bound characters from above: only count characters when it matters.
    if text.len() > MAX_QUERY_CHARS && text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let tokens = lex(text, is_stopword);
    if tokens.is_empty() {
        return Err(QueryError::Empty);
    }
    let mut parser = Parser { tokens, pos: 0 };
    let root = parser.sequence(0)?;
    if parser.pos < parser.tokens.len() {
        // `sequence` stops only at the end or at a `)` nobody opened.
        return Err(QueryError::Unbalanced);
    }
    let root = root.ok_or(QueryError::NoWords)?;
    if !searchable(&root) || matches!(root, Node::Not(_)) {
        return Err(QueryError::OnlyNegations);
    }
    Ok(Query { root })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn operand_follows(&self) -> bool {
        self.peek().is_some_and(Token::starts_operand)
    }

    /// Operands side by side (implicit AND), up to the end or a `)`.
    fn sequence(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let mut items = Vec::new();
        let mut operands = 0;
        loop {
            match self.peek() {
                None | Some(Token::Close) => break,
                Some(Token::And) => {
                    self.pos += 1;
                    if operands == 0 || !self.operand_follows() {
                        return Err(QueryError::DanglingOperator);
                    }
                }
                Some(_) => {
                    operands += 1;
                    if let Some(node) = self.alternatives(depth)? {
                        items.push(node);
                    }
                }
            }
        }
        Ok(combine(items, Node::And))
    }

    /// `a OR b OR …`.
    fn alternatives(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let mut items = Vec::new();
        items.extend(self.unary(depth)?);
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            if !self.operand_follows() {
                return Err(QueryError::DanglingOperator);
            }
            items.extend(self.unary(depth)?);
        }
        Ok(combine(items, Node::Or))
    }

    /// `NOT operand`, `-operand` or an operand.
    fn unary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        if self.peek() != Some(&Token::Not) {
            return self.primary(depth);
        }
        self.pos += 1;
        if !self.operand_follows() {
            return Err(QueryError::DanglingOperator);
        }
        if depth >= MAX_DEPTH {
            return Err(QueryError::TooDeep);
        }
        Ok(self.unary(depth + 1)?.map(|node| match node {
            Node::Not(inner) => *inner,
            other => Node::Not(Box::new(other)),
        }))
    }

    /// `( … )` or a chunk's words.
    fn primary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        match self.tokens.get_mut(self.pos) {
            Some(Token::Open) => {
                if depth >= MAX_DEPTH {
                    return Err(QueryError::TooDeep);
                }
                self.pos += 1;
                let inner = self.sequence(depth + 1)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(QueryError::Unbalanced);
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Words(words)) => {
                let words = std::mem::take(words);
                self.pos += 1;
                Ok(combine(
                    words.into_iter().map(Node::Word).collect(),
                    Node::And,
                ))
            }
            // An operator where an operand should be: `OR cat`, `(AND`.
            _ => Err(QueryError::DanglingOperator),
        }
    }
}

/// One node from a group's items: none, the single item, or `make` of the items with nested
/// groups of the same kind flattened.
fn combine(items: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Option<Node> {
    if items.len() <= 1 {
        return items.into_iter().next();
    }
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match (make(Vec::new()), item) {
            (Node::And(_), Node::And(children)) | (Node::Or(_), Node::Or(children)) => {
                flat.extend(children);
            }
            (_, item) => flat.push(item),
        }
    }
    Some(make(flat))
}

/// Whether every group of the (normalised) tree has something to search for: an AND has an
/// operand that is not a `Not`, an OR has no `Not` alternative.
fn searchable(node: &Node) -> bool {
    match node {
        Node::Word(_) => true,
        Node::Not(child) => searchable(child),
        Node::And(children) => {
            children.iter().any(|c| !matches!(c, Node::Not(_))) && children.iter().all(searchable)
        }
        Node::Or(children) => {
            children.iter().all(|c| !matches!(c, Node::Not(_))) && children.iter().all(searchable)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ok(text: &str) -> String {
        Query::parse(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .to_string()
    }

    fn err(text: &str) -> QueryError {
        Query::parse(text).expect_err(text)
    }

    #[test]
    fn words_are_anded_and_folded_like_stored_words() {
        assert_eq!(ok("Solar  WIND"), "solar wind");
        assert_eq!(ok("U\u{308}bersicht"), "übersicht");
        assert_eq!(ok("Übersicht"), "übersicht");
        assert_eq!(ok("solar AND wind"), "solar wind");
        assert_eq!(ok("\"solar wind\""), "solar wind");
        // A chunk with several words means all of them; too-short words and numbers go.
        assert_eq!(ok("foo-bar l'homme a 2024"), "foo bar homme");
    }

    #[test]
    fn or_binds_tighter_than_and() {
        assert_eq!(ok("cat OR dog"), "cat OR dog");
        assert_eq!(ok("solar wind OR power"), "solar wind OR power");
        let q = Query::parse("solar wind OR power").unwrap();
        assert!(matches!(&q.root, Node::And(c) if c.len() == 2 && matches!(&c[1], Node::Or(_))));
        assert_eq!(ok("(cat dog) OR bird"), "(cat dog) OR bird");
        assert_eq!(ok("a1 OR cat"), "cat");
        // Lower-case "or" is a word (too short to search), not the operator.
        assert_eq!(ok("cat or dog"), "cat dog");
    }

    #[test]
    fn negation_with_dash_and_not() {
        assert_eq!(ok("jaguar -car"), "jaguar -car");
        assert_eq!(ok("jaguar NOT car"), "jaguar -car");
        assert_eq!(ok("jaguar -(car OR cars)"), "jaguar -(car OR cars)");
        assert_eq!(ok("jaguar NOT NOT car"), "jaguar car");
        assert_eq!(ok("jaguar --car"), "jaguar -car");
        // A lone dash is punctuation.
        assert_eq!(ok("rust - the language"), "rust the language");
        assert_eq!(ok("(cat OR dog) -mouse"), "cat OR dog -mouse");
    }

    #[test]
    fn parentheses_group() {
        assert_eq!(ok("(cat OR dog) food"), "cat OR dog food");
        assert_eq!(ok("((cat))"), "cat");
        assert_eq!(ok("food (cat OR (dog bird))"), "food cat OR (dog bird)");
    }

    #[test]
    fn prefix_words() {
        let q = Query::parse("astro* physics").unwrap();
        let words = q.words();
        assert!(words[0].prefix && words[0].text == "astro");
        assert!(!words[1].prefix);
        assert_eq!(ok("astro** -foo*"), "astro* -foo*");
        assert_eq!(ok("foo-bar*"), "foo bar*");
        // A prefix shorter than a word is not searchable.
        assert_eq!(err("ab*"), QueryError::NoWords);
    }

    #[test]
    fn errors() {
        assert_eq!(err(""), QueryError::Empty);
        assert_eq!(err("  \t\n"), QueryError::Empty);
        assert_eq!(err("\"\""), QueryError::Empty);
        assert_eq!(err(&"cat ".repeat(129)), QueryError::TooLong);
        let longest = format!("{}ab", "élan ".repeat(102));
        assert_eq!(longest.chars().count(), MAX_QUERY_CHARS);
        assert!(Query::parse(&longest).is_ok());
        assert_eq!(err(&"é".repeat(MAX_QUERY_CHARS + 1)), QueryError::TooLong);
        for text in ["(cat", "cat)", "((cat)", "(cat))", ")cat(", "cat ("] {
            assert_eq!(err(text), QueryError::Unbalanced, "{text}");
        }
        for text in [
            "OR",
            "cat OR",
            "OR cat",
            "cat OR OR dog",
            "NOT",
            "cat NOT",
            "AND cat",
            "cat AND",
            "cat AND OR dog",
            "(OR cat)",
            "(cat OR)",
            "NOT)",
            "cat NOT OR dog",
        ] {
            assert_eq!(err(text), QueryError::DanglingOperator, "{text}");
        }
        let deep = format!("{}cat{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(Query::parse(&deep).is_ok());
        let deeper = format!(
            "{}cat{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(err(&deeper), QueryError::TooDeep);
        assert_eq!(
            err(&"NOT ".repeat(MAX_DEPTH + 1)),
            QueryError::DanglingOperator
        );
        assert_eq!(
            err(&format!("{}cat", "NOT ".repeat(MAX_DEPTH + 1))),
            QueryError::TooDeep
        );
        assert_eq!(err(&"(".repeat(200)), QueryError::TooDeep);
        for text in [
            "-cat",
            "NOT cat",
            "-cat -dog",
            "dog OR -cat",
            "NOT (a1 cat)",
            "(-cat) dog OR -bird",
        ] {
            assert_eq!(err(text), QueryError::OnlyNegations, "{text}");
        }
        for text in ["a", "12 345", "—", "()", "mp3", "x*", "- -", "-( )x"] {
            assert_eq!(err(text), QueryError::NoWords, "{text}");
        }
    }

    #[test]
    fn stopwords_are_dropped_when_given() {
        let stop: HashSet<String> = ["the".to_owned(), "and".to_owned()].into();
        let q = Query::parse_with_stopwords("The cat and the hat", &stop).unwrap();
        assert_eq!(q.to_string(), "cat hat");
        assert_eq!(
            Query::parse_with_stopwords("the OR cat", &stop)
                .unwrap()
                .to_string(),
            "cat"
        );
        assert_eq!(
            Query::parse_with_stopwords("the the", &stop),
            Err(QueryError::NoWords)
        );
        assert_eq!(
            Query::parse_with_stopwords("the*", &stop)
                .unwrap()
                .to_string(),
            "the*"
        );
    }

    const PIECES: &[&str] = &[
        "cat",
        "dog",
        "Élan",
        "OR",
        "AND",
        "NOT",
        "-",
        "(",
        ")",
        "*",
        " ",
        "\"",
        "the",
        "a",
        "12",
        "-(",
        "x-y",
        "ab*",
        "ünïcödé",
        "\u{308}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>()) {
            let _ = Query::parse(&text);
        }

        #[test]
        fn never_panics_on_long_and_nested_text(text in "[()a-zA-Z *\"-]{0,600}") {
            let _ = Query::parse(&text);
        }

        #[test]
        fn canonical_text_parses_back_to_the_same_query(
            picks in proptest::collection::vec(0..PIECES.len(), 0..24)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
            if let Ok(query) = Query::parse(&text) {
                prop_assert_eq!(Query::parse(&query.to_string()), Ok(query));
            }
        }
    }
}
