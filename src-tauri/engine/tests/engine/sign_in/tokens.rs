//! The token source and disconnect against the fake Strava: refresh under an hour, rotation
//! stored first, one refresh after a 401, a revoked refresh token, revoke with its fallbacks.

use crate::support::sign_in::{assert_no_secret, browser, follow, World};
use mtp_engine::accounts::{Accounts, AccountsParts, AuthError};
use mtp_engine::secrets::{SecretKey, SecretWrite};
use mtp_engine::settings::{EnvOverrides, Provider, RedirectMode};
use mtp_engine::tokens::AccessToken;
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
    assert_eq!(token.authorization_header(), format!("Bearer {access}"));
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
        .strava_token_after_unauthorized(&token)
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
        .strava_token_after_unauthorized(&AccessToken::new(&access))
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
    ]);
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

/// Two processes (the app and the CLI) on one data folder and one keyring, both finding the
/// access token under an hour: they refresh one after the other, each with the refresh token
/// the other stored, so no refresh token is spent twice and nobody is signed out.
#[tokio::test]
async fn two_processes_refreshing_at_once_never_spend_a_refresh_token_twice() {
    let config = StravaConfig {
        access_token_ttl_secs: 1_800,
        ..StravaConfig::for_tests()
    };
    let world = signed_in(config).await;
    let data = tempfile::tempdir().unwrap();
    let process = || {
        Accounts::new(AccountsParts {
            secrets: world.secrets.clone(),
            settings: std::sync::Arc::new(mtp_engine::settings::MemorySettings::new()),
            env: crate::support::sign_in::env_for(&world.strava, &world.mtpw),
            sign_in_timeout: std::time::Duration::from_secs(60),
            data_dir: Some(data.path().to_path_buf()),
            keyring_timeout: std::time::Duration::from_secs(5),
        })
    };
    let (app, cli) = (process(), process());
    for _ in 0..3 {
        let (a, b) = tokio::join!(app.strava_access_token(), cli.strava_access_token());
        a.expect("the app keeps its sign-in");
        b.expect("the CLI keeps its sign-in");
    }
    let spent: Vec<String> = world
        .strava
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/oauth/token")
        .filter_map(|r| r.form.as_ref()?.get("refresh_token").cloned())
        .collect();
    assert!(spent.len() >= 2, "{spent:?}");
    let mut distinct = spent.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        spent.len(),
        "a refresh token was sent twice"
    );
    let (access, refresh, revoked) = fake_tokens(&world);
    assert!(!revoked);
    assert_eq!(stored(&world, SecretKey::StravaRefreshToken), refresh);
    assert_eq!(athlete_status(&world, &access).await, 200);
}

/// A refresh refused because another process rotated the refresh token between this one's
/// read and its refresh forgets nothing: the newer tokens in the keyring are kept and used.
#[tokio::test]
async fn a_refused_old_refresh_token_keeps_the_newer_tokens_in_the_keyring() {
    let config = StravaConfig {
        access_token_ttl_secs: 1_800,
        ..StravaConfig::for_tests()
    };
    let world = signed_in(config).await;
    let (first_access, spent_refresh, _) = fake_tokens(&world);
    // "Another process" refreshes: the fake rotates the refresh token and the keyring has it.
    let newer = world
        .accounts
        .strava_token_after_unauthorized(&AccessToken::new(&first_access))
        .await
        .unwrap();
    let newer_refresh = stored(&world, SecretKey::StravaRefreshToken);
    assert_ne!(newer_refresh, spent_refresh);
    // This process read the refresh token before that rotation: its first read is the spent one.
    let stale = std::sync::Arc::new(StaleFirstRead {
        inner: world.secrets.clone(),
        stale: std::sync::Mutex::new(Some(spent_refresh)),
    });
    let process = Accounts::new(AccountsParts::in_memory(
        stale,
        crate::support::sign_in::env_for(&world.strava, &world.mtpw),
    ));
    let token = process
        .strava_token_after_unauthorized(&newer)
        .await
        .expect("the newer stored token, not a sign-out");
    assert_eq!(token, newer);
    assert_eq!(stored(&world, SecretKey::StravaRefreshToken), newer_refresh);
    assert!(world.has(SecretKey::StravaAccessToken));
}

/// The keyring as a process saw it a moment ago: the first read of the refresh token answers
/// an older value, every later read the current one.
struct StaleFirstRead {
    inner: std::sync::Arc<mtp_engine::secrets::MemorySecrets>,
    stale: std::sync::Mutex<Option<String>>,
}

impl mtp_engine::secrets::Secrets for StaleFirstRead {
    fn check_available(&self) -> Result<(), mtp_engine::secrets::SecretsError> {
        self.inner.check_available()
    }
    fn get(
        &self,
        key: SecretKey,
    ) -> Result<Option<mtp_engine::secrets::Secret>, mtp_engine::secrets::SecretsError> {
        if key == SecretKey::StravaRefreshToken {
            if let Some(old) = self.stale.lock().unwrap().take() {
                return Ok(Some(mtp_engine::secrets::Secret::new(old)));
            }
        }
        self.inner.get(key)
    }
    fn set(
        &self,
        key: SecretKey,
        value: &mtp_engine::secrets::Secret,
    ) -> Result<(), mtp_engine::secrets::SecretsError> {
        self.inner.set(key, value)
    }
    fn delete(&self, key: SecretKey) -> Result<(), mtp_engine::secrets::SecretsError> {
        self.inner.delete(key)
    }
}
