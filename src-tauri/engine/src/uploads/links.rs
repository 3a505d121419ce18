//! The only links the app opens, always in the system browser: a Strava activity and a Map the
//! Paths sequence page, built here for History and the sequence detail alike.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{ErrorCode, UserError};
use crate::library::parse_mtpw_id;
use crate::os::browser::open_in_browser;
use crate::uploads::config::MTPW_BASE;
use crate::uploads::queue::Uploads;
use mtp_services::mtpw::auth::site_root;

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

/// `https://www.strava.com/activities/<id>`: the activity page (also what MTPW links to).
pub fn activity_url(activity_id: u64) -> String {
    format!("https://www.strava.com/activities/{activity_id}")
}

/// The MTPW sequence page `{site}/sequence/<uuid>/detail`, where `{site}` is the MTPW base
/// without its `/api/v1` (the base may be self-hosted, also under a path).
///
/// Why this path: the reference (map-the-paths.md) names only the page's template,
/// `sequence/detail.html`; MTPW's URL configuration mounts the `sequence` app at `sequence/`
/// and serves that template from `<unique_id>/detail` (no trailing slash), the page its lists
/// and tours link to. `None` when the base is not a URL.
pub fn mtpw_sequence_url(mtpw_base: &str, uuid: &str) -> Option<String> {
    let mut url = url::Url::parse(site_root(mtpw_base)).ok()?;
    url.path_segments_mut()
        .ok()?
        .pop_if_empty()
        .extend(["sequence", uuid.trim(), "detail"]);
    Some(url.to_string())
}

impl Uploads {
    /// The URL of a Strava activity or MTPW sequence page; `None` for anything else.
    pub async fn link_url(&self, target: &LinkTarget) -> Option<String> {
        let mtpw_base = match self.engine.accounts().settings().await {
            Ok(settings) => settings.mtpw_base.value,
            Err(_) => MTPW_BASE.to_string(),
        };
        link_url(target, &mtpw_base)
    }

    /// Opens a Strava activity or MTPW sequence page in the system browser (`$BROWSER` first),
    /// never in the app's window.
    pub async fn open_link(&self, target: &LinkTarget) -> Result<(), UserError> {
        let url = self.link_url(target).await.ok_or_else(|| {
            UserError::new(
                ErrorCode::Internal,
                "This link cannot be opened: it is not a Strava activity or a Map the Paths sequence.",
            )
        })?;
        open_in_browser(&url).await.map_err(|err| {
            UserError::new(
                ErrorCode::Internal,
                format!("The browser could not be opened for {url}: {err}"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "4fa85f64-5717-4562-b3fc-2c963f66afa6";

    #[test]
    fn the_sequence_page_from_any_form_of_the_base() {
        let expected = format!("https://www.mapthepaths.com/sequence/{UUID}/detail");
        for base in [
            "https://www.mapthepaths.com",
            "https://www.mapthepaths.com/",
            "https://www.mapthepaths.com/api/v1",
            "https://www.mapthepaths.com/api/v1/",
        ] {
            assert_eq!(mtpw_sequence_url(base, UUID).as_deref(), Some(&*expected));
        }
    }

    #[test]
    fn a_self_hosted_base_keeps_its_port_and_path_and_odd_ids_are_escaped() {
        assert_eq!(
            mtpw_sequence_url("http://127.0.0.1:8123/mtp/api/v1", UUID).as_deref(),
            Some(&*format!(
                "http://127.0.0.1:8123/mtp/sequence/{UUID}/detail"
            ))
        );
        assert_eq!(
            mtpw_sequence_url("https://mtp.example", "a b/c").as_deref(),
            Some("https://mtp.example/sequence/a%20b%2Fc/detail")
        );
        assert_eq!(mtpw_sequence_url("not a url", UUID), None);
    }

    #[test]
    fn activity_links_only_with_ids() {
        assert_eq!(
            activity_url(12_000_000_001),
            "https://www.strava.com/activities/12000000001"
        );
    }

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
