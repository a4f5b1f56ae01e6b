//! The 30 WDBC features: names, units and the range a typed value must fall in.
//!
//! Each feature describes the cell nuclei in a digitised image of a fine-needle aspirate: ten
//! measurements (radius, texture, …), each as the mean over the nuclei, its standard error and
//! the "worst" value (mean of the three largest). Lengths are in image pixels: the source data
//! gives no calibration to micrometres, so claiming µm would be made up.
//!
//! The valid ranges are derived from the data with a wide margin: the lower bound is half the
//! smallest observed value and the upper bound 1.5 × the largest, both rounded outwards to two
//! significant digits. They catch typos and unit mix-ups (an area typed in µm², a misplaced
//! decimal point) without refusing a plausible new sample. A test checks every sample of the
//! data set lies inside them.

use super::data::Row;

/// Number of features of every sample and model.
pub const FEATURE_COUNT: usize = 30;

/// The unit of a feature's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Image pixels (radius, perimeter).
    Pixel,
    /// Square image pixels (area).
    SquarePixel,
    /// Grey levels of the 8-bit image (texture is their standard deviation).
    GreyLevel,
    /// A ratio or shape measure without unit.
    Unitless,
}

impl Unit {
    /// Short symbol for display next to a value; empty when unitless.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Pixel => "px",
            Unit::SquarePixel => "px²",
            Unit::GreyLevel => "grey levels",
            Unit::Unitless => "",
        }
    }
}

/// One feature column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// English name as in the data set (`mean radius`, …, `worst fractal dimension`).
    pub name: &'static str,
    pub unit: Unit,
    /// Smallest accepted value (inclusive).
    pub min: f64,
    /// Largest accepted value (inclusive).
    pub max: f64,
}

const fn feature(name: &'static str, unit: Unit, min: f64, max: f64) -> Feature {
    Feature {
        name,
        unit,
        min,
        max,
    }
}

use Unit::{GreyLevel, Pixel, SquarePixel, Unitless};

/// The features in the data set's column order: 10 means, 10 standard errors, 10 worst values.
pub static FEATURES: [Feature; FEATURE_COUNT] = [
    feature("mean radius", Pixel, 3.4, 43.0),
    feature("mean texture", GreyLevel, 4.8, 59.0),
    feature("mean perimeter", Pixel, 21.0, 290.0),
    feature("mean area", SquarePixel, 71.0, 3800.0),
    feature("mean smoothness", Unitless, 0.026, 0.25),
    feature("mean compactness", Unitless, 0.0096, 0.52),
    feature("mean concavity", Unitless, 0.0, 0.65),
    feature("mean concave points", Unitless, 0.0, 0.31),
    feature("mean symmetry", Unitless, 0.053, 0.46),
    feature("mean fractal dimension", Unitless, 0.024, 0.15),
    feature("radius error", Pixel, 0.055, 4.4),
    feature("texture error", GreyLevel, 0.18, 7.4),
    feature("perimeter error", Pixel, 0.37, 33.0),
    feature("area error", SquarePixel, 3.4, 820.0),
    feature("smoothness error", Unitless, 0.00085, 0.047),
    feature("compactness error", Unitless, 0.0011, 0.21),
    feature("concavity error", Unitless, 0.0, 0.6),
    feature("concave points error", Unitless, 0.0, 0.08),
    feature("symmetry error", Unitless, 0.0039, 0.12),
    feature("fractal dimension error", Unitless, 0.00044, 0.045),
    feature("worst radius", Pixel, 3.9, 55.0),
    feature("worst texture", GreyLevel, 6.0, 75.0),
    feature("worst perimeter", Pixel, 25.0, 380.0),
    feature("worst area", SquarePixel, 92.0, 6400.0),
    feature("worst smoothness", Unitless, 0.035, 0.34),
    feature("worst compactness", Unitless, 0.013, 1.6),
    feature("worst concavity", Unitless, 0.0, 1.9),
    feature("worst concave points", Unitless, 0.0, 0.44),
    feature("worst symmetry", Unitless, 0.078, 1.0),
    feature("worst fractal dimension", Unitless, 0.027, 0.32),
];

