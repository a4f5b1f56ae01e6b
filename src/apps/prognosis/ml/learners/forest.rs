//! Random forest: fitted by `smartcore`'s `RandomForestClassifier` (bootstrap samples, a random
//! subset of features at every split, Gini), then copied into HUD's own flat trees.
//!
//! smartcore's forest has no probability output and keeps its trees private, but its serde form
//! exposes them; we read the fitted trees through that form once, at training time. Owning the
//! trees gives the vote share as a probability, per-prediction contributions and a model-file
//! payload that does not change when smartcore's internal layout does.
//!
//! Contributions follow Saabas ("interpreting random forests"): walking a sample down a tree,
//! each split moves the share of malignant votes below the current node; that change is
//! credited to the split's feature. Averaged over the trees, the contributions add up exactly to
//! the predicted probability minus the forest's base rate. Units: probability.

use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::super::data::Row;
use super::super::features::FEATURE_COUNT;

/// Hyperparameters of the forest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfParams {
    /// Number of trees; odd, so a vote cannot tie.
    pub trees: u16,
    /// Features considered at each split (smartcore's `m`); ⌊√30⌋ = 5 by convention.
    pub max_features: usize,
}

impl Default for RfParams {
    fn default() -> Self {
        RfParams {
            trees: 101,
            max_features: 5,
        }
    }
}

/// One node of a fitted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Node {
    /// Share of malignant votes of the leaves below, weighted by training samples (for a leaf:
    /// 1 if it votes malignant, else 0).
    value: f64,
    /// `(feature, threshold, child if ≤, child if >)`; `None` for a leaf.
    split: Option<(usize, f64, usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    /// The nodes from the root to the sample's leaf.
    fn path<'a>(&'a self, row: &'a Row) -> impl Iterator<Item = &'a Node> + 'a {
        let mut next = self.nodes.first();
        std::iter::from_fn(move || {
            let node = next?;
            next = node.split.and_then(|(feature, threshold, le, gt)| {
                let child = if row[feature] <= threshold { le } else { gt };
                self.nodes.get(child)
            });
            Some(node)
        })
    }
}

/// A fitted forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    trees: Vec<Tree>,
    /// Mean decrease in impurity per feature, normalised (computed once at fit time).
    importances: Vec<f64>,
}

impl Forest {
    pub fn fit(
        rows: &[Row],
        labels: &[bool],
        params: &RfParams,
        seed: u64,
    ) -> Result<Self, String> {
        let flat: Vec<f64> = rows.iter().flatten().copied().collect();
        let x =
            DenseMatrix::new(rows.len(), FEATURE_COUNT, flat, false).map_err(|e| e.to_string())?;
        let y: Vec<u32> = labels.iter().map(|&l| u32::from(l)).collect();
        let parameters = RandomForestClassifierParameters::default()
            .with_n_trees(params.trees)
            .with_m(params.max_features)
            .with_seed(seed);
        let fitted = RandomForestClassifier::fit(&x, &y, parameters).map_err(|e| e.to_string())?;
        let form = serde_json::to_value(&fitted).map_err(|e| e.to_string())?;
        let mirror: mirror::Forest = serde_json::from_value(form).map_err(|e| e.to_string())?;
        let mut trees = Vec::new();
        let mut importances = vec![0.0; FEATURE_COUNT];
        for tree in mirror.trees.unwrap_or_default() {
            let (tree, tree_importances) = tree.convert()?;
            for (total, one) in importances.iter_mut().zip(tree_importances) {
                *total += one;
            }
            trees.push(tree);
        }
        if trees.is_empty() {
            return Err("the forest has no trees".into());
        }
        Ok(Forest {
            trees,
            importances: super::normalise(importances),
        })
    }

    /// Share of trees voting malignant.
    pub fn probability(&self, row: &Row) -> f64 {
        let votes: f64 = self
            .trees
            .iter()
            .filter_map(|t| t.path(row).last().map(|leaf| leaf.value))
            .sum();
        votes / self.trees.len() as f64
    }

    pub fn importances(&self) -> Vec<f64> {
        self.importances.clone()
    }

    /// Saabas contributions (see the module docs), in probability.
    pub fn contributions(&self, row: &Row) -> Vec<f64> {
        let mut out = vec![0.0; FEATURE_COUNT];
        for tree in &self.trees {
            let path: Vec<&Node> = tree.path(row).collect();
            for pair in path.windows(2) {
                if let Some((feature, ..)) = pair[0].split {
                    out[feature] += pair[1].value - pair[0].value;
                }
            }
        }
        let n = self.trees.len() as f64;
        for c in &mut out {
            *c /= n;
        }
        out
    }

