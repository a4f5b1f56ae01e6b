//! Keyboard-only flows in a real headless Chromium: sign up, log in, add a page and get a
//! prognosis with nothing but Tab, Shift+Tab, Enter and typing into whatever has the focus
//! (WebDriver key input to the active element), checking at every stop that the focus can be
//! seen; and the colour mode switch, with the keyboard too.

use fantoccini::{Client, Locator, key::Key};

use crate::{
    browser::{browser, screenshot, with_a_model},
    common::*,
};

/// How many Tab presses reaching a control may take (the navbar and a form's fields).
const MAX_TABS: usize = 80;

/// Type `keys` into the focused element, as a keyboard does.
async fn press(c: &Client, keys: &str) -> Result<(), fantoccini::error::CmdError> {
    c.active_element().await?.send_keys(keys).await
}

/// A description of the focused element and whether its focus is drawn: it matches
/// `:focus-visible` and has an outline or a focus shadow (Bootstrap draws form controls' and
/// buttons' focus as a box-shadow).
async fn focused(c: &Client) -> Result<(String, bool), fantoccini::error::CmdError> {
    let v = c
        .execute(
            "const a = document.activeElement; const s = getComputedStyle(a);
             const name = a.tagName.toLowerCase() + (a.id ? '#' + a.id : '')
               + (a.getAttribute('name') ? '[name=' + a.getAttribute('name') + ']' : '')
               + (a.textContent.trim() ? ' ' + JSON.stringify(a.textContent.trim().slice(0, 30)) : '');
             const drawn = a.matches(':focus-visible')
               && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
             return [name, drawn];",
            vec![],
        )
        .await?;
    Ok((v[0].as_str().unwrap_or_default().to_owned(), v[1] == true))
}

/// Press Tab (or Shift+Tab when `back`) until the element matching `selector` has the focus;
/// every element passed on the way must show its focus.
async fn tab_to(c: &Client, selector: &str, back: bool) -> Result<(), fantoccini::error::CmdError> {
    let key = if back {
        format!(
            "{}{}{}",
            char::from(Key::Shift),
            char::from(Key::Tab),
            char::from(Key::Null)
        )
    } else {
        (char::from(Key::Tab)).to_string()
    };
    for _ in 0..MAX_TABS {
        press(c, &key).await?;
        let (name, drawn) = focused(c).await?;
        assert!(drawn, "the focus on {name} cannot be seen");
        let here = c
            .execute(
                "return document.activeElement.matches(arguments[0]);",
                vec![selector.into()],
            )
            .await?;
        if here == true {
            return Ok(());
        }
    }
    panic!("{selector} was not reached with {MAX_TABS} presses of Tab");
}

