//! The fitted learners behind a [`super::Model`], one file per algorithm, and the dispatch
//! between them. Each learner fits on plain rows and labels (true = malignant), keeps whatever
//! it needs to predict (including its scaler), and says whether a decoded copy is safe to use.

pub mod forest;
pub mod gbm;
pub mod knn;
pub mod logistic;
pub mod svc;

use serde::{Deserialize, Serialize};

use super::algorithm::Algorithm;
use super::data::Row;
use forest::{Forest, RfParams};
use gbm::{GbParams, Gbm};
use knn::{Knn, KnnParams};
use logistic::{Logistic, LrParams};
use svc::{Svc, SvcParams};

/// Hyperparameters of one algorithm (serialised into [`super::Trained::params`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Params {
    GradientBoosting(GbParams),
    RandomForest(RfParams),
    Svc(SvcParams),
    Knn(KnnParams),
    LogisticRegression(LrParams),
}

impl Params {
    /// The defaults used without a grid search.
    pub fn default_for(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::GradientBoosting => Params::GradientBoosting(GbParams::default()),
            Algorithm::RandomForest => Params::RandomForest(RfParams::default()),
            Algorithm::Svc => Params::Svc(SvcParams::default()),
            Algorithm::Knn => Params::Knn(KnnParams::default()),
            Algorithm::LogisticRegression => Params::LogisticRegression(LrParams::default()),
        }
    }

    /// The defaults of `algorithm` with the fields named in `overrides` (a JSON object such as
    /// `{"k": 5}`) replaced. Unknown fields, values of the wrong type and values out of range
    /// are refused with a message naming them, so no learner is ever asked to fit nonsense.
    pub fn with_overrides(
        algorithm: Algorithm,
        overrides: &serde_json::Value,
    ) -> Result<Self, String> {
        fn parse<T: serde::de::DeserializeOwned>(form: serde_json::Value) -> Result<T, String> {
            serde_json::from_value(form).map_err(|e| e.to_string())
        }
        let mut form =
            serde_json::to_value(Params::default_for(algorithm)).map_err(|e| e.to_string())?;
        let (Some(fields), Some(changes)) = (form.as_object_mut(), overrides.as_object()) else {
            return Err("hyperparameters must be a JSON object".into());
        };
        for (name, value) in changes {
            let known = fields.keys().cloned().collect::<Vec<_>>().join(", ");
            let slot = fields
                .get_mut(name)
                .ok_or_else(|| format!("no hyperparameter {name:?} (there are {known})"))?;
            *slot = value.clone();
        }
        let params = match algorithm {
            Algorithm::GradientBoosting => Params::GradientBoosting(parse(form)?),
            Algorithm::RandomForest => Params::RandomForest(parse(form)?),
            Algorithm::Svc => Params::Svc(parse(form)?),
            Algorithm::Knn => Params::Knn(parse(form)?),
            Algorithm::LogisticRegression => Params::LogisticRegression(parse(form)?),
        };
        params.check()?;
        Ok(params)
    }

    /// Whether every value is in the range its learner accepts.
    fn check(&self) -> Result<(), String> {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        let ok = match self {
            Params::GradientBoosting(p) => {
                p.iterations >= 1
                    && positive(p.learning_rate)
                    && p.max_depth >= 1
                    && positive(p.max_features)
                    && p.max_features <= 1.0
            }
            Params::RandomForest(p) => {
                p.trees >= 1 && (1..=super::FEATURE_COUNT).contains(&p.max_features)
            }
            Params::Svc(p) => positive(p.c) && positive(p.gamma),
            Params::Knn(p) => p.k >= 1,
            Params::LogisticRegression(p) => p.alpha.is_finite() && p.alpha >= 0.0,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "out of range: {}",
                serde_json::to_string(self).unwrap_or_default()
            ))
        }
    }
}

/// A fitted model of any algorithm.
#[derive(Debug)]
pub enum Fitted {
    GradientBoosting(Gbm),
    RandomForest(Forest),
    Svc(Svc),
    Knn(Knn),
    LogisticRegression(Logistic),
}

