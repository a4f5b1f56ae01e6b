//! `Model`: a table declares once the lookups by which one of its rows is read, and gets
//! cached reads by any of them (`by_fields`), the whole table for small tables (`all`), and
//! the keys a write of a row invalidates (`row_keys`, `lookup_keys`).
//!
//! ```ignore
//! impl Model for IgnoreList {
//!     const NAME: &'static str = "ignore_list";
//!     const TTL: Ttl = Ttl::minutes(30);
//!     fn lookups(&self) -> Vec<Lookup> {
//!         vec![Lookup::new("id", self.id), Lookup::new("name", self.name.to_lowercase())]
//!     }
//!     fn load_by(db: PgPool, by: Lookup) -> BoxFuture<'static, sqlx::Result<Option<Self>>> {
//!         Box::pin(async move { match by.field { "id" => …, "name" => …, _ => Ok(None) } })
//!     }
//!     fn load_all(db: PgPool) -> BoxFuture<'static, sqlx::Result<Vec<Self>>> { … }
//! }
//! let list = IgnoreList::by_fields(&cache, &db, Lookup::new("id", 7)).await?;
//! let lists = IgnoreList::all(&cache, &db).await?;
//! // in the model's write function, in its transaction:
//! cache.commit(tx, IgnoreList::row_keys(&list)).await?;
//! ```
//!
//! `all` loads the table with one query, caches the list, and fills the local tier with every
//! row under each of its lookups, so the following `by_fields` reads in this process hit
//! without another query. (memcached gets a row's keys when they are read one by one, through
//! a lease: only a lease holder may store a loaded value there.)

use std::fmt::Display;

use futures_util::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::PgPool;

use super::{Cache, CacheKey, Ttl};

/// One lookup field and its value (`id=10`, `username=alice`). Models normalise values that
/// the database compares case-insensitively before building a lookup.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lookup {
    /// Column (or logical field) name.
    pub field: &'static str,
    /// Its value, as text.
    pub value: String,
}

impl Lookup {
    /// A lookup of `field` by `value`.
    pub fn new(field: &'static str, value: impl Display) -> Self {
        Lookup {
            field,
            value: value.to_string(),
        }
    }
}

/// A table read through the cache.
pub trait Model: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Model name: the namespace of its keys (`user`).
    const NAME: &'static str;
    /// Lifetimes of its entries.
    const TTL: Ttl;

    /// Every lookup under which this row is cached.
    fn lookups(&self) -> Vec<Lookup>;

    /// Load the row matching `by` with one query (`None` when there is none, or the field is
    /// not one of the model's lookups).
    fn load_by(db: PgPool, by: Lookup) -> BoxFuture<'static, sqlx::Result<Option<Self>>>;

    /// Load every row, for small tables. Tables too big to cache whole keep this default,
    /// which reads nothing.
    fn load_all(_db: PgPool) -> BoxFuture<'static, sqlx::Result<Vec<Self>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// One row by any declared lookup.
    fn by_fields(
        cache: &Cache,
        db: &PgPool,
        by: Lookup,
    ) -> impl Future<Output = sqlx::Result<Option<Self>>> + Send {
        let key = row_key::<Self>(&by);
        let db = db.clone();
        async move {
            cache
                .get_or_load(&key, Self::TTL, move || Self::load_by(db, by))
                .await
        }
    }

    /// The whole table; loading it also fills every row's lookup keys.
    fn all(cache: &Cache, db: &PgPool) -> impl Future<Output = sqlx::Result<Vec<Self>>> + Send {
        let db = db.clone();
        let filler = cache.clone();
        async move {
            cache
                .get_or_load(&all_key::<Self>(), Self::TTL, move || async move {
                    let ticket = filler.ticket();
                    let rows = Self::load_all(db).await?;
                    let entries: Vec<(CacheKey, Option<Self>)> = rows
                        .iter()
                        .flat_map(|row| {
                            row.lookups()
                                .into_iter()
                                .map(move |by| (row_key::<Self>(&by), Some(row.clone())))
                        })
                        .collect();
                    filler.fill_local(&ticket, &entries, Self::TTL);
                    Ok(rows)
                })
                .await
        }
    }

    /// The keys a write of `row` invalidates: every lookup of it, and the whole table.
    fn row_keys(row: &Self) -> Vec<CacheKey> {
        let mut keys: Vec<CacheKey> = row.lookups().iter().map(row_key::<Self>).collect();
        keys.push(all_key::<Self>());
        keys
    }

    /// The keys a write of the row found by `by` invalidates, when only that lookup is known
    /// (the row's other lookups must be invalidated by the caller, or not exist).
    fn lookup_keys(by: &Lookup) -> Vec<CacheKey> {
        vec![row_key::<Self>(by), all_key::<Self>()]
    }
}

fn row_key<M: Model>(by: &Lookup) -> CacheKey {
    CacheKey::new(M::NAME).field(by.field, &by.value)
}

fn all_key<M: Model>() -> CacheKey {
    CacheKey::new(M::NAME).field("all", "")
}
