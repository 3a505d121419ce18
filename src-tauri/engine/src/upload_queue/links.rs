//! The only links the app opens in the system browser: a Strava activity and an MTPW sequence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::pipeline::links::{activity_url, mtpw_sequence_url};
use crate::pipeline::parse_mtpw_id;

/// What the user asked to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum LinkTarget {
    /// `https://www.strava.com/activities/<activity id>`.
    #[serde(rename_all = "camelCase")]
    StravaActivity { activity_id: String },
    /// The sequence's page on Map the Paths: `<MTPW site>/sequence/<uuid>/detail`.
    #[serde(rename_all = "camelCase")]
    MtpwSequence { uuid: String },
}

/// The URL of `target`, or `None` when it is not a Strava activity id (digits) or an MTPW UUID,
/// or the MTPW base is not an http(s) URL: nothing else is ever handed to the browser.
pub fn link_url(target: &LinkTarget, mtpw_base: &str) -> Option<String> {
    match target {
        LinkTarget::StravaActivity { activity_id } => {
            let digits = !activity_id.is_empty()
                && activity_id.len() <= 20
                && activity_id.bytes().all(|b| b.is_ascii_digit());
            let id = activity_id.parse::<u64>().ok().filter(|_| digits)?;
            Some(activity_url(id))
        }
        LinkTarget::MtpwSequence { uuid } => {
            let parsed = parse_mtpw_id(uuid).filter(|p| p.eq_ignore_ascii_case(uuid.trim()))?;
            let base = url::Url::parse(mtpw_base.trim()).ok()?;
            if !matches!(base.scheme(), "https" | "http") || base.host_str().is_none() {
                return None;
            }
            // The same page History shows (one place builds both links).
            mtpw_sequence_url(base.as_str(), &parsed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://www.mapthepaths.com";

    fn strava(id: &str) -> Option<String> {
        link_url(
            &LinkTarget::StravaActivity {
                activity_id: id.into(),
            },
            BASE,
        )
    }

    fn mtpw(uuid: &str, base: &str) -> Option<String> {
        link_url(&LinkTarget::MtpwSequence { uuid: uuid.into() }, base)
    }

    #[test]
    fn a_strava_activity_is_digits_only() {
        assert_eq!(
            strava("12345678901234").as_deref(),
            Some("https://www.strava.com/activities/12345678901234")
        );
        for bad in ["", "12a", "1/../../evil", "12 3", "file:///etc/passwd"] {
            assert_eq!(strava(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_mtpw_sequence_is_a_uuid_under_the_configured_base() {
        let uuid = "6F1C2C1E-8D0B-4A57-9A0E-2D7F7B3B8A10";
        assert_eq!(
            mtpw(uuid, "https://www.mapthepaths.com/api/v1/").as_deref(),
            Some(
                "https://www.mapthepaths.com/sequence/6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10/detail"
            )
        );
        assert_eq!(mtpw("not-a-uuid", BASE), None);
        assert_eq!(mtpw(&format!("https://evil.example/{uuid}"), BASE), None);
        assert_eq!(mtpw(uuid, "file:///tmp"), None);
        assert_eq!(mtpw(uuid, "javascript:alert(1)"), None);
    }
}
