//! Strava sign-in through the one callback router: deep link and loopback, and every refusal,
//! against the fake Strava with in-memory secrets.

use std::time::Duration;

use crate::support::sign_in::{assert_no_secret, browser, follow, state_of, World};
use mtp_engine::accounts::AuthError;
use mtp_engine::secrets::SecretKey;
use mtp_engine::settings::{Provider, RedirectMode};
use mtp_services::oauth::{CallbackError, RouteOutcome};
use mtp_testkit::fake::{Approval, StravaConfig};

const CALLBACK: &str = "mtp-strava-uploader://localhost/strava/callback";

#[tokio::test]
async fn deep_link_sign_in_stores_tokens_and_shows_the_athlete() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let url = url::Url::parse(&sign_in.authorize_url).unwrap();
    assert_eq!(url.path(), "/oauth/authorize");
    let query: std::collections::BTreeMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], world.strava.client().id.to_string());
    assert_eq!(query["redirect_uri"], CALLBACK);
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["approval_prompt"], "auto");
    assert_eq!(query["scope"], "activity:write,activity:read_all,read");
    assert!(sign_in
        .authorize_url
        .contains("scope=activity:write,activity:read_all,read&"));
    assert_eq!(query["state"].len(), 43);

    let location = follow(&sign_in.authorize_url).await;
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(
        world.accounts.handle_callback(&location),
        Ok(RouteOutcome::Accepted(Provider::Strava))
    );
    let status = sign_in.wait().await.unwrap();
    assert!(status.strava.connected);
    let athlete = world.strava.athlete();
    let name = format!("{} {}", athlete.firstname, athlete.lastname);
    assert_eq!(status.strava.athlete_name.as_deref(), Some(name.as_str()));
    assert_eq!(status.strava.athlete_id, Some(athlete.id.to_string()));
    assert_eq!(
        status.strava.granted_scopes,
        vec!["activity:write", "activity:read_all", "read"]
    );
    assert!(world.has(SecretKey::StravaAccessToken));
    assert!(world.has(SecretKey::StravaRefreshToken));
    // The client secret came from the environment: used, never written.
    assert!(!world.has(SecretKey::StravaClientSecret));
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 1);
    assert_no_secret(&world, &format!("{status:?}"));
    assert_no_secret(&world, &serde_json::to_string(&status).unwrap());
}

#[tokio::test]
async fn a_repeated_deep_link_is_ignored_silently_and_exchanges_nothing_twice() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    world.accounts.handle_callback(&location).unwrap();
    sign_in.wait().await.unwrap();
    // get_current() and the event can deliver the same URL again.
    assert_eq!(
        world.accounts.handle_callback(&location),
        Ok(RouteOutcome::AlreadyHandled)
    );
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 1);
    assert!(world.accounts.status().await.strava.connected);
}

#[tokio::test]
async fn loopback_sign_in_through_a_real_http_request() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::Loopback)
        .await
        .unwrap();
    let redirect = url::Url::parse(&sign_in.redirect_uri).unwrap();
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));
    assert_eq!(redirect.path(), "/strava/callback");
    assert_ne!(redirect.port(), Some(0));

    let location = follow(&sign_in.authorize_url).await;
    assert!(location.starts_with(&sign_in.redirect_uri), "{location}");
    let page = browser().get(&location).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("You can close this tab"));
    let status = sign_in.wait().await.unwrap();
    assert!(status.strava.connected);
}

#[tokio::test]
async fn the_loopback_listener_refuses_forgeries_and_stops_after_one_valid_callback() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::Loopback)
        .await
        .unwrap();
    let base = sign_in.redirect_uri.clone();
    // A forged state: refused, shown as text (never as HTML), the listener keeps waiting.
    let forged = browser()
        .get(format!(
            "{base}?state=<b>forged</b>&code=x&scope=activity:write"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    let text = forged.text().await.unwrap();
    assert!(!text.contains("<b>forged"), "{text}");
    // Another path of the listener is not served.
    let other = browser()
        .get(base.replace("/strava/callback", "/mtpw/callback"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);

    let location = follow(&sign_in.authorize_url).await;
    assert_eq!(browser().get(&location).send().await.unwrap().status(), 200);
    sign_in.wait().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        browser().get(&base).send().await.is_err(),
        "the listener must be gone after the sign-in"
    );
}

#[tokio::test]
async fn a_dropped_sign_in_stops_its_listener_and_forgets_its_state() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::Loopback)
        .await
        .unwrap();
    let base = sign_in.redirect_uri.clone();
    let location = follow(&sign_in.authorize_url).await;
    drop(sign_in);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(browser().get(&location).send().await.is_err());
    assert!(browser().get(&base).send().await.is_err());
    let deep = location.replace(&base, CALLBACK);
    assert_eq!(
        world.accounts.handle_callback(&deep),
        Err(CallbackError::UnknownState)
    );
    assert!(!world.accounts.status().await.strava.connected);
}

