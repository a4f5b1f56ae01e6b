//! Answer rules: which characters of an image's text a challenge asks for, in which order, and
//! how typed answers are normalised before they are compared.
//!
//! A rule reads the text in three steps: the part of the picture it asks about ([`Scope`]: the
//! whole text, or the characters drawn in blue, inside the circle, on one line — which only a
//! generated image, drawn with [`Marks`], can carry), the kind of character ([`CharClass`]), and
//! which of those ([`Take`]), optionally reversed. A scope is what a text reader cannot answer
//! alone: reading every character right is not enough to know which of them are asked for.

use serde::{Deserialize, Serialize};

/// What a generated image shows about one of its characters besides its shape (bit flags, stored
/// as one `SMALLINT` per character).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks(pub i16);

impl Marks {
    /// Drawn on the lower of the two lines (else on the upper one).
    pub const LOWER_LINE: i16 = 1;
    /// Drawn in blue (else in a warm colour).
    pub const BLUE: i16 = 2;
    /// Inside the circle.
    pub const CIRCLED: i16 = 4;

    /// Whether every flag of `flag` is set.
    pub fn has(self, flag: i16) -> bool {
        self.0 & flag == flag
    }
}

/// Which part of the picture a challenge asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// The whole text, in reading order (any image).
    All,
    /// The characters drawn in blue.
    Blue,
    /// The characters inside the circle.
    Circled,
    /// The characters on the upper line.
    UpperLine,
    /// The characters on the lower line.
    LowerLine,
}

impl Scope {
    /// Every scope, in the order forms offer them.
    pub const ALL: [Scope; 5] = [
        Scope::All,
        Scope::Blue,
        Scope::Circled,
        Scope::UpperLine,
        Scope::LowerLine,
    ];

    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Blue => "blue",
            Scope::Circled => "circled",
            Scope::UpperLine => "upper-line",
            Scope::LowerLine => "lower-line",
        }
    }

    /// Parse the database spelling.
    pub fn parse(s: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether a character with `marks` is in this part of the picture.
    fn admits(self, marks: Marks) -> bool {
        match self {
            Scope::All => true,
            Scope::Blue => marks.has(Marks::BLUE),
            Scope::Circled => marks.has(Marks::CIRCLED),
            Scope::UpperLine => !marks.has(Marks::LOWER_LINE),
            Scope::LowerLine => marks.has(Marks::LOWER_LINE),
        }
    }
}

/// The characters of an image and, for generated images, what each shows besides its shape.
#[derive(Clone, Copy, Debug)]
pub struct Drawn<'a> {
    /// The characters, in reading order.
    pub text: &'a str,
    /// The [`Marks`] of each character of `text` (none for uploaded images, which carry only
    /// [`Scope::All`] challenges).
    pub marks: Option<&'a [i16]>,
}

impl<'a> Drawn<'a> {
    /// Plain text without marks (an uploaded image).
    pub fn plain(text: &'a str) -> Self {
        Drawn { text, marks: None }
    }

