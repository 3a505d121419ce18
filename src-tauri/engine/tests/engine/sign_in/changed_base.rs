//! Tokens are bound to the servers they were issued by: after the Strava or Map the Paths base
//! changes, the account reads as not connected ("signed in on <old>; sign in again for <new>")
//! and no token, refresh token or client secret reaches the new server until a new sign-in.

use std::sync::Arc;

use crate::support::sign_in::{mtpw_for_deep_links, sign_in_by_deep_link, use_mtpw, use_strava};
use mtp_engine::accounts::{Accounts, AccountsParts, AuthError};
use mtp_engine::secrets::{MemorySecrets, SecretKey, Secrets};
use mtp_engine::settings::{EnvOverrides, Provider};
use mtp_testkit::fake::{FakeMtpw, FakeStrava, StravaConfig};

fn accounts(secrets: Arc<MemorySecrets>) -> Accounts {
    Accounts::new(AccountsParts::in_memory(secrets, EnvOverrides::none()))
}

fn host(base: &str) -> String {
    let url = url::Url::parse(base).unwrap();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
}

#[tokio::test]
async fn a_changed_strava_base_needs_a_new_sign_in_and_gets_no_token() {
    let old = FakeStrava::start(StravaConfig::for_tests()).await.unwrap();
    let new = FakeStrava::start(StravaConfig::for_tests()).await.unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    let accounts = accounts(secrets.clone());
    use_strava(&accounts, &old).await;
    let status = sign_in_by_deep_link(&accounts, Provider::Strava).await;
    assert!(status.strava.connected);
    assert_eq!(status.strava.message, None);
    let tokens_at_old = old.requests().len();

    use_strava(&accounts, &new).await;
    let status = accounts.status().await;
    assert!(!status.strava.connected, "{status:?}");
    let expected = format!(
        "signed in on {}; sign in again for {}",
        host(&old.base_url()),
        host(&new.base_url())
    );
    assert_eq!(status.strava.message.as_deref(), Some(expected.as_str()));
    assert_eq!(status.strava.athlete_name, None);
    // Neither the access token nor a refresh (refresh token, client secret) goes anywhere.
    for err in [
        accounts.strava_access_token().await.unwrap_err(),
        accounts
            .strava_token_after_unauthorized(&mtp_engine::tokens::AccessToken::new("refused"))
            .await
            .unwrap_err(),
        accounts
            .strava_access_token_for(&new.api_base())
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(err, AuthError::BaseChanged { .. }), "{err:?}");
        assert_eq!(err.to_string(), expected);
        assert_eq!(err.code(), "base_changed");
    }
    // Asked for the old API while the OAuth base moved: a refresh would go to the new one.
    let err = accounts
        .strava_access_token_for(&old.api_base())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::BaseChanged { .. }), "{err:?}");
    assert!(new.requests().is_empty(), "{:?}", new.requests());
    assert_eq!(old.requests().len(), tokens_at_old);
    // The sign-in is kept: back on the old server, it is connected again.
    use_strava(&accounts, &old).await;
    assert!(accounts.status().await.strava.connected);
    assert!(accounts.strava_access_token().await.is_ok());

    // Signing in on the new server replaces it; the old server is not asked for anything.
    use_strava(&accounts, &new).await;
    let status = sign_in_by_deep_link(&accounts, Provider::Strava).await;
    assert!(status.strava.connected, "{status:?}");
    assert_eq!(status.strava.message, None);
    let token = accounts.strava_access_token().await.unwrap();
    assert!(new.state_json()["tokens"]
        .to_string()
        .contains(token.expose()));
    assert_eq!(old.requests().len(), tokens_at_old);
}