/// The answer to the captcha of the form shown, read from the database as a person reads it.
async fn captcha(app: &TestApp, c: &Client) -> Result<String, fantoccini::error::CmdError> {
    let token = c
        .find(Locator::Css("[data-captcha-token]"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    Ok(captcha_answer(&app.db, &token).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn signup_login_add_a_page_and_a_prognosis_with_the_keyboard_only() {
    let app = TestApp::spawn_with(|c| c.crawl.allow = vec!["127.0.0.1:9".into()]).await;
    with_a_model(
        &app,
        hud::apps::prognosis::ml::Algorithm::LogisticRegression,
        hud::apps::prognosis::ml::TrainOptions::default(),
        "Logistic",
    )
    .await;
    with_a_model(
        &app,
        hud::apps::prognosis::ml::Algorithm::Knn,
        hud::apps::prognosis::ml::TrainOptions::default(),
        "Nearest neighbours",
    )
    .await;
    let c = browser().await;
    let result = flows(&app, &c).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn flows(app: &TestApp, c: &Client) -> Result<(), fantoccini::error::CmdError> {
    let enter = (char::from(Key::Enter)).to_string();
    c.set_window_size(1280, 900).await?;

    // Sign up: every field in order, then the captcha's answer and Enter.
    c.goto(&app.url("/accounts/signup")).await?;
    tab_to(c, "#username", false).await?;
    press(c, "keyboard-kim").await?;
    tab_to(c, "#email", false).await?;
    press(c, "kim@example.org").await?;
    tab_to(c, "#password", false).await?;
    press(c, PASSWORD).await?;
    tab_to(c, "#password2", false).await?;
    press(c, PASSWORD).await?;
    tab_to(c, "#captcha_answer", false).await?;
    let answer = captcha(app, c).await?;
    press(c, &answer).await?;
    screenshot(c, "keyboard-signup-1280").await;
    press(c, &enter).await?;
    let name = c
        .wait()
        .for_element(Locator::Css("#profile-username"))
        .await?;
    assert_eq!(name.text().await?, "keyboard-kim");

    // Log in (a new session): the login field has the focus already; back with Shift+Tab.
    c.delete_all_cookies().await?;
    c.goto(&app.url("/accounts/login")).await?;
    press(c, "kim@example.org").await?;
    tab_to(c, "#password", false).await?;
    tab_to(c, "#login", true).await?;
    tab_to(c, "#password", false).await?;
    press(c, &format!("{PASSWORD}{enter}")).await?;
    c.wait().for_element(Locator::Css("#user-menu")).await?;

    // Add a page: its address, the captcha, Enter; the page's (empty) cloud page follows.
    c.goto(&app.url("/pages/new")).await?;
    tab_to(c, "#url", false).await?;
    press(c, "http://127.0.0.1:9/garden").await?;
    tab_to(c, "#captcha_answer", false).await?;
    let answer = captcha(app, c).await?;
    press(c, &format!("{answer}{enter}")).await?;
    c.wait().for_element(Locator::Css("#no-crawl")).await?;
    let url = c.find(Locator::Css("main a[rel~=nofollow]")).await?;
    assert_eq!(url.text().await?, "http://127.0.0.1:9/garden");

    // A prognosis: the model picked by typing its name's first letter in the list, a sample
    // typed into its search box, then Tab to the button and Enter.
    c.goto(&app.url("/prognosis")).await?;
    tab_to(c, "#model", false).await?;
    press(c, "N").await?;
    tab_to(c, "#sample", false).await?;
    press(c, "WDBC-020").await?;
    tab_to(c, "#predict", false).await?;
    screenshot(c, "keyboard-prognosis-1280").await;
    press(c, &enter).await?;
    let result = c.wait().for_element(Locator::Css("#result")).await?;
    assert_eq!(
        result.attr("data-diagnosis").await?.as_deref(),
        Some("benign"),
        "WDBC-020 is benign in the data set"
    );
    let model = c.find(Locator::Css("#result-model")).await?;
    assert_eq!(model.text().await?, "Nearest neighbours");
    screenshot(c, "keyboard-prognosis-result-1280").await;

    // The colour mode switch: Enter opens it, the arrow keys walk its items, Enter picks one;
    // the choice is announced (aria-pressed) and remembered on the next page.
    tab_to(c, "#color-mode-toggle", false).await?;
    press(c, &enter).await?;
    for _ in 0..4 {
        press(c, &char::from(Key::Down).to_string()).await?;
        let (name, drawn) = focused(c).await?;
        assert!(drawn, "the focus on {name} cannot be seen");
        let dark = c
            .execute(
                "return document.activeElement.matches('[data-hud-color-mode=dark]');",
                vec![],
            )
            .await?;
        if dark == true {
            break;
        }
    }
    press(c, &enter).await?;
    let mode = |c: &Client| {
        let c = c.clone();
        async move {
            c.execute(
                "return [document.documentElement.getAttribute('data-bs-theme'),
                         document.querySelector('[data-hud-color-mode=dark]').getAttribute('aria-pressed'),
                         document.querySelector('#color-mode-toggle').getAttribute('aria-label')];",
                vec![],
            )
            .await
        }
    };
    assert_eq!(
        mode(c).await?,
        serde_json::json!(["dark", "true", "Colour mode: Dark"])
    );
    screenshot(c, "keyboard-prognosis-result-1280-dark").await;
    c.goto(&app.url("/prognosis/history")).await?;
    assert_eq!(
        mode(c).await?,
        serde_json::json!(["dark", "true", "Colour mode: Dark"])
    );
    Ok(())
}
