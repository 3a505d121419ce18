//! The fake Strava's activities: who may read one (private, another athlete's, unknown
//! routes), `PUT /activities/{id}`, and the athlete's list (`GET /athlete/activities`).

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

#[tokio::test]
async fn put_activity_records_the_feed_and_flags_fields_and_refuses_unknown_ones() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let done = upload_and_poll(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "b")).await;
    let id = done["activity_id"].as_u64().expect("activity id");
    let url = format!("{}/activities/{id}", fake.api_base());
    let put = |body: serde_json::Value| {
        let (url, token) = (url.clone(), token.clone());
        async move {
            http()
                .put(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .expect("PUT")
        }
    };
    // UpdatableActivity's flags, as JSON and as a form: each is recorded on the activity.
    let updated = put(json!({"hide_from_home": true, "commute": true, "trainer": false})).await;
    assert_eq!(updated.status(), StatusCode::OK);
    let updated = json_of(updated).await;
    assert_eq!(
        (
            updated["hide_from_home"].clone(),
            updated["commute"].clone(),
            updated["trainer"].clone()
        ),
        (json!(true), json!(true), json!(false))
    );
    let form = http()
        .put(&url)
        .bearer_auth(&token)
        .form(&[("trainer", "true"), ("hide_from_home", "false")])
        .send()
        .await
        .expect("PUT form");
    assert_eq!(form.status(), StatusCode::OK);
    let stored = fake.activity(id).expect("stored");
    assert!(stored.trainer && stored.commute && !stored.hide_from_home);
    let state = inspect(&fake.base_url(), "/__fake/state").await;
    assert_eq!(state["activities"][0]["trainer"], true);
    // The request log keeps each body as sent.
    let puts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts[0].json.as_ref().expect("json")["hide_from_home"], true);
    assert_eq!(puts[1].form.as_ref().expect("form")["trainer"], "true");

    // A field UpdatableActivity does not have, a flag that is not one, a body that is not an
    // object: 400 naming the field, and nothing changes.
    for (body, field) in [
        (json!({"hide_from_feed": true}), "hide_from_feed"),
        (json!({"sport_type": "Walk", "private": true}), "private"),
        (json!({"commute": "often"}), "commute"),
        (json!(["hide_from_home"]), "body"),
    ] {
        let refused = put(body.clone()).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{body}");
        let fault = json_of(refused).await;
        assert_eq!(fault["errors"][0]["field"], field, "{body}");
        assert_eq!(fault["errors"][0]["resource"], "Activity", "{body}");
    }
    assert_eq!(
        fake.activity(id).expect("stored").sport_type,
        "Ride",
        "unchanged"
    );
}

/// `GET /athlete/activities?<query>` with `token`.
async fn list(fake: &mtp_testkit::fake::FakeStrava, token: &str, query: &str) -> reqwest::Response {
    http()
        .get(format!("{}/athlete/activities?{query}", fake.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /athlete/activities")
}

fn ids(list: &serde_json::Value) -> Vec<u64> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|a| a["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn the_athletes_activities_are_listed_in_a_window_by_page_and_count_as_reads() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let done = upload_and_poll(
        &fake,
        &token,
        upload_form(GPX.into(), "a.gpx", "gpx", "ext-1"),
    )
    .await;
    let uploaded = done["activity_id"].as_u64().expect("activity");
    // GPX starts 2021-06-01T10:00:00Z = 1622541600.
    let start = 1_622_541_600;
    let seeded: Vec<u64> = ["2021-06-01T12:00:00Z", "2021-06-02T10:00:00Z"]
        .iter()
        .map(|at| {
            fake.seed_activity(SeededActivity::new(at, 600))
                .expect("seed")
        })
        .collect();
    let mut private = SeededActivity::new("2021-06-01T13:00:00Z", 600);
    private.private = true;
    let private_id = fake.seed_activity(private).expect("private");
    let other = fake.register_athlete("Other", "Rider");
    let mut theirs = SeededActivity::new("2021-06-01T10:00:00Z", 600);
    theirs.athlete_id = Some(other.id);
    fake.seed_activity(theirs).expect("theirs");

    // No window: the caller's visible activities, newest first.
    let all = list(&fake, &token, "").await;
    assert_eq!(all.status(), StatusCode::OK);
    assert!(all.headers().contains_key("x-readratelimit-usage"));
    assert_eq!(ids(&json_of(all).await), [seeded[1], seeded[0], uploaded]);

    // A window around the upload's start: that one only, SummaryActivity fields.
    let window = format!("after={}&before={}", start - 60, start + 60);
    let found = json_of(list(&fake, &token, &window).await).await;
    assert_eq!(ids(&found), [uploaded]);
    let summary = &found[0];
    assert_eq!(summary["external_id"], "ext-1");
    assert_eq!(summary["name"], "Morning walk");
    assert_eq!(summary["start_date"], "2021-06-01T10:00:00Z");
    assert_eq!(summary["sport_type"], "Ride");
    assert_eq!(summary["resource_state"], 2);

    // `after` alone lists oldest first; pages of `per_page`.
    let after = format!("after={}", start - 1);
    assert_eq!(
        ids(&json_of(list(&fake, &token, &after).await).await),
        [uploaded, seeded[0], seeded[1]]
    );
    let page2 = format!("{after}&per_page=2&page=2");
    assert_eq!(
        ids(&json_of(list(&fake, &token, &page2).await).await),
        [seeded[1]]
    );
    let past = format!("{after}&per_page=2&page=3");
    assert!(ids(&json_of(list(&fake, &token, &past).await).await).is_empty());

    // Private activities need activity:read_all; the list itself activity:read.
    let read_all = fake
        .issue_tokens(fake.client().id, fake.athlete().id, &["activity:read_all"])
        .access_token;
    assert!(ids(&json_of(list(&fake, &read_all, "").await).await).contains(&private_id));
    let write_only = fake
        .issue_tokens(fake.client().id, fake.athlete().id, &["activity:write"])
        .access_token;
    let refused = list(&fake, &write_only, "").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(refused).await["errors"][0]["field"],
        "activity:read_permission"
    );
    let bad = list(&fake, &token, "after=yesterday").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Every list is a read ("non-upload") request, like the polls.
    let state = inspect(&fake.base_url(), "/__fake/state").await;
    let budget = &state["budgets"][fake.client().id.to_string()];
    let lists = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v3/athlete/activities")
        .count() as u64;
    let polls = fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/api/v3/uploads/"))
        .count() as u64;
    assert_eq!(budget["read_15min"].as_u64(), Some(lists + polls));
}
