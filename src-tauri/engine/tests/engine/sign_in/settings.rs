//! Sign-in settings in the store, the environment overrides and what the view is told about
//! them, the keyring check, and the real keyring when a Secret Service is there.

use std::sync::Arc;

use mtp_engine::accounts::{Accounts, AccountsParts};
use mtp_engine::os::keyring::KeyringSecrets;
use mtp_engine::secrets::{MemorySecrets, Secret, SecretKey, Secrets};
use mtp_engine::settings::{EnvOverrides, Provider, RedirectMode, SecretSource, SettingsUpdate};
use mtp_engine::{Engine, EngineConfig};

fn config(dir: &tempfile::TempDir) -> EngineConfig {
    EngineConfig {
        data_dir: dir.path().join("data"),
        default_root: dir.path().join("home/MTP/sequences"),
    }
}

fn engine(dir: &tempfile::TempDir, secrets: Arc<MemorySecrets>, env: EnvOverrides) -> Engine {
    Engine::open_with_secrets(config(dir), secrets, env).expect("engine")
}

#[tokio::test]
async fn defaults_then_saved_settings_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    let first = engine(&dir, secrets.clone(), EnvOverrides::none());
    let settings = first.accounts().settings().await.unwrap();
    assert_eq!(settings.strava_client_id.value, "");
    assert_eq!(
        settings.strava_api_base.value,
        "https://www.strava.com/api/v3"
    );
    assert_eq!(settings.strava_oauth_base.value, "https://www.strava.com");
    assert_eq!(
        settings.strava_scopes.value,
        "activity:write,activity:read_all,read"
    );
    assert_eq!(settings.redirect_mode, RedirectMode::DeepLink);
    assert_eq!(settings.mtpw_base.value, "https://www.mapthepaths.com");
    assert_eq!(
        settings.mtpw_redirect_uri.value,
        "mtp-strava-uploader://localhost/mtpw/callback"
    );
    assert_eq!(settings.strava_client_secret, SecretSource::NotSet);
    assert!(!settings.strava_client_id.from_environment);
    assert_eq!(
        settings.strava_client_id.env_var.as_deref(),
        Some("MTP_STRAVA_CLIENT_ID")
    );

    first
        .accounts()
        .save_settings(SettingsUpdate {
            strava_client_id: Some(" 12345 ".into()),
            strava_scopes: Some("read,activity:write,activity:read_all".into()),
            redirect_mode: Some(RedirectMode::Loopback),
            mtpw_client_id: Some("mtpw-abc".into()),
            ..SettingsUpdate::default()
        })
        .await
        .unwrap();
    first
        .accounts()
        .set_strava_client_secret(Secret::new("keyring-secret-value"))
        .await
        .unwrap();
    drop(first);

    let second = engine(&dir, secrets.clone(), EnvOverrides::none());
    let settings = second.accounts().settings().await.unwrap();
    assert_eq!(settings.strava_client_id.value, "12345");
    assert_eq!(
        settings.strava_scopes.value,
        "read,activity:write,activity:read_all"
    );
    assert_eq!(settings.redirect_mode, RedirectMode::Loopback);
    assert_eq!(settings.mtpw_client_id.value, "mtpw-abc");
    assert_eq!(settings.strava_client_secret, SecretSource::Keyring);
    // The secret is in the secret store only, not in the database.
    let database = std::fs::read(dir.path().join("data/mtp-strava-uploader.sqlite3")).unwrap();
    assert!(!String::from_utf8_lossy(&database).contains("keyring-secret-value"));
    assert_eq!(
        secrets.snapshot()[&SecretKey::StravaClientSecret].expose(),
        "keyring-secret-value"
    );

    // An empty value resets to the default.
    second
        .accounts()
        .save_settings(SettingsUpdate {
            strava_scopes: Some(String::new()),
            ..SettingsUpdate::default()
        })
        .await
        .unwrap();
    let settings = second.accounts().settings().await.unwrap();
    assert_eq!(
        settings.strava_scopes.value,
        "activity:write,activity:read_all,read"
    );
}

