//! The Wisconsin Diagnostic Breast Cancer data (569 samples × 30 features) as HUD's own types.
//!
//! The data ships inside `smartcore` (feature `datasets`), so loading it needs no file and no
//! network. Beware its label coding: target 1 means *benign* and 0 means *malignant* (its docs
//! call the target "has cancer", which is the opposite); [`Diagnosis`] removes the ambiguity.

use serde::{Deserialize, Serialize};

use super::features::FEATURE_COUNT;

/// One sample's 30 features, in the dataset's column order (see [`super::FEATURES`]).
pub type Row = [f64; FEATURE_COUNT];

/// The diagnosis of a sample; the positive class of every metric is [`Diagnosis::Malignant`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Diagnosis {
    Malignant,
    Benign,
}

impl Diagnosis {
    /// Whether this is the positive class (malignant).
    pub fn is_malignant(self) -> bool {
        self == Diagnosis::Malignant
    }

    /// The diagnosis for a positive/negative flag.
    pub fn from_malignant(malignant: bool) -> Self {
        if malignant {
            Diagnosis::Malignant
        } else {
            Diagnosis::Benign
        }
    }

    /// Lower-case English slug (`malignant`, `benign`), also the serde form.
    pub fn slug(self) -> &'static str {
        match self {
            Diagnosis::Malignant => "malignant",
            Diagnosis::Benign => "benign",
        }
    }
}

/// The published decimal value of a number smartcore embeds as f32 (17.99, not the
/// 17.989999771… a plain widening gives), so typed-in copies of a sample match it exactly.
fn published(value: f32) -> f64 {
    // The shortest decimal form of an f32 always parses; fall back to widening regardless.
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// Labelled samples: `rows[i]` has diagnosis `labels[i]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub rows: Vec<Row>,
    pub labels: Vec<Diagnosis>,
}

impl Dataset {
    /// The full WDBC data set (569 samples: 212 malignant, 357 benign).
    pub fn wdbc() -> Self {
        let raw = smartcore::dataset::breast_cancer::load_dataset();
        let rows = raw
            .data
            .chunks_exact(raw.num_features)
            .map(|chunk| std::array::from_fn(|j| published(chunk[j])))
            .collect();
        let labels = raw
            .target
            .iter()
            .map(|&t| Diagnosis::from_malignant(t == 0))
            .collect();
        Dataset { rows, labels }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Labels as positive (malignant) flags, the form the learners take.
    pub(crate) fn positives(&self) -> Vec<bool> {
        self.labels.iter().map(|d| d.is_malignant()).collect()
    }

    /// The samples at `indices`, in that order.
    pub(crate) fn subset(&self, indices: &[usize]) -> Dataset {
        Dataset {
            rows: indices.iter().map(|&i| self.rows[i]).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wdbc_has_569_samples_with_the_published_class_balance() {
        let data = Dataset::wdbc();
        assert_eq!(data.len(), 569);
        let malignant = data.labels.iter().filter(|d| d.is_malignant()).count();
        // UCI: 212 malignant, 357 benign. A flipped label coding would give 357 here.
        assert_eq!(malignant, 212);
        // First UCI record (842302) is malignant with mean radius 17.99.
        assert_eq!(data.labels[0], Diagnosis::Malignant);
        assert_eq!(data.rows[0][0], 17.99);
        assert_eq!(data.rows[568][29], 0.07039);
    }
}
