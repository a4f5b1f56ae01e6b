//! Admin pages: images (generate, upload, retire, preview) and challenges (add, edit, retire,
//! with previews of the expected answers).

use std::collections::BTreeMap;

use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    model::{self, CHALLENGES, Challenge, ChallengeSpec, IMAGE_PNG, ImageRow},
    rule::{AnswerRule, CharClass, Scope, Take},
    service,
};
use crate::{
    i18n::Lang,
    web::{
        AppError, AppState, Message, Page, Result,
        auth::RequireAdmin,
        flash::{self, FlashKind},
        form::{ActiveInput, FieldMessages, FormErrors},
        image_upload,
        page::{render, render_form},
        pagination::{PageParam, Pager, paginate},
    },
};

const PER_PAGE: i64 = 24;
/// Most images one "generate" click makes.
pub const MAX_GENERATE: usize = 500;
/// Largest uploaded captcha image.
const MAX_UPLOAD_BYTES: usize = 1024 * 1024;
/// Largest side of an uploaded captcha image.
const MAX_SIDE: u32 = 1200;
/// Longest custom prompt, in characters.
const PROMPT_MAX: usize = 200;
/// Longest text of an uploaded image.
const TEXT_MAX: usize = 32;

/// The overview page.
#[derive(askama::Template)]
#[template(path = "captcha/admin.html")]
struct AdminTemplate {
    page: Page,
    challenges: Vec<ChallengeView>,
    images: Vec<ImageRow>,
    pager: Pager,
    max_generate: usize,
}

/// A challenge as listed.
pub struct ChallengeView {
    challenge: Challenge,
    prompt: String,
    rule: String,
}

fn describe(page: &Page, rule: &AnswerRule) -> String {
    let chars = page.t(&format!("captcha-chars-{}", rule.chars.as_str()));
    let take = match rule.take {
        Take::All => page.t("captcha-take-all").to_owned(),
        Take::First(n) => page.tn("captcha-take-first", "count", &i64::from(n)),
        Take::Last(n) => page.tn("captcha-take-last", "count", &i64::from(n)),
    };
    let mut parts = vec![format!("{take} · {chars}")];
    if rule.scope != Scope::All {
        parts.insert(
            0,
            page.t(&format!("captcha-scope-{}", rule.scope.as_str()))
                .to_owned(),
        );
    }
    if rule.reverse {
        parts.push(page.t("captcha-reverse").to_owned());
    }
    parts.push(
        page.t(if rule.case_sensitive {
            "captcha-case-sensitive"
        } else {
            "captcha-case-insensitive"
        })
        .to_owned(),
    );
    parts.join(" · ")
}

#[tracing::instrument(skip_all, err)]
pub async fn overview(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<PageParam>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let db = &state.db;
    let (images, pager) = paginate(query.number(), PER_PAGE, String::new(), |limit, offset| {
        model::image_page(db, limit, offset)
    })
    .await?;
    let challenges = CHALLENGES
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .map(|challenge| ChallengeView {
            prompt: challenge.prompt(page.lang),
            rule: describe(&page, &challenge.rule),
            challenge,
        })
        .collect();
    render(&AdminTemplate {
        page,
        challenges,
        images,
        pager,
        max_generate: MAX_GENERATE,
    })
}

fn back(page: &Page) -> Response {
    Redirect::to(&page.url("/admin/captcha")).into_response()
}

#[derive(Deserialize)]
pub struct GenerateInput {
    #[serde(default)]
    count: String,
}

#[tracing::instrument(skip_all, err)]
pub async fn generate(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Form(input): Form<GenerateInput>,
) -> Result<Response> {
    let message = match input.count.trim().parse::<usize>() {
        Ok(count) if (1..=MAX_GENERATE).contains(&count) => {
            service::generate_images(
                &state.db,
                &state.cache,
                service::image_size(&state),
                count,
                || {},
            )
            .await?;
            (
                FlashKind::Success,
                Message::new("captcha-generated").arg("count", count as i64),
            )
        }
        _ => (
            FlashKind::Danger,
            Message::new("captcha-count-invalid").arg("max", MAX_GENERATE as i64),
        ),
    };
    flash::push(page.session(), message.0, message.1).await?;
    Ok(back(&page))
}

