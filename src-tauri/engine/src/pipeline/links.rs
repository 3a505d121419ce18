//! The web links an upload record carries: its Strava activity and its Map the Paths sequence page.

use super::model::UploadRecord;
use crate::mtpw::auth::site_root;

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

/// Fills in both links of a record from its ids and the effective MTPW base.
pub fn add_links(record: &mut UploadRecord, mtpw_base: &str) {
    record.activity_url = record.activity_id.map(activity_url);
    record.mtpw_url = record
        .mtpw_uuid
        .as_deref()
        .filter(|uuid| !uuid.trim().is_empty())
        .and_then(|uuid| mtpw_sequence_url(mtpw_base, uuid));
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
}
