//! Search over the crawled word counts. For now only the pure core, [`index`]: building the
//! in-memory index and answering queries. Loading rows from PostgreSQL, rebuilding in the
//! background and the HTML/JSON views are layered on top of its API; the sub-app is not in the
//! registry yet.

pub mod index;
