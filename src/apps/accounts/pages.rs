//! Signup, login, logout and profile pages.

use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Duration;
use serde::Deserialize;

use super::{
    authenticate::{Login, authenticate},
    forms::{LoginInput, Signup, SignupInput},
    model::{self, CreateError},
    password,
};
use crate::{
    web::form_guard as guard,
    web::{
        AppError, AppState, Message, Page, Result,
        auth::{self, RequireUser, safe_next},
        extract::{ClientIp, rate_limit},
        flash::{self, FlashKind},
        form::{FieldMessages, FormErrors},
        page::{render, render_form},
        users::PROFILE_BY_USER,
    },
};

/// The signup page. The captcha sub-app adds its field through `partials/form_guard.html`.
#[derive(askama::Template)]
#[template(path = "accounts/signup.html")]
struct SignupTemplate {
    page: Page,
    form: SignupInput,
    errors: FieldMessages,
    /// Rendered fields of form guards (the captcha), filled in by the guard's helper.
    guards: Vec<String>,
}

#[tracing::instrument(skip_all, err)]
pub async fn signup_form(ip: ClientIp, page: Page) -> Result<Response> {
    let page = page.with_form().await?;
    render(&SignupTemplate {
        guards: guard::fields(&page, &ip, None).await?,
        page,
        form: SignupInput::default(),
        errors: FieldMessages::default(),
    })
}

/// The form again, as typed (but without passwords), with a new captcha.
async fn signup_again(
    page: Page,
    ip: &ClientIp,
    input: SignupInput,
    errors: &FormErrors,
    captcha_error: Option<&Message>,
) -> Result<Response> {
    let invalid = !errors.is_empty() || captcha_error.is_some();
    let errors = errors.translate(page.lang);
    let guards = guard::fields(&page, ip, captcha_error).await?;
    // Never send a password back to the browser.
    let form = SignupInput {
        password: String::new(),
        password2: String::new(),
        ..input
    };
    render_form(
        &SignupTemplate {
            page,
            form,
            errors,
            guards,
        },
        invalid,
    )
}

#[tracing::instrument(skip_all, err)]
pub async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Form(input): Form<SignupInput>,
) -> Result<Response> {
    let page = page.with_form().await?;
    rate_limit(
        &state,
        &format!("signup:ip:{}", ip.bucket_key()),
        Duration::hours(1),
        state.config.accounts.signup_limit_per_ip,
    )
    .await?;
    let parsed = Signup::parse(&input, state.config.accounts.password_min_length);
    let signup = match guard::judge(&page, &ip, &input.captcha, parsed).await? {
        Ok(signup) => signup,
        Err(again) => {
            let error = again.guard_error.as_ref();
            return signup_again(page, &ip, input, &again.errors, error).await;
        }
    };
    let hash = password::hash(signup.password.clone()).await?;
    let id = match model::create(&state.db, &signup.username, &signup.email, &hash, false).await {
        Ok(id) => id,
        Err(CreateError::Db(e)) => return Err(e.into()),
        Err(taken) => {
            let mut errors = FormErrors::new();
            match taken {
                CreateError::UsernameTaken => {
                    errors.add("username", Message::new("username-taken"));
                }
                _ => errors.add("email", Message::new("email-taken")),
            }
            guard::remember_pass(&page).await?;
            return signup_again(page, &ip, input, &errors, None).await;
        }
    };
    tracing::info!(user_id = id, "account created");
    auth::login(page.session(), id).await?;
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("signup-welcome"),
    )
    .await?;
    Ok(Redirect::to(&page.url("/accounts/profile")).into_response())
}

/// The login page.
#[derive(askama::Template)]
#[template(path = "accounts/login.html")]
struct LoginTemplate {
    page: Page,
    login: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[tracing::instrument(skip_all, err)]
pub async fn login_form(
    page: Page,
    axum::extract::Query(query): axum::extract::Query<NextQuery>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let next = safe_next(query.next.as_deref()).unwrap_or("").to_owned();
    render(&LoginTemplate {
        page,
        login: String::new(),
        next,
        error: None,
    })
}

#[tracing::instrument(skip_all, err)]
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Form(input): Form<LoginInput>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let login = input.login.trim().to_owned();
    let next = safe_next(input.next.as_deref()).unwrap_or("").to_owned();
    let (status, error) = match authenticate(&state, &ip, &login, input.password).await? {
        Login::Yes(id) => {
            auth::login(page.session(), id).await?;
            tracing::info!(user_id = id, "login");
            let target = if next.is_empty() { page.url("/") } else { next };
            return Ok(Redirect::to(&target).into_response());
        }
        Login::No => {
            tracing::info!("failed login");
            (StatusCode::UNAUTHORIZED, "login-failed")
        }
        Login::Disabled => {
            tracing::info!("login to a disabled account");
            (StatusCode::FORBIDDEN, "login-disabled")
        }
    };
    let error = Some(page.t(error).to_owned());
    let mut response = render(&LoginTemplate {
        page,
        login,
        next,
        error,
    })?;
    *response.status_mut() = status;
    // A handler-rendered page: keep it (the error-page layer only fills in bare errors).
    Ok(response)
}

#[tracing::instrument(skip_all, err)]
pub async fn logout(page: Page) -> Result<Response> {
    let home = page.url("/");
    auth::logout(page.session()).await?;
    Ok(Redirect::to(&home).into_response())
}

/// The profile page.
#[derive(askama::Template)]
#[template(path = "accounts/profile.html")]
struct ProfileTemplate {
    page: Page,
    /// The profile card, from the fragment cache.
    card: String,
}

/// The profile card.
#[derive(askama::Template)]
#[template(path = "accounts/profile_card.html")]
struct ProfileCardTemplate<'a> {
    page: &'a Page,
    user: &'a model::UserRecord,
}

#[tracing::instrument(skip_all, err)]
pub async fn profile(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    let user = PROFILE_BY_USER
        .get(&state.cache, &state.db, me.id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The card varies on every field it shows.
    let vary = format!(
        "{}|{}|{:?}|{:?}|{}|{:?}",
        user.email,
        user.avatar_version,
        user.preferred_language,
        user.timezone,
        user.created_at,
        user.last_login_at
    );
    let card = page.cached_fragment("profile_card", &vary, || {
        askama::Template::render(&ProfileCardTemplate {
            page: &page,
            user: &user,
        })
        .ok()
    });
    render(&ProfileTemplate { page, card })
}
