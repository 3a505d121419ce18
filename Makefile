# MTP Strava Uploader. `make run` launches the app, `make test` runs every check.
# On Debian 12 as root both install what is missing first (.ci/install-deps).

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
APP_BIN := target/debug/mtp-strava-uploader

.PHONY: help deps ui run test lint ui-check rust-test gui-test bindings bench demo icons

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## Install missing system packages, tauri-driver and the UI's npm packages (Debian 12, root)
	@bash .ci/install-deps

ui: deps ## Build the UI into ui/dist (the app embeds it)
	cd ui && npm run build

run: ui ## Build and launch the app
	$(CARGO) run -p mtp-strava-uploader

test: deps ## Run every check: format, lint, UI checks, Rust tests, bindings, GUI end to end
	$(MAKE) --no-print-directory ui
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory ui-check
	$(MAKE) --no-print-directory rust-test
	$(MAKE) --no-print-directory gui-test
	@echo "make test: all checks passed"

lint: ## cargo fmt --check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

ui-check: ## svelte-check (strict TypeScript) and the UI unit tests (vitest)
	cd ui && npm run check && npm test

rust-test: ## Engine, fake-service and contract tests, incl. the bindings staleness check
	$(CARGO) nextest run --workspace --no-fail-fast

gui-test: ## The real app under Xvfb, driven through tauri-driver (screenshots in target/screenshots/)
	$(CARGO) build -p mtp-strava-uploader -p mtp-testkit --bins
	bash tests/e2e/run-gui.sh

bindings: ## Regenerate ui/src/lib/bindings/ from the Rust types
	UPDATE_BINDINGS=1 $(CARGO) test -p mtp-engine --test bindings

bench: ## Library scan benchmark: 1,000 sequences x 500 photos (medians, ratio, peak RSS)
	$(CARGO) bench -p mtp-engine --bench scan

demo: ui ## Start the fake Strava + MTPW, generate sample sequences, launch the app against them
	$(CARGO) build -p mtp-strava-uploader -p mtp-testkit --bins
	bash tests/demo.sh

icons: deps ## Regenerate icons/ from icons/source.svg
	bash icons/generate.sh
