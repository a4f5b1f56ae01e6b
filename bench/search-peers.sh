#!/usr/bin/env bash
# HUD's search core against tantivy on the reference corpus (bench/search-peers/: its own
# workspace and lock file, so HUD's own builds never compile tantivy). Release build in its own
# target dir; prints a Markdown table of build time, index size and query latency with ratios.
#   bash bench/search-peers.sh            # corpus in target/search-corpus (generated if missing)
#   HUD_SEARCH_CORPUS=dir SEARCH_PEERS_TARGET=dir bash bench/search-peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${HUD_SEARCH_CORPUS:-target/search-corpus}"
if [ ! -f "$corpus/corpus.jsonl" ]; then
    python3 bench/search_corpus.py --out "$corpus" >/dev/null
fi
# HUD's sqlx macros read the committed .sqlx/ instead of a database.
export SQLX_OFFLINE=true
cargo run --release --locked \
    --manifest-path bench/search-peers/Cargo.toml \
    --target-dir "${SEARCH_PEERS_TARGET:-/tmp/search-peers-target}" \
    -- "$corpus"
