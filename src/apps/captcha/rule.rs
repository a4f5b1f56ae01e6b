//! Answer rules: which characters of an image's text a challenge asks for, in which order, and
//! how typed answers are normalised before they are compared.

use serde::{Deserialize, Serialize};

/// Which characters of the text count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CharClass {
    /// Every character.
    All,
    /// Letters only.
    Letters,
    /// Digits only.
    Digits,
    /// Upper-case letters only.
    Uppercase,
    /// Lower-case letters only.
    Lowercase,
}

impl CharClass {
    /// Every class, in the order forms offer them.
    pub const ALL: [CharClass; 5] = [
        CharClass::All,
        CharClass::Letters,
        CharClass::Digits,
        CharClass::Uppercase,
        CharClass::Lowercase,
    ];

    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CharClass::All => "all",
            CharClass::Letters => "letters",
            CharClass::Digits => "digits",
            CharClass::Uppercase => "uppercase",
            CharClass::Lowercase => "lowercase",
        }
    }

    /// Parse the database spelling.
    pub fn parse(s: &str) -> Option<CharClass> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn admits(self, c: char) -> bool {
        match self {
            CharClass::All => true,
            CharClass::Letters => c.is_alphabetic(),
            CharClass::Digits => c.is_ascii_digit(),
            CharClass::Uppercase => c.is_uppercase(),
            CharClass::Lowercase => c.is_lowercase(),
        }
    }
}

/// Which of the admitted characters count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Take {
    /// All of them.
    All,
    /// The first N.
    First(u8),
    /// The last N.
    Last(u8),
}

impl Take {
    /// Database spelling and count.
    pub fn to_db(self) -> (&'static str, i32) {
        match self {
            Take::All => ("all", 0),
            Take::First(n) => ("first", n.into()),
            Take::Last(n) => ("last", n.into()),
        }
    }

    /// From the database spelling and count.
    pub fn from_db(kind: &str, count: i32) -> Option<Take> {
        let n = u8::try_from(count).ok();
        match kind {
            "all" => Some(Take::All),
            "first" => n.filter(|n| *n > 0).map(Take::First),
            "last" => n.filter(|n| *n > 0).map(Take::Last),
            _ => None,
        }
    }
}

/// How a challenge's answer is derived from the image text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRule {
    /// Which characters count.
    pub chars: CharClass,
    /// Which of those.
    pub take: Take,
    /// Whether the answer is typed backwards.
    pub reverse: bool,
    /// Whether case must match.
    pub case_sensitive: bool,
}

/// Answers are compared without white space anywhere: people type "AB 12" for "AB12".
fn strip_space(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| !c.is_whitespace())
}

impl AnswerRule {
    /// The expected answer for an image showing `text`, or `None` when the image cannot carry
    /// this challenge (no digits to type, fewer than N letters…).
    pub fn expected(&self, text: &str) -> Option<String> {
        let admitted: Vec<char> = strip_space(text)
            .filter(|c| self.chars.admits(*c))
            .collect();
        let taken: &[char] = match self.take {
            Take::All => &admitted,
            Take::First(n) => admitted.get(..usize::from(n))?,
            Take::Last(n) => admitted.get(admitted.len().checked_sub(usize::from(n))?..)?,
        };
        if taken.is_empty() {
            return None;
        }
        let mut answer: String = taken.iter().collect();
        if self.reverse {
            answer = answer.chars().rev().collect();
        }
        Some(answer)
    }

    /// Whether `typed` answers this challenge for an image showing `text`.
    pub fn accepts(&self, text: &str, typed: &str) -> bool {
        let Some(expected) = self.expected(text) else {
            return false;
        };
        let typed: String = strip_space(typed).collect();
        if self.case_sensitive {
            typed == expected
        } else {
            typed.to_lowercase() == expected.to_lowercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "aB3kQ7xZ";

    fn rule(chars: CharClass, take: Take, reverse: bool, case_sensitive: bool) -> AnswerRule {
        AnswerRule {
            chars,
            take,
            reverse,
            case_sensitive,
        }
    }

    #[test]
    fn built_in_kinds() {
        let text = rule(CharClass::All, Take::All, false, false);
        assert_eq!(text.expected(TEXT).unwrap(), "aB3kQ7xZ");
        let digits = rule(CharClass::Digits, Take::All, false, false);
        assert_eq!(digits.expected(TEXT).unwrap(), "37");
        let letters = rule(CharClass::Letters, Take::All, false, false);
        assert_eq!(letters.expected(TEXT).unwrap(), "aBkQxZ");
        let last_four = rule(CharClass::Letters, Take::Last(4), true, false);
        assert_eq!(last_four.expected(TEXT).unwrap(), "ZxQk");
    }

    #[test]
    fn answers_are_normalised_as_the_rule_says() {
        let insensitive = rule(CharClass::All, Take::All, false, false);
        assert!(insensitive.accepts(TEXT, "ab3kq7xz"));
        assert!(insensitive.accepts(TEXT, "  AB3K Q7XZ \n"));
        assert!(!insensitive.accepts(TEXT, "ab3kq7x"));
        assert!(!insensitive.accepts(TEXT, ""));
        let sensitive = rule(CharClass::All, Take::All, false, true);
        assert!(sensitive.accepts(TEXT, " aB3kQ7xZ "));
        assert!(!sensitive.accepts(TEXT, "ab3kq7xz"));
        let reversed = rule(CharClass::Letters, Take::Last(4), true, false);
        assert!(reversed.accepts(TEXT, "zxqk"));
        assert!(!reversed.accepts(TEXT, "kqxz"));
    }

    #[test]
    fn images_that_cannot_carry_a_challenge() {
        let digits = rule(CharClass::Digits, Take::All, false, false);
        assert_eq!(digits.expected("ABCD"), None);
        assert!(!digits.accepts("ABCD", ""));
        let last_four = rule(CharClass::Letters, Take::Last(4), true, false);
        assert_eq!(last_four.expected("AB12C"), None);
        let first_two_upper = rule(CharClass::Uppercase, Take::First(2), false, true);
        assert_eq!(first_two_upper.expected(TEXT).unwrap(), "BQ");
        let lower = rule(CharClass::Lowercase, Take::All, false, true);
        assert_eq!(lower.expected(TEXT).unwrap(), "akx");
    }

    #[test]
    fn database_spellings_round_trip() {
        for class in CharClass::ALL {
            assert_eq!(CharClass::parse(class.as_str()), Some(class));
        }
        for take in [Take::All, Take::First(3), Take::Last(4)] {
            let (kind, n) = take.to_db();
            assert_eq!(Take::from_db(kind, n), Some(take));
        }
        assert_eq!(Take::from_db("last", 0), None);
        assert_eq!(Take::from_db("middle", 2), None);
    }
}
