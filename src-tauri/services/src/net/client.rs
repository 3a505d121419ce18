//! The one HTTP client builder of the app: timeouts, the user agent, and no redirects.

use std::time::Duration;

/// Timeouts of every request. The upload POST's body is bounded by a pace, not by a time:
/// a slow uplink may take minutes to send a file (`strava/upload_pace.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HttpTimeouts {
    /// Opening a connection.
    pub connect: Duration,
    /// Waiting for an answer: the whole of a request with a small body; for the upload POST,
    /// counted from the moment its last byte was sent.
    pub request: Duration,
    /// The upload POST's body must go out at least this fast (bytes a second)...
    pub upload_min_bytes_per_sec: u64,
    /// ...once this first allowance is used up (slow start, an uplink busy with other things).
    pub upload_grace: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(15),
            request: Duration::from_secs(120),
            upload_min_bytes_per_sec: 8 * 1024,
            upload_grace: Duration::from_secs(15),
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
