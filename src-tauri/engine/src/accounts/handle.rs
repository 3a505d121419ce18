//! The [`Accounts`] handle: what it holds (secrets, settings, the HTTP client, pending sign-ins,
//! the token lock), how it is made, and its settings and keyring calls, each off the main thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::error::AuthError;
use crate::secrets::{Secret, SecretKey, Secrets, SecretsError};
use crate::settings::{
    EffectiveSettings, EnvOverrides, SecretSource, SettingsError, SettingsStore, SettingsUpdate,
};
use crate::store::SettingsTable;
use mtp_services::net::{http_client, HttpTimeouts};
use mtp_services::oauth::{PendingSignIns, SIGN_IN_TIMEOUT};

/// A keyring call that takes longer counts as a locked keyring (long enough to type the
/// password into the unlock prompt the keyring may show).
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(20);

/// The cross-process lock around Strava token refreshes, in the data folder.
pub const TOKEN_LOCK_FILE: &str = "tokens.lock";

/// What [`Accounts`] is made of: where secrets and settings live and the environment overrides.
pub struct AccountsParts {
    pub secrets: Arc<dyn Secrets>,
    pub settings: Arc<dyn SettingsStore>,
    pub env: EnvOverrides,
    /// How long a sign-in waits for its callback (10 minutes in the app).
    pub sign_in_timeout: Duration,
    /// Where the cross-process token lock lives (none: this process only).
    pub data_dir: Option<PathBuf>,
    /// How long a keyring call may take before it reports a locked keyring.
    pub keyring_timeout: Duration,
}

impl AccountsParts {
    /// The given secret store and environment, settings in memory, the 10-minute timeout (tests).
    pub fn in_memory(secrets: Arc<dyn Secrets>, env: EnvOverrides) -> Self {
        Self {
            secrets,
            settings: Arc::new(crate::settings::MemorySettings::new()),
            env,
            sign_in_timeout: SIGN_IN_TIMEOUT,
            data_dir: None,
            keyring_timeout: KEYRING_TIMEOUT,
        }
    }
}

pub(super) struct Inner {
    pub(super) secrets: Arc<dyn Secrets>,
    pub(super) settings: Arc<dyn SettingsStore>,
    pub(super) env: EnvOverrides,
    /// The accounts' HTTP client (no redirects); why not, when it could not be made.
    pub(super) http: Result<reqwest::Client, String>,
    pub(super) pending: Arc<PendingSignIns>,
    /// Held while Strava tokens are refreshed or replaced, so a rotation is never lost.
    pub(super) token_lock: tokio::sync::Mutex<()>,
    /// The same across processes: `tokens.lock` in the data folder (none in memory).
    pub(super) token_lock_file: Option<PathBuf>,
    /// How long a keyring call may take before it counts as locked.
    pub(super) keyring_timeout: Duration,
}

/// Sign-in, accounts status and the token source. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Accounts {
    pub(super) inner: Arc<Inner>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").finish_non_exhaustive()
    }
}

