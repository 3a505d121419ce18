# MTP Strava Uploader. `make run` launches the app, `make test` runs every check.
# On Debian 12 as root both install what is missing first (.ci/install-deps).
#
# One build serves everything: `make test` compiles each dependency once for the tests, the
# GUI suite and `make run` (dev-dependencies add no features, checked by
# tests/build/check-one-build.sh), plus once more in check mode for clippy.

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
APP_BIN := $(TARGET_DIR)/debug/mtp-strava-uploader

.PHONY: help deps ui build run test lint ui-check rust-test gui-test bindings bench fuzz demo icons bundle package-test soak

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## Install missing system packages, tauri-driver and the UI's npm packages (Debian 12, root)
	@bash .ci/install-deps

ui: deps ui/dist/index.html ## Build the UI into ui/dist (the app embeds it), when its sources changed

# Rebuilt only when a source is newer: a fresh ui/dist would make cargo re-embed it and
# recompile the app crate, so `make run` right after `make test` would not start at once.
UI_SOURCES := $(shell find ui/src -type f) $(wildcard ui/*.json ui/*.ts ui/*.js ui/index.html)
ui/dist/index.html: $(UI_SOURCES)
	cd ui && npm run build

build: ui ## Build the app, the CLI and the test tools (the same build `make test` uses)
	$(CARGO) build --workspace --bins

run: build ## Build and launch the app
	$(APP_BIN)

test: deps ## Run every check: format, lint, UI checks, Rust tests, bindings, GUI end to end
	$(MAKE) --no-print-directory ui
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory ui-check
	$(MAKE) --no-print-directory rust-test
	$(MAKE) --no-print-directory gui-test
	@echo "make test: all checks passed"

lint: ## cargo fmt --check, clippy -D warnings, and the one-build check
	$(CARGO) fmt --all -- --check
	bash tests/build/check-one-build.sh
	$(CARGO) clippy --workspace --all-targets -- -D warnings

ui-check: ## svelte-check (strict TypeScript) and the UI unit tests (vitest)
	cd ui && npm run check && npm test

rust-test: ## Engine, fake-service, CLI and contract tests, incl. the bindings staleness check
	$(CARGO) nextest run --workspace --no-fail-fast

gui-test: build ## The real app under Xvfb, driven through tauri-driver (screenshots in target/screenshots/)
	bash tests/e2e/run-gui.sh $(APP_BIN)

# The release app, with no cargo features: test features belong to the debug build only.
bundle: ui ## The .deb and .rpm of the release app (Tauri CLI from ui/), in <target>/release/bundle/
	bash src-tauri/app/packaging/bundle.sh

package-test: bundle build ## Install the .deb (root), check its desktop entry, run it, sign in through xdg-open, purge it
	bash tests/package/run.sh

bindings: ## Regenerate ui/src/lib/bindings/ from the Rust types
	UPDATE_BINDINGS=1 $(CARGO) nextest run --workspace -E 'binary(engine) & test(/^bindings::/)'

# The app the GUI bench starts: release by default (the issue's figures are release);
# `make bench BENCH_PROFILE=debug` reuses the everyday build.
BENCH_PROFILE ?= release

bench: ui ## Benchmarks: scan, the app on an empty vs a 10,000-sequence library, UI filter/select, uploads, read limits
	$(CARGO) bench -p mtp-engine --bench scan
	$(CARGO) build --workspace --bins $(if $(filter release,$(BENCH_PROFILE)),--release)
	bash tests/e2e/run-library-bench.sh $(TARGET_DIR)/$(BENCH_PROFILE)/mtp-strava-uploader --screenshots target/screenshots
	cd ui && npx vitest bench --run
	$(CARGO) bench --workspace --bench upload --profile dev
	$(CARGO) bench --workspace --bench read_limits --profile dev

# Each target in turn, at the lowest CPU priority; the corpus grows in fuzz/corpus/<target>/
# (only the seed-* files are committed), crashes land in fuzz/artifacts/<target>/. Not in CI.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := sequence_json gpx callback loopback

fuzz: ## Fuzz each target for FUZZ_SECONDS (default 600), one after another (nightly + cargo-fuzz)
	@failed=""; for target in $(FUZZ_TARGETS); do \
	  echo "make fuzz: $$target for $(FUZZ_SECONDS) s"; \
	  nice -n 19 $(CARGO) +nightly fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) \
	    || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: crashes in$$failed (see fuzz/artifacts/)"; exit 1; fi

# Not part of `make test` nor CI: a few minutes of uploads against faulty fakes (issue 18).
# SOAK_ARGS passes flags on, e.g. `make soak SOAK_ARGS="--seed 7"`.
soak: build ## Soak: 200 uploads by the CLI, 20 % of requests failing, 3 SIGKILLs, the app part-way; prints the figures
	bash tests/soak/run.sh $(SOAK_ARGS)

demo: build ## Start the fake Strava + MTPW, generate sample sequences, launch the app against them
	bash tests/demo.sh

icons: deps ## Regenerate icons/ from icons/source.svg
	bash icons/generate.sh
