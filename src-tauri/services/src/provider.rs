//! The two services the app signs in to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The two services the app signs in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Strava,
    Mtpw,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Strava => "Strava",
            Provider::Mtpw => "Map the Paths",
        }
    }

    /// The path of its callback, for both the deep link and the loopback listener.
    pub fn callback_path(self) -> &'static str {
        match self {
            Provider::Strava => "/strava/callback",
            Provider::Mtpw => "/mtpw/callback",
        }
    }
}
