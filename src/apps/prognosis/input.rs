//! Typed feature values (forms, CSV cells, API numbers) → a validated [`Row`], with a
//! translated message per offending feature; and the 30 fields as forms show them.

use super::ml::{FEATURE_COUNT, FEATURES, FeatureError, Row, Unit};
use crate::web::{Message, Page};

/// The form field name of feature `index`.
pub fn field_name(index: usize) -> String {
    format!("f{index}")
}

/// The message id of a feature's translated name (`feature-mean-radius`, …).
pub fn name_id(index: usize) -> String {
    let name = FEATURES.get(index).map_or("unknown", |f| f.name);
    format!("feature-{}", name.replace(' ', "-"))
}

/// A feature's translated name.
pub fn feature_name(page: &Page, index: usize) -> String {
    page.t(&name_id(index)).to_owned()
}

/// A feature's translated unit (empty when unitless).
pub fn unit(page: &Page, index: usize) -> String {
    match FEATURES.get(index).map(|f| f.unit) {
        Some(Unit::Pixel) => page.t("unit-pixel").to_owned(),
        Some(Unit::SquarePixel) => page.t("unit-square-pixel").to_owned(),
        Some(Unit::GreyLevel) => page.t("unit-grey-level").to_owned(),
        Some(Unit::Unitless) | None => String::new(),
    }
}

/// One number as typed: a decimal point or (as Dutch, Swedish, Norwegian and French write it)
/// a decimal comma; white space around it ignored. Only finite numbers are numbers here.
pub fn parse_number(typed: &str) -> Option<f64> {
    let typed = typed.trim();
    let normalized = if typed.contains(',') && !typed.contains('.') {
        typed.replace(',', ".")
    } else {
        typed.to_owned()
    };
    // Rust also parses "NaN", "inf" and "infinity": not values anyone measured.
    if !normalized
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The message for a value refused by [`validate`].
pub fn feature_error(error: &FeatureError) -> Message {
    match error {
        FeatureError::WrongLength(n) => Message::new("prognosis-wrong-length")
            .arg("count", *n as i64)
            .arg("expected", FEATURE_COUNT as i64),
        FeatureError::NotFinite { .. } => Message::new("prognosis-not-a-number"),
        FeatureError::OutOfRange { index, .. } => {
            let feature = FEATURES.get(*index);
            Message::new("prognosis-out-of-range")
                .arg("min", feature.map_or(0.0, |f| f.min))
                .arg("max", feature.map_or(0.0, |f| f.max))
        }
    }
}

/// Parse and validate 30 typed values; errors are (feature index, message), every offending
/// feature reported (not only the first).
pub fn parse_row(typed: &[&str]) -> Result<Row, Vec<(usize, Message)>> {
    let mut errors = Vec::new();
    let mut values = [0.0; FEATURE_COUNT];
    for (index, value) in values.iter_mut().enumerate() {
        let text = typed.get(index).copied().unwrap_or_default();
        if text.trim().is_empty() {
            errors.push((index, Message::new("field-required")));
            continue;
        }
        match parse_number(text) {
            Some(parsed) => {
                *value = parsed;
                if let Err(error) = check_one(index, parsed) {
                    errors.push((index, error));
                }
            }
            None => errors.push((index, Message::new("prognosis-not-a-number"))),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Check one value against its feature's range (the rule [`super::ml::validate`] applies to a
/// row).
fn check_one(index: usize, value: f64) -> Result<(), Message> {
    match FEATURES.get(index) {
        Some(f) if (f.min..=f.max).contains(&value) => Ok(()),
        _ => Err(feature_error(&FeatureError::OutOfRange { index, value })),
    }
}

/// One of the 30 fields as a form shows it.
pub struct FeatureField {
    /// Form field name (`f0` … `f29`).
    pub name: String,
    /// Translated feature name.
    pub label: String,
    /// Translated unit, possibly empty.
    pub unit: String,
    /// Accepted range, for the hint and the `min`/`max` attributes.
    pub min: f64,
    /// Accepted range.
    pub max: f64,
    /// As typed (or the sample's value).
    pub value: String,
    /// What is wrong with it.
    pub error: Option<String>,
}

/// The 30 fields for a form, filled with `values` and their translated errors.
pub fn fields(page: &Page, values: &[String], errors: &[(usize, Message)]) -> Vec<FeatureField> {
    FEATURES
        .iter()
        .enumerate()
        .map(|(index, feature)| FeatureField {
            name: field_name(index),
            label: feature_name(page, index),
            unit: unit(page, index),
            min: feature.min,
            max: feature.max,
            value: values.get(index).cloned().unwrap_or_default(),
            error: errors
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, m)| page.message(m)),
        })
        .collect()
}

/// The 30 typed values out of a form's fields (missing ones empty).
pub fn typed_values(form: &[(String, String)]) -> Vec<String> {
    (0..FEATURE_COUNT)
        .map(|index| crate::web::form::value(form, &field_name(index)))
        .collect()
}

/// A value as a form shows it (shortest form that reads back the same).
pub fn show(value: f64) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_a_decimal_point_or_comma_and_nothing_else() {
        assert_eq!(parse_number(" 17.99 "), Some(17.99));
        assert_eq!(parse_number("17,99"), Some(17.99));
        assert_eq!(parse_number("1e-3"), Some(0.001));
        for bad in ["NaN", "inf", "-infinity", "1,2.3", "abc", "", "1 2", "0x10"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_offending_feature_is_reported() {
        let mut typed: Vec<String> = FEATURES.iter().map(|f| f.min.to_string()).collect();
        assert!(parse_row(&typed.iter().map(String::as_str).collect::<Vec<_>>()).is_ok());
        typed[0] = "abc".into();
        typed[3] = "1e9".into();
        typed[7] = String::new();
        let errors = parse_row(&typed.iter().map(String::as_str).collect::<Vec<_>>()).unwrap_err();
        let ids: Vec<(usize, &str)> = errors.iter().map(|(i, m)| (*i, m.id.as_str())).collect();
        assert_eq!(
            ids,
            [
                (0, "prognosis-not-a-number"),
                (3, "prognosis-out-of-range"),
                (7, "field-required")
            ]
        );
    }

    #[test]
    fn every_built_message_id_is_translated_in_every_language() {
        use super::super::ml::{Algorithm, Diagnosis};
        use crate::i18n::Lang;
        let mut ids: Vec<String> = (0..FEATURE_COUNT).map(name_id).collect();
        assert_eq!(
            ids.iter().collect::<std::collections::HashSet<_>>().len(),
            FEATURE_COUNT
        );
        for algorithm in Algorithm::ALL {
            ids.push(format!("algorithm-{}", algorithm.slug()));
            ids.push(format!("algorithm-{}-description", algorithm.slug()));
        }
        for diagnosis in [Diagnosis::Malignant, Diagnosis::Benign] {
            ids.push(format!("diagnosis-{}", diagnosis.slug()));
        }
        ids.extend(["unit-pixel", "unit-square-pixel", "unit-grey-level"].map(String::from));
        for lang in Lang::ALL {
            for id in &ids {
                assert!(lang.t_exact(id).is_some(), "{id} missing in {lang}");
            }
        }
    }
}