#[tokio::test]
async fn invalid_values_are_refused_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir, Arc::new(MemorySecrets::new()), EnvOverrides::none());
    let accounts = engine.accounts();
    let refused =
        |update: SettingsUpdate| async move { accounts.save_settings(update).await.unwrap_err() };
    let err = refused(SettingsUpdate {
        strava_client_id: Some("777".into()),
        strava_api_base: Some("ftp://example.org".into()),
        ..SettingsUpdate::default()
    })
    .await;
    assert!(err.to_string().contains("Strava API base URL"), "{err}");
    assert_eq!(
        accounts.settings().await.unwrap().strava_client_id.value,
        ""
    );
    let err = refused(SettingsUpdate {
        strava_scopes: Some("read".into()),
        ..SettingsUpdate::default()
    })
    .await;
    assert!(err.to_string().contains("activity:write"), "{err}");
    let err = refused(SettingsUpdate {
        strava_scopes: Some("read,fly".into()),
        ..SettingsUpdate::default()
    })
    .await;
    assert!(err.to_string().contains("fly"), "{err}");
    let err = refused(SettingsUpdate {
        strava_client_id: Some("abc".into()),
        ..SettingsUpdate::default()
    })
    .await;
    assert_eq!(err.code(), "invalid_setting");
    let err = refused(SettingsUpdate {
        mtpw_redirect_uri: Some("not a url".into()),
        ..SettingsUpdate::default()
    })
    .await;
    assert!(err.to_string().contains("redirect URI"), "{err}");
}

#[tokio::test]
async fn a_clear_text_base_is_accepted_only_for_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir, Arc::new(MemorySecrets::new()), EnvOverrides::none());
    let accounts = engine.accounts();
    for (update, field) in [
        (
            SettingsUpdate {
                strava_api_base: Some("http://www.strava.com/api/v3".into()),
                ..SettingsUpdate::default()
            },
            "Strava API base URL",
        ),
        (
            SettingsUpdate {
                strava_oauth_base: Some("http://192.0.2.7".into()),
                ..SettingsUpdate::default()
            },
            "Strava OAuth base URL",
        ),
        (
            SettingsUpdate {
                mtpw_base: Some("http://mtp.example".into()),
                ..SettingsUpdate::default()
            },
            "Map the Paths base URL",
        ),
    ] {
        let err = accounts.save_settings(update).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{field}: must start with https:// (http:// is accepted only for 127.0.0.1, ::1 and localhost)"
            )
        );
    }
    let saved = accounts
        .save_settings(SettingsUpdate {
            strava_api_base: Some("http://127.0.0.1:9/api/v3/".into()),
            strava_oauth_base: Some("http://localhost:9".into()),
            mtpw_base: Some("http://[::1]:9".into()),
            ..SettingsUpdate::default()
        })
        .await
        .unwrap();
    assert_eq!(saved.strava_api_base.value, "http://127.0.0.1:9/api/v3");
    assert_eq!(saved.strava_oauth_base.value, "http://localhost:9");
    assert_eq!(saved.mtpw_base.value, "http://[::1]:9");
}

#[tokio::test]
async fn the_environment_overrides_and_says_so_and_its_secret_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    let stored = engine(&dir, secrets.clone(), EnvOverrides::none());
    stored
        .accounts()
        .save_settings(SettingsUpdate {
            strava_client_id: Some("111".into()),
            mtpw_base: Some("https://stored.example".into()),
            ..SettingsUpdate::default()
        })
        .await
        .unwrap();
    drop(stored);
    let env = EnvOverrides::from_pairs(&[
        ("MTP_STRAVA_CLIENT_ID", "222"),
        ("MTP_STRAVA_CLIENT_SECRET", "env-secret-value-123"),
        ("MTP_STRAVA_API_BASE", "http://127.0.0.1:1/api/v3"),
        ("MTP_STRAVA_OAUTH_BASE", "http://127.0.0.1:1/oauth"),
        ("MTPW_CLIENT_ID", "mtpw-env"),
        ("MTPW_BASE", ""),
    ])
    .unwrap();
    let engine = engine(&dir, secrets.clone(), env);
    let settings = engine.accounts().settings().await.unwrap();
    assert_eq!(settings.strava_client_id.value, "222");
    assert!(settings.strava_client_id.from_environment);
    assert_eq!(settings.strava_client_secret, SecretSource::Environment);
    assert!(settings.strava_api_base.from_environment);
    assert!(settings.strava_oauth_base.from_environment);
    assert_eq!(settings.mtpw_client_id.value, "mtpw-env");
    // An empty variable counts as unset.
    assert_eq!(settings.mtpw_base.value, "https://stored.example");
    assert!(!settings.mtpw_base.from_environment);
    assert!(!settings.strava_scopes.from_environment);
    let shown = format!("{settings:?} {}", serde_json::to_string(&settings).unwrap());
    assert!(!shown.contains("env-secret-value-123"));
    // Signing in uses the secret without writing it (here it fails at the unreachable base).
    let sign_in = engine
        .accounts()
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    assert!(sign_in
        .authorize_url
        .starts_with("http://127.0.0.1:1/oauth/authorize?client_id=222&"));
    assert!(!format!("{sign_in:?}").contains("env-secret-value-123"));
    assert!(secrets.writes().is_empty());
}

