//! The crawler's SSRF guard: which addresses HUD may connect to.
//!
//! A registered URL is user input, so the crawler must not become a way to reach the machines
//! behind HUD: loopback, private (RFC 1918, CGNAT, IPv6 unique-local), link-local (which holds
//! cloud metadata services such as 169.254.169.254), unspecified, broadcast, documentation and
//! multicast addresses are refused. IPv6 forms that carry an IPv4 address to a translator or
//! tunnel (IPv4-mapped and -compatible, SIIT, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo)
//! are judged by the IPv4 address they embed, since a relay on the path delivers to it; the
//! local-use NAT64 prefix `64:ff9b:1::/48` is refused outright. The check runs on the resolved
//! addresses of every hop (the first request and each redirect) and the connection is then pinned
//! to exactly the addresses checked, so DNS rebinding between check and connect cannot slip past.
//! `HUD_CRAWL_ALLOW` lists exceptions as `host` or `host:port` (e.g. `127.0.0.1:8001` for a
//! local test server, or an intranet name).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// One `HUD_CRAWL_ALLOW` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AllowEntry {
    host: String,
    port: Option<u16>,
}

/// The exceptions, parsed once.
#[derive(Clone, Debug, Default)]
pub struct Allow {
    entries: Vec<AllowEntry>,
}

impl Allow {
    /// Parse `host[:port]` entries (IPv6 literals in brackets: `[::1]:8001`).
    pub fn parse(entries: &[String]) -> Result<Allow, String> {
        let mut parsed = Vec::new();
        for raw in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let (host, port) = if let Ok(addr) = raw.parse::<SocketAddr>() {
                (addr.ip().to_string(), Some(addr.port()))
            } else if let Ok(ip) = raw.trim_matches(['[', ']']).parse::<IpAddr>() {
                (ip.to_string(), None)
            } else if let Some((host, port)) = raw.rsplit_once(':') {
                let port = port
                    .parse::<u16>()
                    .map_err(|_| format!("HUD_CRAWL_ALLOW: bad port in {raw:?}"))?;
                (host.to_ascii_lowercase(), Some(port))
            } else {
                (raw.to_ascii_lowercase(), None)
            };
            if host.is_empty() || host.contains('/') {
                return Err(format!("HUD_CRAWL_ALLOW: bad entry {raw:?}"));
            }
            parsed.push(AllowEntry { host, port });
        }
        Ok(Allow { entries: parsed })
    }

    /// Whether `host` (as written in the URL) or `ip`, on `port`, is listed.
    fn lists(&self, host: &str, ip: IpAddr, port: u16) -> bool {
        let ip = ip.to_string();
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        self.entries
            .iter()
            .any(|e| (e.host == host || e.host == ip) && e.port.is_none_or(|p| p == port))
    }

    /// The addresses of `host` that may be contacted on `port`, or why none may.
    pub fn vet(
        &self,
        host: &str,
        port: u16,
        resolved: &[IpAddr],
    ) -> Result<Vec<SocketAddr>, String> {
        if resolved.is_empty() {
            return Err("no address".into());
        }
        let allowed: Vec<SocketAddr> = resolved
            .iter()
            .filter(|ip| is_public(**ip) || self.lists(host, **ip, port))
            .map(|ip| SocketAddr::new(*ip, port))
            .collect();
        if allowed.is_empty() {
            Err(format!("{host} resolves to a non-public address"))
        } else {
            Ok(allowed)
        }
    }
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6) && embedded_v4(v6).iter().all(|v4| is_public_v4(*v4)),
    }
}

