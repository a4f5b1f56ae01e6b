#!/usr/bin/env bash
# Prognosis parity with scikit-learn: HUD's learners are other crates' (forust, smartcore,
# linfa) behind HUD's own folds, scaling and defaults, so a wrong default, a scaling slip or a
# learner bug would show as lost accuracy nobody notices. For each seed (ML_PARITY_SEEDS, default
# "42 1 2 3 4"), `hud ml folds` prints HUD's stratified 10 folds of the bundled WDBC samples and
# `hud ml cv --algorithm all` HUD's per-fold accuracies; bench/ml_parity.py fits scikit-learn's
# matching estimators on exactly those folds (PredefinedSplit) with HUD's hyperparameters and
# scaling. The table is appended to bench/RESULTS.md; the exit status is non-zero when an
# algorithm's mean CV accuracy is more than 1 point from scikit-learn's. No database needed.
# scikit-learn (pinned, from PyPI) lives in a venv under the target dir: it is not part of HUD.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
HUD="${HUD_BIN:-$TARGET/dist/hud}"
SEEDS="${ML_PARITY_SEEDS:-42 1 2 3 4}"
SKLEARN_VERSION="1.6.1"
VENV="$TARGET/ml-parity-venv"

die() { echo "ml-parity: $*" >&2; exit 1; }
[ -x "$HUD" ] || die "no binary at $HUD (cargo build --profile dist, or set HUD_BIN)"

if ! "$VENV/bin/python" -c "import sklearn, sys; sys.exit(sklearn.__version__ != '$SKLEARN_VERSION')" 2>/dev/null; then
    echo "installing scikit-learn $SKLEARN_VERSION into $VENV (pip)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "scikit-learn==$SKLEARN_VERSION"
fi
versions="$("$VENV/bin/python" -c 'import sklearn, numpy, scipy, platform; print(f"scikit-learn {sklearn.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}, Python {platform.python_version()}")')"

status=0
# shellcheck disable=SC2086 # one argument per seed
table="$("$VENV/bin/python" "$ROOT/bench/ml_parity.py" "$HUD" $SEEDS)" || status=$?
[ -n "$table" ] || die "bench/ml_parity.py printed nothing (exit $status)"
echo "$table"

{
    echo
    echo "### $(date -u +%Y-%m-%d) — prognosis parity with scikit-learn (\`bash bench/ml-parity.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr); $versions;"
    echo "HUD binary \`${HUD#"$ROOT/"}\`. Reproduce: \`ML_PARITY_SEEDS=\"$SEEDS\" bash bench/ml-parity.sh\`."
    echo
    echo "$table"
} >>"$ROOT/bench/RESULTS.md"
exit "$status"
