//! The fake Strava's duplicates: by points and times, external_id and time overlap (also
//! with a seeded activity), reported at poll or at POST, as an HTML link or plain text.

use std::time::Duration;

use mtp_testkit::fake::{DuplicateText, ProcessingDelay, SeededActivity, Stage, StravaConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{
    http, json_of, poll_upload, post_upload, start, upload_and_poll, upload_form, write_token, GPX,
    LATER_GPX,
};

#[tokio::test]
async fn duplicates_and_data_errors_can_be_reported_at_post_time() {
    let config = StravaConfig {
        duplicates_reported_at: Stage::Post,
        data_errors_reported_at: Stage::Post,
        processing: ProcessingDelay::Fixed(Duration::ZERO),
        ..StravaConfig::for_tests()
    };
    let fake = start(config).await;
    let token = write_token(&fake);
    let first =
        json_of(post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    let activity_id =
        poll_upload(&fake, &token, first["id"].as_u64().expect("id")).await["activity_id"].clone();
    let duplicate = post_upload(&fake, &token, upload_form(GPX.into(), "b.gpx", "gpx", "b")).await;
    assert_eq!(duplicate.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(duplicate).await["error"],
        format!("b.gpx duplicate of <a href='/activities/{activity_id}' target='_blank'>Morning walk</a>")
    );
    let wrong_encoding = post_upload(
        &fake,
        &token,
        upload_form(GPX.into(), "c.gpx.gz", "gpx.gz", "c"),
    )
    .await;
    assert_eq!(wrong_encoding.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(wrong_encoding).await["error"], "invalid encoding");
}

#[tokio::test]
async fn duplicate_text_is_the_html_link_by_default_and_plain_as_an_option() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let mut form = upload_form(GPX.into(), "a.gpx", "gpx", "a");
    form = form.text("description", "first");
    let first = upload_and_poll(&fake, &token, form).await;
    let id = first["activity_id"].clone();
    let dup = upload_and_poll(&fake, &token, upload_form(GPX.into(), "b.gpx", "gpx", "b")).await;
    let html = dup["error"].as_str().expect("error");
    assert_eq!(
        html,
        format!("b.gpx duplicate of <a href='/activities/{id}' target='_blank'>Morning walk</a>")
    );
    assert!(!html.contains("duplicate of activity"));

    let plain = start(StravaConfig {
        duplicate_text: DuplicateText::Plain,
        duplicates_reported_at: Stage::Post,
        ..StravaConfig::for_tests()
    })
    .await;
    let token = write_token(&plain);
    let first = upload_and_poll(&plain, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    let refused = post_upload(&plain, &token, upload_form(GPX.into(), "b.gpx", "gpx", "b")).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(refused).await["error"],
        format!("b.gpx duplicate of activity {}", first["activity_id"])
    );
}

#[tokio::test]
async fn reused_external_id_and_time_overlap_are_duplicates() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let first = upload_and_poll(
        &fake,
        &token,
        upload_form(GPX.into(), "a.gpx", "gpx", "seq-1"),
    )
    .await;
    let first_id = first["activity_id"].as_u64().expect("activity");
    // Another track, other times, the same external_id.
    let reused = upload_and_poll(
        &fake,
        &token,
        upload_form(LATER_GPX.into(), "later.gpx", "gpx", "seq-1"),
    )
    .await;
    assert_eq!(reused["activity_id"], Value::Null);
    assert!(
        reused["error"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("/activities/{first_id}'")),
        "{reused}"
    );
    // Other points inside the first activity's time span, another external_id.
    let moved = GPX
        .replace("51.50", "52.50")
        .replace("10:00:20", "10:00:15");
    let overlapping = upload_and_poll(
        &fake,
        &token,
        upload_form(moved.into_bytes(), "moved.gpx", "gpx", "seq-2"),
    )
    .await;
    assert!(
        overlapping["error"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("/activities/{first_id}'")),
        "{overlapping}"
    );
    // Neither the same external_id nor overlapping: a new activity.
    let fresh = upload_and_poll(
        &fake,
        &token,
        upload_form(LATER_GPX.into(), "later.gpx", "gpx", "seq-3"),
    )
    .await;
    assert!(fresh["activity_id"].is_u64(), "{fresh}");
}

#[tokio::test]
async fn a_seeded_activity_makes_an_overlapping_upload_a_duplicate() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let seeded = http()
        .post(format!("{}/__fake/activities", fake.base_url()))
        .json(&json!({"name": "Watch ride", "start_date": "2021-06-01T09:30:00Z", "elapsed_time": 3600}))
        .send()
        .await
        .expect("seed");
    assert_eq!(seeded.status(), StatusCode::CREATED);
    let seeded_id = json_of(seeded).await["id"].as_u64().expect("id");
    let dup = upload_and_poll(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    assert_eq!(
        dup["error"],
        format!(
            "a.gpx duplicate of <a href='/activities/{seeded_id}' target='_blank'>Watch ride</a>"
        )
    );
    // The Rust API seeds too; a bad date is refused.
    let later = fake
        .seed_activity(SeededActivity::new("2021-06-01T10:59:00Z", 120))
        .expect("seeded");
    assert!(fake.seed_activity(SeededActivity::new("June", 1)).is_err());
    let dup = upload_and_poll(
        &fake,
        &token,
        upload_form(LATER_GPX.into(), "b.gpx", "gpx", "b"),
    )
    .await;
    assert!(dup["error"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("/activities/{later}'")));
}
