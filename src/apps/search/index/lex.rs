//! Cutting query text into tokens: parentheses, the upper-case operators `OR`, `AND`, `NOT`,
//! negation dashes, and chunks of text whose words HUD's tokenizer cuts and folds (see
//! [`super::parse`] for the language). White space, parentheses and double quotes separate
//! chunks; a trailing `*` makes a chunk's last word a prefix.

use super::{ast::Word, tokens::for_each_word};

/// A lexical token of the query language.
#[derive(Debug, PartialEq)]
pub(crate) enum Token {
    Open,
    Close,
    Or,
    And,
    Not,
    /// A chunk of text: its words (none if it held no searchable word).
    Words(Vec<Word>),
}

impl Token {
    /// Whether an operand can begin with this token.
    pub(crate) fn starts_operand(&self) -> bool {
        matches!(self, Token::Open | Token::Not | Token::Words(_))
    }
}

/// The tokens of `text`; words are cut and folded here, `is_stopword` ones dropped.
pub(crate) fn lex(text: &str, is_stopword: &dyn Fn(&str) -> bool) -> Vec<Token> {
    let separator = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"');
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '(' || c == ')' {
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            rest = &rest[1..];
            continue;
        }
        if separator(c) {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest.find(separator).unwrap_or(rest.len());
        let chunk = &rest[..end];
        rest = &rest[end..];
        match chunk {
            "OR" => tokens.push(Token::Or),
            "AND" => tokens.push(Token::And),
            "NOT" => tokens.push(Token::Not),
            _ => {
                let body = chunk.trim_start_matches('-');
                if body.is_empty() {
                    // A lone dash negates a group written right after it (`-(a b)`); elsewhere
                    // it is punctuation ("rust - the language").
                    tokens.push(if rest.starts_with('(') {
                        Token::Not
                    } else {
                        Token::Words(Vec::new())
                    });
                    continue;
                }
                if body.len() < chunk.len() {
                    tokens.push(Token::Not);
                }
                let stem = body.trim_end_matches('*');
                let prefix = stem.len() < body.len();
                let mut words: Vec<Word> = Vec::new();
                for_each_word(stem, |w| {
                    words.push(Word {
                        text: w.to_owned(),
                        prefix: false,
                    });
                });
                if prefix && let Some(last) = words.last_mut() {
                    last.prefix = true;
                }
                // A prefix is never a stopword: `the*` asks for "theory", "theme", ….
                words.retain(|w| w.prefix || !is_stopword(&w.text));
                tokens.push(Token::Words(words));
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(texts: &[&str]) -> Token {
        Token::Words(
            texts
                .iter()
                .map(|t| Word {
                    text: (*t).to_owned(),
                    prefix: false,
                })
                .collect(),
        )
    }

    #[test]
    fn cuts_operators_dashes_and_chunks() {
        let none = |_: &str| false;
        assert_eq!(
            lex("(Cat OR dog) -mouse NOT x AND foo-bar", &none),
            [
                Token::Open,
                words(&["cat"]),
                Token::Or,
                words(&["dog"]),
                Token::Close,
                Token::Not,
                words(&["mouse"]),
                Token::Not,
                words(&[]),
                Token::And,
                words(&["foo", "bar"]),
            ]
        );
        // A dash before a group negates it; a lone dash elsewhere is punctuation.
        assert_eq!(
            lex("-(a)", &none),
            [Token::Not, Token::Open, words(&[]), Token::Close]
        );
        assert_eq!(lex("- cat", &none), [words(&[]), words(&["cat"])]);
        let Token::Words(prefix) = &lex("astro*", &none)[0] else {
            panic!("a chunk");
        };
        assert!(prefix[0].prefix);
    }
}
