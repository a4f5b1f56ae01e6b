//! Password hashing (argon2id, OWASP parameters) and the password policy.
//!
//! Hashing is CPU- and memory-heavy by design, so it runs on the blocking pool, never on the
//! async workers. Passwords are never logged: they only pass through these functions.

use std::{collections::HashSet, sync::OnceLock};

use anyhow::Context;
use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};

use crate::web::Message;

/// Longest accepted password: long enough for passphrases, short enough that hashing an
/// attacker's megabyte "password" cannot tie up a core.
pub const MAX_LEN: usize = 256;

/// Argon2id with m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a password into a PHC string.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        hasher()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
    .await
    .context("hashing task")?
}

/// The outcome of checking a password.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    /// Wrong password (or no such account).
    No,
    /// Right password.
    Yes {
        /// A fresh hash when the stored one used weaker parameters.
        rehash: Option<String>,
    },
}

/// Check `password` against a stored hash. With no stored hash (unknown account), a dummy
/// hash is checked so that response times do not reveal which accounts exist.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<Verified> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(Verified::No);
        };
        if hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_err()
        {
            return Ok(Verified::No);
        }
        let current = hasher().params().clone();
        let same_cost = |p: Params| {
            (p.m_cost(), p.t_cost(), p.p_cost())
                == (current.m_cost(), current.t_cost(), current.p_cost())
        };
        let outdated = !Params::try_from(&parsed).is_ok_and(same_cost)
            || parsed.algorithm.as_str() != "argon2id";
        let rehash = if outdated {
            hasher()
                .hash_password(password.as_bytes())
                .ok()
                .map(|h| h.to_string())
        } else {
            None
        };
        Ok(Verified::Yes { rehash })
    })
    .await
    .context("verifying task")?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hasher()
            .hash_password(b"not a real password, only for constant timing")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .map(str::trim)
            .collect()
    })
}

/// The password policy: length bounds, not a common password, not the username or e-mail.
pub fn check_policy(
    password: &str,
    username: &str,
    email: &str,
    min_len: usize,
) -> Result<(), Message> {
    let len = password.chars().count();
    if len < min_len {
        return Err(Message::new("password-too-short").arg("min", min_len));
    }
    if len > MAX_LEN {
        return Err(Message::new("password-too-long").arg("max", MAX_LEN));
    }
    let lower = password.to_lowercase();
    if common_passwords().contains(lower.as_str()) {
        return Err(Message::new("password-too-common"));
    }
    let local_part = email.split('@').next().unwrap_or("");
    if lower == username.to_lowercase()
        || (!local_part.is_empty() && lower == local_part.to_lowercase())
    {
        return Err(Message::new("password-like-username"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("short", "ann", "a@b.c", 10).is_err());
        assert!(
            check_policy("password123", "ann", "a@b.c", 10).is_err(),
            "common"
        );
        assert!(check_policy("annabelle-lee", "Annabelle-Lee", "x@y.z", 10).is_err());
        assert!(check_policy("correct horse battery", "ann", "a@b.c", 10).is_ok());
        assert!(check_policy(&"x".repeat(300), "ann", "a@b.c", 10).is_err());
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert_eq!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap(),
            Verified::Yes { rehash: None }
        );
        assert_eq!(verify("wrong".into(), Some(h)).await.unwrap(), Verified::No);
        assert_eq!(verify("x".into(), None).await.unwrap(), Verified::No);
    }
}
