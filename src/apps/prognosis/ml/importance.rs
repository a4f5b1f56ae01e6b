//! Permutation importance, for the models that have no importances of their own (k-NN, SVC):
//! how much the fitted model's accuracy drops when one feature's values are shuffled among the
//! samples — the feature's information gone, its distribution kept — averaged over [`REPEATS`]
//! seeded shuffles, clipped at 0 and normalised to sum 1 like the others'. Measured on a seeded
//! sample of at most [`SAMPLE`] rows: every shuffle costs a prediction per row, and k-NN's
//! predictions are the expensive kind (30 × 2 × 250 = 15,000 per model).

use rand::{SeedableRng, rngs::StdRng, seq::SliceRandom};

use super::{
    data::Row,
    features::FEATURE_COUNT,
    learners::{Fitted, normalise},
};

/// Shuffles per feature.
pub const REPEATS: usize = 2;
/// Rows the accuracy is measured on.
pub const SAMPLE: usize = 250;

/// The permutation importances of `fitted` on `rows` with their `labels` (true: malignant).
pub fn permutation(fitted: &Fitted, rows: &[Row], labels: &[bool], seed: u64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut chosen: Vec<usize> = (0..rows.len().min(labels.len())).collect();
    chosen.shuffle(&mut rng);
    chosen.truncate(SAMPLE);
    let rows: Vec<Row> = chosen.iter().map(|&i| rows[i]).collect();
    let labels: Vec<bool> = chosen.iter().map(|&i| labels[i]).collect();
    let accuracy = |rows: &[Row]| {
        let right = rows
            .iter()
            .zip(&labels)
            .filter(|(row, malignant)| (fitted.probability(row) >= 0.5) == **malignant)
            .count();
        right as f64 / rows.len().max(1) as f64
    };
    let baseline = accuracy(&rows);
    let mut shuffled = rows.clone();
    let mut drops = vec![0.0; FEATURE_COUNT];
    for (feature, drop) in drops.iter_mut().enumerate() {
        let mut column: Vec<f64> = rows.iter().map(|row| row[feature]).collect();
        let mut lost = 0.0;
        for _ in 0..REPEATS {
            column.shuffle(&mut rng);
            for (row, value) in shuffled.iter_mut().zip(&column) {
                row[feature] = *value;
            }
            lost += baseline - accuracy(&shuffled);
        }
        for (row, original) in shuffled.iter_mut().zip(&rows) {
            row[feature] = original[feature];
        }
        *drop = (lost / REPEATS as f64).max(0.0);
    }
    normalise(drops)
}
