//! Platt scaling: a sigmoid that turns an SVM decision value into a probability.
//!
//! P(malignant | f) = 1 / (1 + exp(A·f + B)), with A and B fitted by maximum likelihood on
//! decision values the SVM produced for samples it was *not* trained on (the out-of-fold values
//! of cross-validation), as Platt recommends; fitting on training decision values would make
//! the probabilities over-confident. The fit is the Newton method with backtracking of Lin, Lin
//! & Weng, "A note on Platt's probabilistic outputs for support vector machines" (2007),
//! including Platt's smoothed targets.

use serde::{Deserialize, Serialize};

/// Fitted sigmoid coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// The probability of the positive class for decision value `f`.
    pub fn probability(self, f: f64) -> f64 {
        let z = self.a * f + self.b;
        // Two forms of the same value, each stable on its side of zero.
        if z >= 0.0 {
            (-z).exp() / (1.0 + (-z).exp())
        } else {
            1.0 / (1.0 + z.exp())
        }
    }

    /// Fit on decision values and their true classes.
    pub fn fit(decisions: &[f64], labels: &[bool]) -> Self {
        let prior1 = labels.iter().filter(|&&l| l).count() as f64;
        let prior0 = labels.len() as f64 - prior1;
        let hi = (prior1 + 1.0) / (prior1 + 2.0);
        let lo = 1.0 / (prior0 + 2.0);
        let t: Vec<f64> = labels.iter().map(|&l| if l { hi } else { lo }).collect();
        let (min_step, sigma, eps) = (1e-10, 1e-12, 1e-5);

        let objective = |a: f64, b: f64| -> f64 {
            decisions
                .iter()
                .zip(&t)
                .map(|(&f, &ti)| {
                    let z = f * a + b;
                    if z >= 0.0 {
                        ti * z + (1.0 + (-z).exp()).ln()
                    } else {
                        (ti - 1.0) * z + (1.0 + z.exp()).ln()
                    }
                })
                .sum()
        };

        let mut a = 0.0;
        let mut b = ((prior0 + 1.0) / (prior1 + 1.0)).ln();
        let mut fval = objective(a, b);
        for _ in 0..100 {
            // Gradient and Hessian (plus sigma on the diagonal to keep it positive definite).
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (sigma, sigma, 0.0, 0.0, 0.0);
            for (&f, &ti) in decisions.iter().zip(&t) {
                let z = f * a + b;
                let (p, q) = if z >= 0.0 {
                    let e = (-z).exp();
                    (e / (1.0 + e), 1.0 / (1.0 + e))
                } else {
                    let e = z.exp();
                    (1.0 / (1.0 + e), e / (1.0 + e))
                };
                let d2 = p * q;
                h11 += f * f * d2;
                h22 += d2;
                h21 += f * d2;
                let d1 = ti - p;
                g1 += f * d1;
                g2 += d1;
            }
            if g1.abs() < eps && g2.abs() < eps {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let gd = g1 * da + g2 * db;
            let mut step = 1.0;
            while step >= min_step {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = objective(na, nb);
                if nf < fval + 1e-4 * step * gd {
                    (a, b, fval) = (na, nb, nf);
                    break;
                }
                step /= 2.0;
            }
            if step < min_step {
                break;
            }
        }
        Platt { a, b }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_decisions_become_high_probabilities() {
        let decisions = [-3.0, -2.0, -1.5, -0.2, 0.3, 0.1, 1.0, 2.0, 2.5, -0.4];
        let labels = [
            false, false, false, false, true, false, true, true, true, true,
        ];
        let platt = Platt::fit(&decisions, &labels);
        assert!(platt.a < 0.0, "{platt:?}");
        assert!(platt.probability(3.0) > 0.9);
        assert!(platt.probability(-3.0) < 0.1);
        let mut last = 0.0;
        for f in [-5.0, -1.0, 0.0, 1.0, 5.0] {
            let p = platt.probability(f);
            assert!((0.0..=1.0).contains(&p) && p >= last);
            last = p;
        }
        assert!(Platt { a: -1e3, b: 0.0 }.probability(1e3).is_finite());
    }
}
