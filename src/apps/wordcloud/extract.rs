//! From HTML bytes to the text a reader sees: character set, title, visible text, `lang`.
//!
//! The character set comes from the HTTP `Content-Type`, else a byte-order mark, else a
//! `<meta charset>` / `http-equiv` declaration in the first 4 KiB, else UTF-8 (WHATWG order,
//! decoded with `encoding_rs`, malformed bytes replaced rather than refused). Visible text
//! leaves out `<script>`, `<style>`, `<template>`, `<noscript>`, SVG/MathML, frames and
//! elements marked `hidden`; tag boundaries become spaces so words of neighbouring elements
//! never glue together, and the boundaries of blocks (paragraphs, sections, list items…) line
//! breaks. The HTML tokenizer of html5ever does the work without building a tree.

use std::cell::RefCell;

use encoding_rs::Encoding;
use html5ever::{
    LocalName,
    tendril::StrTendril,
    tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, states::RawKind,
    },
};

/// What a page says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The `<title>`, trimmed and with white space collapsed.
    pub title: Option<String>,
    /// Title and visible body text, a line for each block.
    pub text: String,
    /// The `lang` attribute of `<html>`, if any.
    pub lang: Option<String>,
}

/// The `charset` parameter of a Content-Type header value.
fn header_charset(content_type: Option<&str>) -> Option<&'static Encoding> {
    let value = content_type?;
    value.split(';').skip(1).find_map(|param| {
        let (name, label) = param.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("charset"))
            .then(|| Encoding::for_label(label.trim().trim_matches('"').as_bytes()))
            .flatten()
    })
}

/// A `<meta charset=…>` or `<meta http-equiv=Content-Type content="…; charset=…">` near the top.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '>' || c.is_whitespace())
            .unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
            // A page that declares UTF-16 in ASCII is not UTF-16 (WHATWG: treat as UTF-8).
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    encoding
                },
            );
        }
    }
    None
}

/// Decode an HTML body.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| header_charset(content_type))
        .or_else(|| meta_charset(bytes))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Elements whose content is never visible text.
const SKIPPED: [&str; 9] = [
    "script", "style", "template", "noscript", "svg", "math", "iframe", "object", "canvas",
];
/// Elements without content (never closed).
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose end tag may be left out: a `hidden` one of these could swallow the rest of
/// the page, so `hidden` is honoured only on elements that are reliably closed.
const OPTIONAL_END: [&str; 16] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rt", "rp",
];

/// Elements that start a block of their own: their boundaries become line breaks, which is
/// where a page that mixes languages is cut into passages (`text::passages`).
const BLOCKS: [&str; 36] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "ul",
];

/// Collects text from the token stream (no tree: linear time even for absurdly nested pages,
/// where a tree builder's scope checks go quadratic).
#[derive(Default)]
struct Collector {
    text: String,
    title: Option<String>,
    in_title: bool,
    lang: Option<String>,
    /// Open skipped elements, innermost last.
    skipping: Vec<LocalName>,
}

