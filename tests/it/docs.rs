//! The README's configuration table is the operator's reference: every environment variable
//! HUD reads must be in it, and every variable in it must still be read.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
};

use crate::layering::rust_files;

/// The quoted names after each of `markers` in `text`, e.g. `env = "HUD_BIND"`.
fn quoted_after(text: &str, markers: &[&str], into: &mut BTreeSet<String>) {
    for marker in markers {
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with('"') {
                into.insert(name);
            }
        }
    }
}

/// Variables the code reads: clap's `env = "…"` and direct `env::var("…")` calls.
fn read_by_the_code() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let root = crate::common::repo_root();
    for file in rust_files(&root.join("src")) {
        let text = fs::read_to_string(&file).unwrap();
        quoted_after(
            &text,
            &["env = \"", "env::var(\"", "env::var_os(\""],
            &mut names,
        );
    }
    names.retain(|n| n.starts_with("HUD_") || n == "DATABASE_URL");
    names
}

/// Variables named in the first column of the README's configuration table.
fn in_the_readme_table() -> BTreeSet<String> {
    let readme = fs::read_to_string(crate::common::repo_root().join("README.md")).unwrap();
    let mut names = BTreeSet::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let first_cell = line.split('|').nth(1).unwrap_or_default();
        for name in first_cell.split('`').skip(1).step_by(2) {
            if name.starts_with("HUD_") || name == "DATABASE_URL" {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

/// The README section (`### …` under "Configuration") of each variable in `src/config/`: the
/// `hud --help` heading of its module's section of `Config`, "General" for `Config`'s own.
fn config_sections() -> BTreeMap<String, String> {
    let dir = crate::common::repo_root().join("src/config");
    let root = fs::read_to_string(dir.join("mod.rs")).unwrap();
    let mut sections = BTreeMap::new();
    for file in rust_files(&dir) {
        let module = file.file_stem().unwrap().to_str().unwrap().to_owned();
        let heading = if module == "mod" {
            "General".to_owned()
        } else {
            let field = format!("\n    pub {module}: ");
            let at = root
                .find(&field)
                .unwrap_or_else(|| panic!("Config has no {module}"));
            let marker = "next_help_heading = \"";
            let from = root[..at].rfind(marker).unwrap() + marker.len();
            root[from..].split('"').next().unwrap().to_owned()
        };
        let mut names = BTreeSet::new();
        quoted_after(
            &fs::read_to_string(&file).unwrap(),
            &["env = \""],
            &mut names,
        );
        for name in names {
            sections.insert(name, heading.clone());
        }
    }
    sections
}

/// The `### ` heading each variable of the README's configuration tables is listed under.
fn readme_sections() -> BTreeMap<String, String> {
    let readme = fs::read_to_string(crate::common::repo_root().join("README.md")).unwrap();
    let mut heading = String::new();
    let mut sections = BTreeMap::new();
    for line in readme.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            h.clone_into(&mut heading);
        }
        let first_cell = line.split('|').nth(1).unwrap_or_default();
        if line.starts_with("| `") {
            for name in first_cell.split('`').skip(1).step_by(2) {
                sections.insert(name.to_owned(), heading.clone());
            }
        }
    }
    sections
}

#[test]
fn the_readme_lists_each_setting_under_its_config_section() {
    let readme = readme_sections();
    let config = config_sections();
    assert!(config.len() > 40, "the scan found the settings: {config:?}");
    for (name, section) in &config {
        assert_eq!(
            readme.get(name),
            Some(section),
            "{name} belongs under \"### {section}\" in the README's configuration"
        );
    }
}

#[test]
fn every_environment_variable_is_in_the_readme_and_no_other() {
    let code = read_by_the_code();
    let readme = in_the_readme_table();
    assert!(code.len() > 40, "the scan found the settings: {code:?}");
    let undocumented: Vec<_> = code.difference(&readme).collect();
    let stale: Vec<_> = readme.difference(&code).collect();
    assert!(
        undocumented.is_empty(),
        "read by HUD but missing from the README's configuration table: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "in the README's configuration table but read nowhere: {stale:?}"
    );
}
