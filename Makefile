# HUD developer tasks. `make test` is what CI runs (via .ci/run).
#
# Tests need PostgreSQL, two memcached servers and chromedriver; scripts/test-env.sh
# starts throwaway ones, exports DATABASE_URL / HUD_TEST_* and stops them again. `make test`
# ends with a short API fuzzing run (scripts/fuzz.sh, fixed seed) against the debug build
# `cargo test` made; `make fuzz` is the long one.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO ?= cargo
TEST_ENV := bash scripts/test-env.sh

# Compile against the checked-in sqlx query metadata (.sqlx/); no database needed
# to build. `make sqlx-prepare` regenerates it against a live database.
export SQLX_OFFLINE := true

.PHONY: run dist test lint bench fuzz fmt sqlx-prepare screenshots

# Serves HUD with the bundled demo pages (registered and crawled on an empty database).
run:
	$(CARGO) build --release
	"$${CARGO_TARGET_DIR:-target}/release/hud" demo

test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
	$(CARGO) test --locked --all-targets --no-run
	$(TEST_ENV) bash -c '$(CARGO) test --locked --all-targets && FUZZ_EXAMPLES=10 FUZZ_MAX_TIME=240 bash scripts/fuzz.sh'

# API fuzzing: schemathesis with every check and an admin's bearer token against a real
# instance (scripts/fuzz.sh).
fuzz:
	$(CARGO) build --locked
	HUD_TEST_DIR=target/fuzz-env $(TEST_ENV) bash scripts/fuzz.sh

# The README's screenshots, from the browser layout test (scripts/readme-screenshots.sh).
screenshots:
	bash scripts/readme-screenshots.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

# Load benchmark (wrk against two dist-profile instances, two memcached servers), the cache
# consistency soak (three instances under injected faults), the PostgreSQL restart and outage
# drill, the criterion micro-benchmarks, the captcha OCR benchmark and the prognosis parity with scikit-learn; results are appended to
# bench/RESULTS.md.
bench:
	$(CARGO) build --profile dist --locked
	HUD_TEST_DIR=target/bench-env $(TEST_ENV) bash bench/load.sh
	HUD_TEST_DIR=target/bench-env $(TEST_ENV) bash bench/consistency.sh
	HUD_TEST_DIR=target/bench-env $(TEST_ENV) bash bench/pg-restart.sh
	$(CARGO) bench --profile dist --locked --bench cache
	$(CARGO) bench --profile dist --locked --bench captcha
	$(CARGO) bench --profile dist --locked --bench wordcloud
	$(CARGO) bench --profile dist --locked --bench prognosis
	$(CARGO) bench --profile dist --locked --bench search
	bash bench/captcha_ocr.sh
	HUD_TEST_DIR=target/bench-env $(TEST_ENV) bash bench/captcha_attack.sh
	bash bench/ml-parity.sh
	HUD_TEST_DIR=target/bench-env $(TEST_ENV) bash bench/crawl.sh

# The release artefact: fat LTO, one codegen unit (the profile `make bench` measures).
dist:
	$(CARGO) build --profile dist --locked

fmt:
	$(CARGO) fmt --all

sqlx-prepare: export SQLX_OFFLINE := false
sqlx-prepare:
	$(CARGO) sqlx --version >/dev/null 2>&1 || \
	  $(CARGO) install sqlx-cli --version '^0.8' --no-default-features --features postgres,rustls --locked
	$(TEST_ENV) bash -euc 'if [ -d migrations ]; then $(CARGO) sqlx migrate run; else echo "no migrations/ directory; skipping migrate run" >&2; fi; $(CARGO) sqlx prepare -- --all-targets'
