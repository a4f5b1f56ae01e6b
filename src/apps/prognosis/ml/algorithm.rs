//! The learning algorithms a staff member can train a model with: CLI slugs and English
//! descriptions (the web layer translates them; these are the source text).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A learning algorithm. The slug (`gradient-boosting`, …) names it on the command line, in
/// model files and in serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    GradientBoosting,
    RandomForest,
    Svc,
    Knn,
    LogisticRegression,
}

/// English description of gradient boosting.
pub const GRADIENT_BOOSTING_DESCRIPTION: &str = "Gradient boosting builds a sequence of small \
decision trees, each one trained to correct the errors the previous ones still make, and adds \
their votes up on the log-odds scale. It captures interactions and thresholds between \
measurements, is usually among the most accurate methods on tabular data, and reports how much \
each measurement contributed to a particular prediction.";

/// English description of the random forest.
pub const RANDOM_FOREST_DESCRIPTION: &str = "A random forest trains many deep decision trees, \
each on a random resample of the training samples and considering a random subset of the \
measurements at every split, and lets them vote. The share of trees voting malignant is the \
probability. It needs no scaling of the measurements and is robust to outliers.";

/// English description of the support vector classifier.
pub const SVC_DESCRIPTION: &str = "A support vector classifier with a Gaussian (RBF) kernel \
looks for the boundary between benign and malignant samples that keeps the widest margin to \
both groups, allowing a curved boundary. Measurements are standardised first. Its raw output is \
a distance to the boundary, turned into a probability by a calibration curve (Platt scaling) \
fitted on cross-validated outputs.";

/// English description of k-nearest neighbours.
pub const KNN_DESCRIPTION: &str = "k-nearest neighbours compares a sample with every training \
sample and looks at the few most similar ones (after standardising the measurements so each \
counts equally). The share of those neighbours that are malignant is the probability. It is \
simple and makes no assumption about the shape of the boundary, but it explains little.";

/// English description of logistic regression.
pub const LOGISTIC_REGRESSION_DESCRIPTION: &str = "Logistic regression weighs each standardised \
measurement with a learned coefficient, adds the weighted values up and turns the sum into a \
probability with the logistic curve. It is fast, well calibrated and easy to explain: each \
measurement's contribution to a prediction is its coefficient times its standardised value.";

impl Algorithm {
    /// Every algorithm, in display order.
    pub const ALL: [Algorithm; 5] = [
        Algorithm::GradientBoosting,
        Algorithm::RandomForest,
        Algorithm::Svc,
        Algorithm::Knn,
        Algorithm::LogisticRegression,
    ];

    /// The CLI / file-format slug.
    pub fn slug(self) -> &'static str {
        match self {
            Algorithm::GradientBoosting => "gradient-boosting",
            Algorithm::RandomForest => "random-forest",
            Algorithm::Svc => "svc",
            Algorithm::Knn => "knn",
            Algorithm::LogisticRegression => "logistic-regression",
        }
    }

    /// A one-paragraph English description for staff.
    pub fn description(self) -> &'static str {
        match self {
            Algorithm::GradientBoosting => GRADIENT_BOOSTING_DESCRIPTION,
            Algorithm::RandomForest => RANDOM_FOREST_DESCRIPTION,
            Algorithm::Svc => SVC_DESCRIPTION,
            Algorithm::Knn => KNN_DESCRIPTION,
            Algorithm::LogisticRegression => LOGISTIC_REGRESSION_DESCRIPTION,
        }
    }

    /// Whether the features are standardised before this algorithm sees them (distance- and
    /// margin-based methods and penalised regression depend on the features' scales).
    pub fn needs_scaling(self) -> bool {
        matches!(
            self,
            Algorithm::Svc | Algorithm::Knn | Algorithm::LogisticRegression
        )
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// An unknown algorithm slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown algorithm {0:?} (expected gradient-boosting, random-forest, svc, knn or logistic-regression)"
)]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.slug() == s)
            .ok_or_else(|| UnknownAlgorithm(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_through_from_str_display_and_serde() {
        for a in Algorithm::ALL {
            assert_eq!(a.slug().parse::<Algorithm>(), Ok(a));
            assert_eq!(a.to_string(), a.slug());
            assert_eq!(
                serde_json::to_string(&a).ok(),
                Some(format!("\"{}\"", a.slug()))
            );
            assert!(a.description().len() > 100);
        }
        assert!("gbm".parse::<Algorithm>().is_err());
        assert!("SVC".parse::<Algorithm>().is_err());
    }
}