/// Starts a deep-link sign-in and returns it with its genuine callback URL.
async fn genuine(world: &World) -> (mtp_engine::accounts::SignIn, String) {
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    (sign_in, location)
}

#[tokio::test]
async fn hostile_links_are_refused_without_any_change() {
    let world = World::start().await;
    let (sign_in, location) = genuine(&world).await;
    let state = state_of(&sign_in.authorize_url);
    let long = format!(
        "{CALLBACK}?state={state}&code=x&pad={}",
        "a".repeat(10 * 1024)
    );
    let cases: Vec<(String, CallbackError)> = vec![
        (
            format!("{CALLBACK}?state=forged&code=x&scope=activity:write"),
            CallbackError::UnknownState,
        ),
        (
            format!("{CALLBACK}?code=x&scope=activity:write"),
            CallbackError::MissingState,
        ),
        (
            location.replace("localhost", "evil.example"),
            CallbackError::UnknownLink,
        ),
        (
            location.replace("/strava/callback", "/strava/other"),
            CallbackError::UnknownLink,
        ),
        (
            location.replace("mtp-strava-uploader:", "https:"),
            CallbackError::UnknownLink,
        ),
        ("garbage".into(), CallbackError::Malformed),
        (
            "mtp-strava-uploader://[::1".into(),
            CallbackError::Malformed,
        ),
        (long.clone(), CallbackError::TooLong { bytes: long.len() }),
        (
            format!("{location}&state={state}"),
            CallbackError::DuplicateParameter {
                name: "state".into(),
            },
        ),
        (
            format!("{location}&code=second"),
            CallbackError::DuplicateParameter {
                name: "code".into(),
            },
        ),
        // The right state on the MTPW path: not this sign-in.
        (
            location.replace("/strava/", "/mtpw/"),
            CallbackError::UnknownState,
        ),
    ];
    for (url, expected) in cases {
        let refused = world.accounts.handle_callback(&url);
        assert_eq!(refused, Err(expected), "{}", &url[..url.len().min(120)]);
        let message = refused.unwrap_err().to_string();
        assert!(
            !message.contains(&state),
            "the message repeats the state: {message}"
        );
    }
    assert!(world.secrets.writes().is_empty());
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 0);
    // Nothing changed: the genuine callback still completes the sign-in.
    assert_eq!(
        world.accounts.handle_callback(&location),
        Ok(RouteOutcome::Accepted(Provider::Strava))
    );
    assert!(sign_in.wait().await.unwrap().strava.connected);
}

#[tokio::test]
async fn a_declined_authorization_ends_the_sign_in_and_changes_nothing() {
    let world = World::start().await;
    world.strava.set_approval(Approval::Deny);
    let (sign_in, location) = genuine(&world).await;
    assert!(location.contains("error=access_denied"), "{location}");
    assert_eq!(
        world.accounts.handle_callback(&location),
        Err(CallbackError::AccessDenied {
            provider: Provider::Strava
        })
    );
    let err = sign_in.wait().await.unwrap_err();
    assert_eq!(err.code(), "access_denied");
    assert!(err.to_string().contains("declined"), "{err}");
    // The same link again is a reused state.
    assert_eq!(
        world.accounts.handle_callback(&location),
        Err(CallbackError::ReusedState)
    );
    assert!(world.secrets.writes().is_empty());
    assert!(!world.accounts.status().await.strava.connected);
}

