//! mtp-testkit: fake Strava and fake MTPW services, the generator of realistic sequence folders,
//! and a long upload history (through the engine's store).

#[cfg(feature = "fakes")]
pub mod fake;
pub mod fixtures;
pub mod history;
#[cfg(feature = "fakes")]
pub mod webdriver;
