//! The one HTTP client builder of the app: timeouts, the user agent, and no redirects.

use std::time::Duration;

/// Timeouts of every request.
#[derive(Debug, Clone, Copy)]
pub struct HttpTimeouts {
    pub connect: Duration,
    /// The whole request, upload included.
    pub request: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(15),
            request: Duration::from_secs(120),
        }
    }
}

/// The client every service call goes through. It follows no redirect: a 3xx would carry the
/// bearer token, the refresh token or the client secret to whatever host it names, so the
/// reply is read as an error instead (see [`super::read_reply`]).
pub fn http_client(timeouts: HttpTimeouts) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("mtp-strava-uploader/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.without_url().to_string())
}
