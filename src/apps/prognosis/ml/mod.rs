//! The prognosis sub-app's machine-learning core: pure functions and types, no database, web or
//! CLI.
//!
//! - [`Dataset::wdbc`] loads the Wisconsin Diagnostic Breast Cancer data (569 × 30);
//!   [`FEATURES`] names the 30 features with units and valid ranges, and [`validate`] checks
//!   typed values against them.
//! - [`train`] cross-validates one [`Algorithm`] (stratified k-fold, seeded) and fits the final
//!   model, returning [`Metrics`] and the [`Model`]; [`cross_validation`] runs the same
//!   cross-validation alone (for `hud ml cv` and the scikit-learn parity benchmark).
//! - [`Model::to_bytes`] / [`Model::from_bytes`] write and read HUD's checksummed model file
//!   ([`file`] documents the layout); [`Model::predict`] gives a [`Prediction`].
//!
//! The positive class is malignant everywhere.

mod algorithm;
mod data;
mod features;
pub mod file;
mod folds;
pub mod grid;
mod importance;
mod learners;
mod metrics;
mod model;
mod platt;
mod scaler;
mod train;

#[cfg(test)]
mod tests;

pub use algorithm::{
    Algorithm, GRADIENT_BOOSTING_DESCRIPTION, KNN_DESCRIPTION, LOGISTIC_REGRESSION_DESCRIPTION,
    RANDOM_FOREST_DESCRIPTION, SVC_DESCRIPTION, UnknownAlgorithm,
};
pub use data::{Dataset, Diagnosis, Row};
pub use features::{FEATURE_COUNT, FEATURES, Feature, FeatureError, Unit, validate};
pub use file::{FORMAT_VERSION, MAGIC, ModelFileError};
pub use folds::FoldError;
pub use metrics::{Metrics, ROC_POINTS, RocPoint};
pub use model::{Model, Prediction, TOP_CONTRIBUTIONS};
pub use train::{
    CrossValidation, TrainError, TrainOptions, Trained, cross_validation, stratified_folds, train,
};
