//! Grid search for gradient boosting: learning rate × max features (column sampling) × max
//! depth, with 100 trees each.
//!
//! Every candidate is cross-validated on the same folds. The winner has the highest mean CV
//! accuracy; ties — common, since accuracies are multiples of 1/57 per fold — go to the higher
//! pooled out-of-fold ROC AUC, and remaining ties to the earlier candidate in grid order (which
//! lists slower learning rates and shallower trees first, i.e. the more conservative model).

use serde_json::json;

use super::learners::Params;
use super::learners::gbm::GbParams;
use super::train::CvResult;

/// Learning rates tried.
pub const LEARNING_RATES: [f64; 3] = [0.05, 0.1, 0.3];
/// Shares of features per tree tried.
pub const MAX_FEATURES: [f64; 3] = [0.5, 0.8, 1.0];
/// Tree depths tried.
pub const MAX_DEPTHS: [usize; 3] = [2, 3, 5];

/// Every candidate, in grid order.
pub(crate) fn candidates() -> Vec<Params> {
    let mut out = Vec::new();
    for learning_rate in LEARNING_RATES {
        for max_depth in MAX_DEPTHS {
            for max_features in MAX_FEATURES {
                out.push(Params::GradientBoosting(GbParams {
                    learning_rate,
                    max_depth,
                    max_features,
                    ..GbParams::default()
                }));
            }
        }
    }
    out
}

/// Index of the winning candidate (see the module docs for the rule); `results` is non-empty.
pub(crate) fn best(results: &[CvResult]) -> usize {
    let mut best = 0;
    for (i, r) in results.iter().enumerate().skip(1) {
        let b = &results[best];
        if (r.accuracy_mean, r.roc_auc) > (b.accuracy_mean, b.roc_auc) {
            best = i;
        }
    }
    best
}

/// Every candidate's scores, for the record.
pub(crate) fn report(results: &[CvResult], best: usize) -> serde_json::Value {
    json!({
        "selection": "highest mean CV accuracy, then highest ROC AUC, then first in grid order",
        "chosen": best,
        "candidates": results
            .iter()
            .map(|r| json!({
                "hyperparameters": r.params,
                "accuracy_mean": r.accuracy_mean,
                "roc_auc": r.roc_auc,
            }))
            .collect::<Vec<_>>(),
    })
}
