//! Fetching one page politely and safely.
//!
//! Every hop (the request and each redirect, at most [`FetchSettings::max_redirects`]) is
//! resolved here, vetted by the SSRF guard, and sent through a client pinned to the vetted
//! addresses. Connect and read timeouts, a body limit counted on the decompressed bytes
//! (gzip/br accepted), conditional GET (ETag / Last-Modified → "not modified"), robots.txt
//! (cached per origin for an hour; only a 2xx robots.txt restricts) and a configurable
//! User-Agent. Every way it can end is an [`Outcome`] the crawl records and the page shows.

use std::{net::IpAddr, sync::Arc, time::Duration};

use reqwest::{StatusCode, Url, header};

use super::guard::Allow;

/// How to fetch.
#[derive(Clone)]
pub struct FetchSettings {
    /// Connect timeout, and the longest silence while reading.
    pub timeout: Duration,
    /// Longest whole exchange (slow-drip bodies end here).
    pub total_timeout: Duration,
    /// Largest body, after decompression.
    pub max_bytes: usize,
    /// Redirects followed.
    pub max_redirects: usize,
    /// `User-Agent` header (its first word is the robots.txt token).
    pub user_agent: String,
    /// SSRF exceptions.
    pub allow: Allow,
    /// TLS settings shared by every client (webpki roots, ring).
    pub tls: Arc<rustls::ClientConfig>,
}

/// Validators of the previous fetch, for a conditional GET.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    /// `ETag` to send as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` to send as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// How a fetch ended.
#[derive(Debug)]
pub enum Outcome {
    /// An HTML page.
    Ok {
        /// Where it ended up after redirects.
        url: Url,
        /// The `Content-Type` header.
        content_type: Option<String>,
        /// The (decompressed) body.
        body: Vec<u8>,
        /// Validators for the next fetch.
        validators: Validators,
    },
    /// 304: unchanged since the last fetch.
    NotModified,
    /// A 4xx/5xx status.
    HttpError(u16),
    /// Connect, read or total timeout.
    Timeout,
    /// The body exceeded the limit.
    TooLarge,
    /// Not an HTML document (its content type).
    NotHtml(String),
    /// Refused: too many redirects, a non-HTTP scheme, or robots.txt.
    Blocked(String),
    /// DNS failure or only non-public addresses (both [`NO_PUBLIC_ADDRESS`]), refused
    /// connection, TLS or protocol error.
    Unreachable(String),
}

impl Outcome {
    /// Whether trying again later may help (the job is retried).
    pub fn is_transient(&self) -> bool {
        match self {
            Outcome::Timeout | Outcome::Unreachable(_) => true,
            Outcome::HttpError(status) => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Make ring the process's default rustls crypto provider (reqwest refuses to build a client
/// without one). Idempotent.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// TLS configuration: Mozilla's root store compiled in, ring crypto (already used by sqlx).
pub fn tls_config() -> Arc<rustls::ClientConfig> {
    install_crypto_provider();
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    Arc::new(config)
}

/// A client for one hop, connecting only to `addrs` for `host`.
fn client(
    settings: &FetchSettings,
    host: &str,
    addrs: &[std::net::SocketAddr],
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .tls_backend_preconfigured((*settings.tls).clone())
        .user_agent(&settings.user_agent)
        .connect_timeout(settings.timeout)
        .read_timeout(settings.timeout)
        .timeout(settings.total_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .resolve_to_addrs(host, addrs)
        .build()
}

/// Resolve and vet the host of `url`.
async fn vet(
    settings: &FetchSettings,
    url: &Url,
) -> Result<(String, Vec<std::net::SocketAddr>), Outcome> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Outcome::Blocked(format!("scheme {}", url.scheme())));
    }
    let host = url
        .host_str()
        .ok_or_else(|| Outcome::Blocked("no host".into()))?
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| Outcome::Blocked("no port".into()))?;
    let bare = host.trim_matches(['[', ']']);
    let ips: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        // Never resolves (RFC 6761 §6.4): answered as a name that does not resolve, without
        // waiting on a resolver that may be slow or offline.
        Err(_) if is_invalid_tld(bare) => return Err(no_public_address("DNS: .invalid")),
        Err(_) => {
            match tokio::time::timeout(settings.timeout, tokio::net::lookup_host((bare, port)))
                .await
            {
                Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect(),
                Ok(Err(e)) => return Err(no_public_address(&format!("DNS: {e}"))),
                Err(_) => return Err(Outcome::Timeout),
            }
        }
    };
    let addrs = settings
        .allow
        .vet(bare, port, &ips)
        .map_err(|why| no_public_address(&why))?;
    Ok((host, addrs))
}

