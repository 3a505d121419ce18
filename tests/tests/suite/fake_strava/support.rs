//! What the fake Strava tests share: starting the fake, two small tracks, the HTTP client,
//! and the OAuth and upload requests they make.

use std::time::{Duration, Instant};

use mtp_testkit::fake::{FakeStrava, StravaConfig};
use reqwest::{multipart, Response, StatusCode};
use serde_json::Value;

pub(super) use crate::support::{http, inspect, json_of, reset, script_faults};

/// A fake Strava with `config`, on a free port (stopped when dropped).
pub(super) async fn start(config: StravaConfig) -> FakeStrava {
    FakeStrava::start(config).await.expect("start")
}

pub(super) const GPX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>t</name><trkseg>
<trkpt lat="51.50000" lon="-0.12000"><ele>10</ele><time>2021-06-01T10:00:00Z</time></trkpt>
<trkpt lat="51.50100" lon="-0.12000"><ele>11</ele><time>2021-06-01T10:00:10Z</time></trkpt>
<trkpt lat="51.50200" lon="-0.12100"><ele>12</ele><time>2021-06-01T10:00:20Z</time></trkpt>
</trkseg></trk></gpx>"#;

/// The same walk one hour later: other points and times, no overlap with `GPX`.
pub(super) const LATER_GPX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="51.60000" lon="-0.12000"><time>2021-06-01T11:00:00Z</time></trkpt>
<trkpt lat="51.60100" lon="-0.12000"><time>2021-06-01T11:00:10Z</time></trkpt>
</trkseg></trk></gpx>"#;

pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

pub(super) fn upload_form(
    bytes: Vec<u8>,
    file_name: &str,
    data_type: &str,
    external_id: &str,
) -> multipart::Form {
    multipart::Form::new()
        .part(
            "file",
            multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        )
        .text("data_type", data_type.to_string())
        .text("name", "Morning walk")
        .text("external_id", external_id.to_string())
}

pub(super) async fn post_upload(fake: &FakeStrava, token: &str, form: multipart::Form) -> Response {
    http()
        .post(format!("{}/uploads", fake.api_base()))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("POST /uploads")
}

/// Polls an upload until it leaves the processing state (at most 5 s).
pub(super) async fn poll_upload(fake: &FakeStrava, token: &str, id: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let body = json_of(
            http()
                .get(format!("{}/uploads/{id}", fake.api_base()))
                .bearer_auth(token)
                .send()
                .await
                .expect("GET upload"),
        )
        .await;
        if body["status"] != "Your activity is still being processed." {
            return body;
        }
        assert!(Instant::now() < deadline, "upload {id} still processing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub(super) async fn upload_and_poll(
    fake: &FakeStrava,
    token: &str,
    form: multipart::Form,
) -> Value {
    let created = post_upload(fake, token, form).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = json_of(created).await["id"].as_u64().expect("id");
    poll_upload(fake, token, id).await
}

pub(super) fn write_token(fake: &FakeStrava) -> String {
    let (client, athlete) = (fake.client(), fake.athlete());
    fake.issue_tokens(
        client.id,
        athlete.id,
        &["read", "activity:write", "activity:read"],
    )
    .access_token
}

pub(super) fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    let url = url::Url::parse(location).expect("redirect URL");
    url.query_pairs().into_owned().collect()
}

pub(super) async fn authorize(
    fake: &FakeStrava,
    path: &str,
    redirect_uri: &str,
    scope: &str,
) -> Response {
    let client_id = fake.client().id.to_string();
    http()
        .get(format!("{}{path}", fake.base_url()))
        .query(&[
            ("client_id", client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("response_type", "code"),
            ("scope", scope),
            ("state", "st-1"),
        ])
        .send()
        .await
        .expect("authorize")
}

pub(super) async fn exchange(fake: &FakeStrava, code: &str) -> Response {
    let client = fake.client();
    http()
        .post(format!("{}/token", fake.oauth_base()))
        .form(&[
            ("client_id", client.id.to_string()),
            ("client_secret", client.secret),
            ("code", code.to_string()),
            ("grant_type", "authorization_code".to_string()),
        ])
        .send()
        .await
        .expect("token")
}

pub(super) async fn code_for(fake: &FakeStrava, scope: &str) -> String {
    let response = authorize(fake, "/oauth/authorize", "http://127.0.0.1:4567/cb", scope).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    query_of(&location)["code"].clone()
}

/// `GET /athlete` with `token`.
pub(super) async fn get_athlete(fake: &FakeStrava, token: &str) -> Response {
    http()
        .get(format!("{}/athlete", fake.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .expect("athlete")
}

pub(super) async fn get_activity(fake: &FakeStrava, token: &str, id: &Value) -> Response {
    http()
        .get(format!("{}/activities/{id}", fake.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET activity")
}