    /// The characters in `scope`, white space dropped; None when the image cannot show it.
    fn in_scope(&self, scope: Scope) -> Option<Vec<char>> {
        if scope == Scope::All {
            return Some(strip_space(self.text).collect());
        }
        let marks = self.marks?;
        if marks.len() != self.text.chars().count() {
            return None;
        }
        Some(
            self.text
                .chars()
                .zip(marks)
                .filter(|(c, m)| !c.is_whitespace() && scope.admits(Marks(**m)))
                .map(|(c, _)| c)
                .collect(),
        )
    }
}

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
    /// Which part of the picture.
    pub scope: Scope,
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
    /// The expected answer for an image showing `drawn`, or `None` when the image cannot carry
    /// this challenge (no digits to type, fewer than N letters, no blue characters…).
    pub fn expected(&self, drawn: Drawn<'_>) -> Option<String> {
        let admitted: Vec<char> = drawn
            .in_scope(self.scope)?
            .into_iter()
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

    /// The characters of this rule's part of the picture, as the audio alternative says them
    /// (the listener then applies the rest of the rule); None when the image cannot show it.
    pub fn spoken(&self, drawn: Drawn<'_>) -> Option<String> {
        let chars = drawn.in_scope(self.scope)?;
        (!chars.is_empty()).then(|| chars.into_iter().collect())
    }

    /// Whether `typed` answers this challenge for an image showing `drawn`.
    pub fn accepts(&self, drawn: Drawn<'_>, typed: &str) -> bool {
        let Some(expected) = self.expected(drawn) else {
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
            scope: Scope::All,
            chars,
            take,
            reverse,
            case_sensitive,
        }
    }

    #[test]
    fn built_in_kinds() {
        let text = rule(CharClass::All, Take::All, false, false);
        assert_eq!(text.expected(Drawn::plain(TEXT)).unwrap(), "aB3kQ7xZ");
        let digits = rule(CharClass::Digits, Take::All, false, false);
        assert_eq!(digits.expected(Drawn::plain(TEXT)).unwrap(), "37");
        let letters = rule(CharClass::Letters, Take::All, false, false);
        assert_eq!(letters.expected(Drawn::plain(TEXT)).unwrap(), "aBkQxZ");
        let last_four = rule(CharClass::Letters, Take::Last(4), true, false);
        assert_eq!(last_four.expected(Drawn::plain(TEXT)).unwrap(), "ZxQk");
    }

    #[test]
    fn answers_are_normalised_as_the_rule_says() {
        let insensitive = rule(CharClass::All, Take::All, false, false);
        assert!(insensitive.accepts(Drawn::plain(TEXT), "ab3kq7xz"));
        assert!(insensitive.accepts(Drawn::plain(TEXT), "  AB3K Q7XZ \n"));
        assert!(!insensitive.accepts(Drawn::plain(TEXT), "ab3kq7x"));
        assert!(!insensitive.accepts(Drawn::plain(TEXT), ""));
        let sensitive = rule(CharClass::All, Take::All, false, true);
        assert!(sensitive.accepts(Drawn::plain(TEXT), " aB3kQ7xZ "));
        assert!(!sensitive.accepts(Drawn::plain(TEXT), "ab3kq7xz"));
        let reversed = rule(CharClass::Letters, Take::Last(4), true, false);
        assert!(reversed.accepts(Drawn::plain(TEXT), "zxqk"));
        assert!(!reversed.accepts(Drawn::plain(TEXT), "kqxz"));
    }

    #[test]
    fn images_that_cannot_carry_a_challenge() {
        let digits = rule(CharClass::Digits, Take::All, false, false);
        assert_eq!(digits.expected(Drawn::plain("ABCD")), None);
        assert!(!digits.accepts(Drawn::plain("ABCD"), ""));
        let last_four = rule(CharClass::Letters, Take::Last(4), true, false);
        assert_eq!(last_four.expected(Drawn::plain("AB12C")), None);
        let first_two_upper = rule(CharClass::Uppercase, Take::First(2), false, true);
        assert_eq!(first_two_upper.expected(Drawn::plain(TEXT)).unwrap(), "BQ");
        let lower = rule(CharClass::Lowercase, Take::All, false, true);
        assert_eq!(lower.expected(Drawn::plain(TEXT)).unwrap(), "akx");
    }

    #[test]
    fn scopes_pick_characters_by_their_marks() {
        // Upper line "aB3k" (B and 3 blue, 3 and k circled), lower line "Q7xZ" (7 blue).
        let (upper, lower, blue, circled) = (0, Marks::LOWER_LINE, Marks::BLUE, Marks::CIRCLED);
        let marks = [
            upper,
            upper | blue,
            upper | blue | circled,
            upper | circled,
            lower,
            lower | blue,
            lower,
            lower,
        ];
        let drawn = Drawn {
            text: TEXT,
            marks: Some(&marks),
        };
        let scoped = |scope| AnswerRule {
            scope,
            ..rule(CharClass::All, Take::All, false, false)
        };
        assert_eq!(scoped(Scope::All).expected(drawn).unwrap(), TEXT);
        assert_eq!(scoped(Scope::Blue).expected(drawn).unwrap(), "B37");
        assert_eq!(scoped(Scope::Circled).expected(drawn).unwrap(), "3k");
        assert_eq!(scoped(Scope::UpperLine).expected(drawn).unwrap(), "aB3k");
        assert_eq!(scoped(Scope::LowerLine).expected(drawn).unwrap(), "Q7xZ");
        let blue_digits_reversed = AnswerRule {
            scope: Scope::Blue,
            ..rule(CharClass::Digits, Take::All, true, false)
        };
        assert_eq!(blue_digits_reversed.expected(drawn).unwrap(), "73");
        assert!(scoped(Scope::Blue).accepts(drawn, "b 3 7"));
        assert_eq!(blue_digits_reversed.spoken(drawn).unwrap(), "B37");
        assert_eq!(scoped(Scope::Circled).spoken(Drawn::plain(TEXT)), None);
        assert!(!scoped(Scope::Blue).accepts(drawn, TEXT));
        // An uploaded image has no marks, and marks that do not match the text are ignored.
        assert_eq!(scoped(Scope::Blue).expected(Drawn::plain(TEXT)), None);
        let short = Drawn {
            text: TEXT,
            marks: Some(&marks[..3]),
        };
        assert_eq!(scoped(Scope::Blue).expected(short), None);
        assert_eq!(scoped(Scope::All).expected(short).unwrap(), TEXT);
    }

    #[test]
    fn database_spellings_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
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
