//! Map the Paths sign-in (implicit flow, token in the fragment) by deep link and by loopback,
//! against the fake MTPW with in-memory secrets.

use std::sync::Arc;

use crate::support::sign_in::{browser, follow, state_of, World};
use mtp_engine::accounts::{Accounts, AccountsParts};
use mtp_engine::secrets::{MemorySecrets, SecretKey};
use mtp_engine::settings::{EnvOverrides, Provider, RedirectMode};
use mtp_services::oauth::{CallbackError, RouteOutcome};

const CALLBACK: &str = "mtp-strava-uploader://localhost/mtpw/callback";

/// The fake's tokens (`tokens` of its state), as text.
fn fake_has_token(world: &World, token: &str) -> bool {
    world.mtpw.state_json()["tokens"]
        .to_string()
        .contains(token)
}

#[tokio::test]
async fn deep_link_sign_in_keeps_the_token_from_the_fragment() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap();
    let url = url::Url::parse(&sign_in.authorize_url).unwrap();
    assert_eq!(url.path(), "/accounts/authorize");
    let query: std::collections::BTreeMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], world.mtpw.client_id());
    assert_eq!(query["response_type"], "token");
    assert_eq!(query["redirect_uri"], CALLBACK);
    assert_eq!(query["state"].len(), 43);

    let location = follow(&sign_in.authorize_url).await;
    assert!(location.starts_with(&format!("{CALLBACK}#")), "{location}");
    assert_eq!(
        world.accounts.handle_callback(&location),
        Ok(RouteOutcome::Accepted(Provider::Mtpw))
    );
    let status = sign_in.wait().await.unwrap();
    assert!(status.mtpw.connected);
    assert!(!status.strava.connected);
    let token = world.accounts.mtpw_token().await.unwrap();
    assert!(fake_has_token(&world, token.expose()));
    assert_eq!(
        *token.authorization_header(),
        format!("Bearer {}", token.expose())
    );
    assert_eq!(
        world.accounts.handle_callback(&location),
        Ok(RouteOutcome::AlreadyHandled)
    );

    world.accounts.disconnect(Provider::Mtpw).await.unwrap();
    assert!(!world.has(SecretKey::MtpwToken));
    assert!(!world.accounts.status().await.mtpw.connected);
    assert_eq!(
        world.accounts.mtpw_token().await.unwrap_err().code(),
        "not_connected"
    );
}

#[tokio::test]
async fn loopback_sign_in_posts_the_fragment_back_to_the_listener() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::Loopback)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    let (base, fragment) = location.split_once('#').expect("a fragment");
    assert_eq!(base, sign_in.redirect_uri);
    let origin = base.trim_end_matches("/mtpw/callback").to_string();

    // What the browser does: load the page (the fragment stays in the browser) ...
    let page = browser().get(base).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("location.hash") && html.contains("fetch("),
        "{html}"
    );

    // ... a post from another origin is refused ...
    let foreign = browser()
        .post(base)
        .header("Origin", "https://evil.example")
        .body(fragment.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    // ... as is one with a forged state, and nothing changes ...
    let forged = browser()
        .post(base)
        .header("Origin", &origin)
        .body("access_token=forged&state=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    assert!(world.secrets.writes().is_empty());

    // ... and the page's script posts the fragment to the same listener.
    let posted = browser()
        .post(base)
        .header("Origin", &origin)
        .header("Content-Type", "text/plain")
        .body(fragment.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    assert!(posted
        .text()
        .await
        .unwrap()
        .contains("You can close this tab"));
    let status = sign_in.wait().await.unwrap();
    assert!(status.mtpw.connected);
    let token = world.accounts.mtpw_token().await.unwrap();
    assert!(fragment.contains(token.expose()));
}

#[tokio::test]
async fn fragment_refusals() {
    let world = World::start().await;
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap();
    let state = state_of(&sign_in.authorize_url);
    let refused = |url: String| world.accounts.handle_callback(&url);
    assert_eq!(
        refused(format!("{CALLBACK}#access_token=t&state=forged")),
        Err(CallbackError::UnknownState)
    );
    assert_eq!(
        refused(format!(
            "{CALLBACK}#access_token=t&access_token=u&state={state}"
        )),
        Err(CallbackError::DuplicateParameter {
            name: "access_token".into()
        })
    );
    assert_eq!(
        refused(format!(
            "{CALLBACK}?state={state}#state={state}&access_token=t"
        )),
        Err(CallbackError::DuplicateParameter {
            name: "state".into()
        })
    );
    assert!(world.secrets.writes().is_empty());
    assert_eq!(
        refused(format!("{CALLBACK}#token_type=Bearer&state={state}")),
        Err(CallbackError::MissingToken)
    );
    assert_eq!(sign_in.wait().await.unwrap_err().code(), "callback_refused");

    let denied = world
        .accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap();
    let state = state_of(&denied.authorize_url);
    assert_eq!(
        refused(format!("{CALLBACK}#error=access_denied&state={state}")),
        Err(CallbackError::AccessDenied {
            provider: Provider::Mtpw
        })
    );
    assert_eq!(denied.wait().await.unwrap_err().code(), "access_denied");
    assert!(world.secrets.writes().is_empty());
}

#[tokio::test]
async fn the_redirect_uri_an_operator_registered_is_used_and_routed() {
    let world = World::start().await;
    let registered = "app.mtp.desktop://mtp-strava-uploader/callback";
    world.mtpw.register_redirect_uri(registered);
    let (base, id) = (world.mtpw.base_url(), world.mtpw.client_id());
    let env = EnvOverrides::from_pairs(&[
        ("MTPW_BASE", &base),
        ("MTPW_CLIENT_ID", &id),
        ("MTPW_REDIRECT_URI", registered),
    ])
    .unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    let accounts = Accounts::new(AccountsParts::in_memory(secrets.clone(), env));
    let settings = accounts.settings().await.unwrap();
    assert_eq!(settings.mtpw_redirect_uri.value, registered);
    assert!(settings.mtpw_redirect_uri.from_environment);
    let sign_in = accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap();
    assert_eq!(sign_in.redirect_uri, registered);
    let location = follow(&sign_in.authorize_url).await;
    assert!(location.starts_with(registered), "{location}");
    assert_eq!(
        accounts.handle_callback(&location),
        Ok(RouteOutcome::Accepted(Provider::Mtpw))
    );
    assert!(sign_in.wait().await.unwrap().mtpw.connected);
    assert_eq!(accounts.status().await.mtpw.redirect_uri, registered);
}

#[tokio::test]
async fn mtpw_needs_a_client_id() {
    let accounts = Accounts::new(AccountsParts::in_memory(
        Arc::new(MemorySecrets::new()),
        EnvOverrides::none(),
    ));
    let err = accounts
        .start_sign_in(Provider::Mtpw, RedirectMode::DeepLink)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "missing_setting");
    assert!(err.to_string().contains("client id"), "{err}");
}
