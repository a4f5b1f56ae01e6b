//! Stratified k-fold assignment, deterministic from a seed.
//!
//! Each class is shuffled on its own and dealt round-robin over the folds, continuing where the
//! previous class stopped, so every fold has (to within one sample) the data set's class balance
//! and the fold sizes differ by at most one. The shuffle uses [`SplitMix64`], a tiny generator
//! written here so the folds — and with them the stored metrics — stay the same across upgrades
//! of any `rand` crate.

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, well-mixed 64-bit generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift (bias below 2⁻⁵⁰ for our sizes).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Why the folds cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FoldError {
    #[error("cross-validation needs at least 2 folds, got {0}")]
    TooFewFolds(usize),
    #[error(
        "{folds} folds need at least {folds} samples of each class; the smallest class has {smallest}"
    )]
    ClassTooSmall { folds: usize, smallest: usize },
}

/// The fold (`0..folds`) of each sample, stratified by `labels`.
pub fn stratified(labels: &[bool], folds: usize, seed: u64) -> Result<Vec<usize>, FoldError> {
    if folds < 2 {
        return Err(FoldError::TooFewFolds(folds));
    }
    let mut rng = SplitMix64::new(seed);
    let mut assignment = vec![0; labels.len()];
    let mut next = 0;
    // Positives first, then negatives: a fixed order keeps the result a function of the seed.
    let mut smallest = usize::MAX;
    for class in [true, false] {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        smallest = smallest.min(members.len());
        rng.shuffle(&mut members);
        for i in members {
            assignment[i] = next;
            next = (next + 1) % folds;
        }
    }
    if smallest < folds {
        return Err(FoldError::ClassTooSmall { folds, smallest });
    }
    Ok(assignment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_balanced_stratified_and_seeded() {
        let labels: Vec<bool> = (0..569).map(|i| i % 8 < 3).collect();
        let positives = labels.iter().filter(|&&l| l).count();
        let folds = stratified(&labels, 10, 7).expect("folds");
        for f in 0..10 {
            let members: Vec<usize> = (0..569).filter(|&i| folds[i] == f).collect();
            assert!(
                (56..=57).contains(&members.len()),
                "fold {f}: {}",
                members.len()
            );
            let pos = members.iter().filter(|&&i| labels[i]).count();
            let expected = positives as f64 / 10.0;
            assert!(
                (pos as f64 - expected).abs() <= 1.0,
                "fold {f}: {pos} positives"
            );
        }
        assert_eq!(stratified(&labels, 10, 7), Ok(folds.clone()));
        assert_ne!(stratified(&labels, 10, 8), Ok(folds));
    }

    #[test]
    fn refuses_impossible_folds() {
        assert_eq!(
            stratified(&[true, false], 1, 0),
            Err(FoldError::TooFewFolds(1))
        );
        let labels = [true, true, false, false, false];
        assert_eq!(
            stratified(&labels, 3, 0),
            Err(FoldError::ClassTooSmall {
                folds: 3,
                smallest: 2
            })
        );
    }
}
