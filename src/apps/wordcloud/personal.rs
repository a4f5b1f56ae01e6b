//! What the word clouds keep about a user: which pages they registered. Exported with their
//! data; when the account is deleted the pages stay for everyone, without an owner (so only
//! administrators can delete them from then on).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::page_keys;
use crate::web::{AppState, Message, personal_data::PersonalData};

/// The pages users registered.
pub struct RegisteredPages;

/// The registration's instance.
pub static REGISTERED_PAGES: RegisteredPages = RegisteredPages;

/// One page as exported.
#[derive(Serialize)]
struct Exported {
    id: i64,
    url: String,
    title: Option<String>,
    active: bool,
    created_at: DateTime<Utc>,
}

#[async_trait]
impl PersonalData for RegisteredPages {
    fn section(&self) -> &'static str {
        "pages"
    }

    async fn export(&self, state: &AppState, user: i64) -> anyhow::Result<serde_json::Value> {
        let rows = sqlx::query_as!(
            Exported,
            r#"SELECT id, url, title, active, created_at AS "created_at: DateTime<Utc>"
               FROM pages WHERE added_by = $1 ORDER BY id"#,
            user
        )
        .fetch_all(&state.db)
        .await?;
        Ok(serde_json::to_value(rows)?)
    }

    async fn on_delete(&self, state: &AppState, user: i64) -> anyhow::Result<Option<Message>> {
        let count = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM pages WHERE added_by = $1"#,
            user
        )
        .fetch_one(&state.db)
        .await?;
        Ok((count > 0).then(|| Message::new("account-delete-pages").arg("count", count)))
    }

    async fn release(&self, state: &AppState, user: i64) -> anyhow::Result<()> {
        let mut tx = state.db.begin().await?;
        let pages = sqlx::query_scalar!(
            "UPDATE pages SET added_by = NULL WHERE added_by = $1 RETURNING id",
            user
        )
        .fetch_all(&mut *tx)
        .await?;
        let keys = pages.into_iter().flat_map(page_keys).collect::<Vec<_>>();
        state.cache.commit(tx, keys).await?;
        Ok(())
    }
}
