//! Consistent placement of keys on memcached servers by rendezvous (highest-random-weight)
//! hashing: each key goes to the server with the highest `hash(server, key)`. Removing one of
//! N servers moves exactly the keys that lived on it (about 1/N), and every process computes
//! the same placement (BLAKE3 is stable across builds, unlike std's hasher).

/// Index of the server that owns `key` among `servers` (None when there are none).
pub fn owner<S: AsRef<str>>(servers: &[S], key: &str) -> Option<usize> {
    servers
        .iter()
        .enumerate()
        .max_by_key(|(_, server)| score(server.as_ref(), key))
        .map(|(i, _)| i)
}

fn score(server: &str, key: &str) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(server.as_bytes());
    hasher.update(&[0]);
    hasher.update(key.as_bytes());
    let hash = hasher.finalize();
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("32-byte hash"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_one_of_n_servers_moves_about_one_nth_of_the_keys() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("hud1:page:id={i}")).collect();
        for n in 2..=5 {
            let servers: Vec<String> = (0..n).map(|i| format!("10.0.0.{i}:11211")).collect();
            for removed in 0..n {
                let fewer: Vec<&String> = servers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != removed)
                    .map(|(_, s)| s)
                    .collect();
                let moved = keys
                    .iter()
                    .filter(|k| {
                        let before = &servers[owner(&servers, k).unwrap()];
                        let after = fewer[owner(&fewer, k).unwrap()];
                        before != after
                    })
                    .count();
                let share = moved as f64 / keys.len() as f64;
                assert!(share <= 1.3 / n as f64, "n={n}: {share:.3} of keys moved");
                // Only keys of the removed server move.
                assert!(
                    share > 0.5 / n as f64,
                    "n={n}: suspiciously few moved ({share:.3})"
                );
            }
        }
    }

    #[test]
    fn balanced() {
        let servers = ["a:1", "b:1", "c:1"];
        let mut counts = [0usize; 3];
        for i in 0..30_000 {
            counts[owner(&servers, &format!("k{i}")).unwrap()] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
    }
}