impl Fitted {
    pub fn fit(params: &Params, rows: &[Row], labels: &[bool], seed: u64) -> Result<Self, String> {
        Ok(match params {
            Params::GradientBoosting(p) => {
                Fitted::GradientBoosting(Gbm::fit(rows, labels, p, seed)?)
            }
            Params::RandomForest(p) => Fitted::RandomForest(Forest::fit(rows, labels, p, seed)?),
            Params::Svc(p) => Fitted::Svc(Svc::fit(rows, labels, p)?),
            Params::Knn(p) => Fitted::Knn(Knn::fit(rows, labels, p)?),
            Params::LogisticRegression(p) => {
                Fitted::LogisticRegression(Logistic::fit(rows, labels, p)?)
            }
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            Fitted::GradientBoosting(_) => Algorithm::GradientBoosting,
            Fitted::RandomForest(_) => Algorithm::RandomForest,
            Fitted::Svc(_) => Algorithm::Svc,
            Fitted::Knn(_) => Algorithm::Knn,
            Fitted::LogisticRegression(_) => Algorithm::LogisticRegression,
        }
    }

    /// What cross-validation pools for a held-out sample: the probability of malignancy, except
    /// for the SVC, whose decision value is pooled so the Platt curve can be fitted on it.
    pub fn raw_output(&self, row: &Row) -> f64 {
        match self {
            Fitted::Svc(m) => m.decision(row),
            other => other.probability(row),
        }
    }

    /// Probability of malignancy.
    pub fn probability(&self, row: &Row) -> f64 {
        match self {
            Fitted::GradientBoosting(m) => sigmoid(m.log_odds(row)),
            Fitted::RandomForest(m) => m.probability(row),
            Fitted::Svc(m) => m.probability(row),
            Fitted::Knn(m) => m.probability(row),
            Fitted::LogisticRegression(m) => sigmoid(m.log_odds(row)),
        }
    }

    /// Normalised feature importances, where the algorithm defines them.
    pub fn importances(&self) -> Option<Vec<f64>> {
        match self {
            Fitted::GradientBoosting(m) => Some(m.importances()),
            Fitted::RandomForest(m) => Some(m.importances()),
            Fitted::LogisticRegression(m) => Some(m.importances()),
            Fitted::Svc(_) | Fitted::Knn(_) => None,
        }
    }

    /// Signed per-feature contributions (positive = towards malignant), where defined.
    pub fn contributions(&self, row: &Row) -> Option<Vec<f64>> {
        match self {
            Fitted::GradientBoosting(m) => Some(m.contributions(row)),
            Fitted::RandomForest(m) => Some(m.contributions(row)),
            Fitted::LogisticRegression(m) => Some(m.contributions(row)),
            Fitted::Svc(_) | Fitted::Knn(_) => None,
        }
    }

    /// The payload of a model file: the learner in postcard (compact, exact for f64).
    pub fn encode(&self) -> Result<Vec<u8>, postcard::Error> {
        match self {
            Fitted::GradientBoosting(m) => postcard::to_allocvec(m),
            Fitted::RandomForest(m) => postcard::to_allocvec(m),
            Fitted::Svc(m) => postcard::to_allocvec(m),
            Fitted::Knn(m) => postcard::to_allocvec(m),
            Fitted::LogisticRegression(m) => postcard::to_allocvec(m),
        }
    }

    /// Decode a payload written by [`Fitted::encode`] for `algorithm`; the whole payload must
    /// be used.
    pub fn decode(algorithm: Algorithm, payload: &[u8]) -> Result<Self, postcard::Error> {
        fn whole<T: for<'de> Deserialize<'de>>(payload: &[u8]) -> Result<T, postcard::Error> {
            match postcard::take_from_bytes(payload)? {
                (value, []) => Ok(value),
                _ => Err(postcard::Error::DeserializeUnexpectedEnd),
            }
        }
        Ok(match algorithm {
            Algorithm::GradientBoosting => Fitted::GradientBoosting(whole(payload)?),
            Algorithm::RandomForest => Fitted::RandomForest(whole(payload)?),
            Algorithm::Svc => Fitted::Svc(whole(payload)?),
            Algorithm::Knn => Fitted::Knn(whole(payload)?),
            Algorithm::LogisticRegression => Fitted::LogisticRegression(whole(payload)?),
        })
    }

    /// Whether a decoded learner is internally consistent (see each learner's `is_sane`).
    pub fn is_sane(&self) -> bool {
        match self {
            Fitted::GradientBoosting(m) => m.is_sane(),
            Fitted::RandomForest(m) => m.is_sane(),
            Fitted::Svc(m) => m.is_sane(),
            Fitted::Knn(m) => m.is_sane(),
            Fitted::LogisticRegression(m) => m.is_sane(),
        }
    }
}

/// The logistic function, stable for large |x|.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `values` scaled to sum 1 (all zeros stay zeros).
pub fn normalise(mut values: Vec<f64>) -> Vec<f64> {
    let total: f64 = values.iter().sum();
    if total > 0.0 && total.is_finite() {
        for v in &mut values {
            *v /= total;
        }
    }
    values
}
