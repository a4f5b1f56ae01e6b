//! What the prognosis sub-app keeps about a user: their prognoses (the values they entered and
//! what the model said). Exported with their data; deleted with their account.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::web::{AppState, Message, personal_data::PersonalData};

/// The prognoses of users.
pub struct Prognoses;

/// The registration's instance.
pub static PROGNOSES: Prognoses = Prognoses;

/// One prognosis as exported.
#[derive(Serialize)]
struct Exported {
    created_at: DateTime<Utc>,
    model_id: i64,
    model_name: String,
    sample_name: Option<String>,
    features: Vec<f64>,
    diagnosis: String,
    probability: f64,
}

#[async_trait]
impl PersonalData for Prognoses {
    fn section(&self) -> &'static str {
        "prognoses"
    }

    async fn export(&self, state: &AppState, user: i64) -> anyhow::Result<serde_json::Value> {
        let rows = sqlx::query_as!(
            Exported,
            r#"SELECT p.created_at AS "created_at: DateTime<Utc>", p.model_id,
                      m.name AS model_name, s.name AS "sample_name?", p.features,
                      p.diagnosis, p.probability
               FROM ml_prognoses p
               JOIN ml_models m ON m.id = p.model_id
               LEFT JOIN ml_samples s ON s.id = p.sample_id
               WHERE p.user_id = $1
               ORDER BY p.created_at, p.id"#,
            user
        )
        .fetch_all(&state.db)
        .await?;
        Ok(serde_json::to_value(rows)?)
    }

    async fn on_delete(&self, state: &AppState, user: i64) -> anyhow::Result<Option<Message>> {
        let count = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM ml_prognoses WHERE user_id = $1"#,
            user
        )
        .fetch_one(&state.db)
        .await?;
        Ok((count > 0).then(|| Message::new("account-delete-prognoses").arg("count", count)))
    }

    async fn release(&self, state: &AppState, user: i64) -> anyhow::Result<()> {
        sqlx::query!("DELETE FROM ml_prognoses WHERE user_id = $1", user)
            .execute(&state.db)
            .await?;
        Ok(())
    }
}
