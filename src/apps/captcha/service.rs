//! Issuing and checking captchas: the part shared by the form component and the API.
//!
//! A token is 128 random bits, shown to the client only; PostgreSQL keeps its BLAKE3 hash with
//! the (image, challenge) pair, the owner (one browser session, or `api`) and the expiry. The
//! image URL carries the token, so it reveals neither the image id nor the answer. Checking
//! deletes the token first and only then compares, so every token is judged at most once.

use chrono::{Duration, Utc};
use rand::{Rng, RngCore, seq::IndexedRandom};

use super::{
    generate::{self, Size},
    model::{self, ACTIVE_IMAGES, CHALLENGES, Challenge, IMAGE_PNG, ImageText},
    refill, vary,
};
use sqlx::PgPool;

use crate::{
    cache::Cache,
    db::ratelimit::{self, Decision},
    i18n::Lang,
    jobs::Schedule,
    web::{AppError, AppState, Message, middleware::csrf::hex},
};

/// The owner of tokens issued through the JSON API (not bound to a browser session).
pub const API_OWNER: &str = "api";
/// Rate-limit window of captcha attempts and issues.
const WINDOW_MINUTES: i64 = 10;

/// A captcha handed to a client.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The opaque single-use token.
    pub token: String,
    /// The challenge's prompt in the requested language.
    pub prompt: String,
    /// Image size.
    pub size: (u32, u32),
    /// When the token stops being accepted.
    pub expires_at: chrono::DateTime<Utc>,
}

impl Issued {
    /// Path of the image (no language prefix: it is the same picture in every language).
    pub fn image_path(&self) -> String {
        format!("/captcha/image/{}.png", self.token)
    }

    /// Path of the spoken alternative.
    pub fn audio_path(&self) -> String {
        format!("/captcha/audio/{}.wav", self.token)
    }
}

/// The result of checking an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Right answer.
    Passed,
    /// No token or no answer was sent.
    Missing,
    /// Wrong answer.
    Wrong,
    /// Unknown, already used, expired, or issued to someone else.
    Expired,
    /// Too many attempts; try again after this many seconds.
    Limited(u64),
}

impl Verdict {
    /// The message shown for a failed check (None when it passed).
    pub fn message(&self) -> Option<Message> {
        match self {
            Verdict::Passed => None,
            Verdict::Missing => Some(Message::new("captcha-missing")),
            Verdict::Wrong => Some(Message::new("captcha-wrong")),
            Verdict::Expired => Some(Message::new("captcha-expired")),
            Verdict::Limited(secs) => {
                Some(Message::new("captcha-too-many").arg("minutes", secs.div_ceil(60) as i64))
            }
        }
    }
}

/// The hash under which a token is stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    blake3::hash(token.as_bytes()).as_bytes().to_vec()
}

/// The configured image size.
pub fn image_size(state: &AppState) -> Size {
    Size {
        width: state.config.captcha.width,
        height: state.config.captcha.height,
    }
}

/// Generate `count` images and store them (CPU work off the async runtime), calling `progress`
/// after each.
pub async fn generate_images(
    db: &PgPool,
    cache: &Cache,
    size: Size,
    count: usize,
    mut progress: impl FnMut(),
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::with_capacity(count);
    for _ in 0..count {
        let captcha =
            tokio::task::spawn_blocking(move || generate::generate(size, &mut rand::rng()))
                .await
                .map_err(anyhow::Error::from)?;
        let image = model::NewImage {
            text: &captcha.text,
            marks: Some(&captcha.marks),
            png: &captcha.png,
            size: (captcha.size.width, captcha.size.height),
            uploaded: false,
        };
        ids.push(model::insert_image(db, cache, &image).await?);
        progress();
    }
    Ok(ids)
}

/// Count one attempt in `bucket`.
async fn allowed(state: &AppState, bucket: &str, limit: i32) -> Result<Option<u64>, AppError> {
    match ratelimit::hit(&state.db, bucket, Duration::minutes(WINDOW_MINUTES), limit).await? {
        Decision::Allowed => Ok(None),
        Decision::Limited { retry_after_secs } => {
            tracing::warn!(bucket, "captcha rate limit reached");
            Ok(Some(retry_after_secs))
        }
    }
}

/// Count one issue (new captcha or audio) for a client IP: 429 when over the limit.
pub async fn count_issue(state: &AppState, ip: &str) -> Result<(), AppError> {
    match allowed(
        state,
        &format!("captcha-issue:ip:{ip}"),
        state.config.captcha.issue_limit_per_ip,
    )
    .await?
    {
        None => Ok(()),
        Some(retry_after_secs) => Err(AppError::RateLimited { retry_after_secs }),
    }
}