#[tokio::test]
async fn without_a_keyring_sign_in_says_so_and_never_falls_back() {
    let secrets = Arc::new(MemorySecrets::unavailable(
        "org.freedesktop.secrets was not provided",
    ));
    let env = EnvOverrides::from_pairs(&[
        ("MTP_STRAVA_CLIENT_ID", "1"),
        ("MTP_STRAVA_CLIENT_SECRET", "s3cr3t-from-env"),
        ("MTPW_CLIENT_ID", "m"),
    ])
    .unwrap();
    let accounts = Accounts::new(AccountsParts::in_memory(secrets.clone(), env));
    let err = accounts.check_keyring().await.unwrap_err();
    assert_eq!(err.code(), "keyring_unavailable");
    assert!(
        err.to_string()
            .starts_with("No keyring available (is a Secret Service running?)"),
        "{err}"
    );
    let status = accounts.status().await;
    assert!(!status.keyring.available);
    assert!(status
        .keyring
        .message
        .unwrap()
        .contains("No keyring available"));
    assert!(!status.strava.connected && !status.mtpw.connected);
    for provider in [Provider::Strava, Provider::Mtpw] {
        let err = accounts
            .start_sign_in(provider, RedirectMode::DeepLink)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keyring_unavailable", "{provider:?}");
    }
    assert_eq!(
        accounts.strava_access_token().await.unwrap_err().code(),
        "keyring_unavailable"
    );
}

#[test]
fn secrets_have_a_redacted_debug() {
    let secret = Secret::new("hunter2-very-secret");
    assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
    let env =
        EnvOverrides::from_pairs(&[("MTP_STRAVA_CLIENT_SECRET", "hunter2-very-secret")]).unwrap();
    assert!(!format!("{env:?}").contains("hunter2"));
}

/// The real OS keyring, when this machine has one (the GUI suite runs under an unlocked
/// gnome-keyring); otherwise the test says why it did nothing.
#[test]
fn the_real_keyring_round_trips_when_a_secret_service_is_there() {
    let service = format!("mtp-strava-uploader-test-{}", std::process::id());
    let keyring = KeyringSecrets::with_service(&service);
    if let Err(reason) = keyring.check_available() {
        eprintln!("skipped: {reason}");
        assert!(reason.to_string().starts_with("No keyring available"));
        return;
    }
    let key = SecretKey::MtpwToken;
    keyring.delete(key).unwrap();
    assert_eq!(keyring.get(key).unwrap(), None);
    keyring.set(key, &Secret::new("round-trip")).unwrap();
    assert_eq!(keyring.get(key).unwrap(), Some(Secret::new("round-trip")));
    keyring.delete(key).unwrap();
    keyring.delete(key).unwrap();
    assert_eq!(keyring.get(key).unwrap(), None);
}

/// The real keyring through `Accounts`, from async code on a multi-threaded runtime (as in the
/// app): the blocking keyring calls must neither block the runtime nor panic inside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_keyring_works_from_async_accounts_when_there_is_one() {
    let service = format!("mtp-strava-uploader-test-async-{}", std::process::id());
    let keyring = Arc::new(KeyringSecrets::with_service(&service));
    let accounts = Accounts::new(AccountsParts::in_memory(
        keyring.clone(),
        EnvOverrides::none(),
    ));
    if let Err(reason) = accounts.check_keyring().await {
        eprintln!("skipped: {reason}");
        assert_eq!(reason.code(), "keyring_unavailable");
        assert!(!accounts.status().await.keyring.available);
        return;
    }
    assert!(accounts.status().await.keyring.available);
    accounts
        .set_strava_client_secret(Secret::new("async-round-trip"))
        .await
        .unwrap();
    let settings = accounts.settings().await.unwrap();
    assert_eq!(settings.strava_client_secret, SecretSource::Keyring);
    accounts
        .set_strava_client_secret(Secret::new(""))
        .await
        .unwrap();
    let settings = accounts.settings().await.unwrap();
    assert_eq!(settings.strava_client_secret, SecretSource::NotSet);
    assert_eq!(keyring.get(SecretKey::StravaClientSecret).unwrap(), None);
}
