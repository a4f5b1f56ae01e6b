//! Logistic regression on standardised features, fitted by `smartcore` (L-BFGS with an L2
//! penalty) and kept as HUD's own coefficient vector.
//!
//! The L2 penalty matters here: the data are almost linearly separable, and unpenalised
//! coefficients grow without bound. smartcore minimises log-loss + ½·alpha·‖w‖², so alpha = 1
//! matches scikit-learn's default C = 1. Contributions are coefficient × standardised value, in
//! log-odds: they add up, with the intercept, to the model's log-odds.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};

use super::super::data::Row;
use super::super::features::FEATURE_COUNT;
use super::super::scaler::Scaler;

/// Hyperparameters of logistic regression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LrParams {
    /// L2 penalty weight (1 / C).
    pub alpha: f64,
}

impl Default for LrParams {
    fn default() -> Self {
        LrParams { alpha: 1.0 }
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    scaler: Scaler,
    coefficients: Row,
    intercept: f64,
}

impl Logistic {
    pub fn fit(rows: &[Row], labels: &[bool], params: &LrParams) -> Result<Self, String> {
        let scaler = Scaler::fit(rows);
        let flat: Vec<f64> = scaler.transform_all(rows).into_iter().flatten().collect();
        let x =
            DenseMatrix::new(rows.len(), FEATURE_COUNT, flat, false).map_err(|e| e.to_string())?;
        let y: Vec<u32> = labels.iter().map(|&l| u32::from(l)).collect();
        let parameters = LogisticRegressionParameters::default().with_alpha(params.alpha);
        let fitted = LogisticRegression::fit(&x, &y, parameters).map_err(|e| e.to_string())?;
        // With classes [0, 1] smartcore's binary coefficients are those of class 1 (malignant).
        if fitted.classes() != &[0, 1] {
            return Err("logistic regression needs both classes".into());
        }
        let coefficients = std::array::from_fn(|j| *fitted.coefficients().get((0, j)));
        let intercept = *fitted.intercept().get((0, 0));
        Ok(Logistic {
            scaler,
            coefficients,
            intercept,
        })
    }

    /// Log-odds of malignancy.
    pub fn log_odds(&self, row: &Row) -> f64 {
        let z = self.scaler.transform(row);
        self.intercept
            + z.iter()
                .zip(&self.coefficients)
                .map(|(z, w)| z * w)
                .sum::<f64>()
    }

    /// |coefficient| per feature, normalised (comparable because the features are standardised).
    pub fn importances(&self) -> Vec<f64> {
        super::normalise(self.coefficients.iter().map(|w| w.abs()).collect())
    }

    /// Coefficient × standardised value, in log-odds.
    pub fn contributions(&self, row: &Row) -> Vec<f64> {
        let z = self.scaler.transform(row);
        z.iter()
            .zip(&self.coefficients)
            .map(|(z, w)| z * w)
            .collect()
    }

    pub fn is_sane(&self) -> bool {
        self.scaler.is_sane()
            && self.intercept.is_finite()
            && self.coefficients.iter().all(|w| w.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::data::Dataset;
    use super::*;

    #[test]
    fn contributions_and_intercept_add_up_to_the_log_odds() {
        let data = Dataset::wdbc();
        let model =
            Logistic::fit(&data.rows, &data.positives(), &LrParams::default()).expect("fit");
        for row in data.rows.iter().step_by(41) {
            let sum: f64 = model.contributions(row).iter().sum();
            assert!((model.intercept + sum - model.log_odds(row)).abs() < 1e-9);
        }
        // Larger worst radius and concave points mean malignancy: positive coefficients.
        assert!(model.coefficients[20] > 0.0 && model.coefficients[27] > 0.0);
    }
}
