//! Gradient boosting: `forust-ml`'s histogram gradient-boosted trees with the log-loss
//! objective, trained sequentially (no thread pool) so results depend only on the seed.
//!
//! The booster is stored as forust's own JSON inside HUD's payload: its serde form relies on
//! JSON (a missing value is written as `null` and read back as NaN), so it does not survive a
//! compact binary encoding, while its JSON round trip is exact.

use std::fmt;

use forust_ml::data::Matrix;
use forust_ml::gradientbooster::{ContributionsMethod, GradientBooster, ImportanceMethod};
use serde::{Deserialize, Serialize};

use super::super::data::Row;
use super::super::features::FEATURE_COUNT;

/// Hyperparameters of the boosted ensemble.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GbParams {
    /// Number of trees (boosting rounds).
    pub iterations: usize,
    /// Shrinkage applied to each tree's leaf weights (forust computes in f32; kept f64 here so
    /// the recorded hyperparameters read 0.3, not 0.30000001192…).
    pub learning_rate: f64,
    /// Maximum depth of each tree.
    pub max_depth: usize,
    /// Share of the features each tree may use (column sampling), in (0, 1].
    pub max_features: f64,
}

impl Default for GbParams {
    /// Shallow trees with moderate shrinkage and half the features per tree: the usual robust
    /// starting point for a few hundred samples.
    fn default() -> Self {
        GbParams {
            iterations: 100,
            learning_rate: 0.1,
            max_depth: 3,
            max_features: 0.5,
        }
    }
}

/// A fitted booster; its raw output is the log-odds of malignancy.
#[derive(Serialize, Deserialize)]
pub struct Gbm {
    #[serde(with = "booster_json")]
    booster: GradientBooster,
}

impl fmt::Debug for Gbm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gbm")
            .field("trees", &self.booster.trees.len())
            .finish()
    }
}

impl Gbm {
    pub fn fit(
        rows: &[Row],
        labels: &[bool],
        params: &GbParams,
        seed: u64,
    ) -> Result<Self, String> {
        // forust takes a column-major matrix.
        let mut columns = Vec::with_capacity(rows.len() * FEATURE_COUNT);
        for j in 0..FEATURE_COUNT {
            columns.extend(rows.iter().map(|r| r[j]));
        }
        let matrix = Matrix::new(&columns, rows.len(), FEATURE_COUNT);
        let y: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
        let mut booster = GradientBooster::default()
            .set_iterations(params.iterations)
            .set_learning_rate(params.learning_rate as f32)
            .set_max_depth(params.max_depth)
            .set_colsample_bytree(params.max_features)
            .set_seed(seed)
            .set_parallel(false);
        booster
            .fit_unweighted(&matrix, &y, None)
            .map_err(|e| e.to_string())?;
        Ok(Gbm { booster })
    }

    /// Log-odds of malignancy.
    pub fn log_odds(&self, row: &Row) -> f64 {
        // One row in column-major order is the row itself.
        let matrix = Matrix::new(&row[..], 1, FEATURE_COUNT);
        self.booster
            .predict(&matrix, false)
            .first()
            .copied()
            .unwrap_or(f64::NAN)
    }

    /// Total split gain per feature, normalised to sum 1.
    pub fn importances(&self) -> Vec<f64> {
        let gains = self
            .booster
            .calculate_feature_importance(ImportanceMethod::TotalGain, false);
        let mut out = vec![0.0; FEATURE_COUNT];
        for (feature, gain) in gains {
            if let Some(slot) = out.get_mut(feature) {
                *slot = f64::from(gain);
            }
        }
        super::normalise(out)
    }

    /// Exact TreeSHAP values per feature, in log-odds (they add up, with the base value, to
    /// the model's output).
    pub fn contributions(&self, row: &Row) -> Vec<f64> {
        let matrix = Matrix::new(&row[..], 1, FEATURE_COUNT);
        let mut values =
            self.booster
                .predict_contributions(&matrix, ContributionsMethod::Shapley, false);
        values.truncate(FEATURE_COUNT);
        values
    }

    /// Whether every tree only refers to existing features and nodes, further down the tree,
    /// so prediction cannot index out of bounds or loop (model files come from outside).
    pub fn is_sane(&self) -> bool {
        let trees = &self.booster.trees;
        !trees.is_empty()
            && self
                .booster
                .prediction_iteration
                .is_none_or(|n| n <= trees.len())
            && trees.iter().all(|tree| {
                let n = tree.nodes.len();
                n > 0
                    && tree.nodes.iter().enumerate().all(|(i, node)| {
                        node.is_leaf
                            || (node.split_feature < FEATURE_COUNT
                                && [node.left_child, node.right_child, node.missing_node]
                                    .iter()
                                    .all(|&c| c > i && c < n))
                    })
            })
    }
}

/// (De)serialise a booster as forust's JSON string.
mod booster_json {
    use forust_ml::gradientbooster::GradientBooster;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};

    pub fn serialize<S: Serializer>(booster: &GradientBooster, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&booster.json_dump().map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<GradientBooster, D::Error> {
        let json = String::deserialize(d)?;
        GradientBooster::from_json(&json).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::data::Dataset;
    use super::*;

    #[test]
    fn shapley_values_and_base_add_up_to_the_log_odds() {
        let data = Dataset::wdbc();
        let params = GbParams {
            iterations: 20,
            ..GbParams::default()
        };
        let model = Gbm::fit(&data.rows, &data.positives(), &params, 1).expect("fit");
        assert!(model.is_sane());
        assert_eq!(model.booster.trees.len(), 20);
        for row in data.rows.iter().step_by(43) {
            let matrix = Matrix::new(&row[..], 1, FEATURE_COUNT);
            let all =
                model
                    .booster
                    .predict_contributions(&matrix, ContributionsMethod::Shapley, false);
            assert_eq!(
                all.len(),
                FEATURE_COUNT + 1,
                "30 features and the base value"
            );
            let sum: f64 = all.iter().sum();
            assert!(
                (sum - model.log_odds(row)).abs() < 1e-4,
                "{sum} vs {}",
                model.log_odds(row)
            );
            assert_eq!(model.contributions(row), all[..FEATURE_COUNT]);
        }
    }
}
