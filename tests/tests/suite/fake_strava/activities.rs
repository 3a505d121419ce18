//! The fake Strava's activities: who may read one (private, another athlete's, unknown
//! routes) and `PUT /activities/{id}`.

use mtp_testkit::fake::{SeededActivity, StravaConfig};
use reqwest::StatusCode;
use serde_json::json;

use super::support::{
    get_activity, http, inspect, json_of, start, upload_and_poll, upload_form, write_token, GPX,
};

#[tokio::test]
async fn hidden_activities_and_unknown_routes_are_resource_not_found() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let mut private = SeededActivity::new("2020-01-01T08:00:00Z", 600);
    private.private = true;
    let private_id = fake.seed_activity(private).expect("private");
    let other = fake.register_athlete("Other", "Rider");
    let mut theirs = SeededActivity::new("2020-01-02T08:00:00Z", 600);
    theirs.athlete_id = Some(other.id);
    let their_id = fake.seed_activity(theirs).expect("theirs");
    let not_found = |resource: &str| json!({"message": "Resource Not Found", "errors": [{"resource": resource, "field": "", "code": "not found"}]});
    for id in [private_id, their_id] {
        let response = get_activity(&fake, &token, &json!(id)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(json_of(response).await, not_found("Activity"));
    }
    let read_all = fake
        .issue_tokens(fake.client().id, fake.athlete().id, &["activity:read_all"])
        .access_token;
    let visible = get_activity(&fake, &read_all, &json!(private_id)).await;
    assert_eq!(visible.status(), StatusCode::OK);
    assert_eq!(json_of(visible).await["private"], true);
    let unknown = http()
        .get(format!("{}/segments/1", fake.api_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("unknown");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_of(unknown).await, not_found("Resource"));
}

#[tokio::test]
async fn put_activity_sets_the_sport_type_seen_by_get_and_state() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let done = upload_and_poll(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    let id = done["activity_id"].clone();
    let url = format!("{}/activities/{id}", fake.api_base());
    let updated = http()
        .put(&url)
        .bearer_auth(&token)
        .json(&json!({"sport_type": "Walk", "name": "Thames walk", "hide_from_home": true}))
        .send()
        .await
        .expect("PUT");
    assert_eq!(updated.status(), StatusCode::OK);
    let updated = json_of(updated).await;
    assert_eq!(updated["sport_type"], "Walk");
    assert_eq!(updated["type"], "Walk");
    let fetched = json_of(get_activity(&fake, &token, &id).await).await;
    assert_eq!(fetched["sport_type"], "Walk");
    assert_eq!(fetched["name"], "Thames walk");
    assert_eq!(fetched["hide_from_home"], true);
    let state = inspect(&fake.base_url(), "/__fake/state").await;
    assert_eq!(state["activities"][0]["sport_type"], "Walk");

    let form = http()
        .put(&url)
        .bearer_auth(&token)
        .form(&[("sport_type", "Hike")])
        .send()
        .await
        .expect("PUT form");
    assert_eq!(json_of(form).await["sport_type"], "Hike");
    let invalid = http()
        .put(&url)
        .bearer_auth(&token)
        .json(&json!({"sport_type": "Teleport"}))
        .send()
        .await
        .expect("PUT");
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(invalid).await["errors"][0]["field"], "sport_type");
    let read_only = fake
        .issue_tokens(fake.client().id, fake.athlete().id, &["activity:read"])
        .access_token;
    let refused = http()
        .put(&url)
        .bearer_auth(&read_only)
        .json(&json!({"sport_type": "Run"}))
        .send()
        .await
        .expect("PUT");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(refused).await["errors"][0]["field"],
        "activity:write_permission"
    );
}
