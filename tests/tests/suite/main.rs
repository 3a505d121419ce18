//! The one integration-test binary of mtp-testkit: each module is one group of tests, so a
//! build links the engine once for all of them. Filter groups by test name, e.g.
//! `cargo nextest run -p mtp-testkit -E 'test(/^fake_strava::/)'`.
//!
//! The `gui` tests are `#[ignore]`d: they need Xvfb and tauri-driver, and
//! tests/e2e/run-gui.sh runs them (`--run-ignored only -E 'binary(suite) & test(/^gui::/)'`).

mod fake_binary;
mod fake_contract;
mod fake_mtpw;
mod fake_strava;
mod gui;
mod strava_reference_check;
mod support;