/// Pick an image and a challenge it can carry from the cached lists: an active challenge if one
/// fits any of a few random images, else (every fitting challenge retired) any challenge that
/// fits, because a form without a captcha would be worse.
fn pick<'a>(
    images: &'a [ImageText],
    challenges: &'a [Challenge],
    rng: &mut impl Rng,
) -> Option<(&'a ImageText, &'a Challenge)> {
    let tries: Vec<&ImageText> = images.choose_multiple(rng, 8).collect();
    for only_active in [true, false] {
        for image in &tries {
            let fitting: Vec<&Challenge> = challenges
                .iter()
                .filter(|c| c.active || !only_active)
                .filter(|c| c.rule.expected(image.drawn()).is_some())
                .collect();
            if let Some(challenge) = fitting.choose(rng) {
                return Some((image, challenge));
            }
        }
    }
    None
}

/// Attempts at counting an issue on images of a possibly stale list before drawing a fresh one.
const PICK_ATTEMPTS: usize = 8;

/// Issue a new captcha to `owner` (a session's captcha id, or [`API_OWNER`]).
///
/// The image's issue is counted (it wears out after `HUD_CAPTCHA_MAX_ISSUES`) and the token gets
/// a secret seed, from which its image is rendered as a variant of its own.
pub async fn issue(state: &AppState, owner: &str, lang: Lang) -> Result<Issued, AppError> {
    let mut images = ACTIVE_IMAGES.get(&state.cache, &state.db, ()).await?;
    if (images.len() as i64) < state.config.captcha.pool {
        refill::wake(state);
    }
    let challenges = CHALLENGES.get(&state.cache, &state.db, ()).await?;
    let mut drew_fresh = false;
    let mut attempts = 0;
    let (image_id, challenge) = loop {
        let picked = pick(&images, &challenges, &mut rand::rng()).map(|(i, c)| (i.id, c.clone()));
        match picked {
            Some((id, challenge)) if attempts < PICK_ATTEMPTS || drew_fresh => {
                attempts += 1;
                match model::count_issue(
                    &state.db,
                    &state.cache,
                    id,
                    state.config.captcha.max_issues,
                )
                .await?
                {
                    Some(retired) => {
                        if retired {
                            refill::wake(state);
                        }
                        break (id, challenge);
                    }
                    // Worn out since our list was read: try another.
                    None => images.retain(|i| i.id != id),
                }
            }
            _ if !drew_fresh => {
                // An empty (fresh or exhausted) pool, or every listed image worn out: draw one
                // now rather than fail the form.
                drew_fresh = true;
                let id =
                    generate_images(&state.db, &state.cache, image_size(state), 1, || {}).await?[0];
                images = model::image_text(&state.db, id)
                    .await?
                    .into_iter()
                    .collect();
            }
            _ => return Err(anyhow::anyhow!("no captcha challenge fits any active image").into()),
        }
    };
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let seed: i64 = rand::rng().random();
    let expires_at = Utc::now() + Duration::seconds(state.config.captcha.ttl_secs as i64);
    model::insert_token(
        &state.db,
        &token_hash(&token),
        owner,
        image_id,
        challenge.id,
        expires_at,
        seed,
    )
    .await?;
    Ok(Issued {
        token,
        prompt: challenge.prompt(lang),
        size: (state.config.captcha.width, state.config.captcha.height),
        expires_at,
    })
}

/// Check `answer` for `token`, as typed by `owner` from `ip`. The token is used up either way.
pub async fn check(
    state: &AppState,
    owner: &str,
    ip: &str,
    token: &str,
    answer: &str,
) -> Result<Verdict, AppError> {
    let token = token.trim();
    if token.is_empty() || answer.trim().is_empty() || token.len() > 64 {
        return Ok(Verdict::Missing);
    }
    let config = &state.config;
    let limits = [
        (format!("captcha:ip:{ip}"), config.captcha.attempts_per_ip),
        (
            format!("captcha:owner:{owner}"),
            config.captcha.attempts_per_session,
        ),
    ];
    for (bucket, limit) in limits {
        // The API owner is shared by every API client: limit those by IP only.
        if owner == API_OWNER && bucket.starts_with("captcha:owner:") {
            continue;
        }
        if let Some(secs) = allowed(state, &bucket, limit).await? {
            return Ok(Verdict::Limited(secs));
        }
    }
    let Some(row) = model::take_token(&state.db, &token_hash(token)).await? else {
        return Ok(Verdict::Expired);
    };
    if row.owner != owner || row.expires_at < Utc::now() {
        return Ok(Verdict::Expired);
    }
    let challenges = CHALLENGES.get(&state.cache, &state.db, ()).await?;
    let Some(challenge) = challenges.iter().find(|c| c.id == row.challenge_id) else {
        return Ok(Verdict::Expired);
    };
    let images = ACTIVE_IMAGES.get(&state.cache, &state.db, ()).await?;
    let image = match images.iter().find(|i| i.id == row.image_id) {
        Some(image) => image.clone(),
        // Retired since it was shown: still a fair question.
        None => match model::image_text(&state.db, row.image_id).await? {
            Some(image) => image,
            None => return Ok(Verdict::Expired),
        },
    };
    Ok(if challenge.rule.accepts(image.drawn(), answer) {
        Verdict::Passed
    } else {
        Verdict::Wrong
    })
}

