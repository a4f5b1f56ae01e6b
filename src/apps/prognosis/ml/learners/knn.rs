//! k-nearest neighbours on standardised features: `smartcore`'s `KNNClassifier` (exhaustive
//! search, Euclidean distance, uniform votes), stored whole with its scaler.
//!
//! Exhaustive search over 569 samples takes microseconds and, unlike the cover tree, breaks
//! distance ties in one fixed order. The probability is the share of malignant neighbours.

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
    }
}
