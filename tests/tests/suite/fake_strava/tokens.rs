//! The fake Strava's tokens after the exchange: refresh (rotated or kept), deauthorize, revoke.

use std::time::Duration;

use mtp_testkit::fake::{RefreshRotation, StravaConfig};
use reqwest::StatusCode;
use serde_json::json;

use super::support::{code_for, exchange, get_athlete, http, json_of, start, write_token};

#[tokio::test]
async fn refresh_rotation_invalidates_the_old_refresh_token() {
    // 20 000x: the 6 h token has less than an hour left after 0.9 s.
    let config = StravaConfig {
        time_scale: 20_000.0,
        code_ttl_secs: 1_000_000,
        ..StravaConfig::for_tests()
    };
    let fake = start(config).await;
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
async fn refresh_can_keep_the_refresh_token() {
    let config = StravaConfig {
        time_scale: 20_000.0,
        code_ttl_secs: 1_000_000,
        refresh_rotation: RefreshRotation::Keep,
        ..StravaConfig::for_tests()
    };
    let fake = start(config).await;
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
async fn deauthorize_and_revoke_invalidate_tokens() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    assert_eq!(get_athlete(&fake, &token).await.status(), StatusCode::OK);
    let deauth = http()
        .post(format!("{}/deauthorize", fake.oauth_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("deauth");
    assert_eq!(deauth.status(), StatusCode::OK);
    assert_eq!(
        get_athlete(&fake, &token).await.status(),
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
    let after = get_athlete(&fake, &tokens.access_token).await;
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