/// The PNG behind a token, if the token is live and `owner` may see it: this issue's own
/// variant of the stored image (the same for every fetch of the token, different per token).
pub async fn image_for(
    state: &AppState,
    token: &str,
    owner: Option<&str>,
) -> Result<Option<Vec<u8>>, AppError> {
    let Some(row) = live_token(state, token, owner).await? else {
        return Ok(None);
    };
    let Some(stored) = IMAGE_PNG.get(&state.cache, &state.db, row.image_id).await? else {
        return Ok(None);
    };
    let seed = row.seed as u64;
    let png = tokio::task::spawn_blocking(move || vary::vary_png(&stored, seed))
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| anyhow::anyhow!("stored captcha image {} is not a PNG", row.image_id))?;
    Ok(Some(png))
}

/// What the audio alternative of a token says, and the token's seed (for its voice), if the
/// token is live and `owner` may hear it: the characters of the part of the picture the
/// challenge asks about (a listener cannot see which are blue or circled), of the issued image
/// also when it wore out since.
pub async fn text_for(
    state: &AppState,
    token: &str,
    owner: Option<&str>,
) -> Result<Option<(String, u64)>, AppError> {
    let Some(row) = live_token(state, token, owner).await? else {
        return Ok(None);
    };
    let challenges = CHALLENGES.get(&state.cache, &state.db, ()).await?;
    let Some(challenge) = challenges.iter().find(|c| c.id == row.challenge_id) else {
        return Ok(None);
    };
    let image = model::image_text(&state.db, row.image_id).await?;
    Ok(image
        .and_then(|image| challenge.rule.spoken(image.drawn()))
        .map(|text| (text, row.seed as u64)))
}

/// A token that exists, has not expired and belongs to `owner` (API tokens belong to anyone
/// who holds them).
async fn live_token(
    state: &AppState,
    token: &str,
    owner: Option<&str>,
) -> Result<Option<model::TokenRow>, AppError> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(row) = model::peek_token(&state.db, &token_hash(token)).await? else {
        return Ok(None);
    };
    let mine = row.owner == API_OWNER || Some(row.owner.as_str()) == owner;
    Ok((mine && row.expires_at >= Utc::now()).then_some(row))
}

/// Every 10 minutes: delete expired tokens and passes and worn-out images, and top the image
/// pool up (issues refill it as it wears; this catches a pool no visitor has touched).
pub static UPKEEP: Schedule<AppState> = Schedule {
    name: "captcha upkeep",
    every: std::time::Duration::from_secs(600),
    run: |state| {
        Box::pin(async move {
            model::prune_tokens(&state.db).await?;
            super::pass::prune(&state.db).await?;
            // Tokens live at most the TTL: after that no one can be shown a worn-out image.
            model::prune_worn_out(&state.db, state.config.captcha.ttl_secs as i64).await?;
            refill::top_up(&state)
                .await
                .map(|n| n as u64)
                .map_err(|e| sqlx::Error::Protocol(format!("generating captcha images: {e}")))
        })
    },
};

#[cfg(test)]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::apps::captcha::rule::{AnswerRule, CharClass, Take};

    fn challenge(id: i64, chars: CharClass, take: Take, active: bool) -> Challenge {
        Challenge {
            id,
            builtin: None,
            prompts: Default::default(),
            rule: AnswerRule {
                scope: crate::apps::captcha::rule::Scope::All,
                chars,
                take,
                reverse: false,
                case_sensitive: false,
            },
            active,
        }
    }

    #[test]
    fn picks_an_active_challenge_that_fits_some_image() {
        let images = [
            ImageText {
                id: 1,
                text: "abcdef".into(),
                marks: None,
            },
            ImageText {
                id: 2,
                text: "ab12cd".into(),
                marks: None,
            },
        ];
        let challenges = [
            challenge(10, CharClass::Digits, Take::All, true),
            challenge(11, CharClass::All, Take::All, false),
        ];
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..50 {
            let (image, challenge) = pick(&images, &challenges, &mut rng).unwrap();
            assert_eq!((image.id, challenge.id), (2, 10));
        }
        // Nothing active fits: a retired challenge beats no captcha.
        let (_, challenge) = pick(&images[..1], &challenges, &mut rng).unwrap();
        assert_eq!(challenge.id, 11);
        assert!(pick(&[], &challenges, &mut rng).is_none());
    }
}
