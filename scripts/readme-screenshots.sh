#!/usr/bin/env bash
# Regenerate the README's screenshots (docs/screenshots/) from the browser layout test: it shows
# every page in a real headless Chromium at 375 and 1280 px and saves each to target/screenshots/;
# this copies the few the README shows. Runs in its own throwaway test environment.
#
# Usage: scripts/readme-screenshots.sh   (or: make screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-env.sh cargo test --test it -- --exact \
    browser_layout::every_page_fits_375_and_1280_px_and_no_chart_label_overlaps

mkdir -p docs/screenshots
# source in target/screenshots → name in docs/screenshots
while read -r source name; do
    cp "target/screenshots/$source.png" "docs/screenshots/$name.png"
done <<'LIST'
layout-cloud-1280 cloud
layout-compare-times-1280 compare
layout-trend-days-1280 trend
layout-search-375 search-phone
layout-model-1280 model
LIST
echo "docs/screenshots/ updated"
