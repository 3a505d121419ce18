//! The token source and disconnect against the fake Strava: refresh under an hour, rotation
//! stored first, one refresh after a 401, a revoked refresh token, revoke with its fallbacks.

use crate::support::sign_in::{assert_no_secret, browser, follow, World};
use mtp_engine::accounts::{Accounts, AccountsParts, AuthError};
use mtp_engine::secrets::{SecretKey, SecretWrite};
use mtp_engine::settings::{EnvOverrides, Provider, RedirectMode};
use mtp_testkit::fake::{FaultKind, FaultRule, RefreshRotation, StravaConfig};

async fn signed_in(config: StravaConfig) -> World {
    let world = World::start_with(config, std::time::Duration::from_secs(600)).await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    world.accounts.handle_callback(&location).unwrap();
    assert!(sign_in.wait().await.unwrap().strava.connected);
    world
}

/// The fake's current tokens of the one grant (`tokens` in its state).
fn fake_tokens(world: &World) -> (String, String, bool) {
    let state = world.strava.state_json();
    let grant = state["tokens"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("a grant");
    (
        grant["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        grant["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        grant["revoked"].as_bool().unwrap_or(false),
    )
}

fn stored(world: &World, key: SecretKey) -> String {
    world.secrets.snapshot()[&key].expose().to_string()
}

async fn athlete_status(world: &World, token: &str) -> u16 {
    browser()
        .get(format!("{}/athlete", world.strava.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_token_with_hours_left_is_used_as_it_is() {
    let world = signed_in(StravaConfig::for_tests()).await;
    let token = world.accounts.strava_access_token().await.unwrap();
    let (access, _, _) = fake_tokens(&world);
    assert_eq!(token.expose(), access);
    assert_eq!(*token.authorization_header(), format!("Bearer {access}"));
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 1);
    assert_eq!(athlete_status(&world, token.expose()).await, 200);
    assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
}

#[tokio::test]
async fn under_an_hour_left_the_token_is_refreshed_and_the_rotated_refresh_token_stored_first() {
    let config = StravaConfig {
        access_token_ttl_secs: 1_800,
        ..StravaConfig::for_tests()
    };
    let world = signed_in(config).await;
    let (old_access, old_refresh, _) = fake_tokens(&world);
    let writes_before = world.secrets.writes().len();

    let token = world.accounts.strava_access_token().await.unwrap();
    let (new_access, new_refresh, _) = fake_tokens(&world);
    assert_ne!(new_access, old_access);
    assert_ne!(new_refresh, old_refresh);
    assert_eq!(token.expose(), new_access);
    assert_eq!(stored(&world, SecretKey::StravaRefreshToken), new_refresh);
    assert!(stored(&world, SecretKey::StravaAccessToken).ends_with(&new_access));
    let writes = world.secrets.writes()[writes_before..].to_vec();
    assert_eq!(
        writes,
        vec![
            SecretWrite::Set(SecretKey::StravaRefreshToken),
            SecretWrite::Set(SecretKey::StravaAccessToken)
        ]
    );
    let refresh = world
        .strava
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/oauth/token")
        .unwrap();
    let form = refresh.form.unwrap();
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["refresh_token"], old_refresh);
    assert_eq!(athlete_status(&world, token.expose()).await, 200);
}

#[tokio::test]
async fn concurrent_callers_share_one_rotation() {
    let config = StravaConfig {
        access_token_ttl_secs: 1_800,
        ..StravaConfig::for_tests()
    };
    let world = signed_in(config).await;
    let (a, b) = tokio::join!(
        world.accounts.strava_access_token(),
        world.accounts.strava_access_token()
    );
    // Each refresh used the refresh token stored by the one before: both succeed.
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    let (_, refresh, _) = fake_tokens(&world);
    assert_eq!(stored(&world, SecretKey::StravaRefreshToken), refresh);
}

#[tokio::test]
async fn after_a_401_the_token_is_refreshed_once() {
    let world = signed_in(StravaConfig::for_tests()).await;
    world.strava.add_fault(FaultRule::next(
        "GET /api/v3/athlete",
        FaultKind::Unauthorized,
        1,
    ));
    let token = world.accounts.strava_access_token().await.unwrap();
    assert_eq!(athlete_status(&world, token.expose()).await, 401);
    let retry = world
        .accounts
        .strava_token_after_unauthorized()
        .await
        .unwrap();
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 2);
    assert_eq!(athlete_status(&world, retry.expose()).await, 200);
}

#[tokio::test]
async fn a_revoked_refresh_token_signs_out_of_strava() {
    let world = signed_in(StravaConfig::for_tests()).await;
    let (access, _, _) = fake_tokens(&world);
    // The athlete revokes the app on strava.com.
    let client = world.strava.client();
    let revoked = browser()
        .post(format!("{}/revoke", world.strava.oauth_base()))
        .basic_auth(client.id, Some(&client.secret))
        .form(&[("token", access.as_str())])
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());
    let secrets_text = world.secret_values();

    let err = world
        .accounts
        .strava_token_after_unauthorized()
        .await
        .unwrap_err();
    assert_eq!(err, AuthError::StravaSignedOut);
    assert!(err.to_string().contains("connect Strava again"), "{err}");
    for value in secrets_text {
        assert!(!err.to_string().contains(&value));
    }
    assert!(!world.has(SecretKey::StravaAccessToken));
    assert!(!world.has(SecretKey::StravaRefreshToken));
    let status = world.accounts.status().await;
    assert!(!status.strava.connected);
    assert_eq!(status.strava.athlete_name, None);
    let again = world.accounts.strava_access_token().await.unwrap_err();
    assert_eq!(again.code(), "not_connected");
}

#[tokio::test]
async fn disconnect_revokes_and_deletes_the_tokens() {
    let world = signed_in(StravaConfig::for_tests()).await;
    let (access, _, _) = fake_tokens(&world);
    let outcome = world.accounts.disconnect(Provider::Strava).await.unwrap();
    assert!(outcome.revoked);
    assert_eq!(outcome.warning, None);
    let revoke = world
        .strava
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/revoke")
        .expect("POST /oauth/revoke");
    assert_eq!(revoke.method, "POST");
    assert!(revoke.headers["authorization"].starts_with("Basic "));
    assert_eq!(revoke.form.unwrap()["token"], access);
    let (_, _, revoked) = fake_tokens(&world);
    assert!(revoked);
    assert!(!world.has(SecretKey::StravaAccessToken));
    assert!(!world.has(SecretKey::StravaRefreshToken));
    assert!(!world.accounts.status().await.strava.connected);
    assert_eq!(world.strava_requests("POST", "/oauth/deauthorize"), 0);
}

#[tokio::test]
async fn disconnect_falls_back_to_deauthorize() {
    let world = signed_in(StravaConfig::for_tests()).await;
    world.strava.add_fault(FaultRule::next(
        "POST /oauth/revoke",
        FaultKind::Status { status: 404 },
        1,
    ));
    let outcome = world.accounts.disconnect(Provider::Strava).await.unwrap();
    assert!(outcome.revoked);
    assert_eq!(world.strava_requests("POST", "/oauth/deauthorize"), 1);
    let (_, _, revoked) = fake_tokens(&world);
    assert!(revoked);
    assert!(!world.has(SecretKey::StravaRefreshToken));
}

#[tokio::test]
async fn disconnect_deletes_the_tokens_even_when_the_network_fails() {
    let world = signed_in(StravaConfig::for_tests()).await;
    // The same secrets, but Strava unreachable (nothing listens on port 9 of the loopback).
    let client = world.strava.client();
    let id = client.id.to_string();
    let env = EnvOverrides::from_pairs(&[
        ("MTP_STRAVA_OAUTH_BASE", "http://127.0.0.1:9"),
        ("MTP_STRAVA_API_BASE", "http://127.0.0.1:9/api/v3"),
        ("MTP_STRAVA_CLIENT_ID", &id),
        ("MTP_STRAVA_CLIENT_SECRET", &client.secret),
    ])
    .unwrap();
    let offline = Accounts::new(AccountsParts::in_memory(world.secrets.clone(), env));
    let secrets = world.secret_values();
    let outcome = offline.disconnect(Provider::Strava).await.unwrap();
    assert!(!outcome.revoked);
    let warning = outcome.warning.expect("a warning");
    for value in secrets {
        assert!(!warning.contains(&value), "{warning}");
    }
    assert!(!world.has(SecretKey::StravaAccessToken));
    assert!(!world.has(SecretKey::StravaRefreshToken));
    assert!(!world.accounts.status().await.strava.connected);
}

#[tokio::test]
async fn nothing_secret_in_debug_output() {
    let world = signed_in(StravaConfig::for_tests()).await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap();
    let token = world.accounts.strava_access_token().await.unwrap();
    let texts = [
        format!("{:?}", world.secrets.snapshot()),
        format!("{token:?}"),
        format!("{sign_in:?}"),
        format!("{:?}", world.accounts),
        format!("{:?}", world.accounts.settings().await.unwrap()),
        format!("{:?}", world.accounts.status().await),
        format!(
            "{:?}",
            crate::support::sign_in::env_for(&world.strava, &world.mtpw)
        ),
    ];
    for text in texts {
        assert_no_secret(&world, &text);
    }
}

#[tokio::test]
async fn a_refresh_that_keeps_the_refresh_token_rewrites_only_the_access_token() {
    let config = StravaConfig {
        access_token_ttl_secs: 1_800,
        refresh_rotation: RefreshRotation::Keep,
        ..StravaConfig::for_tests()
    };
    let world = signed_in(config).await;
    let (old_access, old_refresh, _) = fake_tokens(&world);
    let writes_before = world.secrets.writes().len();
    let token = world.accounts.strava_access_token().await.unwrap();
    let (new_access, new_refresh, _) = fake_tokens(&world);
    assert_ne!(new_access, old_access);
    assert_eq!(new_refresh, old_refresh);
    assert_eq!(token.expose(), new_access);
    assert_eq!(stored(&world, SecretKey::StravaRefreshToken), old_refresh);
    assert_eq!(
        world.secrets.writes()[writes_before..].to_vec(),
        vec![SecretWrite::Set(SecretKey::StravaAccessToken)]
    );
    // And again: the kept refresh token still works.
    assert!(world.accounts.strava_access_token().await.is_ok());
}
