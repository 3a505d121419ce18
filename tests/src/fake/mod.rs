//! Fake Strava and fake Map the Paths Web, in-process or as the `fake-services` binary.

pub mod clock;
pub mod faults;
pub mod http;
pub mod inspect;
#[cfg(target_os = "linux")]
pub mod notifications;
pub mod strava;

pub use faults::{ErrorBody, FaultKind, FaultRule};
pub use strava::config::{
    Approval, CustomSchemes, DuplicateText, ProcessingDelay, RateLimits, RefreshRotation, Stage,
    StravaConfig,
};
pub use strava::state::SeededActivity;
pub use strava::FakeStrava;
pub mod mtpw;
pub mod services;

pub use mtpw::{FakeMtpw, MtpwConfig};
pub use services::{FakeServices, ServicesConfig};
