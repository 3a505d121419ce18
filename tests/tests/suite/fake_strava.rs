//! Behaviour of the fake Strava: OAuth rules, uploads, duplicates, activities, rate limits,
//! faults, inspection.

use std::time::{Duration, Instant};

use mtp_testkit::fake::{
    Approval, DuplicateText, ErrorBody, FakeStrava, FaultKind, FaultRule, ProcessingDelay,
    RateLimits, RefreshRotation, SeededActivity, Stage, StravaConfig,
};
use reqwest::{multipart, redirect, Client, Response, StatusCode};
use serde_json::{json, Value};

const GPX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>t</name><trkseg>
<trkpt lat="51.50000" lon="-0.12000"><ele>10</ele><time>2021-06-01T10:00:00Z</time></trkpt>
<trkpt lat="51.50100" lon="-0.12000"><ele>11</ele><time>2021-06-01T10:00:10Z</time></trkpt>
<trkpt lat="51.50200" lon="-0.12100"><ele>12</ele><time>2021-06-01T10:00:20Z</time></trkpt>
</trkseg></trk></gpx>"#;

fn http() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

async fn json_of(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

fn upload_form(
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

async fn post_upload(fake: &FakeStrava, token: &str, form: multipart::Form) -> Response {
    http()
        .post(format!("{}/uploads", fake.api_base()))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("POST /uploads")
}

/// Polls an upload until it leaves the processing state (at most 5 s).
async fn poll_upload(fake: &FakeStrava, token: &str, id: u64) -> Value {
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

fn write_token(fake: &FakeStrava) -> String {
    let (client, athlete) = (fake.client(), fake.athlete());
    fake.issue_tokens(
        client.id,
        athlete.id,
        &["read", "activity:write", "activity:read"],
    )
    .access_token
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    let url = url::Url::parse(location).expect("redirect URL");
    url.query_pairs().into_owned().collect()
}

async fn authorize(fake: &FakeStrava, path: &str, redirect_uri: &str, scope: &str) -> Response {
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

async fn exchange(fake: &FakeStrava, code: &str) -> Response {
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

async fn code_for(fake: &FakeStrava, scope: &str) -> String {
    let response = authorize(fake, "/oauth/authorize", "http://127.0.0.1:4567/cb", scope).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    query_of(&location)["code"].clone()
}

#[tokio::test]
async fn code_exchange_works_once_and_returns_the_athlete() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let response = authorize(
        &fake,
        "/oauth/authorize",
        "http://127.0.0.1:4567/cb",
        "read,activity:write",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let query = query_of(response.headers()["location"].to_str().expect("location"));
    assert_eq!(query["state"], "st-1");
    assert_eq!(query["scope"], "read,activity:write");
    let first = exchange(&fake, &query["code"]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let body = json_of(first).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 21_600);
    assert_eq!(body["athlete"]["id"], fake.athlete().id);
    let again = exchange(&fake, &query["code"]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(again).await["errors"][0]["field"], "code");
}

#[tokio::test]
async fn code_expires() {
    let config = StravaConfig {
        time_scale: 60_000.0,
        code_ttl_secs: 600,
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    let code = code_for(&fake, "activity:write").await;
    tokio::time::sleep(Duration::from_millis(30)).await; // 1800 fake seconds
    assert_eq!(
        exchange(&fake, &code).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn redirect_uri_must_be_within_callback_domain() {
    let config = StravaConfig {
        callback_domain: "example.org".into(),
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    for allowed in [
        "http://127.0.0.1:9/cb",
        "http://localhost:8080/x",
        "https://sub.example.org/cb",
        "mtp-strava-uploader://example.org/strava",
    ] {
        let response = authorize(&fake, "/oauth/authorize", allowed, "activity:write").await;
        assert_eq!(response.status(), StatusCode::FOUND, "{allowed}");
        assert!(response.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with(allowed));
    }
    for refused in [
        "https://evil.org/cb",
        "mtp-strava-uploader://evil.org/strava",
        "https://example.org.evil.com/",
    ] {
        let response = authorize(&fake, "/oauth/authorize", refused, "activity:write").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
        let body = json_of(response).await;
        assert_eq!(
            body["errors"][0],
            json!({"resource": "Application", "field": "redirect_uri", "code": "invalid"})
        );
    }
    let bad_scope = authorize(
        &fake,
        "/oauth/mobile/authorize",
        "http://127.0.0.1:9/cb",
        "activity:fly",
    )
    .await;
    assert_eq!(bad_scope.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn approval_page_then_decision_and_refusal() {
    let fake = FakeStrava::start(StravaConfig {
        approval: Approval::Page,
        ..StravaConfig::for_tests()
    })
    .await
    .expect("start");
    let page = authorize(
        &fake,
        "/oauth/authorize",
        "http://127.0.0.1:9/cb",
        "activity:write",
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let pending = html
        .split("name=\"pending\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("pending id");
    let cancel = http()
        .post(format!("{}/oauth/accept_application", fake.base_url()))
        .form(&[("pending", pending), ("decision", "cancel")])
        .send()
        .await
        .expect("decide");
    let query = query_of(cancel.headers()["location"].to_str().expect("location"));
    assert_eq!(query["error"], "access_denied");
    assert_eq!(query["state"], "st-1");
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn withheld_scope_is_reported_and_enforced() {
    let approval = Approval::Approve {
        withhold: vec!["activity:write".into()],
    };
    let fake = FakeStrava::start(StravaConfig {
        approval,
        ..StravaConfig::for_tests()
    })
    .await
    .expect("start");
    let response = authorize(
        &fake,
        "/oauth/authorize",
        "http://127.0.0.1:9/cb",
        "read,activity:write",
    )
    .await;
    let query = query_of(response.headers()["location"].to_str().expect("location"));
    assert_eq!(query["scope"], "read");
    let token = json_of(exchange(&fake, &query["code"]).await).await["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let upload = post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    assert_eq!(upload.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(upload).await,
        json!({"message": "Authorization Error", "errors": [{"resource": "AccessToken", "field": "activity:write_permission", "code": "missing"}]})
    );
}

#[tokio::test]
async fn refresh_rotation_invalidates_the_old_refresh_token() {
    // 20 000x: the 6 h token has less than an hour left after 0.9 s.
    let config = StravaConfig {
        time_scale: 20_000.0,
        code_ttl_secs: 1_000_000,
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    let client = fake.client();
    let first = json_of(exchange(&fake, &code_for(&fake, "activity:write").await).await).await;
    let refresh = |token: String| {
        let client = client.clone();
        let url = format!("{}/api/v3/oauth/token", fake.base_url());
        async move {
            http()
                .post(url)
                .form(&[
                    ("client_id", client.id.to_string()),
                    ("client_secret", client.secret),
                    ("grant_type", "refresh_token".into()),
                    ("refresh_token", token),
                ])
                .send()
                .await
                .expect("refresh")
        }
    };
    let old_refresh = first["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_string();
    let same = json_of(refresh(old_refresh.clone()).await).await;
    assert_eq!(same["access_token"], first["access_token"]);
    assert!(same.get("athlete").is_none());
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let rotated = json_of(refresh(old_refresh.clone()).await).await;
    assert_ne!(rotated["access_token"], first["access_token"]);
    assert_ne!(rotated["refresh_token"], first["refresh_token"]);
    let stale = refresh(old_refresh).await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(stale).await["errors"][0],
        json!({"resource": "RefreshToken", "field": "refresh_token", "code": "invalid"})
    );
    let fresh = refresh(rotated["refresh_token"].as_str().expect("new").to_string()).await;
    assert_eq!(fresh.status(), StatusCode::OK);
}

#[tokio::test]
async fn deauthorize_and_revoke_invalidate_tokens() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let athlete_url = format!("{}/athlete", fake.api_base());
    let token = write_token(&fake);
    assert_eq!(
        http()
            .get(&athlete_url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("athlete")
            .status(),
        StatusCode::OK
    );
    let deauth = http()
        .post(format!("{}/deauthorize", fake.oauth_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("deauth");
    assert_eq!(deauth.status(), StatusCode::OK);
    assert_eq!(
        http()
            .get(&athlete_url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("athlete")
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let client = fake.client();
    let tokens = fake.issue_tokens(client.id, fake.athlete().id, &["activity:write"]);
    let revoke = http()
        .post(format!("{}/revoke", fake.oauth_base()))
        .basic_auth(client.id, Some(&client.secret))
        .form(&[("token", tokens.refresh_token.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoke.status(), StatusCode::OK);
    let after = http()
        .get(&athlete_url)
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .expect("athlete");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(after).await["errors"][0]["field"], "access_token");
    let wrong_secret = http()
        .post(format!("{}/revoke", fake.oauth_base()))
        .basic_auth(client.id, Some("nope"))
        .form(&[("token", "x")])
        .send()
        .await
        .expect("revoke");
    assert_eq!(wrong_secret.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn upload_is_processed_into_an_activity_and_duplicates_are_detected() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let created = post_upload(
        &fake,
        &token,
        upload_form(GPX.into(), "walk.gpx", "gpx", "seq-1"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let upload = json_of(created).await;
    let id = upload["id"].as_u64().expect("id");
    assert!(id > u64::from(u32::MAX));
    assert_eq!(upload["id_str"], id.to_string());
    assert_eq!(upload["status"], "Your activity is still being processed.");
    assert_eq!(upload["activity_id"], Value::Null);
    let done = poll_upload(&fake, &token, id).await;
    assert_eq!(done["status"], "Your activity is ready.");
    let activity_id = done["activity_id"].as_u64().expect("activity id");
    assert!(activity_id > u64::from(u32::MAX));
    let activity = json_of(
        http()
            .get(format!("{}/activities/{activity_id}", fake.api_base()))
            .bearer_auth(&token)
            .send()
            .await
            .expect("activity"),
    )
    .await;
    assert_eq!(activity["name"], "Morning walk");
    assert_eq!(activity["elapsed_time"], 20);

    // Same points and times, other name, compression and external id.
    let again = post_upload(
        &fake,
        &token,
        upload_form(gzip(GPX.as_bytes()), "other.gpx.gz", "gpx.gz", "seq-2"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again_id = json_of(again).await["id"].as_u64().expect("id");
    let duplicate = poll_upload(&fake, &token, again_id).await;
    assert_eq!(
        duplicate["status"],
        "There was an error processing your activity."
    );
    assert_eq!(
        duplicate["error"],
        format!("other.gpx.gz duplicate of <a href='/activities/{activity_id}' target='_blank'>Morning walk</a>")
    );
    assert_eq!(duplicate["activity_id"], Value::Null);
}

#[tokio::test]
async fn duplicates_and_data_errors_can_be_reported_at_post_time() {
    let config = StravaConfig {
        duplicates_reported_at: Stage::Post,
        data_errors_reported_at: Stage::Post,
        processing: ProcessingDelay::Fixed(Duration::ZERO),
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
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
async fn file_checks_reject_bad_uploads() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let gz_as_plain = json_of(
        post_upload(
            &fake,
            &token,
            upload_form(gzip(GPX.as_bytes()), "a.gpx", "gpx", "a"),
        )
        .await,
    )
    .await;
    let result = poll_upload(&fake, &token, gz_as_plain["id"].as_u64().expect("id")).await;
    assert_eq!(result["error"], "invalid encoding");

    let no_time = GPX.replace("<time>2021-06-01T10:00:10Z</time>", "");
    let no_time = json_of(
        post_upload(
            &fake,
            &token,
            upload_form(no_time.into_bytes(), "b.gpx", "gpx", "b"),
        )
        .await,
    )
    .await;
    let result = poll_upload(&fake, &token, no_time["id"].as_u64().expect("id")).await;
    assert_eq!(
        result["status"],
        "There was an error processing your activity."
    );
    assert_eq!(result["error"], "Time information is missing from file.");

    let empty = post_upload(&fake, &token, upload_form(Vec::new(), "c.gpx", "gpx", "c")).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(empty).await["errors"][0],
        json!({"resource": "Upload", "field": "data", "code": "empty"})
    );

    let bad_type = post_upload(&fake, &token, upload_form(GPX.into(), "d.kml", "kml", "d")).await;
    assert_eq!(bad_type.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(bad_type).await["errors"][0]["field"], "data_type");

    let no_token = http()
        .post(format!("{}/uploads", fake.api_base()))
        .multipart(upload_form(GPX.into(), "e.gpx", "gpx", "e"))
        .send()
        .await
        .expect("post");
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(no_token).await,
        json!({"message": "Authorization Error", "errors": [{"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
    );
}

#[tokio::test]
async fn athletes_see_only_their_own_uploads() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let other_client = fake.register_client("example.com");
    let other_athlete = fake.register_athlete("Other", "Rider");
    assert_ne!(other_client.id, fake.client().id);
    let mine = write_token(&fake);
    let theirs = fake
        .issue_tokens(other_client.id, other_athlete.id, &["activity:write"])
        .access_token;
    let upload =
        json_of(post_upload(&fake, &mine, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    let url = format!("{}/uploads/{}", fake.api_base(), upload["id"]);
    let response = http()
        .get(url)
        .bearer_auth(theirs)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rate_limits_answer_429_with_headers_and_reset_with_the_window() {
    let limits = RateLimits {
        overall_15min: 5,
        overall_daily: 100,
        read_15min: 2,
        read_daily: 100,
    };
    // 300x: a 15-minute window lasts three real seconds (room for the requests on a busy
    // machine). Start one second after 01:00 UTC so the day does not roll during the test.
    let start = (1_700_000_000 / 86_400 * 86_400 + 3_600 + 1) as f64;
    let config = StravaConfig {
        limits,
        time_scale: 300.0,
        start_epoch_secs: Some(start),
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    let token = write_token(&fake);
    let clock = fake.clock();
    let get = || {
        http()
            .get(format!("{}/athlete", fake.api_base()))
            .bearer_auth(&token)
            .send()
    };
    for expected in 1..=2 {
        let ok = get().await.expect("athlete");
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()["x-ratelimit-limit"], "5,100");
        assert_eq!(ok.headers()["x-readratelimit-limit"], "2,100");
        assert_eq!(
            ok.headers()["x-readratelimit-usage"],
            format!("{expected},{expected}").as_str()
        );
    }
    let limited = get().await.expect("athlete");
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["x-readratelimit-usage"], "3,3");
    assert_eq!(limited.headers()["x-ratelimit-usage"], "3,3");
    assert_eq!(
        json_of(limited).await,
        json!({"message": "Rate Limit Exceeded", "errors": [{"resource": "Application", "field": "rate limit", "code": "exceeded"}]})
    );
    // Uploads use only the overall budget.
    let upload = post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    assert_eq!(upload.status(), StatusCode::CREATED);
    assert_eq!(upload.headers()["x-readratelimit-usage"], "3,3");
    assert_eq!(upload.headers()["x-ratelimit-usage"], "4,4");
    // The next window (at most 3 s later at 300x) starts afresh; the day keeps counting.
    let boundary = ((clock.now_secs() / 900) + 1) * 900;
    tokio::time::sleep(clock.real_until(boundary as f64 + 1.0)).await;
    let fresh = get().await.expect("athlete");
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(fresh.headers()["x-ratelimit-usage"], "1,5");
    assert_eq!(fresh.headers()["x-readratelimit-usage"], "1,4");
}

#[tokio::test]
async fn scripted_faults_fire_as_scripted() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let script = json!({"faults": [
        {"route": "GET /api/v3/athlete", "kind": "status", "status": 503, "count": 2},
        {"route": "GET /api/v3/uploads/*", "kind": "drop"},
        {"route": "POST /api/v3/uploads", "kind": "slow", "delay_ms": 300},
    ]});
    let scripted = http()
        .post(format!("{}/__fake/faults", fake.base_url()))
        .json(&script)
        .send()
        .await
        .expect("script");
    assert_eq!(scripted.status(), StatusCode::OK);
    let athlete = || {
        http()
            .get(format!("{}/athlete", fake.api_base()))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(
        athlete().await.expect("1").status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let second = athlete().await.expect("2");
    assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        !second.headers().contains_key("x-ratelimit-usage"),
        "an edge 5xx has no rate-limit headers"
    );
    assert_eq!(athlete().await.expect("3").status(), StatusCode::OK);

    let started = Instant::now();
    let upload =
        json_of(post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let dropped = http()
        .get(format!("{}/uploads/{}", fake.api_base(), upload["id"]))
        .bearer_auth(&token)
        .send()
        .await;
    let broken = match dropped {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(broken, "the client must see a broken response");

    let revoke = json!({"route": "GET /api/v3/athlete", "kind": "revoke_token"});
    http()
        .post(format!("{}/__fake/faults", fake.base_url()))
        .json(&revoke)
        .send()
        .await
        .expect("script");
    assert_eq!(
        athlete().await.expect("4").status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        athlete().await.expect("5").status(),
        StatusCode::UNAUTHORIZED,
        "the token stays revoked"
    );
}

#[tokio::test]
async fn probabilistic_faults_are_reproducible_with_a_seed() {
    async fn outcomes() -> Vec<u16> {
        let fake = FakeStrava::start(StravaConfig::for_tests())
            .await
            .expect("start");
        let script = json!({"seed": 42, "faults": [{"route": "* /oauth/**", "kind": "rate_limited", "probability": 0.5}]});
        http()
            .post(format!("{}/__fake/faults", fake.base_url()))
            .json(&script)
            .send()
            .await
            .expect("script");
        let mut statuses = Vec::new();
        for _ in 0..20 {
            let response = http()
                .post(format!("{}/token", fake.oauth_base()))
                .send()
                .await
                .expect("token");
            statuses.push(response.status().as_u16());
        }
        statuses
    }
    let first = outcomes().await;
    assert_eq!(first, outcomes().await);
    assert!(
        first.contains(&429) && first.iter().any(|s| *s != 429),
        "{first:?}"
    );
}

#[tokio::test]
async fn processing_error_fault_fails_the_next_upload() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let script =
        json!({"route": "POST /api/v3/uploads", "kind": "processing_error", "message": "boom"});
    http()
        .post(format!("{}/__fake/faults", fake.base_url()))
        .json(&script)
        .send()
        .await
        .expect("script");
    let upload =
        json_of(post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    let result = poll_upload(&fake, &token, upload["id"].as_u64().expect("id")).await;
    assert_eq!(result["error"], "boom");
}

#[tokio::test]
async fn inspection_reports_requests_and_state_and_resets() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let bytes = gzip(GPX.as_bytes());
    post_upload(
        &fake,
        &token,
        upload_form(bytes.clone(), "a.gpx.gz", "gpx.gz", "ext-9"),
    )
    .await;
    let requests = json_of(
        http()
            .get(format!("{}/__fake/requests", fake.base_url()))
            .send()
            .await
            .expect("requests"),
    )
    .await;
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

    let state = json_of(
        http()
            .get(format!("{}/__fake/state", fake.base_url()))
            .send()
            .await
            .expect("state"),
    )
    .await;
    assert_eq!(state["uploads"][0]["external_id"], "ext-9");
    assert_eq!(state["uploads"][0]["name"], "Morning walk");
    assert!(state["tokens"].as_array().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        state["budgets"][fake.client().id.to_string()]["overall_15min"],
        1
    );

    let reset = http()
        .post(format!("{}/__fake/reset", fake.base_url()))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), StatusCode::OK);
    let state = json_of(
        http()
            .get(format!("{}/__fake/state", fake.base_url()))
            .send()
            .await
            .expect("state"),
    )
    .await;
    assert_eq!(state["uploads"], json!([]));
    assert_eq!(state["clients"][0]["id"], fake.client().id);
}

// ---- Issue 7: the fake fails and answers the way Strava does. ----

/// The same walk one hour later: other points and times, no overlap with `GPX`.
const LATER_GPX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="51.60000" lon="-0.12000"><time>2021-06-01T11:00:00Z</time></trkpt>
<trkpt lat="51.60100" lon="-0.12000"><time>2021-06-01T11:00:10Z</time></trkpt>
</trkseg></trk></gpx>"#;

async fn upload_and_poll(fake: &FakeStrava, token: &str, form: multipart::Form) -> Value {
    let created = post_upload(fake, token, form).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = json_of(created).await["id"].as_u64().expect("id");
    poll_upload(fake, token, id).await
}

async fn get_activity(fake: &FakeStrava, token: &str, id: &Value) -> Response {
    http()
        .get(format!("{}/activities/{id}", fake.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET activity")
}

#[tokio::test]
async fn duplicate_text_is_the_html_link_by_default_and_plain_as_an_option() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
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

    let plain = FakeStrava::start(StravaConfig {
        duplicate_text: DuplicateText::Plain,
        duplicates_reported_at: Stage::Post,
        ..StravaConfig::for_tests()
    })
    .await
    .expect("start");
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
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
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
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
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

#[tokio::test]
async fn upload_fields_come_from_the_query_string_and_only_the_file_part_is_the_file() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let file_only = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(GPX.as_bytes().to_vec()).file_name("q.gpx"),
    );
    let created = http()
        .post(format!("{}/uploads", fake.api_base()))
        .query(&[
            ("data_type", "gpx"),
            ("name", "Query walk"),
            ("description", "from the URL"),
            ("external_id", "q-1"),
            ("commute", "1"),
        ])
        .bearer_auth(&token)
        .multipart(file_only)
        .send()
        .await
        .expect("upload");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = json_of(created).await;
    assert_eq!(created["external_id"], "q-1");
    let done = poll_upload(&fake, &token, created["id"].as_u64().expect("id")).await;
    let activity = json_of(get_activity(&fake, &token, &done["activity_id"]).await).await;
    assert_eq!(activity["name"], "Query walk");
    assert_eq!(activity["description"], "from the URL");
    assert_eq!(activity["commute"], true);

    // A file under another part name is not the upload: the real "empty" error.
    let wrong_part = multipart::Form::new()
        .part(
            "upload",
            multipart::Part::bytes(LATER_GPX.as_bytes().to_vec()).file_name("w.gpx"),
        )
        .text("data_type", "gpx");
    let refused = post_upload(&fake, &token, wrong_part).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(refused).await["errors"][0],
        json!({"resource": "Upload", "field": "data", "code": "empty"})
    );
}

#[tokio::test]
async fn injected_5xx_come_from_the_edge_without_rate_limit_headers() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let token = write_token(&fake);
    let rules = [
        FaultRule::next("GET /api/v3/athlete", FaultKind::Status { status: 502 }, 1),
        FaultRule::next(
            "GET /api/v3/athlete",
            FaultKind::ServerError {
                status: 503,
                body: ErrorBody::Plain,
            },
            1,
        ),
        FaultRule::next(
            "GET /api/v3/athlete",
            FaultKind::ServerError {
                status: 504,
                body: ErrorBody::Empty,
            },
            1,
        ),
        FaultRule::next(
            "GET /api/v3/athlete",
            FaultKind::ServerError {
                status: 500,
                body: ErrorBody::Json,
            },
            1,
        ),
    ];
    for rule in rules {
        fake.add_fault(rule);
    }
    let athlete = || {
        http()
            .get(format!("{}/athlete", fake.api_base()))
            .bearer_auth(&token)
            .send()
    };
    let expectations = [
        (502, Some("text/html"), true),
        (503, Some("text/plain"), true),
        (504, None, false),
    ];
    for (status, content_type, has_body) in expectations {
        let response = athlete().await.expect("athlete");
        assert_eq!(response.status().as_u16(), status);
        assert!(
            !response.headers().contains_key("x-ratelimit-usage"),
            "{status}"
        );
        let got_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").to_string());
        assert_eq!(got_type.as_deref(), content_type, "{status}");
        let body = response.text().await.expect("body");
        assert_eq!(!body.is_empty(), has_body, "{status}");
        assert!(
            serde_json::from_str::<Value>(&body).is_err(),
            "{status}: {body}"
        );
    }
    fake.add_fault(FaultRule::next(
        "POST /api/v3/oauth/token",
        FaultKind::Status { status: 502 },
        1,
    ));
    let token_edge = http()
        .post(format!("{}/api/v3/oauth/token", fake.base_url()))
        .send()
        .await
        .expect("token");
    assert_eq!(token_edge.status(), StatusCode::BAD_GATEWAY);
    assert!(!token_edge.headers().contains_key("x-ratelimit-usage"));
    let json_fault = athlete().await.expect("athlete");
    assert_eq!(json_fault.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(json_fault.headers().contains_key("x-ratelimit-usage"));
    assert!(json_of(json_fault).await["errors"].is_array());

    // The old JSON form as the default for `status` faults.
    let old = FakeStrava::start(StravaConfig {
        server_error_body: ErrorBody::Json,
        ..StravaConfig::for_tests()
    })
    .await
    .expect("start");
    old.add_fault(FaultRule::next(
        "GET /api/v3/athlete",
        FaultKind::Status { status: 503 },
        1,
    ));
    let response = http()
        .get(format!("{}/athlete", old.api_base()))
        .bearer_auth(write_token(&old))
        .send()
        .await
        .expect("athlete");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("x-ratelimit-usage"));
    assert!(json_of(response).await["message"].is_string());
}

#[tokio::test]
async fn hidden_activities_and_unknown_routes_are_resource_not_found() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
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
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
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
    let state = json_of(
        http()
            .get(format!("{}/__fake/state", fake.base_url()))
            .send()
            .await
            .expect("state"),
    )
    .await;
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
async fn refresh_can_keep_the_refresh_token() {
    let config = StravaConfig {
        time_scale: 20_000.0,
        code_ttl_secs: 1_000_000,
        refresh_rotation: RefreshRotation::Keep,
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    let client = fake.client();
    let first = json_of(exchange(&fake, &code_for(&fake, "activity:write").await).await).await;
    let refresh_token = first["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_string();
    let refresh = || {
        http()
            .post(format!("{}/token", fake.oauth_base()))
            .form(&[
                ("client_id", client.id.to_string()),
                ("client_secret", client.secret.clone()),
                ("grant_type", "refresh_token".into()),
                ("refresh_token", refresh_token.clone()),
            ])
            .send()
    };
    tokio::time::sleep(Duration::from_millis(1_000)).await; // under an hour left
    let renewed = json_of(refresh().await.expect("refresh")).await;
    assert_ne!(renewed["access_token"], first["access_token"]);
    assert_eq!(renewed["refresh_token"], first["refresh_token"]);
    let again = refresh().await.expect("refresh");
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "the kept refresh token still works"
    );
}

#[tokio::test]
async fn athlete_limit_and_inactive_application_answer_403() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    fake.add_fault(FaultRule::next(
        "POST /oauth/token",
        FaultKind::AthleteLimit,
        1,
    ));
    let code = code_for(&fake, "activity:write").await;
    let limited = exchange(&fake, &code).await;
    assert_eq!(limited.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(limited).await["message"],
        "Limit of connected athletes exceeded"
    );
    let script = json!({"route": "GET /api/v3/athlete", "kind": "inactive_application"});
    http()
        .post(format!("{}/__fake/faults", fake.base_url()))
        .json(&script)
        .send()
        .await
        .expect("script");
    let inactive = http()
        .get(format!("{}/athlete", fake.api_base()))
        .bearer_auth(write_token(&fake))
        .send()
        .await
        .expect("athlete");
    assert_eq!(inactive.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(inactive).await["errors"][0],
        json!({"resource": "Application", "field": "Status", "code": "Inactive"})
    );
}

#[tokio::test]
async fn callback_always_has_state_and_unencoded_scope_commas() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let response = http()
        .get(format!("{}/authorize", fake.oauth_base()))
        .query(&[
            ("client_id", fake.client().id.to_string().as_str()),
            ("redirect_uri", "http://127.0.0.1:4567/cb"),
            ("response_type", "code"),
            ("scope", "read,activity:write"),
        ])
        .send()
        .await
        .expect("authorize");
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(
        location.starts_with("http://127.0.0.1:4567/cb?state=&code="),
        "{location}"
    );
    assert!(
        location.ends_with("&scope=read,activity:write"),
        "{location}"
    );
    let denied = FakeStrava::start(StravaConfig {
        approval: Approval::Deny,
        ..StravaConfig::for_tests()
    })
    .await
    .expect("start");
    let response = http()
        .get(format!("{}/authorize", denied.oauth_base()))
        .query(&[
            ("client_id", denied.client().id.to_string().as_str()),
            ("redirect_uri", "http://127.0.0.1:4567/cb"),
            ("response_type", "code"),
            ("scope", "read"),
        ])
        .send()
        .await
        .expect("authorize");
    assert_eq!(
        response.headers()["location"],
        "http://127.0.0.1:4567/cb?state=&error=access_denied"
    );
}

#[tokio::test]
async fn bad_client_secret_at_token_exchange_names_the_application() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let code = code_for(&fake, "activity:write").await;
    let response = http()
        .post(format!("{}/token", fake.oauth_base()))
        .form(&[
            ("client_id", fake.client().id.to_string()),
            ("client_secret", "wrong".to_string()),
            ("code", code),
            ("grant_type", "authorization_code".to_string()),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(response).await["errors"],
        json!([{"resource": "Application", "field": "", "code": "invalid"}])
    );
}
