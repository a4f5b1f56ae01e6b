"""HUD's cross-validated accuracy against scikit-learn's, on the same folds (bench/ml-parity.sh).

For each seed, `hud ml folds` gives the bundled WDBC samples (diagnosis, 30 features, exact
decimals) with HUD's stratified fold of each, and `hud ml cv --algorithm all` gives HUD's
per-fold accuracies and the hyperparameters it used. scikit-learn then fits the matching
estimator on exactly those folds (PredefinedSplit), with those hyperparameters and the same
preprocessing (z-scores fitted on the training folds, population SD, for SVC, k-NN and logistic
regression). Prints a markdown table and exits 1 when an algorithm's mean accuracy differs by
more than MAX_POINTS percentage points.

Usage: python ml_parity.py HUD_BINARY SEED [SEED ...]
"""

import csv
import io
import json
import statistics
import subprocess
import sys

import sklearn
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

FOLDS = 10
MAX_POINTS = 1.0


def estimator(algorithm, hp, seed):
    """The scikit-learn estimator matching HUD's algorithm and hyperparameters `hp`."""
    if algorithm == "gradient-boosting":
        # forust samples max_features per tree, scikit-learn per split: the closest knob.
        return GradientBoostingClassifier(
            n_estimators=hp["iterations"],
            learning_rate=hp["learning_rate"],
            max_depth=hp["max_depth"],
            max_features=hp["max_features"],
            random_state=seed,
        )
    if algorithm == "random-forest":
        return RandomForestClassifier(
            n_estimators=hp["trees"], max_features=hp["max_features"], random_state=seed, n_jobs=1
        )
    if algorithm == "svc":
        return make_pipeline(StandardScaler(), SVC(C=hp["c"], kernel="rbf", gamma=hp["gamma"]))
    if algorithm == "knn":
        return make_pipeline(
            StandardScaler(),
            KNeighborsClassifier(n_neighbors=hp["k"], weights="uniform", algorithm="brute"),
        )
    if algorithm == "logistic-regression":
        # HUD minimises log-loss + alpha/2·‖w‖², scikit-learn C·log-loss + ½‖w‖²: C = 1/alpha.
        return make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0 / hp["alpha"], max_iter=10_000)
        )
    raise SystemExit(f"no scikit-learn counterpart for {algorithm}")


def hud(binary, *args):
    return subprocess.run([binary, "ml", *args], check=True, capture_output=True, text=True).stdout


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    binary, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
    # algorithm → {"hud": [fold accuracies], "sklearn": [...], "hp": {...}, "differing": n}
    results = {}
    for seed in seeds:
        rows = list(csv.reader(io.StringIO(hud(binary, "folds", "--folds", str(FOLDS), "--seed", str(seed)))))
        body = rows[1:]
        fold = [int(r[1]) for r in body]
        y = [r[2] == "malignant" for r in body]
        x = [[float(v) for v in r[3:]] for r in body]
        assert len(x) == 569 and all(len(r) == 30 for r in x), "unexpected data shape"
        split = PredefinedSplit(fold)
        cv = json.loads(
            hud(binary, "cv", "--algorithm", "all", "--folds", str(FOLDS), "--seed", str(seed))
        )
        for entry in cv:
            algorithm, hp = entry["algorithm"], entry["hyperparameters"]
            ours = cross_val_score(estimator(algorithm, hp, seed), x, y, cv=split, scoring="accuracy")
            r = results.setdefault(algorithm, {"hud": [], "sklearn": [], "hp": hp})
            r["hud"].extend(entry["fold_accuracies"])
            # HUD's fold accuracy is hits / fold size as f64; round both to compare equal scores.
            r["hud"][-FOLDS:] = [round(a, 12) for a in r["hud"][-FOLDS:]]
            r["sklearn"].extend(round(float(a), 12) for a in ours)

    lines = [
        f"| algorithm | HUD hyperparameters | HUD accuracy (mean ± SD, %) | scikit-learn {sklearn.__version__} (mean ± SD, %) | difference (points) | folds scored differently | within {MAX_POINTS:g} point |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    failed = []
    for algorithm, r in results.items():
        h, s = r["hud"], r["sklearn"]
        diff = 100 * (statistics.fmean(h) - statistics.fmean(s))
        ok = abs(diff) <= MAX_POINTS
        if not ok:
            failed.append(algorithm)
        hp = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in r["hp"].items())
        lines.append(
            f"| {algorithm} | {hp} | {100 * statistics.fmean(h):.2f} ± {100 * statistics.pstdev(h):.2f} "
            f"| {100 * statistics.fmean(s):.2f} ± {100 * statistics.pstdev(s):.2f} | {diff:+.2f} "
            f"| {sum(a != b for a, b in zip(h, s))} of {len(h)} | {'yes' if ok else 'NO'} |"
        )
    print("\n".join(lines))
    print()
    print(
        f"Stratified {FOLDS}-fold CV on the 569 WDBC samples, HUD's folds for seed(s) "
        f"{', '.join(map(str, seeds))} ({len(seeds) * FOLDS} folds per algorithm); SD over those folds."
    )
    if failed:
        print(f"\nmore than {MAX_POINTS:g} point off: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
