//! Support vector classifier with a Gaussian (RBF) kernel: `linfa-svm` on standardised features,
//! with Platt scaling for probabilities.
//!
//! linfa-svm is used rather than smartcore's SVC because smartcore's panics when predicting
//! after deserialisation. The kernel is exp(−γ‖x − x′‖²); γ = 1/30 (one over the number of
//! standardised features) is scikit-learn's `gamma="scale"` for unit-variance data. linfa can
//! fit its own Platt curve, but only on the training decision values, which are over-confident;
//! HUD fits it on out-of-fold decision values instead (see `platt.rs` and `train.rs`).

use linfa::dataset::Dataset as LinfaDataset;
use linfa::traits::Fit;
use linfa_svm::Svm;
use ndarray::{Array1, Array2, ArrayView1};
use serde::{Deserialize, Serialize};

use super::super::data::Row;
use super::super::features::FEATURE_COUNT;
use super::super::platt::Platt;
use super::super::scaler::Scaler;

/// Hyperparameters of the SVC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SvcParams {
    /// Penalty for margin violations.
    pub c: f64,
    /// Kernel width: exp(−gamma·‖x − x′‖²).
    pub gamma: f64,
}

impl Default for SvcParams {
    fn default() -> Self {
        SvcParams {
            c: 1.0,
            gamma: 1.0 / FEATURE_COUNT as f64,
        }
    }
}

/// A fitted SVC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Svc {
    scaler: Scaler,
    svm: Svm<f64, bool>,
    /// Maps decision values to probabilities; set from out-of-fold values after
    /// cross-validation (until then a plain sigmoid of the decision value).
    platt: Platt,
}

impl Svc {
    pub fn fit(rows: &[Row], labels: &[bool], params: &SvcParams) -> Result<Self, String> {
        let scaler = Scaler::fit(rows);
        let flat: Vec<f64> = scaler.transform_all(rows).into_iter().flatten().collect();
        let records =
            Array2::from_shape_vec((rows.len(), FEATURE_COUNT), flat).map_err(|e| e.to_string())?;
        let targets = Array1::from(labels.to_vec());
        let data = LinfaDataset::new(records, targets);
        let svm = Svm::<f64, bool>::params()
            .pos_neg_weights(params.c, params.c)
            .gaussian_kernel(1.0 / params.gamma)
            .fit(&data)
            .map_err(|e| e.to_string())?;
        Ok(Svc {
            scaler,
            svm,
            platt: Platt { a: -1.0, b: 0.0 },
        })
    }

    /// Signed distance-like score: positive means malignant.
    pub fn decision(&self, row: &Row) -> f64 {
        let z = self.scaler.transform(row);
        self.svm.weighted_sum(&ArrayView1::from(&z[..])) - self.svm.rho
    }

    pub fn probability(&self, row: &Row) -> f64 {
        self.platt.probability(self.decision(row))
    }

    pub fn set_platt(&mut self, platt: Platt) {
        self.platt = platt;
    }

    pub fn is_sane(&self) -> bool {
        self.scaler.is_sane() && self.platt.a.is_finite() && self.platt.b.is_finite()
    }
}
