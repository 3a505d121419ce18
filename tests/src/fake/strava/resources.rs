//! JSON shapes of athletes, activities and uploads, with the fields Strava documents.

use serde_json::{json, Value};

use super::activities::legacy_type;
use super::state::{Activity, Athlete, Upload, UploadOutcome};

pub const STATUS_PROCESSING: &str = "Your activity is still being processed.";
pub const STATUS_READY: &str = "Your activity is ready.";
pub const STATUS_ERROR: &str = "There was an error processing your activity.";
pub const STATUS_DELETED: &str = "The created activity has been deleted.";

const CREATED_AT: &str = "2017-11-14T02:30:05Z";

fn profile_url(athlete: &Athlete, size: &str) -> String {
    format!(
        "https://fake-strava.invalid/pictures/athletes/{}/{size}.jpg",
        athlete.id
    )
}

/// The summary athlete that comes with a code exchange.
pub fn athlete_summary(athlete: &Athlete) -> Value {
    json!({
        "id": athlete.id,
        "username": athlete.username,
        "resource_state": 2,
        "firstname": athlete.firstname,
        "lastname": athlete.lastname,
        "bio": null,
        "city": "San Francisco",
        "state": "CA",
        "country": "US",
        "sex": null,
        "premium": false,
        "summit": false,
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
        "badge_type_id": 0,
        "weight": null,
        "profile_medium": profile_url(athlete, "medium"),
        "profile": profile_url(athlete, "large"),
        "friend": null,
        "follower": null,
    })
}

/// `GET /athlete`: the top-level keys of the swagger example, no more, no fewer.
pub fn athlete_detailed(athlete: &Athlete) -> Value {
    json!({
        "id": athlete.id,
        "username": athlete.username,
        "resource_state": 3,
        "firstname": athlete.firstname,
        "lastname": athlete.lastname,
        "city": "San Francisco",
        "state": "CA",
        "country": "US",
        "sex": null,
        "premium": false,
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
        "badge_type_id": 0,
        "profile_medium": profile_url(athlete, "medium"),
        "profile": profile_url(athlete, "large"),
        "friend": null,
        "follower": null,
        "follower_count": 0,
        "friend_count": 0,
        "mutual_friend_count": 0,
        "athlete_type": 1,
        "date_preference": "%m/%d/%Y",
        "measurement_preference": "meters",
        "clubs": [],
        "ftp": null,
        "weight": null,
        "bikes": [],
        "shoes": [],
    })
}

/// `GET /uploads/{id}` and `POST /uploads`: id, id_str, external_id, error, status, activity_id.
pub fn upload_json(upload: &Upload) -> Value {
    let (status, error, activity_id) = match &upload.outcome {
        UploadOutcome::Processing => (STATUS_PROCESSING, None, None),
        UploadOutcome::Ready { activity_id } => (STATUS_READY, None, Some(*activity_id)),
        UploadOutcome::Failed { error } => (STATUS_ERROR, Some(error.clone()), None),
        UploadOutcome::Deleted => (STATUS_DELETED, None, None),
    };
    json!({
        "id": upload.id,
        "id_str": upload.id.to_string(),
        "external_id": upload.external_id,
        "error": error,
        "status": status,
        "activity_id": activity_id,
    })
}

