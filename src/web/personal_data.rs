//! What sub-apps keep about a user, without the accounts sub-app knowing them: each offers a
//! [`PersonalData`] through its registration ([`super::apps::SubApp::personal_data`]). The
//! accounts sub-app asks every registered one — switched on or off, since a switched-off
//! sub-app's tables still hold its data — for its part of "download my data", for what it will
//! do when the account is deleted (shown before the user confirms), and to do it.
//!
//! Sub-apps act on deletion before the user's row goes (rather than leaving it to the foreign
//! keys), so they can also drop what their caches hold about it in every process.

use async_trait::async_trait;

use super::{AppState, Message};

/// A sub-app's data about users.
#[async_trait]
pub trait PersonalData: Send + Sync {
    /// The key of its section in the export (`pages`, `prognoses`).
    fn section(&self) -> &'static str;

    /// The user's data, as JSON, for the export.
    async fn export(&self, state: &AppState, user: i64) -> anyhow::Result<serde_json::Value>;

    /// What deleting the account will do to it (`None`: the user has nothing here).
    async fn on_delete(&self, state: &AppState, user: i64) -> anyhow::Result<Option<Message>>;

    /// Do it: called before the account's row is deleted; must be safe to run again (a
    /// deletion that failed half-way is retried from the start).
    async fn release(&self, state: &AppState, user: i64) -> anyhow::Result<()>;
}

/// Every registered sub-app's part, in registry order.
pub fn of(state: &AppState) -> impl Iterator<Item = &'static dyn PersonalData> + '_ {
    state.personal_data()
}
