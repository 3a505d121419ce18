//! The athlete's activities in a window of start times (`GET /athlete/activities`, a read
//! request): how the app asks whether an upload whose answer was lost became an activity.

use reqwest::{Method, StatusCode};
use serde::Deserialize;

use super::api::{error_for, StravaClient, StravaError};
use super::limits::RequestKind;

/// The most activities one page gives (Strava caps `per_page` at 200).
pub const PAGE_SIZE: u32 = 200;
/// Pages read at most for one window (a window of a few hours never holds more).
pub const MAX_PAGES: u32 = 5;

/// The fields of a SummaryActivity the app reads; the others are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ActivitySummary {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    /// What the upload was sent with as `external_id` (the MTPW sequence UUID), when Strava
    /// kept it.
    #[serde(default)]
    pub external_id: Option<String>,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub sport_type: Option<String>,
}

impl StravaClient {
    /// `GET /athlete/activities?after=..&before=..&page=..&per_page=..`: one page of the
    /// signed-in athlete's activities that started between `after` and `before` (epoch
    /// seconds). Needs `activity:read` (private ones `activity:read_all`).
    pub async fn list_activities(
        &self,
        token: &str,
        after: i64,
        before: i64,
        page: u32,
        per_page: u32,
    ) -> Result<Vec<ActivitySummary>, StravaError> {
        let request = self
            .request(Method::GET, "/athlete/activities", token)
            .query(&[
                ("after", after.to_string()),
                ("before", before.to_string()),
                ("page", page.to_string()),
                ("per_page", per_page.to_string()),
            ]);
        let reply = self.send(RequestKind::Read, request).await?;
        if reply.status != StatusCode::OK {
            return Err(error_for(reply.status, &reply.body, "athlete"));
        }
        serde_json::from_slice(&reply.body).map_err(|e| StravaError::UnexpectedReply {
            detail: format!("the activity list is not a list of activities ({e})"),
        })
    }

    /// Every activity that started between `after` and `before`, page by page (at most
    /// [`MAX_PAGES`] pages of [`PAGE_SIZE`]).
    pub async fn activities_between(
        &self,
        token: &str,
        after: i64,
        before: i64,
    ) -> Result<Vec<ActivitySummary>, StravaError> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let found = self
                .list_activities(token, after, before, page, PAGE_SIZE)
                .await?;
            let full = found.len() as u32 >= PAGE_SIZE;
            all.extend(found);
            if !full {
                break;
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_swagger_example_reads_as_summaries() {
        // Two items of the swagger example, trimmed; upload_id is beyond 64 bits there.
        let body = r#"[{"resource_state":2,"athlete":{"id":134815,"resource_state":1},
            "name":"Happy Friday","distance":24931.4,"type":"Ride","sport_type":"MountainBikeRide",
            "id":154504250376823,"external_id":"garmin_push_12345678987654321",
            "upload_id":987654321234567891234,"start_date":"2018-05-02T12:15:09Z",
            "start_latlng":null,"map":{"id":"a12345678987654321","summary_polyline":null}},
            {"id":1234567809,"name":"Bondcliff","external_id":null}]"#;
        let list: Vec<ActivitySummary> = serde_json::from_str(body).unwrap();
        assert_eq!(
            list[0],
            ActivitySummary {
                id: 154504250376823,
                name: "Happy Friday".into(),
                external_id: Some("garmin_push_12345678987654321".into()),
                start_date: Some("2018-05-02T12:15:09Z".into()),
                sport_type: Some("MountainBikeRide".into()),
            }
        );
        assert_eq!(list[1].external_id, None);
        assert_eq!(list[1].start_date, None);
    }
}
