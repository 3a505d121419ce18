//! How the browser hands a sign-in back to the app.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the browser hands the sign-in back to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RedirectMode {
    /// `mtp-strava-uploader://localhost/<provider>/callback` (the default).
    DeepLink,
    /// A one-shot listener on `http://127.0.0.1:<random port>/<provider>/callback` (RFC 8252).
    Loopback,
}