/// Whether `host` is under the special-use top-level domain `invalid`.
fn is_invalid_tld(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let tld = host.rsplit('.').next().unwrap_or(host);
    tld.eq_ignore_ascii_case("invalid")
}

/// What the crawl records for [`NO_PUBLIC_ADDRESS`]; the reason goes only to the log.
fn no_public_address(why: &str) -> Outcome {
    tracing::info!(why, "no public address");
    Outcome::Unreachable(NO_PUBLIC_ADDRESS.into())
}

/// The outcome of a failed request. The recorded detail is only the kind of failure: crawl
/// outcomes are public, and the error chain (addresses, OS errors, TLS details) goes to the
/// log only.
fn classify(error: &reqwest::Error) -> Outcome {
    if error.is_timeout() {
        return Outcome::Timeout;
    }
    // The chain says more than the top error ("error sending request").
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message = format!("{message}: {inner}");
        source = inner.source();
    }
    tracing::info!(error = %message, "fetch failed");
    let kind = if error.is_connect() {
        "connection failed"
    } else if error.is_body() || error.is_decode() {
        "broken response"
    } else {
        "request failed"
    };
    Outcome::Unreachable(kind.into())
}

/// The detail of a host that does not resolve and of one that resolves only to addresses the
/// SSRF guard refuses. Crawl outcomes are public, so the two must look alike (same outcome,
/// same detail, both retried): otherwise registering `http://10.0.0.7/` and watching the outcome
/// would map which internal names and addresses exist.
pub const NO_PUBLIC_ADDRESS: &str = "no public address";

/// What a fetch accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// An HTML page (anything else ends as [`Outcome::NotHtml`] without reading the body).
    Html,
    /// Any document (robots.txt).
    Any,
}

/// GET `url` following vetted redirects; `None` validators for an unconditional GET.
pub async fn get(
    settings: &FetchSettings,
    url: &Url,
    validators: Option<&Validators>,
    max_bytes: usize,
    expect: Expect,
) -> Outcome {
    let mut current = url.clone();
    for hop in 0..=settings.max_redirects {
        let (host, addrs) = match vet(settings, &current).await {
            Ok(vetted) => vetted,
            Err(outcome) => return outcome,
        };
        let client = match client(settings, host.trim_matches(['[', ']']), &addrs) {
            Ok(client) => client,
            Err(e) => {
                tracing::warn!(error = %e, "building the fetch client");
                return Outcome::Unreachable("request failed".into());
            }
        };
        let mut request = client.get(current.clone()).header(
            header::ACCEPT,
            "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        );
        if hop == 0
            && let Some(v) = validators
        {
            if let Some(etag) = &v.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &v.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, modified);
            }
        }
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(e) => return classify(&e),
        };
        let status = response.status();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let Some(location) = response
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok())
            else {
                return Outcome::HttpError(status.as_u16());
            };
            current = location;
            continue;
        }
        if status == StatusCode::NOT_MODIFIED {
            return Outcome::NotModified;
        }
        if !status.is_success() {
            return Outcome::HttpError(status.as_u16());
        }
        let header_text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let validators = Validators {
            etag: header_text(header::ETAG),
            last_modified: header_text(header::LAST_MODIFIED),
        };
        if expect == Expect::Html
            && let Some(declared) = &content_type
            && !is_html(Some(declared), b"")
        {
            return Outcome::NotHtml(declared.clone());
        }
        if response
            .content_length()
            .is_some_and(|n| n > max_bytes as u64)
        {
            return Outcome::TooLarge;
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > max_bytes {
                        return Outcome::TooLarge;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return classify(&e),
            }
        }
        if expect == Expect::Html && !is_html(content_type.as_deref(), &body) {
            return Outcome::NotHtml(content_type.unwrap_or_else(|| "unknown".into()));
        }
        return Outcome::Ok {
            url: current,
            content_type,
            body,
            validators,
        };
    }
    Outcome::Blocked(format!("more than {} redirects", settings.max_redirects))
}

/// Whether a fetched document is HTML (by its header, else by sniffing the start).
pub fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }) {
        Some(mime) if !mime.is_empty() => mime == "text/html" || mime == "application/xhtml+xml",
        _ => {
            let start = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            let start = start.trim_start();
            start.starts_with("<!doctype html") || start.starts_with("<html")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_invalid_tld;

    #[test]
    fn only_names_under_the_invalid_tld_are_skipped() {
        for host in ["no-such-host.invalid", "A.B.INVALID.", "invalid"] {
            assert!(is_invalid_tld(host), "{host}");
        }
        for host in ["invalid.example.org", "notinvalid", "example.org", ""] {
            assert!(!is_invalid_tld(host), "{host}");
        }
    }
}
