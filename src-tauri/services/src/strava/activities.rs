//! Activities: the athlete's in a window of start times (`GET /athlete/activities`, how the
//! app asks whether an upload whose answer was lost became an activity), and the one update
//! of an uploaded activity (`PUT /activities/{id}`: sport type and `hide_from_home` at once).
//! Both are read ("non-upload") requests.

use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};

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

/// The fields of an UpdatableActivity the app sets; the ones left `None` are not sent, so
/// Strava keeps them as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActivityUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sport_type: Option<String>,
    /// Keeps the activity off the followers' home feeds (it stays on the athlete's profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_from_home: Option<bool>,
}

impl ActivityUpdate {
    /// True when there is nothing to send (no request is made then).
    pub fn is_empty(&self) -> bool {
        self.sport_type.is_none() && self.hide_from_home.is_none()
    }
}

/// What the DetailedActivity of the PUT's answer says about the fields the app set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ActivityUpdated {
    #[serde(default)]
    pub sport_type: Option<String>,
    #[serde(default)]
    pub hide_from_home: Option<bool>,
}

impl StravaClient {
    /// `PUT /activities/{id}` with the fields of `update` as one JSON UpdatableActivity (one
    /// request, whatever it holds). Needs `activity:write`. An answer that is not a
    /// DetailedActivity still counts as done (Strava took the update), with nothing known.
    pub async fn update_activity(
        &self,
        token: &str,
        activity_id: u64,
        update: &ActivityUpdate,
    ) -> Result<ActivityUpdated, StravaError> {
        let request = self
            .request(Method::PUT, &format!("/activities/{activity_id}"), token)
            .json(update);
        let reply = self.send(RequestKind::Read, request).await?;
        if !reply.status.is_success() {
            return Err(error_for(reply.status, &reply.body, "activity"));
        }
        Ok(serde_json::from_slice(&reply.body).unwrap_or_default())
    }

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
    fn an_update_sends_only_what_it_sets() {
        let both = ActivityUpdate {
            sport_type: Some("Walk".into()),
            hide_from_home: Some(true),
        };
        assert_eq!(
            serde_json::to_value(&both).unwrap(),
            serde_json::json!({"sport_type": "Walk", "hide_from_home": true})
        );
        let hide_only = ActivityUpdate {
            hide_from_home: Some(true),
            ..ActivityUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&hide_only).unwrap(),
            serde_json::json!({"hide_from_home": true})
        );
        assert!(ActivityUpdate::default().is_empty());
        let answer: ActivityUpdated = serde_json::from_str(
            r#"{"id":1,"sport_type":"Walk","hide_from_home":true,"name":"x"}"#,
        )
        .unwrap();
        assert_eq!(answer.hide_from_home, Some(true));
    }

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
