//! The audit log: who did what, when, from where, kept in PostgreSQL (`audit_log`) and shown
//! at `/admin/audit`.
//!
//! Handlers do not write it themselves. The audit layer ([`super::middleware::audit`]) records
//! every write an administrator sends to `/admin/…` (as its request line, "POST
//! /admin/jobs/7/retry"), and every response that carries an [`Audit`] extension — a handler's
//! name for what it did ("user.disable" of "ann (#12)"), which also covers administrative
//! actions outside `/admin`, such as an administrator deleting someone else's page through the
//! API. Refused attempts are recorded with the status that refused them.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::db;

/// Longest action and target stored (the table's limits); longer ones are cut.
const ACTION_MAX: usize = 200;
const TARGET_MAX: usize = 500;

/// What a handler did, attached to its response for the audit layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// A dotted name: `user.promote`, `page.delete`, …
    pub action: String,
    /// What it was done to, for people: `ann (#12)`, a page's URL.
    pub target: String,
    /// The status to record instead of the response's, for an action refused by a redirect
    /// with a message (409 "the last administrator").
    pub status: Option<u16>,
}

impl Audit {
    /// `action`, done to `target`.
    pub fn new(action: &str, target: impl Into<String>) -> Self {
        Audit {
            action: action.to_owned(),
            target: target.into(),
            status: None,
        }
    }

    /// `action` on `target`, refused with `status` although the response says otherwise.
    pub fn refused(action: &str, target: impl Into<String>, status: u16) -> Self {
        Audit {
            status: Some(status),
            ..Audit::new(action, target)
        }
    }

    /// Attach to a response.
    pub fn to<R: axum::response::IntoResponse>(self, response: R) -> axum::response::Response {
        let mut response = response.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// One recorded action.
#[derive(Debug, Clone)]
pub struct Entry {
    /// When it was answered.
    pub at: DateTime<Utc>,
    /// The actor's username then.
    pub actor: String,
    /// The actor's account, unless it has been deleted since.
    pub actor_id: Option<i64>,
    /// What was done.
    pub action: String,
    /// To what.
    pub target: String,
    /// The HTTP status it was answered with.
    pub status: i16,
    /// The client's address, when known.
    pub ip: Option<String>,
}

/// The start of `text`, at most `max` characters.
pub fn clipped(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(at, _)| &text[..at])
}

/// Record that `actor` (`actor_id`) did `action` to `target`, answered with `status`.
#[tracing::instrument(skip_all, err)]
pub async fn record(
    db: &PgPool,
    actor_id: i64,
    actor: &str,
    action: &str,
    target: &str,
    status: u16,
    ip: Option<std::net::IpAddr>,
) -> sqlx::Result<()> {
    // The actor may have just deleted their own account: the record keeps their name.
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, actor, action, target, status, ip)
         VALUES ((SELECT id FROM users WHERE id = $1), $2, $3, $4, $5, $6::text::inet)",
        actor_id,
        clipped(actor, 64),
        clipped(action, ACTION_MAX),
        clipped(target, TARGET_MAX),
        i16::try_from(status).unwrap_or(i16::MAX),
        ip.map(|ip| ip.to_string()),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A page of the log, newest first, whose actor, action or target contains `search` (in any
/// case; everything when empty), and how many entries match.
#[tracing::instrument(skip_all, err)]
pub async fn list(
    db: &PgPool,
    search: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Entry>, i64)> {
    let pattern = db::like_pattern(search);
    let rows = sqlx::query!(
        r#"SELECT at AS "at: DateTime<Utc>", actor, actor_id, action, target, status,
                  host(ip) AS ip, count(*) OVER () AS "total!"
           FROM audit_log
           WHERE $3 = '%%' OR actor ILIKE $3 OR action ILIKE $3 OR target ILIKE $3
           ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2"#,
        limit,
        offset,
        pattern
    )
    .fetch_all(db)
    .await?;
    let total = match rows.first() {
        Some(row) => row.total,
        None => {
            sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM audit_log
                   WHERE $1 = '%%' OR actor ILIKE $1 OR action ILIKE $1 OR target ILIKE $1"#,
                pattern
            )
            .fetch_one(db)
            .await?
        }
    };
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            at: r.at,
            actor: r.actor,
            actor_id: r.actor_id,
            action: r.action,
            target: r.target,
            status: r.status,
            ip: r.ip,
        })
        .collect();
    Ok((entries, total))
}

#[cfg(test)]
mod tests {
    use super::clipped;

    #[test]
    fn clipping_keeps_whole_characters() {
        assert_eq!(clipped("abc", 5), "abc");
        assert_eq!(clipped("åäö", 2), "åä");
        assert_eq!(clipped("", 0), "");
    }
}
