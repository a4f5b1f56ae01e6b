//! The in-process tier: a byte-bounded map of decoded items with a hard expiry each.
//!
//! It answers in well under a microsecond and shields memcached and PostgreSQL from hot keys.
//! Entries are dropped when their hard TTL passes, when the byte budget evicts them (quick_cache's
//! CLOCK-Pro keeps the frequently read ones), or when an invalidation arrives.
//!
//! # Fills never undo an invalidation
//!
//! A value read from memcached or PostgreSQL may be replaced by a write while it is in flight.
//! So a fill is a two-step affair: [`LocalTier::ticket`] *before* reading the source, and
//! [`LocalTier::fill`] with that ticket afterwards. Every invalidation takes the next number of
//! one sequence and leaves a tombstone (key → number); a clear moves a floor. A fill whose
//! ticket is older than the key's tombstone or the floor is discarded: it may hold what the
//! write replaced. Check-and-insert and tombstone-and-remove run under one lock, so either the
//! fill lands first (and the invalidation removes it) or the invalidation does (and the fill
//! is discarded). Tombstones are dropped once no ticket older than them is outstanding.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use quick_cache::{OptionsBuilder, Weighter, sync::Cache};

use super::codec::Item;

/// Largest single item the tier is sized to keep: shards never get a smaller share than this.
pub const LARGEST_ITEM: u64 = 8 * 1024 * 1024;

/// Tombstones kept at most; beyond this the tier is cleared instead (never wrong, only colder).
const MAX_TOMBSTONES: usize = 100_000;

/// A cached item with its hard deadline.
#[derive(Clone)]
pub struct Entry {
    /// The decoded item.
    pub item: Arc<Item>,
    hard_expires_at: Instant,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<String, Entry> for ByBytes {
    fn weight(&self, key: &String, entry: &Entry) -> u64 {
        // Item, key and bookkeeping overhead.
        (entry.item.weight() + key.len() + 96) as u64
    }
}

/// Invalidation bookkeeping, under one lock.
#[derive(Default)]
struct Sequence {
    /// Number of the last invalidation (or clear).
    last: u64,
    /// Fills started before this number are discarded (the last clear).
    floor: u64,
    /// Key → number of its last invalidation, while an older ticket is outstanding.
    tombstones: HashMap<String, u64>,
    /// Outstanding tickets: number → how many.
    tickets: BTreeMap<u64, usize>,
}

impl Sequence {
    fn prune(&mut self) {
        match self.tickets.keys().next() {
            None => self.tombstones.clear(),
            Some(&oldest) => self.tombstones.retain(|_, seq| *seq > oldest),
        }
    }
}

/// The local tier of one process.
pub struct LocalTier {
    map: Cache<String, Entry, ByBytes>,
    enabled: bool,
    sequence: Arc<Mutex<Sequence>>,
}

/// Taken before a fill reads its source; see the module docs.
pub struct Ticket {
    seq: u64,
    sequence: Arc<Mutex<Sequence>>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut sequence = lock(&self.sequence);
        if let Some(count) = sequence.tickets.get_mut(&self.seq) {
            *count -= 1;
            if *count == 0 {
                sequence.tickets.remove(&self.seq);
                sequence.prune();
            }
        }
    }
}

