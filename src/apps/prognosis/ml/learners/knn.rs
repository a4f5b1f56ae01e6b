//! k-nearest neighbours on standardised features: `smartcore`'s `KNNClassifier` (exhaustive
//! search, Euclidean distance, uniform votes), stored whole with its scaler.
//!
//! Exhaustive search over 569 samples takes microseconds and, unlike the cover tree, breaks
//! distance ties in one fixed order. The probability is the share of malignant neighbours.
//!
//! smartcore's classifier unwraps its fields and panics on rows of the wrong length, so a
//! decoded model is checked through its serde form (see [`mirror`]) before it is used.

use serde::{Deserialize, Serialize};
use smartcore::algorithm::neighbour::KNNAlgorithmName;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::metrics::distance::euclidian::Euclidian;
use smartcore::neighbors::KNNWeightFunction;
use smartcore::neighbors::knn_classifier::{KNNClassifier, KNNClassifierParameters};

use super::super::data::Row;
use super::super::features::FEATURE_COUNT;
use super::super::scaler::Scaler;

/// Hyperparameters of k-NN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KnnParams {
    /// Number of neighbours that vote; odd, so a vote cannot tie.
    pub k: usize,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { k: 9 }
    }
}

type Classifier = KNNClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>, Euclidian<f64>>;

/// A fitted k-NN model (the standardised training samples and their labels).
#[derive(Debug, Serialize, Deserialize)]
pub struct Knn {
    scaler: Scaler,
    classifier: Classifier,
}

impl Knn {
    pub fn fit(rows: &[Row], labels: &[bool], params: &KnnParams) -> Result<Self, String> {
        if !(labels.contains(&true) && labels.contains(&false)) {
            return Err("k-NN needs both classes".into());
        }
        let scaler = Scaler::fit(rows);
        let flat: Vec<f64> = scaler.transform_all(rows).into_iter().flatten().collect();
        let x =
            DenseMatrix::new(rows.len(), FEATURE_COUNT, flat, false).map_err(|e| e.to_string())?;
        let y: Vec<u32> = labels.iter().map(|&l| u32::from(l)).collect();
        let parameters = KNNClassifierParameters::default()
            .with_k(params.k)
            .with_algorithm(KNNAlgorithmName::LinearSearch)
            .with_weight(KNNWeightFunction::Uniform);
        let classifier = KNNClassifier::fit(&x, &y, parameters).map_err(|e| e.to_string())?;
        Ok(Knn { scaler, classifier })
    }

    /// Share of malignant neighbours; NaN only if the model is broken (k larger than the
    /// stored samples), which loading rules out.
    pub fn probability(&self, row: &Row) -> f64 {
        let z = self.scaler.transform(row);
        let Ok(x) = DenseMatrix::new(1, FEATURE_COUNT, z.to_vec(), false) else {
            return f64::NAN;
        };
        // Classes are sorted, so index 1 is class 1 (malignant).
        self.classifier
            .predict_proba(&x)
            .ok()
            .and_then(|p| p.first().and_then(|p| p.get(1)).copied())
            .unwrap_or(f64::NAN)
    }

    pub fn is_sane(&self) -> bool {
        self.scaler.is_sane()
            && serde_json::to_value(&self.classifier)
                .and_then(serde_json::from_value::<mirror::Classifier>)
                .is_ok_and(|m| m.is_sane())
    }
}

/// The part of smartcore 0.7's serde form of a k-NN classifier that prediction relies on.
mod mirror {
    use serde::Deserialize;
    use serde::de::IgnoredAny;

    use super::FEATURE_COUNT;

    #[derive(Deserialize)]
    pub struct Classifier {
        classes: Option<Vec<u32>>,
        y: Option<Vec<usize>>,
        knn_algorithm: Option<Search>,
        weight: Option<IgnoredAny>,
        k: Option<usize>,
    }

    /// Only exhaustive search is accepted: a cover tree fails to deserialise.
    #[derive(Deserialize)]
    enum Search {
        LinearSearch { data: Vec<Vec<f64>> },
    }

    impl Classifier {
        /// Both classes, one label per sample, 30 finite features per sample, 1 ≤ k ≤ samples.
        pub fn is_sane(&self) -> bool {
            let (Some(classes), Some(y), Some(Search::LinearSearch { data }), Some(_), Some(k)) = (
                &self.classes,
                &self.y,
                &self.knn_algorithm,
                &self.weight,
                self.k,
            ) else {
                return false;
            };
            classes == &[0, 1]
                && y.len() == data.len()
                && y.iter().all(|&c| c < 2)
                && (1..=data.len()).contains(&k)
                && data
                    .iter()
                    .all(|r| r.len() == FEATURE_COUNT && r.iter().all(|v| v.is_finite()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::data::Dataset;
    use super::*;

    /// The model with its classifier's serde form edited by `edit`.
    fn edited(model: &Knn, edit: impl Fn(&mut serde_json::Value)) -> Knn {
        let mut form = serde_json::to_value(&model.classifier).expect("serialise");
        edit(&mut form);
        Knn {
            scaler: model.scaler.clone(),
            classifier: serde_json::from_value(form).expect("still a classifier"),
        }
    }

    #[test]
    fn decoded_models_that_would_panic_or_fail_are_refused() {
        let data = Dataset::wdbc();
        let model = Knn::fit(&data.rows, &data.positives(), &KnnParams::default()).expect("fit");
        assert!(model.is_sane());
        assert!(edited(&model, |_| {}).is_sane());
        assert!(!edited(&model, |f| f["k"] = 10_000.into()).is_sane());
        assert!(!edited(&model, |f| f["k"] = 0.into()).is_sane());
        assert!(!edited(&model, |f| f["weight"] = serde_json::Value::Null).is_sane());
        let short_row = |f: &mut serde_json::Value| {
            if let Some(row) = f["knn_algorithm"]["LinearSearch"]["data"][3].as_array_mut() {
                row.pop();
            }
        };
        assert!(!edited(&model, short_row).is_sane());
        let missing_label = |f: &mut serde_json::Value| {
            if let Some(y) = f["y"].as_array_mut() {
                y.pop();
            }
        };
        assert!(!edited(&model, missing_label).is_sane());
    }
}