/// `GET /activities/{id}`: the top-level keys of the swagger example, no more, no fewer.
pub fn activity_detailed(activity: &Activity) -> Value {
    let elapsed = activity.elapsed_time;
    let speed = if elapsed > 0 {
        activity.distance / elapsed as f64
    } else {
        0.0
    };
    let mut body = json!({
        "id": activity.id,
        "resource_state": 3,
        "external_id": activity.external_id,
        "upload_id": activity.upload_id,
        "athlete": {"id": activity.athlete_id, "resource_state": 1},
        "name": activity.name,
        "distance": activity.distance,
        "moving_time": elapsed,
        "elapsed_time": elapsed,
        "total_elevation_gain": 0,
        "type": legacy_type(&activity.sport_type),
        "sport_type": activity.sport_type,
        "start_date": activity.start_date,
        "start_date_local": activity.start_date,
        "timezone": "(GMT+00:00) Etc/UTC",
        "utc_offset": 0,
        "start_latlng": activity.start_latlng,
        "end_latlng": activity.end_latlng,
        "achievement_count": 0,
        "kudos_count": 0,
        "comment_count": 0,
        "athlete_count": 1,
        "photo_count": 0,
        "map": {"id": format!("a{}", activity.id), "polyline": null, "resource_state": 3, "summary_polyline": null},
    });
    let rest = json!({
        "trainer": activity.trainer,
        "commute": activity.commute,
        "manual": false,
        "private": activity.private,
        "flagged": false,
        "gear_id": activity.gear_id,
        "from_accepted_tag": false,
        "average_speed": speed,
        "max_speed": speed,
        "average_cadence": null,
        "average_temp": null,
        "average_watts": null,
        "weighted_average_watts": null,
        "kilojoules": null,
        "device_watts": false,
        "has_heartrate": false,
        "max_watts": null,
        "elev_high": null,
        "elev_low": null,
        "pr_count": 0,
        "total_photo_count": 0,
        "has_kudoed": false,
        "workout_type": null,
        "suffer_score": null,
        "description": activity.description,
        "calories": 0,
        "segment_efforts": [],
        "splits_metric": [],
        "laps": [],
        "gear": null,
        "partner_brand_tag": null,
        "photos": {"primary": null, "count": 0},
        "highlighted_kudosers": [],
        "hide_from_home": activity.hide_from_home,
        "device_name": null,
        "embed_token": null,
        "segment_leaderboard_opt_out": false,
        "leaderboard_opt_out": false,
    });
    if let (Some(body), Value::Object(rest)) = (body.as_object_mut(), rest) {
        body.extend(rest);
    }
    body
}

/// One item of `GET /athlete/activities`: the top-level keys of the swagger's SummaryActivity
/// example, no more, no fewer.
pub fn activity_summary(activity: &Activity) -> Value {
    let elapsed = activity.elapsed_time;
    let speed = if elapsed > 0 {
        activity.distance / elapsed as f64
    } else {
        0.0
    };
    let mut body = json!({
        "resource_state": 2,
        "athlete": {"id": activity.athlete_id, "resource_state": 1},
        "name": activity.name,
        "distance": activity.distance,
        "moving_time": elapsed,
        "elapsed_time": elapsed,
        "total_elevation_gain": 0,
        "type": legacy_type(&activity.sport_type),
        "sport_type": activity.sport_type,
        "workout_type": null,
        "id": activity.id,
        "external_id": activity.external_id,
        "upload_id": activity.upload_id,
        "start_date": activity.start_date,
        "start_date_local": activity.start_date,
        "timezone": "(GMT+00:00) Etc/UTC",
        "utc_offset": 0,
        "start_latlng": activity.start_latlng,
        "end_latlng": activity.end_latlng,
        "location_city": null,
        "location_state": null,
        "location_country": null,
        "achievement_count": 0,
        "kudos_count": 0,
        "comment_count": 0,
        "athlete_count": 1,
        "photo_count": 0,
        "map": {"id": format!("a{}", activity.id), "summary_polyline": null, "resource_state": 2},
    });
    let rest = json!({
        "device_name": null,
        "trainer": activity.trainer,
        "commute": activity.commute,
        "manual": false,
        "private": activity.private,
        "flagged": false,
        "gear_id": activity.gear_id,
        "from_accepted_tag": false,
        "average_speed": speed,
        "max_speed": speed,
        "average_cadence": null,
        "average_watts": null,
        "weighted_average_watts": null,
        "kilojoules": null,
        "device_watts": false,
        "has_heartrate": false,
        "average_heartrate": null,
        "max_heartrate": null,
        "max_watts": null,
        "pr_count": 0,
        "total_photo_count": 0,
        "has_kudoed": false,
        "suffer_score": null,
    });
    if let (Some(body), Value::Object(rest)) = (body.as_object_mut(), rest) {
        body.extend(rest);
    }
    body
}
