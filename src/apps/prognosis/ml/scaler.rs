//! Standardisation (z-scores) for the algorithms that compare features on one scale.
//!
//! The scaler is fitted on the training rows only (in cross-validation: on the training folds)
//! and stored inside the model, so a prediction applies exactly the training transformation.

use serde::{Deserialize, Serialize};

use super::data::Row;
use super::features::FEATURE_COUNT;

/// Per-feature mean and standard deviation of the training rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    mean: Row,
    std: Row,
}

impl Scaler {
    /// Fit on `rows` (population standard deviation; a constant feature gets 1 so it maps to 0
    /// instead of dividing by zero).
    pub fn fit(rows: &[Row]) -> Self {
        let n = rows.len().max(1) as f64;
        let mut mean = [0.0; FEATURE_COUNT];
        let mut std = [0.0; FEATURE_COUNT];
        for j in 0..FEATURE_COUNT {
            mean[j] = rows.iter().map(|r| r[j]).sum::<f64>() / n;
            let var = rows.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n;
            std[j] = if var > 0.0 { var.sqrt() } else { 1.0 };
        }
        Scaler { mean, std }
    }

    /// The standardised form of `row`.
    pub fn transform(&self, row: &Row) -> Row {
        std::array::from_fn(|j| (row[j] - self.mean[j]) / self.std[j])
    }

    /// Every row standardised.
    pub fn transform_all(&self, rows: &[Row]) -> Vec<Row> {
        rows.iter().map(|r| self.transform(r)).collect()
    }

    /// Whether the scaler can be applied (a model file could hold anything).
    pub(crate) fn is_sane(&self) -> bool {
        self.mean.iter().all(|m| m.is_finite())
            && self.std.iter().all(|s| s.is_finite() && *s > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardises_to_zero_mean_unit_variance_and_survives_constant_features() {
        let rows: Vec<Row> = (0..10)
            .map(|i| std::array::from_fn(|j| if j == 5 { 3.0 } else { (i * (j + 1)) as f64 }))
            .collect();
        let scaler = Scaler::fit(&rows);
        assert!(scaler.is_sane());
        let z = scaler.transform_all(&rows);
        for j in 0..FEATURE_COUNT {
            let mean = z.iter().map(|r| r[j]).sum::<f64>() / 10.0;
            let var = z.iter().map(|r| r[j] * r[j]).sum::<f64>() / 10.0;
            assert!(mean.abs() < 1e-12);
            if j == 5 {
                assert_eq!(var, 0.0);
            } else {
                assert!((var - 1.0).abs() < 1e-12);
            }
        }
    }
}
