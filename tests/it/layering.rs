//! The layering of ARCHITECTURE.md, checked on the source: dependencies point one way,
//! `apps → web, cache, db, jobs, i18n → config`, and a sub-app never imports another.
//!
//! A scan of `use`/path text rather than a compiler plug-in: simple, and what it misses (a
//! path built by a macro) a reviewer sees. Comments are skipped, so docs may name other layers.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// The Rust files under `dir`, recursively.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `(line number, code)` of the lines of `path` that are not comments.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .filter(|(_, line)| !line.starts_with("//"))
        .collect()
}

fn src() -> PathBuf {
    crate::common::repo_root().join("src")
}

/// Every line under `dirs` (files or folders below `src/`) that mentions one of `forbidden`.
fn violations(dirs: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs {
        let path = src().join(dir);
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path]
        };
        for file in files {
            for (number, line) in code_lines(&file) {
                if let Some(bad) = forbidden.iter().find(|f| line.contains(*f)) {
                    found.push(format!("{}:{number}: uses {bad}: {line}", file.display()));
                }
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_import_the_sub_apps() {
    let found = violations(
        &[
            "cache",
            "db",
            "jobs",
            "i18n",
            "text",
            "graphics",
            "telemetry",
            "config",
        ],
        &["crate::apps", "hud::apps"],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_cache_knows_nothing_of_the_web_layer() {
    let found = violations(&["cache"], &["crate::web", "axum"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn config_is_the_bottom_layer() {
    let found = violations(
        &["config"],
        &[
            "crate::cache",
            "crate::web",
            "crate::db",
            "crate::jobs",
            "crate::i18n",
        ],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The sub-apps a line of code names through an `apps::` path (`apps::search::…`,
/// `apps::{search, captcha}`).
fn apps_named(line: &str) -> Vec<String> {
    let mut named = Vec::new();
    for (at, _) in line.match_indices("apps::") {
        let rest = &line[at + "apps::".len()..];
        let names = match rest.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap_or_default(),
            None => rest,
        };
        for name in names.split(',') {
            let name: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            named.push(name);
        }
    }
    named
}

#[test]
fn sub_apps_never_import_each_other() {
    let apps: Vec<String> = fs::read_dir(src().join("apps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(apps.len() >= 5, "found the sub-apps: {apps:?}");
    let mut found = Vec::new();
    for app in &apps {
        for file in rust_files(&src().join("apps").join(app)) {
            for (number, line) in code_lines(&file) {
                for other in apps_named(&line) {
                    if other != *app && apps.contains(&other) {
                        found.push(format!(
                            "{}:{number}: {app} uses {other}: {line}",
                            file.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(
        apps_named("use crate::apps::{search, captcha::guard};"),
        ["search", "captcha"]
    );
}