#[tokio::test]
async fn disconnecting_after_the_base_changed_revokes_nothing_on_the_new_server() {
    let old = FakeStrava::start(StravaConfig::for_tests()).await.unwrap();
    let new = FakeStrava::start(StravaConfig::for_tests()).await.unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    let accounts = accounts(secrets.clone());
    use_strava(&accounts, &old).await;
    sign_in_by_deep_link(&accounts, Provider::Strava).await;
    use_strava(&accounts, &new).await;

    let outcome = accounts.disconnect(Provider::Strava).await.unwrap();
    assert!(!outcome.revoked);
    let warning = outcome.warning.unwrap();
    assert!(
        warning.contains(&format!("did not send it to {}", host(&new.base_url()))),
        "{warning}"
    );
    assert!(new.requests().is_empty(), "{:?}", new.requests());
    assert_eq!(secrets.get(SecretKey::StravaRefreshToken).unwrap(), None);
    let status = accounts.status().await;
    assert!(!status.strava.connected);
    assert_eq!(
        status.strava.message, None,
        "signed out: nothing to explain"
    );
}

#[tokio::test]
async fn a_changed_mtpw_base_needs_a_new_sign_in_and_gets_no_token() {
    let old = FakeMtpw::start(mtpw_for_deep_links()).await.unwrap();
    let new = FakeMtpw::start(mtpw_for_deep_links()).await.unwrap();
    let accounts = accounts(Arc::new(MemorySecrets::new()));
    use_mtpw(&accounts, &old).await;
    let status = sign_in_by_deep_link(&accounts, Provider::Mtpw).await;
    assert!(status.mtpw.connected);
    assert!(accounts.mtpw_token().await.is_ok());

    use_mtpw(&accounts, &new).await;
    let status = accounts.status().await;
    assert!(!status.mtpw.connected);
    let expected = format!(
        "signed in on {}; sign in again for {}",
        host(&old.base_url()),
        host(&new.base_url())
    );
    assert_eq!(status.mtpw.message.as_deref(), Some(expected.as_str()));
    let err = accounts.mtpw_token().await.unwrap_err();
    assert_eq!(err.to_string(), expected);
    let err = accounts
        .mtpw_token_for(&format!("{}/api/v1", new.base_url()))
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::BaseChanged { .. }), "{err:?}");
    // The same server under its API path is the same server.
    assert!(accounts
        .mtpw_token_for(&format!("{}/api/v1", old.base_url()))
        .await
        .is_ok());
    assert!(new.requests().is_empty());

    let status = sign_in_by_deep_link(&accounts, Provider::Mtpw).await;
    assert!(status.mtpw.connected, "{status:?}");
    assert!(accounts.mtpw_token().await.is_ok());
}

#[tokio::test]
async fn an_account_from_before_the_bases_were_remembered_counts_as_on_the_default_servers() {
    // Tokens in the keyring, no record of where they came from: an older version signed in.
    let secrets = Arc::new(MemorySecrets::new());
    secrets
        .set(
            SecretKey::MtpwToken,
            &mtp_engine::secrets::Secret::new("old-token"),
        )
        .unwrap();
    let accounts = accounts(secrets);
    assert!(accounts.status().await.mtpw.connected);
    assert_eq!(accounts.mtpw_token().await.unwrap().expose(), "old-token");
    let err = accounts
        .mtpw_token_for("https://mtp.example")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "signed in on www.mapthepaths.com; sign in again for mtp.example"
    );
}

#[tokio::test]
async fn a_clear_text_base_saved_by_an_earlier_version_stops_the_sign_in_naming_its_field() {
    use mtp_engine::settings::{MemorySettings, RedirectMode, SettingsStore};
    let settings = Arc::new(MemorySettings::new());
    settings
        .save(&[
            ("strava.client_id".into(), Some("180001".into())),
            (
                "strava.api_base".into(),
                Some("http://strava.example/api/v3".into()),
            ),
            ("mtpw.base".into(), Some("http://mtp.example".into())),
            ("mtpw.client_id".into(), Some("mtpw-1".into())),
        ])
        .unwrap();
    let accounts = Accounts::new(AccountsParts {
        settings,
        ..AccountsParts::in_memory(
            Arc::new(MemorySecrets::new()),
            EnvOverrides::from_pairs(&[("MTP_STRAVA_CLIENT_SECRET", "s3cret-s3cret")]).unwrap(),
        )
    });
    for (provider, field) in [
        (Provider::Strava, "Strava API base URL"),
        (Provider::Mtpw, "Map the Paths base URL"),
    ] {
        let err = accounts
            .start_sign_in(provider, RedirectMode::DeepLink)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("{field}: must start with https://")),
            "{err}"
        );
    }
}
