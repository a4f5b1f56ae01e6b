//! Cross-validated quality of a model: accuracy over the folds, and precision, recall, F1,
//! ROC AUC, confusion matrix and ROC curve from the pooled out-of-fold probabilities.
//!
//! The positive class is malignant throughout, and a sample is predicted malignant when its
//! probability is at least 0.5 (the same rule [`super::Model::predict`] uses).

use serde::{Deserialize, Serialize};

/// The most points kept on the ROC curve (enough for a smooth SVG chart).
pub const ROC_POINTS: usize = 100;

/// One point of a ROC curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    /// False-positive rate (benign samples called malignant / all benign).
    pub fpr: f64,
    /// True-positive rate, i.e. recall (malignant samples found / all malignant).
    pub tpr: f64,
}

/// The quality of a trained model, measured by stratified k-fold cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of folds.
    pub folds: usize,
    /// Accuracy of each fold's held-out samples.
    pub fold_accuracies: Vec<f64>,
    /// Mean of `fold_accuracies`.
    pub accuracy_mean: f64,
    /// Population standard deviation of `fold_accuracies`.
    pub accuracy_std: f64,
    /// Of the samples called malignant, the share that are (pooled out-of-fold).
    pub precision: f64,
    /// Of the malignant samples, the share called malignant (sensitivity).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Area under the ROC curve (ties count one half), from the full curve.
    pub roc_auc: f64,
    /// `[[tn, fp], [fn, tp]]`: rows are the true class (benign, malignant), columns the
    /// predicted one.
    pub confusion: [[u32; 2]; 2],
    /// The ROC curve from (0, 0) to (1, 1), thinned to at most [`ROC_POINTS`] points.
    pub roc_curve: Vec<RocPoint>,
    /// Normalised (sum 1) importance of each of the 30 features in the final model, where the
    /// algorithm defines one (see [`super::Model::feature_importances`]).
    pub feature_importances: Option<Vec<f64>>,
}

impl Metrics {
    /// Metrics from out-of-fold probabilities: `probabilities[i]` was predicted for sample `i`
    /// (true class `labels[i]`) by a model that did not see it; `fold[i]` is its fold.
    pub(crate) fn from_out_of_fold(
        labels: &[bool],
        probabilities: &[f64],
        fold: &[usize],
        folds: usize,
        feature_importances: Option<Vec<f64>>,
    ) -> Self {
        let mut confusion = [[0u32; 2]; 2];
        let mut fold_hits = vec![(0usize, 0usize); folds];
        for ((&truth, &p), &f) in labels.iter().zip(probabilities).zip(fold) {
            let called = p >= 0.5;
            confusion[usize::from(truth)][usize::from(called)] += 1;
            if let Some(hits) = fold_hits.get_mut(f) {
                hits.0 += usize::from(called == truth);
                hits.1 += 1;
            }
        }
        let fold_accuracies: Vec<f64> = fold_hits
            .iter()
            .map(|&(hit, n)| ratio(hit as f64, n as f64))
            .collect();
        let k = fold_accuracies.len().max(1) as f64;
        let accuracy_mean = fold_accuracies.iter().sum::<f64>() / k;
        let accuracy_std = (fold_accuracies
            .iter()
            .map(|a| (a - accuracy_mean).powi(2))
            .sum::<f64>()
            / k)
            .sqrt();
        let [[_tn, fp], [fn_, tp]] = confusion.map(|row| row.map(f64::from));
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = ratio(2.0 * precision * recall, precision + recall);
        let curve = roc_curve(labels, probabilities);
        Metrics {
            folds,
            fold_accuracies,
            accuracy_mean,
            accuracy_std,
            precision,
            recall,
            f1,
            roc_auc: area(&curve),
            confusion,
            roc_curve: thin(curve, ROC_POINTS),
            feature_importances,
        }
    }
}

impl Metrics {
    /// The metrics of a fitted model on labelled data, as one fold. Used for uploaded models,
    /// which come without cross-validation; optimistic when the model was trained on `data`.
    pub fn of_model(model: &super::Model, data: &super::Dataset) -> Self {
        let labels: Vec<bool> = data.labels.iter().map(|l| l.is_malignant()).collect();
        let probabilities: Vec<f64> = data
            .rows
            .iter()
            .map(|row| model.predict(row).probability_malignant)
            .collect();
        Metrics::from_out_of_fold(
            &labels,
            &probabilities,
            &vec![0; labels.len()],
            1,
            model.feature_importances(),
        )
    }
}

