//! Highlighting: a title cut into plain and matched pieces, which the template wraps in
//! `<mark>` (escaping every piece, so a title can never inject markup).

use std::collections::HashSet;

/// Pieces of `text` in order; `true` marks a word that (case-folded) is one of `words`.
pub fn segments(text: &str, words: &HashSet<String>) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, marked: bool| match out.last_mut() {
        Some((last, was)) if *was == marked => last.push_str(piece),
        _ => out.push((piece.to_owned(), marked)),
    };
    let mut start = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        let letter = c.is_alphabetic();
        if letter != in_word {
            if i > start {
                let piece = &text[start..i];
                push(piece, in_word && words.contains(&piece.to_lowercase()));
            }
            start = i;
            in_word = letter;
        }
    }
    if start < text.len() {
        let piece = &text[start..];
        push(piece, in_word && words.contains(&piece.to_lowercase()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matched_words_are_marked_whatever_their_case() {
        let words: HashSet<String> = ["solar", "énergie"].map(String::from).into();
        assert_eq!(
            segments("Solar power: Énergie solaire <b>", &words),
            vec![
                ("Solar".to_owned(), true),
                (" power: ".to_owned(), false),
                ("Énergie".to_owned(), true),
                (" solaire <b>".to_owned(), false),
            ]
        );
        assert!(segments("", &words).is_empty());
    }
}
