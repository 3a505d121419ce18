//! Independent check: a plain HTTP client written only from the reference notes on the
//! Strava API (strava-api.md), not from the fake's code or the engine's client. Every
//! literal below (paths, field names, status strings, bodies) comes from those notes.

use std::time::{Duration, Instant};

use mtp_testkit::fake::{FakeStrava, StravaConfig};
use reqwest::{multipart, redirect, Client, StatusCode};
use serde_json::{json, Value};

const TRACK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="reference-check" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg>
<trkpt lat="45.0" lon="7.0"><ele>200</ele><time>2023-05-05T06:00:00Z</time></trkpt>
<trkpt lat="45.001" lon="7.001"><ele>201</ele><time>2023-05-05T06:00:30Z</time></trkpt>
</trkseg></trk></gpx>"#;

fn gzipped(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes()).expect("gzip");
    encoder.finish().expect("gzip")
}

/// The activity a duplicate error names, in either form the notes give:
/// `... duplicate of <a href='/activities/N' target='_blank'>Name</a>` or `... duplicate of activity N`.
fn duplicate_activity_id(error: &str) -> Option<u64> {
    let (_, rest) = error.split_once("duplicate of ")?;
    let digits = if let Some((_, after)) = rest.split_once("/activities/") {
        after
    } else {
        rest.strip_prefix("activity ")?
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

#[tokio::test]
async fn a_client_written_from_the_reference_gets_what_the_reference_promises() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let (www, api) = (fake.base_url(), fake.api_base());
    let app = fake.client();
    let http = Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");

    // OAuth: authorize with a loopback redirect, state returned unchanged.
    let authorize = http
        .get(format!("{www}/oauth/authorize"))
        .query(&[
            ("client_id", app.id.to_string().as_str()),
            ("redirect_uri", "http://127.0.0.1:8123/strava"),
            ("response_type", "code"),
            ("approval_prompt", "auto"),
            ("scope", "read,activity:write"),
            ("state", "xyz"),
        ])
        .send()
        .await
        .expect("authorize");
    let location = authorize
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect")
        .to_string();
    let callback = url::Url::parse(&location).expect("callback URL");
    let param = |name: &str| {
        callback
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some("xyz"));
    assert!(param("scope")
        .expect("scope")
        .split(',')
        .any(|s| s == "activity:write"));
    let code = param("code").expect("code");

    // Token exchange at /api/v3/oauth/token (documented as equivalent to /oauth/token).
    let exchange = http
        .post(format!("{api}/oauth/token"))
        .form(&[
            ("client_id", app.id.to_string()),
            ("client_secret", app.secret.clone()),
            ("code", code.clone()),
            ("grant_type", "authorization_code".to_string()),
        ])
        .send()
        .await
        .expect("exchange");
    assert_eq!(exchange.status(), StatusCode::OK);
    let tokens: Value = exchange.json().await.expect("json");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 21600);
    assert!(tokens["expires_at"].as_i64().expect("expires_at") > 1_600_000_000);
    for field in ["id", "username", "firstname", "lastname", "profile"] {
        assert!(tokens["athlete"].get(field).is_some(), "athlete.{field}");
    }
    let access = tokens["access_token"].as_str().expect("access").to_string();

    // The code is single-use.
    let reuse = http
        .post(format!("{www}/oauth/token"))
        .form(&[
            ("client_id", app.id.to_string()),
            ("client_secret", app.secret.clone()),
            ("code", code),
            ("grant_type", "authorization_code".to_string()),
        ])
        .send()
        .await
        .expect("reuse");
    assert!(reuse.status().is_client_error());

    // Refresh with more than an hour left: the same access token, no athlete.
    let refreshed: Value = http
        .post(format!("{www}/oauth/token"))
        .form(&[
            ("client_id", app.id.to_string()),
            ("client_secret", app.secret.clone()),
            ("grant_type", "refresh_token".to_string()),
            (
                "refresh_token",
                tokens["refresh_token"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
        ])
        .send()
        .await
        .expect("refresh")
        .json()
        .await
        .expect("json");
    assert_eq!(refreshed["access_token"].as_str(), Some(access.as_str()));
    assert!(refreshed.get("athlete").is_none());

    // Upload a gzipped GPX as gpx.gz; 201 with an Upload whose id is beyond 32 bits.
    let form = multipart::Form::new()
        .part(
            "file",
            multipart::Part::bytes(gzipped(TRACK)).file_name("ride.gpx.gz"),
        )
        .text("name", "Reference ride")
        .text("description", "from the notes")
        .text("trainer", "0")
        .text("commute", "0")
        .text("data_type", "gpx.gz")
        .text("external_id", "ref-1");
    let created = http
        .post(format!("{api}/uploads"))
        .header("Authorization", format!("Bearer {access}"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(created.status(), StatusCode::CREATED);
    for header in [
        "x-ratelimit-limit",
        "x-ratelimit-usage",
        "x-readratelimit-limit",
        "x-readratelimit-usage",
    ] {
        let value = created
            .headers()
            .get(header)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            value
                .split(',')
                .filter(|n| n.parse::<u64>().is_ok())
                .count(),
            2,
            "{header}: {value}"
        );
    }
    let upload: Value = created.json().await.expect("json");
    let upload_id = upload["id"].as_u64().expect("id");
    assert!(upload_id > 4_294_967_296);
    assert_eq!(
        upload["id_str"].as_str(),
        Some(upload_id.to_string().as_str())
    );
    assert_eq!(upload["activity_id"], Value::Null);

    // Poll (the notes say at least one second apart in production; faster here).
    let deadline = Instant::now() + Duration::from_secs(5);
    let ready = loop {
        let polled: Value = http
            .get(format!("{api}/uploads/{upload_id}"))
            .bearer_auth(&access)
            .send()
            .await
            .expect("poll")
            .json()
            .await
            .expect("json");
        if !polled["activity_id"].is_null() {
            break polled;
        }
        assert_eq!(polled["status"], "Your activity is still being processed.");
        assert!(Instant::now() < deadline, "never processed");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(ready["status"], "Your activity is ready.");
    assert_eq!(ready["error"], Value::Null);

    // The same data again, plain this time: a duplicate naming the first activity.
    let again = multipart::Form::new()
        .part(
            "file",
            multipart::Part::bytes(TRACK.as_bytes().to_vec()).file_name("again.gpx"),
        )
        .text("data_type", "gpx");
    let again: Value = http
        .post(format!("{api}/uploads"))
        .bearer_auth(&access)
        .multipart(again)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let deadline = Instant::now() + Duration::from_secs(5);
    let duplicate = loop {
        let polled: Value = http
            .get(format!("{api}/uploads/{}", again["id"]))
            .bearer_auth(&access)
            .send()
            .await
            .expect("poll")
            .json()
            .await
            .expect("json");
        if polled["status"] != "Your activity is still being processed." {
            break polled;
        }
        assert!(Instant::now() < deadline, "never processed");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(
        duplicate["status"],
        "There was an error processing your activity."
    );
    assert_eq!(
        duplicate_activity_id(duplicate["error"].as_str().unwrap_or_default()),
        ready["activity_id"].as_u64()
    );

    // Revoke (Basic client_id:client_secret, form token) kills the access token: 401 as documented.
    let revoked = http
        .post(format!("{www}/oauth/revoke"))
        .basic_auth(app.id, Some(&app.secret))
        .form(&[
            ("token", access.as_str()),
            ("token_type_hint", "access_token"),
        ])
        .send()
        .await
        .expect("revoke");
    assert!(revoked.status().is_success());
    let after = http
        .get(format!("{api}/uploads/{upload_id}"))
        .bearer_auth(&access)
        .send()
        .await
        .expect("after");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert!(after.headers().contains_key("x-ratelimit-usage"));
    assert_eq!(
        after.json::<Value>().await.expect("json"),
        json!({"message":"Authorization Error","errors":[{"resource":"Athlete","field":"access_token","code":"invalid"}]})
    );
}

/// Polls an upload until its status is no longer "still being processed" (at most 5 s).
async fn settled(http: &Client, api: &str, access: &str, upload_id: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let polled: Value = http
            .get(format!("{api}/uploads/{upload_id}"))
            .bearer_auth(access)
            .send()
            .await
            .expect("poll")
            .json()
            .await
            .expect("json");
        if polled["status"] != "Your activity is still being processed." {
            return polled;
        }
        assert!(Instant::now() < deadline, "never processed");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The link text of the HTML duplicate form (`...>Morning Walk</a>`), entities undone.
fn duplicate_activity_name(error: &str) -> Option<String> {
    let (_, rest) = error.split_once("target='_blank'>")?;
    let (name, _) = rest.split_once("</a>")?;
    Some(
        name.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// The notes: upload fields may travel in the query string beside a multipart part named
/// `file` (as stravalib sends them), and today's duplicate error is an HTML link whose href
/// holds the activity id.
#[tokio::test]
async fn a_client_sending_fields_in_the_query_string_reads_the_html_duplicate() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let app = fake.client();
    let access = fake
        .issue_tokens(
            app.id,
            fake.athlete().id,
            &["activity:write", "activity:read"],
        )
        .access_token;
    let api = fake.api_base();
    let http = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let send = |external_id: &'static str| {
        let form = multipart::Form::new().part(
            "file",
            multipart::Part::bytes(TRACK.as_bytes().to_vec()).file_name("ride.gpx"),
        );
        http.post(format!("{api}/uploads"))
            .query(&[
                ("data_type", "gpx"),
                ("name", "Query & \"Walk\""),
                ("external_id", external_id),
            ])
            .bearer_auth(&access)
            .multipart(form)
            .send()
    };
    let created = send("query-1").await.expect("upload");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["external_id"], "query-1");
    let ready = settled(&http, &api, &access, &created["id"]).await;
    let activity_id = ready["activity_id"].as_u64().expect("activity id");
    let activity: Value = http
        .get(format!("{api}/activities/{activity_id}"))
        .bearer_auth(&access)
        .send()
        .await
        .expect("activity")
        .json()
        .await
        .expect("json");
    assert_eq!(activity["name"], "Query & \"Walk\"");

    let again: Value = send("query-2")
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let duplicate = settled(&http, &api, &access, &again["id"]).await;
    assert_eq!(
        duplicate["status"],
        "There was an error processing your activity."
    );
    let error = duplicate["error"].as_str().unwrap_or_default();
    assert!(error.contains("<a href='/activities/"), "{error}");
    assert_eq!(duplicate_activity_id(error), Some(activity_id));
    assert_eq!(
        duplicate_activity_name(error).as_deref(),
        Some("Query & \"Walk\"")
    );
}
