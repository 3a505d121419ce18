//! The fake Strava's OAuth: authorize (redirect URIs, scopes, the approval page, refusal),
//! the callback's form and the code exchange.

use std::time::Duration;

use mtp_testkit::fake::{Approval, StravaConfig};
use reqwest::StatusCode;
use serde_json::json;

use super::support::{
    authorize, code_for, exchange, http, json_of, post_upload, query_of, start, upload_form, GPX,
};

#[tokio::test]
async fn code_exchange_works_once_and_returns_the_athlete() {
    let fake = start(StravaConfig::for_tests()).await;
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
    let fake = start(config).await;
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
    let fake = start(config).await;
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
    let fake = start(StravaConfig {
        approval: Approval::Page,
        ..StravaConfig::for_tests()
    })
    .await;
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
    let fake = start(StravaConfig {
        approval,
        ..StravaConfig::for_tests()
    })
    .await;
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
async fn callback_always_has_state_and_unencoded_scope_commas() {
    let fake = start(StravaConfig::for_tests()).await;
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
    let denied = start(StravaConfig {
        approval: Approval::Deny,
        ..StravaConfig::for_tests()
    })
    .await;
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
    let fake = start(StravaConfig::for_tests()).await;
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
