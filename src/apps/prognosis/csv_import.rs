//! Samples from an uploaded CSV file: every row checked, every problem reported with its line,
//! and nothing accepted unless every row is valid.
//!
//! The first row names the columns: `name`, `diagnosis` (optional column; `M`/`B`,
//! `malignant`/`benign` or empty) and the 30 features by their data-set names (`mean radius`,
//! …; case, `_` for spaces and column order do not matter). Commas or semicolons separate the
//! cells (spreadsheets in Dutch, Swedish, Norwegian and French locales write semicolons, with a
//! decimal comma).

use std::collections::HashSet;

use super::{
    input,
    ml::{Diagnosis, FEATURE_COUNT, FEATURES},
    samples::{NAME_MAX, NewSample},
};
use crate::web::Message;

/// Largest CSV upload.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most samples in one upload.
pub const MAX_ROWS: usize = 10_000;

/// A problem with one line (1-based, as a spreadsheet numbers it; 0 for the file as a whole).
#[derive(Debug, Clone)]
pub struct LineError {
    /// Line number.
    pub line: u64,
    /// The column, as the file's header names it, when one cell is to blame.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub message: Message,
}

fn normalize_header(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['_', '-'], " ")
}

/// Column positions of name, diagnosis and each feature.
struct Columns {
    name: usize,
    diagnosis: Option<usize>,
    features: [usize; FEATURE_COUNT],
    width: usize,
}

fn columns(header: &csv::StringRecord) -> Result<Columns, Message> {
    let names: Vec<String> = header.iter().map(normalize_header).collect();
    let find = |wanted: &str| names.iter().position(|n| n == wanted);
    let name =
        find("name").ok_or_else(|| Message::new("csv-missing-column").arg("column", "name"))?;
    let mut features = [0; FEATURE_COUNT];
    for (i, feature) in FEATURES.iter().enumerate() {
        features[i] = find(feature.name)
            .ok_or_else(|| Message::new("csv-missing-column").arg("column", feature.name))?;
    }
    Ok(Columns {
        name,
        diagnosis: find("diagnosis"),
        features,
        width: names.len(),
    })
}

fn parse_diagnosis(cell: &str) -> Result<Option<Diagnosis>, Message> {
    match cell.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "m" | "malignant" => Ok(Some(Diagnosis::Malignant)),
        "b" | "benign" => Ok(Some(Diagnosis::Benign)),
        _ => Err(Message::new("csv-bad-diagnosis")),
    }
}

/// Check a sample name (forms use the same rule).
pub fn check_name(name: &str) -> Result<String, Message> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Message::new("field-required"));
    }
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(Message::new("sample-name-invalid").arg("max", NAME_MAX));
    }
    Ok(name.to_owned())
}

/// The delimiter of the header line: `;` when it has more semicolons than commas.
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Parse a whole file: all samples, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<NewSample>, Vec<LineError>> {
    let whole = |message| {
        vec![LineError {
            line: 0,
            column: None,
            message,
        }]
    };
    if bytes.len() > MAX_BYTES {
        return Err(whole(
            Message::new("csv-too-large").arg("max", (MAX_BYTES / 1024 / 1024) as i64),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|_| whole(Message::new("csv-unreadable")))?
        .clone();
    let columns = columns(&header).map_err(whole)?;
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                errors.push(LineError {
                    line,
                    column: None,
                    message: Message::new("csv-unreadable"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if samples.len() + errors.len() >= MAX_ROWS {
            return Err(whole(
                Message::new("csv-too-many-rows").arg("max", MAX_ROWS),
            ));
        }
        let mut fail = |message| {
            errors.push(LineError {
                line,
                column: None,
                message,
            });
        };
        if record.len() != columns.width {
            fail(
                Message::new("csv-wrong-cell-count")
                    .arg("count", record.len())
                    .arg("expected", columns.width),
            );
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or_default();
        let name = match check_name(cell(columns.name)) {
            Ok(name) if !seen.insert(name.clone()) => {
                fail(Message::new("csv-duplicate-name").arg("name", name));
                continue;
            }
            Ok(name) => name,
            Err(message) => {
                fail(message);
                continue;
            }
        };
        let diagnosis = match columns.diagnosis.map(|i| parse_diagnosis(cell(i))) {
            Some(Err(message)) => {
                fail(message);
                continue;
            }
            Some(Ok(d)) => d,
            None => None,
        };
        let typed: Vec<&str> = columns.features.iter().map(|&i| cell(i)).collect();
        match input::parse_row(&typed) {
            Ok(features) => samples.push(NewSample {
                name,
                features,
                diagnosis,
            }),
            Err(problems) => {
                errors.extend(problems.into_iter().map(|(index, message)| LineError {
                    line,
                    column: FEATURES.get(index).map(|f| f.name),
                    message,
                }));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if samples.is_empty() {
        return Err(whole(Message::new("csv-empty")));
    }
    Ok(samples)
}