struct Sink(RefCell<Collector>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut c = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(chars) => {
                if c.in_title {
                    c.title.get_or_insert_with(String::new).push_str(&chars);
                } else if c.skipping.is_empty() {
                    c.text.push_str(&chars);
                }
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if tag.kind == TagKind::EndTag {
                    if c.skipping.last() == Some(&tag.name) {
                        c.skipping.pop();
                    }
                    if name == "title" {
                        c.in_title = false;
                    }
                    c.text.push(boundary(name));
                    return TokenSinkResult::Continue;
                }
                if name == "html" && c.lang.is_none() {
                    c.lang = tag
                        .attrs
                        .iter()
                        .find(|a| &*a.name.local == "lang")
                        .map(|a| a.value.trim().to_owned())
                        .filter(|l| !l.is_empty());
                }
                c.text.push(boundary(name));
                let closes = !tag.self_closing && !VOID.contains(&name);
                let hidden = tag.attrs.iter().any(|a| &*a.name.local == "hidden")
                    && !OPTIONAL_END.contains(&name);
                let nested_same = c.skipping.last() == Some(&tag.name);
                if closes && (SKIPPED.contains(&name) || hidden || nested_same) {
                    c.skipping.push(tag.name.clone());
                }
                // The tokenizer needs to know which elements hold raw text.
                return match name {
                    "title" if !tag.self_closing => {
                        c.in_title = c.title.is_none();
                        TokenSinkResult::RawData(RawKind::Rcdata)
                    }
                    "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What a tag's boundary becomes in the text: a line break for a block, else a space (so the
/// words of neighbouring elements never glue together).
fn boundary(name: &str) -> char {
    if BLOCKS.contains(&name) { '\n' } else { ' ' }
}

/// Title, visible text and language attribute of an HTML document.
pub fn extract(html: &str) -> Extracted {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Collector::default())), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let collected = tokenizer.sink.0.into_inner();
    let title = collected
        .title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let mut text = String::with_capacity(collected.text.len() + 200);
    if let Some(title) = &title {
        text.push_str(title);
        text.push('\n');
    }
    text.push_str(&collected.text);
    Extracted {
        title,
        text,
        lang: collected.lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_only() {
        let html = r#"<!doctype html><html lang="fr-FR"><head><title> Le  titre </title>
            <style>p { color: red }</style><script>var hidden = "secret";</script></head>
            <body><p>Bonjour<b>le</b></p><div>monde</div><template>modèle</template>
            <noscript>activez</noscript><div hidden>caché <p>aussi</div><svg><text>dessin</text></svg>
            <p hidden>visible: p closes itself<p>fin</body></html>"#;
        let page = extract(html);
        assert_eq!(page.title.as_deref(), Some("Le titre"));
        assert_eq!(page.lang.as_deref(), Some("fr-FR"));
        let words: Vec<&str> = page.text.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "Le", "titre", "Bonjour", "le", "monde", "visible:", "p", "closes", "itself", "fin"
            ]
        );
    }

    #[test]
    fn charsets_from_header_meta_bom_or_default() {
        let latin1 = b"<html><body>caf\xe9</body></html>";
        assert!(decode(latin1, Some("text/html; charset=ISO-8859-1")).contains("café"));
        let meta = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        assert!(decode(meta, Some("text/html")).contains("café"));
        let equiv =
            b"<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>caf\xe9";
        assert!(decode(equiv, None).contains("café"));
        let bom = b"\xef\xbb\xbf<p>caf\xc3\xa9</p>";
        assert!(decode(bom, Some("text/html; charset=iso-8859-1")).contains("café"));
        // Wrong or missing declarations never fail: bad bytes become U+FFFD.
        let wrong = decode(b"caf\xe9", Some("text/html; charset=nonsense"));
        assert!(wrong.starts_with("caf"));
        assert!(decode(b"<p>plain</p>", None).contains("plain"));
    }

    #[test]
    fn garbage_and_deep_nesting_do_not_break_it() {
        assert_eq!(extract("").text.trim(), "");
        let deep = "<div>".repeat(1_000_000) + "deep";
        assert!(extract(&deep).text.contains("deep"));
        assert!(extract("<<<>>></p></p><p>ok").text.contains("ok"));
    }

    #[test]
    fn real_pages_in_many_languages_are_detected_after_extraction() {
        // The real pages, as the crawler extracts them.
        let pages = [
            ("en", include_str!("../../../demo/udhr/eng.html")),
            ("nl", include_str!("../../../demo/udhr/nld.html")),
            ("sv", include_str!("../../../demo/udhr/swe.html")),
            ("nb", include_str!("../../../demo/udhr/nob.html")),
            ("fr", include_str!("../../../demo/udhr/fra.html")),
            ("da", include_str!("../../../demo/udhr/dan.html")),
            ("fi", include_str!("../../../demo/udhr/fin.html")),
            ("it", include_str!("../../../demo/udhr/ita.html")),
            ("pl", include_str!("../../../demo/udhr/pol.html")),
        ];
        for (code, html) in pages {
            let page = extract(html);
            assert_eq!(
                crate::text::language::detect(&page.text, page.lang.as_deref()).as_deref(),
                Some(code),
                "{code}"
            );
        }
    }
}