impl Accounts {
    pub fn new(parts: AccountsParts) -> Self {
        let http = http_client(HttpTimeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
            ..HttpTimeouts::default()
        });
        Self {
            inner: Arc::new(Inner {
                secrets: parts.secrets,
                settings: parts.settings,
                env: parts.env,
                http,
                pending: Arc::new(PendingSignIns::new(parts.sign_in_timeout)),
                token_lock: tokio::sync::Mutex::new(()),
                token_lock_file: parts.data_dir.map(|dir| dir.join(TOKEN_LOCK_FILE)),
                keyring_timeout: parts.keyring_timeout,
            }),
        }
    }

    /// Over the store's `settings` table in `data_dir` (after the store's migrations ran).
    pub fn open(
        data_dir: &Path,
        secrets: Arc<dyn Secrets>,
        env: EnvOverrides,
    ) -> Result<Self, SettingsError> {
        Ok(Self::new(AccountsParts {
            secrets,
            settings: Arc::new(SettingsTable::open(data_dir)?),
            env,
            sign_in_timeout: SIGN_IN_TIMEOUT,
            data_dir: Some(data_dir.to_path_buf()),
            keyring_timeout: KEYRING_TIMEOUT,
        }))
    }

    /// Startup check: a real secret store is there. The error reads like
    /// "No keyring available (is a Secret Service running?): …"; there is no fallback.
    pub async fn check_keyring(&self) -> Result<(), AuthError> {
        let secrets = self.inner.secrets.clone();
        self.blocking(move || secrets.check_available()).await
    }

    /// The settings in effect, saying which come from the environment.
    pub async fn settings(&self) -> Result<EffectiveSettings, AuthError> {
        let source = self.client_secret_source().await;
        Ok(self.effective(source)?)
    }

    /// The effective MTPW base (stored, overridden by `MTPW_BASE`), without touching the
    /// keyring: what the history's sequence links are built on.
    pub fn mtpw_base(&self) -> Result<String, SettingsError> {
        Ok(self.effective(SecretSource::Unknown)?.mtpw_base.value)
    }

    /// The effective Strava API base and MTPW base, without touching the keyring: what the
    /// uploads send to, read for each job so a changed setting applies without a restart.
    pub fn service_bases(&self) -> Result<(String, String), SettingsError> {
        let settings = self.effective(SecretSource::Unknown)?;
        Ok((settings.strava_api_base.value, settings.mtpw_base.value))
    }

    /// Whether the log should take debug lines (the setting), without touching the keyring.
    pub fn debug_log(&self) -> Result<bool, SettingsError> {
        Ok(self.effective(SecretSource::Unknown)?.debug_log)
    }

    /// When automatic upload was switched on (Unix seconds); `None` when it is off.
    pub fn auto_upload_since(&self) -> Result<Option<u32>, SettingsError> {
        Ok(self.effective(SecretSource::Unknown)?.auto_upload_since)
    }

    /// Saves the Accounts view's changes (validated; nothing is saved when one is refused).
    pub async fn save_settings(
        &self,
        update: SettingsUpdate,
    ) -> Result<EffectiveSettings, AuthError> {
        let changes = update.to_changes()?;
        self.inner.settings.save(&changes)?;
        self.settings().await
    }

    /// Stores the Strava Client Secret in the keyring; an empty value deletes it. A secret given
    /// by `MTP_STRAVA_CLIENT_SECRET` still wins for this run.
    pub async fn set_strava_client_secret(&self, secret: Secret) -> Result<(), AuthError> {
        let value = Secret::new(secret.expose().trim());
        if value.is_empty() {
            self.delete_secret(SecretKey::StravaClientSecret).await
        } else {
            self.set_secret(SecretKey::StravaClientSecret, value).await
        }
    }

    pub(super) fn effective(
        &self,
        source: SecretSource,
    ) -> Result<EffectiveSettings, SettingsError> {
        let stored = self.inner.settings.load_all()?;
        Ok(EffectiveSettings::resolve(&stored, &self.inner.env, source))
    }

    pub(super) async fn client_secret_source(&self) -> SecretSource {
        if self.inner.env.strava_client_secret().is_some() {
            return SecretSource::Environment;
        }
        match self.secret(SecretKey::StravaClientSecret).await {
            Ok(Some(_)) => SecretSource::Keyring,
            Ok(None) => SecretSource::NotSet,
            Err(_) => SecretSource::Unknown,
        }
    }

    /// The HTTP client of sign-in, refresh and revoke (it follows no redirect).
    pub(super) fn http(&self) -> Result<&reqwest::Client, AuthError> {
        self.inner.http.as_ref().map_err(|reason| AuthError::Task {
            reason: format!("cannot start the HTTP client: {reason}"),
        })
    }

    pub(super) async fn secret(&self, key: SecretKey) -> Result<Option<Secret>, AuthError> {
        let secrets = self.inner.secrets.clone();
        self.blocking(move || secrets.get(key)).await
    }

    pub(super) async fn set_secret(&self, key: SecretKey, value: Secret) -> Result<(), AuthError> {
        let secrets = self.inner.secrets.clone();
        self.blocking(move || secrets.set(key, &value)).await
    }

    pub(super) async fn delete_secret(&self, key: SecretKey) -> Result<(), AuthError> {
        let secrets = self.inner.secrets.clone();
        self.blocking(move || secrets.delete(key)).await
    }

    /// A keyring call off the async threads, given up after the keyring timeout: a locked
    /// keyring (its unlock prompt unanswered) must not hold every upload behind the token lock.
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
    ) -> Result<T, AuthError> {
        let limit = self.inner.keyring_timeout;
        match tokio::time::timeout(limit, tokio::task::spawn_blocking(call)).await {
            Ok(Ok(result)) => result.map_err(AuthError::from),
            Ok(Err(e)) => Err(AuthError::Task {
                reason: e.to_string(),
            }),
            Err(_) => {
                log::warn!(waited_secs = limit.as_secs(); "the keyring did not answer");
                Err(AuthError::Secrets(SecretsError::Locked {
                    waited_secs: limit.as_secs(),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::SignIn;
    use crate::secrets::MemorySecrets;
    use crate::settings::{Provider, RedirectMode};

    fn assert_send<T: Send>(_: &T) {}

    /// A keyring whose every call hangs (a locked keyring with its unlock prompt unanswered).
    struct Stalled;
    impl Secrets for Stalled {
        fn check_available(&self) -> Result<(), SecretsError> {
            std::thread::sleep(Duration::from_secs(3));
            Ok(())
        }
        fn get(&self, _: SecretKey) -> Result<Option<Secret>, SecretsError> {
            std::thread::sleep(Duration::from_secs(3));
            Ok(None)
        }
        fn set(&self, _: SecretKey, _: &Secret) -> Result<(), SecretsError> {
            std::thread::sleep(Duration::from_secs(3));
            Ok(())
        }
        fn delete(&self, _: SecretKey) -> Result<(), SecretsError> {
            std::thread::sleep(Duration::from_secs(3));
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_keyring_that_does_not_answer_is_reported_locked_in_time() {
        let mut parts = AccountsParts::in_memory(Arc::new(Stalled), EnvOverrides::default());
        parts.keyring_timeout = Duration::from_millis(200);
        let accounts = Accounts::new(parts);
        let started = std::time::Instant::now();
        let error = accounts.strava_access_token().await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(
            matches!(error, AuthError::Secrets(SecretsError::Locked { .. })),
            "{error:?}"
        );
        assert!(error.to_string().contains("keyring is locked"), "{error}");
        assert_eq!(
            error.error_code(),
            crate::error::ErrorCode::KeyringUnavailable
        );
    }

    /// Tauri's async commands need `Send` futures: every public async method must give one.
    #[test]
    fn every_future_is_send() {
        let accounts = Accounts::new(AccountsParts::in_memory(
            Arc::new(MemorySecrets::new()),
            EnvOverrides::none(),
        ));
        assert_send(&accounts.check_keyring());
        assert_send(&accounts.settings());
        assert_send(&accounts.save_settings(SettingsUpdate::default()));
        assert_send(&accounts.set_strava_client_secret(Secret::new("")));
        assert_send(&accounts.start_sign_in(Provider::Strava, RedirectMode::Loopback));
        assert_send(&accounts.sign_in(Provider::Mtpw, RedirectMode::DeepLink));
        assert_send(&accounts.status());
        assert_send(&accounts.disconnect(Provider::Strava));
        assert_send(&accounts.strava_access_token());
        let refused = crate::tokens::AccessToken::new("refused");
        assert_send(&accounts.strava_token_after_unauthorized(&refused));
        assert_send(&accounts.mtpw_token());
        assert_send(&accounts.strava_access_token_for("https://www.strava.com/api/v3"));
        assert_send(&accounts.strava_token_after_unauthorized_for("https://x.example", &refused));
        assert_send(&accounts.mtpw_token_for("https://www.mapthepaths.com"));
        fn wait_is_send(sign_in: SignIn) {
            assert_send(&sign_in.open_browser());
            assert_send(&sign_in.wait());
        }
        let _ = wait_is_send;
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<Accounts>();
    }
}