/// Why typed feature values were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeatureError {
    #[error("expected {FEATURE_COUNT} feature values, got {0}")]
    WrongLength(usize),
    #[error("feature {index} ({}) is not a finite number", name(*index))]
    NotFinite { index: usize },
    #[error(
        "feature {index} ({}) is {value}, outside the valid range {}–{}",
        name(*index), FEATURES.get(*index).map_or(f64::NAN, |f| f.min),
        FEATURES.get(*index).map_or(f64::NAN, |f| f.max)
    )]
    OutOfRange { index: usize, value: f64 },
}

/// A feature's name, tolerating an index from a hand-made error.
fn name(index: usize) -> &'static str {
    FEATURES.get(index).map_or("unknown feature", |f| f.name)
}

impl FeatureError {
    /// The offending feature's index, if one feature is to blame.
    pub fn index(&self) -> Option<usize> {
        match self {
            FeatureError::WrongLength(_) => None,
            FeatureError::NotFinite { index } | FeatureError::OutOfRange { index, .. } => {
                Some(*index)
            }
        }
    }
}

/// Check typed values: exactly 30, all finite, each inside its feature's range. The first
/// offending feature (lowest index) is reported.
pub fn validate(values: &[f64]) -> Result<Row, FeatureError> {
    let row: Row = values
        .try_into()
        .map_err(|_| FeatureError::WrongLength(values.len()))?;
    for (index, (&value, feature)) in row.iter().zip(&FEATURES).enumerate() {
        if !value.is_finite() {
            return Err(FeatureError::NotFinite { index });
        }
        if value < feature.min || value > feature.max {
            return Err(FeatureError::OutOfRange { index, value });
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::super::data::Dataset;
    use super::*;

    #[test]
    fn names_follow_the_data_sets_column_order() {
        let names = smartcore::dataset::breast_cancer::load_dataset().feature_names;
        let ours: Vec<_> = FEATURES.iter().map(|f| f.name).collect();
        assert_eq!(ours, names);
    }

    #[test]
    fn every_sample_of_the_data_set_is_valid() {
        for (i, row) in Dataset::wdbc().rows.iter().enumerate() {
            assert_eq!(validate(row).as_ref(), Ok(row), "sample {i}");
        }
        for f in &FEATURES {
            assert!(f.min >= 0.0 && f.min < f.max, "{}", f.name);
        }
    }

    #[test]
    fn refuses_wrong_length() {
        assert_eq!(validate(&[1.0; 29]), Err(FeatureError::WrongLength(29)));
        assert_eq!(validate(&[]), Err(FeatureError::WrongLength(0)));
        assert_eq!(validate(&[1.0; 31]), Err(FeatureError::WrongLength(31)));
    }

    #[test]
    fn refuses_nan_and_infinity_naming_the_feature() {
        let mut row = Dataset::wdbc().rows[0];
        row[7] = f64::NAN;
        assert_eq!(validate(&row), Err(FeatureError::NotFinite { index: 7 }));
        row[7] = 0.1;
        row[12] = f64::INFINITY;
        let err = validate(&row).unwrap_err();
        assert_eq!(err.index(), Some(12));
        assert!(err.to_string().contains("perimeter error"), "{err}");
    }

    #[test]
    fn refuses_values_outside_the_range() {
        let mut row = Dataset::wdbc().rows[0];
        row[3] = 10_000.0; // mean area typed in the wrong unit
        assert_eq!(
            validate(&row),
            Err(FeatureError::OutOfRange {
                index: 3,
                value: 10_000.0
            })
        );
        row[3] = 1000.0;
        row[0] = -1.0;
        let err = validate(&row).unwrap_err();
        assert_eq!(err.index(), Some(0));
        assert!(err.to_string().contains("mean radius"), "{err}");
    }
}
