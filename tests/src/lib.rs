//! mtp-testkit: fake Strava and fake MTPW services, and the generator of realistic sequence folders.

#[cfg(feature = "fakes")]
pub mod fake;
pub mod fixtures;
#[cfg(feature = "fakes")]
pub mod webdriver;