#[tokio::test]
async fn granted_scopes_without_activity_write_are_refused() {
    let world = World::start().await;
    world.strava.set_approval(Approval::Approve {
        withhold: vec!["activity:write".into()],
    });
    let (sign_in, location) = genuine(&world).await;
    let refused = world.accounts.handle_callback(&location).unwrap_err();
    assert_eq!(
        refused,
        CallbackError::ScopeMissing {
            granted: "activity:read_all,read".into()
        }
    );
    assert!(refused.to_string().contains("upload"), "{refused}");
    assert_eq!(sign_in.wait().await.unwrap_err().code(), "scope_missing");
    assert_eq!(world.strava_requests("POST", "/oauth/token"), 0);
    assert!(world.secrets.writes().is_empty());
}

#[tokio::test]
async fn a_callback_without_a_code_is_refused() {
    let world = World::start().await;
    let (sign_in, _) = genuine(&world).await;
    let state = state_of(&sign_in.authorize_url);
    let url = format!("{CALLBACK}?state={state}&scope=read,activity:write");
    assert_eq!(
        world.accounts.handle_callback(&url),
        Err(CallbackError::MissingCode)
    );
    assert!(sign_in.wait().await.is_err());
    assert!(world.secrets.writes().is_empty());
}

#[tokio::test]
async fn an_expired_state_is_refused() {
    let world = World::start_with(StravaConfig::for_tests(), Duration::from_millis(300)).await;
    let (sign_in, location) = genuine(&world).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        world.accounts.handle_callback(&location),
        Err(CallbackError::ExpiredState {
            provider: Provider::Strava
        })
    );
    assert_eq!(sign_in.wait().await.unwrap_err().code(), "sign_in_expired");
    assert!(world.secrets.writes().is_empty());
}

#[tokio::test]
async fn a_sign_in_nobody_answers_times_out() {
    let world = World::start_with(StravaConfig::for_tests(), Duration::from_millis(200)).await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let err = sign_in.wait().await.unwrap_err();
    assert_eq!(err.code(), "sign_in_expired");
}

#[tokio::test]
async fn cancel_ends_a_waiting_sign_in() {
    let world = World::start().await;
    let (sign_in, location) = genuine(&world).await;
    assert!(world.accounts.status().await.strava.waiting);
    assert!(world.accounts.cancel_sign_in(Provider::Strava));
    assert_eq!(
        sign_in.wait().await.unwrap_err().code(),
        "sign_in_cancelled"
    );
    assert!(world.accounts.handle_callback(&location).is_err());
    assert!(!world.accounts.status().await.strava.waiting);
    assert!(world.secrets.writes().is_empty());
}

#[tokio::test]
async fn a_wrong_client_secret_is_reported_without_the_secret() {
    let world = World::start().await;
    // The same fakes, but the secret from the keyring, first missing, then wrong.
    let secrets = std::sync::Arc::new(mtp_engine::secrets::MemorySecrets::new());
    let mut pairs = vec![];
    let client = world.strava.client();
    let (api, oauth, id) = (
        world.strava.api_base(),
        world.strava.oauth_base(),
        client.id.to_string(),
    );
    pairs.push(("MTP_STRAVA_API_BASE", api.as_str()));
    pairs.push(("MTP_STRAVA_OAUTH_BASE", oauth.as_str()));
    pairs.push(("MTP_STRAVA_CLIENT_ID", id.as_str()));
    let accounts =
        mtp_engine::accounts::Accounts::new(mtp_engine::accounts::AccountsParts::in_memory(
            secrets.clone(),
            mtp_engine::settings::EnvOverrides::from_pairs(&pairs).unwrap(),
        ));
    let missing = accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "missing_setting");
    assert!(missing.to_string().contains("Client Secret"), "{missing}");

    let wrong = "0123456789abcdef0123456789abcdef01234567";
    accounts
        .set_strava_client_secret(mtp_engine::secrets::Secret::new(wrong))
        .await
        .unwrap();
    let sign_in = accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    accounts.handle_callback(&location).unwrap();
    let err = sign_in.wait().await.unwrap_err();
    assert_eq!(err, AuthError::BadClientCredentials);
    for text in [err.to_string(), format!("{err:?}"), format!("{accounts:?}")] {
        assert!(!text.contains(wrong), "{text}");
        assert_no_secret(&world, &text);
    }
    assert!(!accounts.status().await.strava.connected);
}
