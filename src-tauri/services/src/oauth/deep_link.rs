//! The app's deep link: its scheme, the callback URL of each provider, how long a sign-in waits.

use crate::Provider;

/// The app's deep-link scheme (registered in tauri.conf.json).
pub const DEEP_LINK_SCHEME: &str = "mtp-strava-uploader";

/// How long a sign-in waits for its callback, and how long its state is valid.
pub const SIGN_IN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// `mtp-strava-uploader://localhost/<provider>/callback`.
pub fn deep_link(provider: Provider) -> String {
    format!("{DEEP_LINK_SCHEME}://localhost{}", provider.callback_path())
}
