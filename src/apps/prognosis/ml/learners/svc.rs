//! Support vector classifier with a Gaussian (RBF) kernel: `linfa-svm` on standardised features,
//! with Platt scaling for probabilities.
//!
//! linfa-svm is used rather than smartcore's SVC because smartcore's panics when predicting
//! after deserialisation. The kernel is exp(−γ‖x − x′‖²); γ = 1/30 (one over the number of
//! standardised features) is scikit-learn's `gamma="scale"` for unit-variance data. linfa can
//! fit its own Platt curve, but only on the training decision values, which are over-confident;
//! HUD fits it on out-of-fold decision values instead (see `platt.rs` and `train.rs`).
//!
//! linfa panics when a linear hyperplane's length differs from the sample's, so a decoded model
//! is checked through its serde form (see [`mirror`]) before it is used.

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
        self.scaler.is_sane()
            && self.platt.a.is_finite()
            && self.platt.b.is_finite()
            && serde_json::to_value(&self.svm)
                .and_then(serde_json::from_value::<mirror::Svm>)
                .is_ok_and(|m| m.is_sane())
    }
}

/// The part of linfa-svm 0.8's serde form of a fitted SVM that prediction relies on.
mod mirror {
    use serde::Deserialize;

    use super::FEATURE_COUNT;

    #[derive(Deserialize)]
    pub struct Svm {
        alpha: Vec<f64>,
        rho: f64,
        kernel_method: Kernel,
        sep_hyperplane: Hyperplane,
    }

    /// Only the Gaussian kernel is accepted: another kernel fails to deserialise.
    #[derive(Deserialize)]
    enum Kernel {
        Gaussian(f64),
    }

    /// Only support vectors are accepted (linfa writes `Linear` for linear kernels only).
    #[derive(Deserialize)]
    enum Hyperplane {
        WeightedCombination(Array),
    }

    /// ndarray's serde form (`data` length is checked against `dim` by ndarray itself).
    #[derive(Deserialize)]
    struct Array {
        dim: Vec<usize>,
    }

    impl Svm {
        /// A Gaussian kernel of positive finite width over 30-feature support vectors.
        pub fn is_sane(&self) -> bool {
            let Kernel::Gaussian(eps) = self.kernel_method;
            let Hyperplane::WeightedCombination(vectors) = &self.sep_hyperplane;
            eps.is_finite()
                && eps > 0.0
                && self.rho.is_finite()
                && self.alpha.iter().all(|a| a.is_finite())
                && matches!(vectors.dim[..], [_, FEATURE_COUNT])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::data::Dataset;
    use super::*;

    #[test]
    fn decoded_models_with_another_kernel_or_shape_are_refused() {
        let data = Dataset::wdbc();
        let rows = &data.rows[..200];
        let labels = &data.positives()[..200];
        let model = Svc::fit(rows, labels, &SvcParams::default()).expect("fit");
        assert!(model.is_sane());
        // Positive decision values mean malignant.
        let hits = rows
            .iter()
            .zip(labels)
            .filter(|(r, l)| (model.decision(r) >= 0.0) == **l)
            .count();
        assert!(hits > 190, "{hits}");
        let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut form = serde_json::to_value(&model.svm).expect("serialise");
            edit(&mut form);
            Svc {
                svm: serde_json::from_value(form).expect("still an SVM"),
                ..model.clone()
            }
        };
        assert!(edited(&|_| {}).is_sane());
        assert!(!edited(&|f| f["kernel_method"] = serde_json::json!("Linear")).is_sane());
        assert!(!edited(&|f| f["kernel_method"] = serde_json::json!({"Gaussian": 0.0})).is_sane());
        let linear = |f: &mut serde_json::Value| {
            f["sep_hyperplane"] =
                serde_json::json!({"Linear": {"v": 1, "dim": [3], "data": [1.0, 2.0, 3.0]}});
        };
        assert!(!edited(&linear).is_sane());
    }
}
