//! The accessibility audit of the browser layout sweep: axe-core, run in the page shown, and
//! the colour modes the sweep shows every page in.
//!
//! axe-core is vendored in `tests/it/vendor/axe-core/` (its `axe.min.js`, MPL-2.0, with its
//! licences) and compiled into the test binary: it is injected into the page under test by
//! WebDriver, never served by HUD.

use fantoccini::Client;

/// axe-core itself (`npm pack axe-core@4`, version in the file's first line).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Run axe on the whole document; resolves with the serious and critical violations only
/// (moderate and minor ones are advice, not failures), one entry per rule with every node's
/// selector.
const RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then((result) => done(result.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => ({ id: v.id, impact: v.impact,
                 nodes: v.nodes.map((n) => n.target.join(' ')),
                 summary: (v.nodes[0] && v.nodes[0].failureSummary || '').replace(/\s+/g, ' ') }))),
  (error) => done([{ id: 'axe-error', impact: 'critical', nodes: [], summary: String(error) }]));
"#;

/// The colour modes every page is audited in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Light,
    Dark,
}

impl Mode {
    pub(crate) const ALL: [Mode; 2] = [Mode::Light, Mode::Dark];

    /// The value of `data-bs-theme` and of the remembered choice.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Light => "light",
            Mode::Dark => "dark",
        }
    }
}

/// Remember `mode` as the visitor's choice (as the navbar's switch does) and reload the page
/// shown when it is not in that mode yet; fails when the page does not follow.
pub(crate) async fn show_in(c: &Client, mode: Mode) -> Result<(), fantoccini::error::CmdError> {
    let shown = c
        .execute(
            "localStorage.setItem('hud-color-mode', arguments[0]);
             return document.documentElement.getAttribute('data-bs-theme');",
            vec![mode.name().into()],
        )
        .await?;
    if shown != mode.name() {
        c.refresh().await?;
    }
    let shown = c
        .execute(
            "return document.documentElement.getAttribute('data-bs-theme');",
            vec![],
        )
        .await?;
    assert_eq!(shown, mode.name(), "the page follows the remembered mode");
    Ok(())
}

/// Audit the page shown; each serious or critical violation becomes one line of `found`,
/// prefixed with `what` (page, width and mode).
pub(crate) async fn check(c: &Client, what: &str, found: &mut Vec<String>) {
    let loaded = c
        .execute(&format!("{AXE}\nreturn typeof axe;"), vec![])
        .await
        .unwrap();
    assert_eq!(loaded, "object", "axe-core loaded into the page");
    let violations = c.execute_async(RUN, vec![]).await.unwrap();
    for v in violations.as_array().into_iter().flatten() {
        found.push(format!(
            "{what}: axe {} ({}) on {} — {}",
            v["id"].as_str().unwrap_or_default(),
            v["impact"].as_str().unwrap_or_default(),
            v["nodes"],
            v["summary"].as_str().unwrap_or_default(),
        ));
    }
}