/// `a / b`, or 0 when `b` is 0 (e.g. precision when nothing was called malignant).
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// The full ROC curve: one point per distinct score, from the highest threshold down, so tied
/// scores move the curve diagonally (which makes the area count ties as one half).
pub(crate) fn roc_curve(labels: &[bool], scores: &[f64]) -> Vec<RocPoint> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let positives = labels.iter().filter(|&&l| l).count() as f64;
    let negatives = labels.len() as f64 - positives;
    let mut curve = vec![RocPoint { fpr: 0.0, tpr: 0.0 }];
    let (mut tp, mut fp) = (0.0, 0.0);
    for (rank, &i) in order.iter().enumerate() {
        if labels[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_tie = order
            .get(rank + 1)
            .is_none_or(|&next| scores[next] != scores[i]);
        if last_of_tie {
            curve.push(RocPoint {
                fpr: ratio(fp, negatives),
                tpr: ratio(tp, positives),
            });
        }
    }
    curve
}

/// Trapezoidal area under a curve.
pub(crate) fn area(curve: &[RocPoint]) -> f64 {
    curve
        .windows(2)
        .map(|w| (w[1].fpr - w[0].fpr) * (w[0].tpr + w[1].tpr) / 2.0)
        .sum()
}

/// At most `max` points of `curve` (`max ≥ 2`): first drop points in the middle of a straight
/// segment (the curve is a staircase, so this loses nothing), then, if still too many, keep
/// evenly spaced ones, always including both ends.
fn thin(curve: Vec<RocPoint>, max: usize) -> Vec<RocPoint> {
    let mut corners: Vec<RocPoint> = Vec::with_capacity(curve.len());
    for p in curve {
        if let [.., a, b] = corners[..] {
            let cross = (b.fpr - a.fpr) * (p.tpr - a.tpr) - (b.tpr - a.tpr) * (p.fpr - a.fpr);
            if cross.abs() < 1e-12 {
                corners.pop();
            }
        }
        corners.push(p);
    }
    let n = corners.len();
    if n <= max {
        return corners;
    }
    (0..max)
        .map(|i| corners[(i * (n - 1) + (max - 1) / 2) / (max - 1)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_inverted_rankings() {
        let labels = [true, true, false, false];
        let perfect = roc_curve(&labels, &[0.9, 0.8, 0.2, 0.1]);
        assert_eq!(area(&perfect), 1.0);
        let inverted = roc_curve(&labels, &[0.1, 0.2, 0.8, 0.9]);
        assert_eq!(area(&inverted), 0.0);
        let tied = roc_curve(&labels, &[0.5; 4]);
        assert_eq!(area(&tied), 0.5);
    }

    #[test]
    fn auc_matches_the_pairwise_definition() {
        let labels = [true, false, true, false, true, false, false];
        let scores: [f64; 7] = [0.9, 0.7, 0.7, 0.3, 0.4, 0.5, 0.1];
        let mut wins = 0.0;
        let mut pairs = 0.0;
        for i in 0..7 {
            for j in 0..7 {
                if labels[i] && !labels[j] {
                    pairs += 1.0;
                    wins += match scores[i].total_cmp(&scores[j]) {
                        std::cmp::Ordering::Greater => 1.0,
                        std::cmp::Ordering::Equal => 0.5,
                        std::cmp::Ordering::Less => 0.0,
                    };
                }
            }
        }
        let auc = area(&roc_curve(&labels, &scores));
        assert!((auc - wins / pairs).abs() < 1e-12);
    }

    #[test]
    fn confusion_precision_recall_and_fold_accuracy() {
        // Truth: M M M B B B; called: M M B M B B (threshold 0.5).
        let labels = [true, true, true, false, false, false];
        let p = [0.9, 0.5, 0.4, 0.6, 0.1, 0.2];
        let fold = [0, 1, 0, 1, 0, 1];
        let m = Metrics::from_out_of_fold(&labels, &p, &fold, 2, None);
        assert_eq!(m.confusion, [[2, 1], [1, 2]]);
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-12);
        // Fold 0: samples 0 (hit), 2 (miss), 4 (hit); fold 1: 1 (hit), 3 (miss), 5 (hit).
        assert_eq!(m.fold_accuracies, vec![2.0 / 3.0, 2.0 / 3.0]);
        assert_eq!(m.accuracy_std, 0.0);
        assert_eq!(m.roc_curve.first(), Some(&RocPoint { fpr: 0.0, tpr: 0.0 }));
        assert_eq!(m.roc_curve.last(), Some(&RocPoint { fpr: 1.0, tpr: 1.0 }));
    }

    #[test]
    fn long_curves_are_thinned_keeping_both_ends() {
        let labels: Vec<bool> = (0..1000).map(|i| (i * 7919) % 3 == 0).collect();
        let scores: Vec<f64> = (0..1000).map(|i| ((i * 104_729) % 1000) as f64).collect();
        let full = roc_curve(&labels, &scores);
        let thinned = thin(full.clone(), ROC_POINTS);
        assert!(thinned.len() <= ROC_POINTS);
        assert_eq!(thinned.first(), full.first());
        assert_eq!(thinned.last(), full.last());
        assert!(
            thinned
                .windows(2)
                .all(|w| w[0].fpr <= w[1].fpr && w[0].tpr <= w[1].tpr)
        );
    }
}
