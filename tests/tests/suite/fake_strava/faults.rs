//! The fake Strava's injected faults: scripted, probabilistic with a seed, processing
//! errors, and 5xx from the edge.

use std::time::{Duration, Instant};

use mtp_testkit::fake::{ErrorBody, FaultKind, FaultRule, StravaConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{
    http, json_of, poll_upload, post_upload, script_faults, start, upload_form, write_token, GPX,
};

#[tokio::test]
async fn scripted_faults_fire_as_scripted() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let script = json!({"faults": [
        {"route": "GET /api/v3/athlete", "kind": "status", "status": 503, "count": 2},
        {"route": "GET /api/v3/uploads/*", "kind": "drop"},
        {"route": "POST /api/v3/uploads", "kind": "slow", "delay_ms": 300},
    ]});
    let scripted = script_faults(&fake.base_url(), &script).await;
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
    script_faults(&fake.base_url(), &revoke).await;
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
async fn a_revoked_access_token_is_refused_but_its_refresh_token_gets_a_new_one() {
    let fake = start(StravaConfig::for_tests()).await;
    let client = fake.client();
    let tokens = fake.issue_tokens(client.id, fake.athlete().id, &["activity:write"]);
    let athlete = |token: String| {
        http()
            .get(format!("{}/athlete", fake.api_base()))
            .bearer_auth(token)
            .send()
    };
    let revoke = json!({"route": "GET /api/v3/athlete", "kind": "revoke_access_token"});
    script_faults(&fake.base_url(), &revoke).await;
    let refused = athlete(tokens.access_token.clone()).await.expect("1");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let again = athlete(tokens.access_token.clone()).await.expect("2");
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "it stays revoked");

    // Six hours left, yet the refresh hands out a new access token: the old one is dead.
    let refreshed = http()
        .post(format!("{}/token", fake.oauth_base()))
        .form(&[
            ("client_id", client.id.to_string()),
            ("client_secret", client.secret.clone()),
            ("grant_type", "refresh_token".into()),
            ("refresh_token", tokens.refresh_token.clone()),
        ])
        .send()
        .await
        .expect("refresh");
    assert_eq!(refreshed.status(), StatusCode::OK);
    let body = json_of(refreshed).await;
    let new_token = body["access_token"].as_str().expect("access").to_string();
    assert_ne!(new_token, tokens.access_token);
    assert_eq!(
        athlete(new_token).await.expect("3").status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn probabilistic_faults_are_reproducible_with_a_seed() {
    async fn outcomes() -> Vec<u16> {
        let fake = start(StravaConfig::for_tests()).await;
        let script = json!({"seed": 42, "faults": [{"route": "* /oauth/**", "kind": "rate_limited", "probability": 0.5}]});
        script_faults(&fake.base_url(), &script).await;
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
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let script =
        json!({"route": "POST /api/v3/uploads", "kind": "processing_error", "message": "boom"});
    script_faults(&fake.base_url(), &script).await;
    let upload =
        json_of(post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    let result = poll_upload(&fake, &token, upload["id"].as_u64().expect("id")).await;
    assert_eq!(result["error"], "boom");
}

#[tokio::test]
async fn injected_5xx_come_from_the_edge_without_rate_limit_headers() {
    let fake = start(StravaConfig::for_tests()).await;
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
    let old = start(StravaConfig {
        server_error_body: ErrorBody::Json,
        ..StravaConfig::for_tests()
    })
    .await;
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
async fn a_late_answer_leaves_the_upload_made_when_the_client_gave_up() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let late = json!({"route": "POST /api/v3/uploads", "kind": "late", "delay_ms": 1500});
    script_faults(&fake.base_url(), &late).await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let form = upload_form(GPX.into(), "a.gpx", "gpx", "late-1");
    let started = Instant::now();
    let sent = impatient
        .post(format!("{}/uploads", fake.api_base()))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await;
    assert!(
        sent.is_err_and(|e| e.is_timeout()),
        "the answer comes too late"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    // Handled all the same: Strava has the upload, and soon the activity.
    let state = fake.state_json();
    let uploads = state["uploads"].as_array().expect("uploads");
    assert_eq!(uploads.len(), 1);
    let id = uploads[0]["id"].as_u64().expect("id");
    assert!(poll_upload(&fake, &token, id).await["activity_id"].is_u64());
}