/// The characters an image shows, as typed by an admin: white space removed, 1–32 characters.
fn parse_text(typed: &str) -> std::result::Result<String, Message> {
    let text: String = typed.split_whitespace().collect();
    if text.is_empty() || text.chars().count() > TEXT_MAX || text.chars().any(char::is_control) {
        return Err(Message::new("captcha-text-invalid").arg("max", TEXT_MAX as i64));
    }
    Ok(text)
}

#[derive(Deserialize)]
pub struct TextInput {
    #[serde(default)]
    text: String,
}

/// Correct the text of an image.
#[tracing::instrument(skip_all, err)]
pub async fn set_image_text(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<TextInput>,
) -> Result<Response> {
    let (kind, message) = match parse_text(&input.text) {
        Ok(text) => {
            if !model::set_image_text(&state.db, &state.cache, id, &text).await? {
                return Err(AppError::NotFound);
            }
            (FlashKind::Success, Message::new("captcha-text-saved"))
        }
        Err(message) => (FlashKind::Danger, message),
    };
    flash::push(page.session(), kind, message).await?;
    Ok(back(&page))
}

/// Read the upload form: the characters shown and the image.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>), Message> {
    let (mut text, mut bytes) = (None, None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("text") => {
                let value = image_upload::read_field(field, 1024).await?;
                text = Some(String::from_utf8(value).map_err(|_| {
                    Message::new("captcha-text-invalid").arg("max", TEXT_MAX as i64)
                })?);
            }
            Some("image") => bytes = Some(image_upload::read_field(field, MAX_UPLOAD_BYTES).await?),
            _ => {}
        }
    }
    let text = parse_text(&text.unwrap_or_default())?;
    Ok((text, bytes.ok_or_else(|| Message::new("image-empty"))?))
}

#[tracing::instrument(skip_all, err)]
pub async fn upload(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    multipart: Multipart,
) -> Result<Response> {
    let processed = match read_upload(multipart).await {
        Ok((text, bytes)) => {
            image_upload::run_decode(move || {
                let image = image_upload::decode(&bytes, MAX_UPLOAD_BYTES, MAX_SIDE)?;
                let size = (image.width(), image.height());
                Ok::<_, Message>((text, image_upload::to_png(&image)?, size))
            })
            .await?
        }
        Err(message) => Err(message),
    };
    let (kind, message) = match processed {
        Ok((text, png, size)) => {
            let image = model::NewImage {
                text: &text,
                marks: None,
                png: &png,
                size,
                uploaded: true,
            };
            model::insert_image(&state.db, &state.cache, &image).await?;
            (FlashKind::Success, Message::new("captcha-uploaded"))
        }
        Err(message) => (FlashKind::Danger, message),
    };
    flash::push(page.session(), kind, message).await?;
    Ok(back(&page))
}

#[tracing::instrument(skip_all, err)]
pub async fn set_image_active(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ActiveInput>,
) -> Result<Response> {
    if !model::set_image_active(&state.db, &state.cache, id, input.wanted()).await? {
        return Err(AppError::NotFound);
    }
    Ok(back(&page))
}

#[tracing::instrument(skip_all, err)]
pub async fn set_challenge_active(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ActiveInput>,
) -> Result<Response> {
    if !model::set_challenge_active(&state.db, &state.cache, id, input.wanted()).await? {
        return Err(AppError::NotFound);
    }
    Ok(back(&page))
}

/// `GET /admin/captcha/images/{id}.png`: any image by id, for admins only.
#[tracing::instrument(skip_all, err)]
pub async fn image(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Path(file): Path<String>,
) -> Result<Response> {
    let id: i64 = file
        .strip_suffix(".png")
        .and_then(|id| id.parse().ok())
        .ok_or(AppError::NotFound)?;
    let png = IMAGE_PNG
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        png.into_vec(),
    )
        .into_response())
}

/// The challenge form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ChallengeInput {
    prompt_en: String,
    prompt_nl: String,
    prompt_sv: String,
    prompt_nb: String,
    prompt_fr: String,
    scope: String,
    chars: String,
    take: String,
    take_count: String,
    reverse: Option<String>,
    case_sensitive: Option<String>,
}