/// The IPv4 addresses an IPv6 address carries to a translator or tunnel (empty for a native
/// IPv6 address). Teredo carries two: the server's, and the client's (bit-inverted).
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    let last = v4(s[6], s[7]);
    match s {
        // IPv4-compatible ::a.b.c.d (deprecated, and :: and ::1 themselves), IPv4-mapped
        // ::ffff:a.b.c.d and SIIT IPv4-translated ::ffff:0:a.b.c.d.
        [0, 0, 0, 0, 0, 0 | 0xffff, _, _] | [0, 0, 0, 0, 0xffff, 0, _, _] => vec![last],
        // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => vec![last],
        // 6to4 2002:a.b.c.d::/48 (RFC 3056).
        [0x2002, hi, lo, ..] => vec![v4(hi, lo)],
        // Teredo 2001:0::/32: server address, then the client address inverted (RFC 4380).
        [0x2001, 0, hi, lo, ..] => vec![v4(hi, lo), v4(!s[6], !s[7])],
        _ => vec![],
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        // Carrier-grade NAT 100.64.0.0/10 and benchmarking 198.18.0.0/15.
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        // IETF protocol assignments 192.0.0.0/24 and reserved 240.0.0.0/4.
        || (a == 192 && b == 0 && c == 0)
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique-local fc00::/7 (e.g. fd00:ec2::254, a metadata address) and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32 and the deprecated site-local fec0::/10.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first & 0xffc0) == 0xfec0
        // Local-use NAT64 64:ff9b:1::/48 (RFC 8215): reaches a translator inside the operator's
        // network, at a prefix length only that network knows.
        || (first == 0x64 && ip.segments()[1] == 0xff9b && ip.segments()[2] == 1)
        // Discard-only 100::/64 (RFC 6666).
        || ip.segments()[..4] == [0x100, 0, 0, 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_refused() {
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::",
            "224.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(refused)), "{refused}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn ipv6_forms_are_judged_by_the_ipv4_address_they_embed() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "169.254.169.254",
            "192.168.0.1",
            "100.64.0.1",
            "0.0.0.0",
        ] {
            let v4: Ipv4Addr = private.parse().unwrap();
            let [a, b, c, d] = v4.octets();
            let (hi, lo) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
            for form in [
                format!("::{private}"),
                format!("::ffff:{private}"),
                format!("::ffff:0:{private}"),
                format!("64:ff9b::{private}"),
                format!("2002:{hi:x}:{lo:x}::1"),
                format!("2002:{hi:x}:{lo:x}:1234:5678:9abc:def0:1"),
                // Teredo with this as the server, and with this as the (inverted) client.
                format!("2001:0:{hi:x}:{lo:x}::1"),
                format!("2001:0:808:808:0:f227:{:x}:{:x}", !hi, !lo),
            ] {
                assert!(!is_public(ip(&form)), "{form} embeds {private}");
            }
        }
        // The local-use NAT64 prefix is never public, whatever it embeds.
        assert!(!is_public(ip("64:ff9b:1::808:808")));
        assert!(!is_public(ip("64:ff9b:1:ffff::8.8.8.8")));
        assert!(!is_public(ip("100::1")));
        // The same forms around a public IPv4 address stay public.
        for public in [
            "64:ff9b::8.8.8.8",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
            "2001:0:808:808:0:f227:f7f7:f7f7",
            "2001:4860:4860::8888",
        ] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_allow_list_opens_exact_hosts_and_ports() {
        let allow = Allow::parse(&[
            "127.0.0.1:8001".into(),
            "intranet.local".into(),
            "[::1]:9".into(),
        ])
        .unwrap();
        assert!(allow.vet("127.0.0.1", 8001, &[ip("127.0.0.1")]).is_ok());
        assert!(allow.vet("127.0.0.1", 22, &[ip("127.0.0.1")]).is_err());
        assert!(allow.vet("intranet.local", 80, &[ip("10.0.0.5")]).is_ok());
        assert!(allow.vet("::1", 9, &[ip("::1")]).is_ok());
        // A listed IP does not open other names' private addresses on other ports.
        assert!(allow.vet("evil.test", 22, &[ip("127.0.0.1")]).is_err());
        // Public addresses of a mixed answer are kept, private ones dropped.
        let vetted = allow
            .vet("mixed.test", 80, &[ip("10.0.0.1"), ip("8.8.8.8")])
            .unwrap();
        assert_eq!(vetted, vec!["8.8.8.8:80".parse().unwrap()]);
        assert!(Allow::parse(&["host:notaport".into()]).is_err());
    }
}
