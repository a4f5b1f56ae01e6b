//! A trained model and its predictions.

use serde::{Deserialize, Serialize};

use super::algorithm::Algorithm;
use super::data::{Diagnosis, Row};
use super::learners::Fitted;

/// How many contributions a prediction reports (the largest by absolute value).
pub const TOP_CONTRIBUTIONS: usize = 5;

/// The outcome for one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Malignant when `probability_malignant ≥ 0.5`.
    pub diagnosis: Diagnosis,
    /// The model's probability that the sample is malignant, in 0..=1: the logistic of the
    /// log-odds (gradient boosting, logistic regression), the share of malignant votes (random
    /// forest, k-NN), or the Platt-calibrated decision value (SVC).
    pub probability_malignant: f64,
    /// Up to five `(feature index, contribution)` pairs, largest |contribution| first; positive
    /// values push towards malignant. Log-odds for gradient boosting (TreeSHAP) and logistic
    /// regression (coefficient × standardised value); probability for the random forest
    /// (Saabas path attribution). `None` for SVC and k-NN, which have no faithful per-feature
    /// decomposition.
    pub contributions: Option<Vec<(usize, f64)>>,
}

/// A trained model. Build one with [`super::train`] or [`Model::from_bytes`].
#[derive(Debug)]
pub struct Model {
    pub(crate) fitted: Fitted,
    /// The encoded learner, computed once: the file bytes of a model never change, and a model
    /// read from a file writes back the very same bytes.
    pub(crate) payload: Vec<u8>,
}

impl Model {
    /// The algorithm that produced this model.
    pub fn algorithm(&self) -> Algorithm {
        self.fitted.algorithm()
    }

    /// Predict one (validated) sample.
    pub fn predict(&self, row: &Row) -> Prediction {
        let probability_malignant = self.fitted.probability(row).clamp(0.0, 1.0);
        let contributions = self.fitted.contributions(row).map(|values| {
            let mut pairs: Vec<(usize, f64)> = values.into_iter().enumerate().collect();
            pairs.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
            pairs.truncate(TOP_CONTRIBUTIONS);
            pairs
        });
        Prediction {
            diagnosis: Diagnosis::from_malignant(probability_malignant >= 0.5),
            probability_malignant,
            contributions,
        }
    }

    /// Normalised (sum 1) importance of each of the 30 features: total split gain (gradient
    /// boosting), mean decrease in Gini impurity (random forest), |coefficient| on standardised
    /// features (logistic regression); `None` for SVC and k-NN.
    pub fn feature_importances(&self) -> Option<Vec<f64>> {
        self.fitted.importances()
    }
}
