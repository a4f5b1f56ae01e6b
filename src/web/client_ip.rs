//! The client's IP address, for rate limits and logs.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{extract::ConnectInfo, http::request::Parts};

/// The peer address, or the last `X-Forwarded-For` hop when `HUD_TRUST_PROXY` is on.
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        // The proxy appends the address it saw; earlier entries are client-controlled.
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// The rate-limit bucket of a client address. An IPv4 address is its own bucket; an IPv6
/// address counts as its network of `ipv6_prefix` bits (`HUD_RATE_LIMIT_IPV6_PREFIX`), because
/// one customer usually gets a whole /64 (or more) and could otherwise rotate through 2^64
/// addresses, each with a fresh limit. IPv4-mapped IPv6 addresses (a dual-stack listener) count
/// as the IPv4 address they are.
pub fn bucket_key(ip: Option<IpAddr>, ipv6_prefix: u8) -> String {
    match ip {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = ipv6_prefix.min(128);
                let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                format!("{}/{prefix}", Ipv6Addr::from(u128::from(v6) & mask))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ip: &str, prefix: u8) -> String {
        bucket_key(Some(ip.parse().unwrap()), prefix)
    }

    #[test]
    fn ipv6_clients_are_bucketed_by_network() {
        assert_eq!(key("2001:db8:1:2:aaaa::1", 64), "2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:ffff:ffff:ffff:ffff", 64),
            "2001:db8:1:2::/64"
        );
        assert_ne!(key("2001:db8:1:3::1", 64), key("2001:db8:1:2::1", 64));
        assert_eq!(key("2001:db8:1:2::1", 48), key("2001:db8:1:ff::1", 48));
        assert_eq!(key("2001:db8::1", 128), "2001:db8::1/128");
        assert_eq!(key("2001:db8::1", 0), "::/0");
        assert_eq!(key("203.0.113.7", 64), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7", 64), "203.0.113.7");
        assert_eq!(bucket_key(None, 64), "unknown");
    }
}
