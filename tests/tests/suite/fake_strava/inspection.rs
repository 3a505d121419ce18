//! The fake Strava's inspection API: `/__fake/requests`, `/__fake/state` and `/__fake/reset`.

use mtp_testkit::fake::StravaConfig;
use reqwest::StatusCode;
use serde_json::json;

use super::support::{gzip, inspect, post_upload, reset, start, upload_form, write_token, GPX};

#[tokio::test]
async fn inspection_reports_requests_and_state_and_resets() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let bytes = gzip(GPX.as_bytes());
    post_upload(
        &fake,
        &token,
        upload_form(bytes.clone(), "a.gpx.gz", "gpx.gz", "ext-9"),
    )
    .await;
    let requests = inspect(&fake.base_url(), "/__fake/requests").await;
    let upload = requests
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["path"] == "/api/v3/uploads")
        .expect("upload logged")
        .clone();
    let keys: Vec<&str> = upload
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "file_sha256",
            "form",
            "headers",
            "json",
            "method",
            "path",
            "query"
        ]
    );
    assert_eq!(upload["method"], "POST");
    assert_eq!(
        upload["headers"]["authorization"],
        format!("Bearer {token}")
    );
    assert_eq!(upload["form"]["external_id"], "ext-9");
    assert_eq!(upload["form"]["data_type"], "gpx.gz");
    assert_eq!(
        upload["file_sha256"],
        mtp_testkit::fake::http::sha256_hex(&bytes)
    );

    let state = inspect(&fake.base_url(), "/__fake/state").await;
    assert_eq!(state["uploads"][0]["external_id"], "ext-9");
    assert_eq!(state["uploads"][0]["name"], "Morning walk");
    assert!(state["tokens"].as_array().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        state["budgets"][fake.client().id.to_string()]["overall_15min"],
        1
    );

    let reset = reset(&fake.base_url()).await;
    assert_eq!(reset.status(), StatusCode::OK);
    let state = inspect(&fake.base_url(), "/__fake/state").await;
    assert_eq!(state["uploads"], json!([]));
    assert_eq!(state["clients"][0]["id"], fake.client().id);
}