fn lock(sequence: &Mutex<Sequence>) -> MutexGuard<'_, Sequence> {
    sequence
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl LocalTier {
    /// A tier holding at most `max_bytes` (0 disables it).
    pub fn new(max_bytes: u64) -> Self {
        let estimated_items = (max_bytes / 2048).clamp(16, 1_000_000) as usize;
        // quick_cache splits the budget evenly between its shards, and an item heavier than a
        // shard's share is silently never kept. Fewer shards for small budgets, so that any
        // item up to LARGEST_ITEM fits (at the price of a little more lock contention).
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get) as u64;
        let most = (max_bytes / LARGEST_ITEM).clamp(1, 4 * cores);
        // quick_cache rounds the shard count up to a power of two: pick one at or below `most`.
        let shards = 1u64 << (63 - most.leading_zeros());
        let options = OptionsBuilder::new()
            .estimated_items_capacity(estimated_items)
            .weight_capacity(max_bytes.max(1))
            .shards(shards as usize)
            .build()
            .expect("valid local tier options");
        LocalTier {
            map: Cache::with_options(options, ByBytes, Default::default(), Default::default()),
            enabled: max_bytes > 0,
            sequence: Arc::default(),
        }
    }

    /// A live entry, if any.
    pub fn get(&self, key: &str) -> Option<Arc<Item>> {
        if !self.enabled {
            return None;
        }
        let entry = self.map.get(key)?;
        if entry.hard_expires_at <= Instant::now() {
            self.map.remove(key);
            return None;
        }
        Some(entry.item)
    }

    /// A ticket for a fill that is about to read its source.
    pub fn ticket(&self) -> Ticket {
        let mut sequence = lock(&self.sequence);
        let seq = sequence.last;
        *sequence.tickets.entry(seq).or_default() += 1;
        Ticket {
            seq,
            sequence: self.sequence.clone(),
        }
    }

    /// Store an item read under `ticket` until `hard_ttl` passes — unless the key was
    /// invalidated (or the tier cleared) since the ticket was taken. True when stored.
    pub fn fill(&self, ticket: &Ticket, key: String, item: Arc<Item>, hard_ttl: Duration) -> bool {
        if !self.enabled {
            return false;
        }
        let sequence = lock(&self.sequence);
        let invalidated = ticket.seq < sequence.floor
            || sequence
                .tombstones
                .get(&key)
                .is_some_and(|&seq| seq > ticket.seq);
        if invalidated {
            return false;
        }
        self.map.insert(
            key,
            Entry {
                item,
                hard_expires_at: Instant::now() + hard_ttl,
            },
        );
        true
    }

    /// Invalidate one key: drop it, and discard fills of it that began before now.
    pub fn remove(&self, key: &str) {
        let mut sequence = lock(&self.sequence);
        sequence.last += 1;
        if !sequence.tickets.is_empty() {
            if sequence.tombstones.len() >= MAX_TOMBSTONES {
                drop(sequence);
                self.clear();
                return;
            }
            let seq = sequence.last;
            sequence.tombstones.insert(key.to_owned(), seq);
        }
        self.map.remove(key);
    }

    /// Drop every entry and discard every fill that began before now (after a lost
    /// invalidation channel or a generation change).
    pub fn clear(&self) {
        let mut sequence = lock(&self.sequence);
        sequence.last += 1;
        sequence.floor = sequence.last;
        sequence.tombstones.clear();
        self.map.clear();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the tier is empty.
    pub fn is_empty(&self) -> bool {
        self.map.len() == 0
    }

    /// Bytes in use (by the weigher's estimate).
    pub fn bytes(&self) -> u64 {
        self.map.weight()
    }

    /// Tombstones held now (for tests and the admin page).
    pub fn tombstones(&self) -> usize {
        lock(&self.sequence).tombstones.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(v: u8) -> Arc<Item> {
        Arc::new(Item::new(i64::MAX, vec![v]))
    }

    const TTL: Duration = Duration::from_secs(60);

    #[test]
    fn a_fill_that_began_before_an_invalidation_is_discarded() {
        let tier = LocalTier::new(1 << 20);
        let ticket = tier.ticket();
        tier.remove("k");
        assert!(!tier.fill(&ticket, "k".into(), item(1), TTL));
        assert!(tier.get("k").is_none());
        // Other keys are not affected, and a fill begun afterwards lands.
        assert!(tier.fill(&ticket, "other".into(), item(2), TTL));
        let later = tier.ticket();
        assert!(tier.fill(&later, "k".into(), item(3), TTL));
        assert_eq!(tier.get("k").unwrap().payload, vec![3]);
    }

    #[test]
    fn a_clear_discards_every_older_fill() {
        let tier = LocalTier::new(1 << 20);
        let ticket = tier.ticket();
        tier.clear();
        assert!(!tier.fill(&ticket, "k".into(), item(1), TTL));
        assert!(tier.fill(&tier.ticket(), "k".into(), item(1), TTL));
    }

    #[test]
    fn tombstones_go_when_no_older_ticket_is_outstanding() {
        let tier = LocalTier::new(1 << 20);
        tier.remove("a");
        assert_eq!(
            tier.tombstones(),
            0,
            "nothing in flight: nothing to remember"
        );
        let ticket = tier.ticket();
        tier.remove("a");
        tier.remove("b");
        assert_eq!(tier.tombstones(), 2);
        drop(ticket);
        assert_eq!(tier.tombstones(), 0);
    }

    #[test]
    fn items_larger_than_a_default_shard_share_are_kept() {
        // 16 MiB over 4 × cores shards was ≤ 2 MiB a shard on two cores: a 2 MB item was
        // silently dropped.
        let tier = LocalTier::new(16 * 1024 * 1024);
        let big = Arc::new(Item::new(i64::MAX, vec![0; 5 * 1024 * 1024]));
        assert!(tier.fill(&tier.ticket(), "big".into(), big, TTL));
        assert!(tier.get("big").is_some());
    }
}