    /// Whether every split names an existing feature and points further down its tree.
    pub fn is_sane(&self) -> bool {
        !self.trees.is_empty()
            && self.importances.len() == FEATURE_COUNT
            && self.trees.iter().all(|t| {
                !t.nodes.is_empty()
                    && t.nodes
                        .iter()
                        .enumerate()
                        .all(|(i, node)| match node.split {
                            None => (0.0..=1.0).contains(&node.value),
                            Some((feature, threshold, le, gt)) => {
                                feature < FEATURE_COUNT
                                    && !threshold.is_nan()
                                    && le > i
                                    && gt > i
                                    && le < t.nodes.len()
                                    && gt < t.nodes.len()
                            }
                        })
            })
    }
}

/// The part of smartcore 0.7's serde form of a fitted forest that we read. Unknown fields are
/// ignored; a change of layout fails `fit` loudly (and the tests with it), never silently.
mod mirror {
    use serde::Deserialize;

    use super::{FEATURE_COUNT, Node, Tree};

    #[derive(Deserialize)]
    pub struct Forest {
        pub trees: Option<Vec<SmartTree>>,
    }

    #[derive(Deserialize)]
    pub struct SmartTree {
        nodes: Vec<SmartNode>,
        classes: Vec<u32>,
    }

    #[derive(Deserialize)]
    struct SmartNode {
        output: usize,
        n_node_samples: usize,
        split_feature: usize,
        split_value: Option<f64>,
        true_child: Option<usize>,
        false_child: Option<usize>,
        impurity: Option<f64>,
    }

    impl SmartTree {
        /// HUD's tree and this tree's normalised impurity-decrease importances.
        pub fn convert(self) -> Result<(Tree, Vec<f64>), String> {
            let n = self.nodes.len();
            let mut nodes: Vec<Node> = Vec::with_capacity(n);
            let mut importances = vec![0.0; FEATURE_COUNT];
            for (i, node) in self.nodes.iter().enumerate() {
                let split = match (node.true_child, node.false_child, node.split_value) {
                    (Some(le), Some(gt), Some(threshold)) => {
                        if le <= i
                            || gt <= i
                            || le >= n
                            || gt >= n
                            || node.split_feature >= FEATURE_COUNT
                        {
                            return Err(format!("unexpected tree layout at node {i}"));
                        }
                        let (l, r) = (&self.nodes[le], &self.nodes[gt]);
                        let weighted =
                            |m: &SmartNode| m.n_node_samples as f64 * m.impurity.unwrap_or(0.0);
                        importances[node.split_feature] +=
                            weighted(node) - weighted(l) - weighted(r);
                        Some((node.split_feature, threshold, le, gt))
                    }
                    (None, None, _) => None,
                    _ => return Err(format!("half-split node {i}")),
                };
                let malignant = self.classes.get(node.output) == Some(&1);
                nodes.push(Node {
                    value: f64::from(u8::from(malignant)),
                    split,
                });
            }
            // Children come after their parent, so one backward pass fills every internal
            // node's value from its already final children.
            for i in (0..n).rev() {
                if let Some((_, _, le, gt)) = nodes[i].split {
                    let (wl, wr) = (
                        self.nodes[le].n_node_samples as f64,
                        self.nodes[gt].n_node_samples as f64,
                    );
                    let total = wl + wr;
                    if total > 0.0 {
                        nodes[i].value = (wl * nodes[le].value + wr * nodes[gt].value) / total;
                    }
                }
            }
            Ok((Tree { nodes }, super::super::normalise(importances)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::data::Dataset;
    use super::*;

    #[test]
    fn contributions_add_up_to_the_probability_minus_the_base_rate() {
        let data = Dataset::wdbc();
        let params = RfParams {
            trees: 15,
            max_features: 5,
        };
        let forest = Forest::fit(&data.rows, &data.positives(), &params, 3).expect("fit");
        assert!(forest.is_sane());
        let base: f64 =
            forest.trees.iter().map(|t| t.nodes[0].value).sum::<f64>() / forest.trees.len() as f64;
        // The root's share of malignant votes is close to the data's 212/569.
        assert!((base - 212.0 / 569.0).abs() < 0.1, "{base}");
        for row in data.rows.iter().step_by(37) {
            let p = forest.probability(row);
            let sum: f64 = forest.contributions(row).iter().sum();
            assert!((base + sum - p).abs() < 1e-9, "{p} vs {base} + {sum}");
            // The vote share is a multiple of 1/15.
            assert!(((p * 15.0).round() - p * 15.0).abs() < 1e-9);
        }
    }
}