impl ChallengeInput {
    fn of(challenge: &Challenge) -> Self {
        let prompt = |code: &str| challenge.prompts.get(code).cloned().unwrap_or_default();
        let (take, count) = challenge.rule.take.to_db();
        ChallengeInput {
            prompt_en: prompt("en"),
            prompt_nl: prompt("nl"),
            prompt_sv: prompt("sv"),
            prompt_nb: prompt("nb"),
            prompt_fr: prompt("fr"),
            scope: challenge.rule.scope.as_str().to_owned(),
            chars: challenge.rule.chars.as_str().to_owned(),
            take: take.to_owned(),
            take_count: if count > 0 {
                count.to_string()
            } else {
                String::new()
            },
            reverse: challenge.rule.reverse.then(|| "on".to_owned()),
            case_sensitive: challenge.rule.case_sensitive.then(|| "on".to_owned()),
        }
    }

    /// The prompt field of each language.
    pub fn prompts(&self) -> [(Lang, &'static str, &str); 5] {
        [
            (Lang::En, "prompt_en", &self.prompt_en),
            (Lang::Nl, "prompt_nl", &self.prompt_nl),
            (Lang::Sv, "prompt_sv", &self.prompt_sv),
            (Lang::Nb, "prompt_nb", &self.prompt_nb),
            (Lang::Fr, "prompt_fr", &self.prompt_fr),
        ]
    }

    /// Validate; built-in challenges keep their translated prompts.
    fn parse(&self, builtin: bool) -> Result<ChallengeSpec, FormErrors> {
        let mut errors = FormErrors::new();
        let mut prompts = BTreeMap::new();
        if !builtin {
            for (lang, field, value) in self.prompts() {
                let value = value.trim();
                if value.is_empty() {
                    errors.add(field, Message::new("field-required"));
                } else if value.chars().count() > PROMPT_MAX {
                    errors.add(
                        field,
                        Message::new("captcha-prompt-too-long").arg("max", PROMPT_MAX as i64),
                    );
                }
                prompts.insert(lang.code().to_owned(), value.to_owned());
            }
        }
        // Forms from before scopes existed send none: the whole text.
        let scope = match self.scope.trim() {
            "" => Some(Scope::All),
            typed => Scope::parse(typed),
        };
        if scope.is_none() {
            errors.add("scope", Message::new("captcha-choose-option"));
        }
        let chars = CharClass::parse(self.chars.trim());
        if chars.is_none() {
            errors.add("chars", Message::new("captcha-choose-option"));
        }
        let count = self.take_count.trim();
        let take = match self.take.trim() {
            "all" => Some(Take::All),
            kind @ ("first" | "last") => match count.parse::<u8>() {
                Ok(n) if (1..=16).contains(&n) => Take::from_db(kind, i32::from(n)),
                _ => {
                    errors.add(
                        "take_count",
                        Message::new("captcha-count-range").arg("max", 16_i64),
                    );
                    None
                }
            },
            _ => {
                errors.add("take", Message::new("captcha-choose-option"));
                None
            }
        };
        let (Some(scope), Some(chars), Some(take)) = (scope, chars, take) else {
            return Err(errors);
        };
        errors.into_result(ChallengeSpec {
            prompts,
            rule: AnswerRule {
                scope,
                chars,
                take,
                reverse: self.reverse.is_some(),
                case_sensitive: self.case_sensitive.is_some(),
            },
        })
    }
}

/// A sample image with the answer a rule expects for it.
pub struct Preview {
    id: i64,
    expected: Option<String>,
}

/// The add / edit form.
#[derive(askama::Template)]
#[template(path = "captcha/challenge_form.html")]
struct ChallengeFormTemplate {
    page: Page,
    /// Whether it is a built-in challenge (prompts come from the translation files).
    builtin: bool,
    /// The page heading.
    heading: String,
    /// Where the form posts.
    action: String,
    form: ChallengeInput,
    errors: FieldMessages,
    previews: Vec<Preview>,
    scopes: [&'static str; 5],
    classes: [&'static str; 5],
}

async fn previews(state: &AppState, rule: Option<&AnswerRule>) -> Result<Vec<Preview>> {
    let Some(rule) = rule else {
        return Ok(Vec::new());
    };
    let images = model::ACTIVE_IMAGES
        .get(&state.cache, &state.db, ())
        .await?;
    Ok(images
        .iter()
        .rev()
        .take(4)
        .map(|image| Preview {
            id: image.id,
            expected: rule.expected(image.drawn()),
        })
        .collect())
}

async fn challenge_form(
    state: &AppState,
    page: Page,
    challenge: Option<Challenge>,
    form: ChallengeInput,
    errors: &FormErrors,
) -> Result<Response> {
    let page = page.with_form().await?;
    let previews = previews(state, challenge.as_ref().map(|c| &c.rule)).await?;
    let invalid = !errors.is_empty();
    let action = match &challenge {
        Some(c) => format!("/admin/captcha/challenges/{}", c.id),
        None => "/admin/captcha/challenges".to_owned(),
    };
    render_form(
        &ChallengeFormTemplate {
            errors: errors.translate(page.lang),
            builtin: challenge.as_ref().is_some_and(|c| c.builtin.is_some()),
            heading: match &challenge {
                Some(c) => c.prompt(page.lang),
                None => page.t("captcha-challenge-add").to_owned(),
            },
            action,
            form,
            previews,
            scopes: Scope::ALL.map(Scope::as_str),
            classes: CharClass::ALL.map(CharClass::as_str),
            page,
        },
        invalid,
    )
}

async fn find(state: &AppState, id: i64) -> Result<Challenge> {
    CHALLENGES
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

#[tracing::instrument(skip_all, err)]
pub async fn new_challenge(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
) -> Result<Response> {
    let form = ChallengeInput {
        scope: "all".into(),
        chars: "all".into(),
        take: "all".into(),
        ..ChallengeInput::default()
    };
    challenge_form(&state, page, None, form, &FormErrors::new()).await
}

#[tracing::instrument(skip_all, err)]
pub async fn create_challenge(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Form(input): Form<ChallengeInput>,
) -> Result<Response> {
    match input.parse(false) {
        Ok(spec) => {
            model::insert_challenge(&state.db, &state.cache, &spec).await?;
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("captcha-challenge-saved"),
            )
            .await?;
            Ok(back(&page))
        }
        Err(errors) => challenge_form(&state, page, None, input, &errors).await,
    }
}

#[tracing::instrument(skip_all, err)]
pub async fn edit_challenge(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let challenge = find(&state, id).await?;
    let form = ChallengeInput::of(&challenge);
    challenge_form(&state, page, Some(challenge), form, &FormErrors::new()).await
}

#[tracing::instrument(skip_all, err)]
pub async fn update_challenge(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ChallengeInput>,
) -> Result<Response> {
    let challenge = find(&state, id).await?;
    match input.parse(challenge.builtin.is_some()) {
        Ok(spec) => {
            model::update_challenge(&state.db, &state.cache, id, &spec).await?;
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("captcha-challenge-saved"),
            )
            .await?;
            Ok(back(&page))
        }
        Err(errors) => challenge_form(&state, page, Some(challenge), input, &errors).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ChallengeInput {
        ChallengeInput {
            prompt_en: "Type the first two digits".into(),
            prompt_nl: "Typ de eerste twee cijfers".into(),
            prompt_sv: "Skriv de två första siffrorna".into(),
            prompt_nb: "Skriv de to første sifrene".into(),
            prompt_fr: "Tapez les deux premiers chiffres".into(),
            scope: "lower-line".into(),
            chars: "digits".into(),
            take: "first".into(),
            take_count: "2".into(),
            reverse: None,
            case_sensitive: Some("on".into()),
        }
    }

    #[test]
    fn a_custom_challenge_needs_every_prompt_and_a_valid_rule() {
        let spec = input().parse(false).unwrap();
        assert_eq!(spec.rule.take, Take::First(2));
        assert_eq!(spec.rule.scope, Scope::LowerLine);
        let unscoped = ChallengeInput {
            scope: String::new(),
            ..input()
        };
        assert_eq!(unscoped.parse(false).unwrap().rule.scope, Scope::All);
        assert!(spec.rule.case_sensitive);
        assert_eq!(spec.prompts.len(), 5);
        let missing = ChallengeInput {
            prompt_sv: " ".into(),
            ..input()
        };
        assert!(missing.parse(false).is_err());
        assert!(
            missing.parse(true).is_ok(),
            "built-in prompts come from the locales"
        );
        for (take, count) in [
            ("first", "0"),
            ("last", "x"),
            ("last", "99"),
            ("middle", "1"),
        ] {
            let bad = ChallengeInput {
                take: take.into(),
                take_count: count.into(),
                ..input()
            };
            assert!(bad.parse(false).is_err(), "{take} {count}");
        }
        let bad_chars = ChallengeInput {
            chars: "emoji".into(),
            ..input()
        };
        assert!(bad_chars.parse(false).is_err());
        let bad_scope = ChallengeInput {
            scope: "red".into(),
            ..input()
        };
        assert!(bad_scope.parse(false).is_err());
    }
}
