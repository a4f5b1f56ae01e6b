//! Normalising the URL of a page, so one page is registered once.
//!
//! `Example.ORG:443/a#top`, `https://example.org/a` and `https://example.org:443/a` are the same
//! page: the scheme defaults to https, scheme and host are lower-cased (international names in
//! their ASCII form), the default port and the fragment are dropped, an empty path becomes `/`.
//! Credentials in a URL are refused (they would be shown to everybody).

use url::Url;

use crate::web::Message;

/// Longest URL accepted.
pub const MAX_LEN: usize = 2048;

/// Normalise a typed URL, or say what is wrong with it.
pub fn normalize(input: &str) -> Result<Url, Message> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Message::new("field-required"));
    }
    if input.len() > MAX_LEN {
        return Err(Message::new("page-url-too-long").arg("max", MAX_LEN as i64));
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|_| Message::new("page-url-invalid"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Message::new("page-url-scheme"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Message::new("page-url-credentials"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Message::new("page-url-invalid"));
    }
    url.set_fragment(None);
    if url.query() == Some("") {
        url.set_query(None);
    }
    if url.as_str().len() > MAX_LEN {
        return Err(Message::new("page-url-too-long").arg("max", MAX_LEN as i64));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_spellings_normalise_to_one_url() {
        for typed in [
            "https://example.org/a",
            "Example.ORG/a#top",
            "HTTPS://example.org:443/a",
            "  https://example.org/a?  ",
        ] {
            assert_eq!(
                normalize(typed).unwrap().as_str(),
                "https://example.org/a",
                "{typed}"
            );
        }
        assert_eq!(
            normalize("http://example.org").unwrap().as_str(),
            "http://example.org/"
        );
        assert_eq!(
            normalize("http://example.org:8080/").unwrap().as_str(),
            "http://example.org:8080/"
        );
        assert_eq!(
            normalize("https://bücher.example/").unwrap().as_str(),
            "https://xn--bcher-kva.example/"
        );
        assert_eq!(
            normalize("http://127.0.0.1:8001/x").unwrap().as_str(),
            "http://127.0.0.1:8001/x"
        );
    }

    #[test]
    fn bad_urls_get_a_reason() {
        assert_eq!(normalize("").unwrap_err().id, "field-required");
        assert_eq!(
            normalize("ftp://example.org/").unwrap_err().id,
            "page-url-scheme"
        );
        assert_eq!(
            normalize("javascript:alert(1)").unwrap_err().id,
            "page-url-invalid"
        );
        assert_eq!(
            normalize("https://user:pw@example.org/").unwrap_err().id,
            "page-url-credentials"
        );
        assert_eq!(
            normalize("https:// spaces in host/").unwrap_err().id,
            "page-url-invalid"
        );
        assert_eq!(
            normalize(&format!("https://example.org/{}", "a".repeat(3000)))
                .unwrap_err()
                .id,
            "page-url-too-long"
        );
    }
}
