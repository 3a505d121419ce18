//! The OS keyring (keyring 4, default platform store: Secret Service, Keychain, Credential Manager).

use keyring::{Entry, Error};

use crate::secrets::{Secret, SecretKey, Secrets, SecretsError};

/// The keyring service name of every entry the app writes.
pub const SERVICE: &str = "mtp-strava-uploader";

/// The environment variable that replaces [`SERVICE`] for one run, so `make demo`'s sign-ins
/// against the local fakes never replace the developer's real ones. Read only by builds with
/// the `test-overrides` feature: the shipped app always uses [`SERVICE`].
pub const SERVICE_VAR: &str = "MTP_KEYRING_SERVICE";

/// Secrets in the OS keyring, one entry per [`SecretKey`] under one service name.
/// Never falls back to a file or to memory: without a store every call fails with
/// [`SecretsError::Unavailable`].
#[derive(Debug, Clone)]
pub struct KeyringSecrets {
    service: String,
}

impl Default for KeyringSecrets {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringSecrets {
    /// The app's entries. Cheap: the platform store is opened on first use.
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// The app's entries; with the `test-overrides` feature, under `MTP_KEYRING_SERVICE` when
    /// it is set (and not blank).
    pub fn from_env() -> Self {
        if cfg!(feature = "test-overrides") {
            Self::from_vars(|name| std::env::var(name).ok())
        } else {
            Self::new()
        }
    }

    /// [`KeyringSecrets::from_env`] of a test build, over another source of variables.
    pub fn from_vars(read: impl Fn(&str) -> Option<String>) -> Self {
        match read(SERVICE_VAR) {
            Some(service) if !service.trim().is_empty() => Self::with_service(service.trim()),
            _ => Self::new(),
        }
    }

    /// The service name its entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Entries under another service name (tests of the real keyring use their own).
    pub fn with_service(service: &str) -> Self {
        Self {
            service: service.to_string(),
        }
    }

    fn entry(&self, key: SecretKey, action: &'static str) -> Result<Entry, SecretsError> {
        self.check_available()?;
        Entry::new(&self.service, key.entry_name()).map_err(|e| failed(key, action, &e))
    }
}

impl Secrets for KeyringSecrets {
    fn check_available(&self) -> Result<(), SecretsError> {
        // Opens the platform store once per process (for the Secret Service: a D-Bus session).
        match Entry::store_status() {
            Ok(()) => Ok(()),
            Err(e) => Err(SecretsError::Unavailable {
                reason: describe(e),
            }),
        }
    }

    fn get(&self, key: SecretKey) -> Result<Option<Secret>, SecretsError> {
        match self.entry(key, "read")?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(failed(key, "read", &e)),
        }
    }

    fn set(&self, key: SecretKey, value: &Secret) -> Result<(), SecretsError> {
        self.entry(key, "store")?
            .set_password(value.expose())
            .map_err(|e| failed(key, "store", &e))
    }

    fn delete(&self, key: SecretKey) -> Result<(), SecretsError> {
        match self.entry(key, "delete")?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(failed(key, "delete", &e)),
        }
    }
}

fn failed(key: SecretKey, action: &'static str, error: &Error) -> SecretsError {
    match error {
        Error::NoDefaultStore => SecretsError::Unavailable {
            reason: describe(error),
        },
        _ => SecretsError::Failed {
            key,
            action,
            reason: describe(error),
        },
    }
}

/// The keyring error in words, never with the data it carries (some variants hold the secret's bytes).
fn describe(error: &Error) -> String {
    match error {
        Error::PlatformFailure(e) => format!("platform failure: {e}"),
        Error::NoStorageAccess(e) => format!("no access to the store: {e}"),
        Error::NoEntry => "no such entry".into(),
        Error::BadEncoding(_) | Error::BadDataFormat(..) => "the stored value is malformed".into(),
        Error::BadStoreFormat(_) => "the store's data is malformed".into(),
        Error::TooLong(name, len) => format!("{name} is longer than {len} characters"),
        Error::Invalid(name, reason) => format!("{name} is invalid: {reason}"),
        Error::Ambiguous(_) => "several entries match".into(),
        Error::NoDefaultStore => "no credential store could be opened".into(),
        Error::NotSupportedByStore(what) => format!("not supported by the store: {what}"),
        _ => "unknown keyring error".into(),
    }
}

#[cfg(all(test, feature = "test-overrides"))]
mod tests {
    use super::*;

    fn with(value: Option<&str>) -> KeyringSecrets {
        KeyringSecrets::from_vars(|name| {
            assert_eq!(name, "MTP_KEYRING_SERVICE");
            value.map(str::to_string)
        })
    }

    #[test]
    fn the_service_name_comes_from_the_environment_when_set() {
        assert_eq!(
            with(Some(" mtp-strava-uploader-demo ")).service(),
            "mtp-strava-uploader-demo"
        );
        assert_eq!(with(None).service(), "mtp-strava-uploader");
        assert_eq!(with(Some("  ")).service(), "mtp-strava-uploader");
        assert_eq!(KeyringSecrets::new().service(), SERVICE);
    }
}
