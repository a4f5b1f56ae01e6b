//! Keeping the image pool stocked ahead of demand.
//!
//! Images wear out (`HUD_CAPTCHA_MAX_ISSUES` issues each), so the pool must be refilled while
//! visitors use it, not every ten minutes. Whenever an issue finds the pool short — an image
//! just wore out, or the list it read had fewer than `HUD_CAPTCHA_POOL` — it wakes this
//! process's refiller, which generates images one at a time on a blocking thread until
//! PostgreSQL counts a full pool. A visitor never waits for it: the pool still holds the other
//! images, and only an empty pool makes an issue draw one itself.
//!
//! One refill runs per process at a time (a lock, plus a flag so a burst of wake-ups queues one
//! run). Processes do not coordinate: each re-counts before every image, so several refilling
//! at once overshoot the pool by at most one image each, which costs nothing.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Mutex;

use super::{model, service};
use crate::web::{AppError, AppState};

/// This process's refiller (in [`AppState::local`]).
#[derive(Default)]
pub struct Refiller {
    /// Held while a refill runs.
    running: Mutex<()>,
    /// A refill is queued and has not started counting yet.
    queued: AtomicBool,
}

/// Ask for a refill in the background (returns at once; a refill already queued covers this).
pub fn wake(state: &AppState) {
    let refiller = state.local::<Refiller>();
    if refiller.queued.swap(true, Ordering::AcqRel) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let _running = refiller.running.lock().await;
        // From here on a wake-up queues another run: this one may have counted already.
        refiller.queued.store(false, Ordering::Release);
        if let Err(error) = fill(&state).await {
            tracing::warn!(%error, "captcha pool refill failed; the next issue retries");
        }
    });
}

/// Top the pool up now and return how many images this call generated (upkeep and
/// `hud serve`'s start; waits for a refill in progress rather than racing it).
pub async fn top_up(state: &AppState) -> Result<usize, AppError> {
    let refiller = state.local::<Refiller>();
    let _running = refiller.running.lock().await;
    fill(state).await
}

/// The background task of `hud serve`: stock the pool at start instead of at the first upkeep.
pub fn start(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = top_up(&state).await {
            tracing::warn!(%error, "stocking the captcha pool failed; upkeep retries");
        }
    })
}

/// Generate until PostgreSQL counts a full pool (the caller holds the lock).
async fn fill(state: &AppState) -> Result<usize, AppError> {
    let mut generated = 0;
    while model::active_image_count(&state.db).await? < state.config.captcha.pool {
        service::generate_images(
            &state.db,
            &state.cache,
            service::image_size(state),
            1,
            || {},
        )
        .await?;
        generated += 1;
    }
    if generated > 0 {
        tracing::info!(generated, "captcha pool refilled");
    }
    Ok(generated)
}
