//! The secret store as a small trait: its entries (one per secret) and its errors.

use mtp_services::Secret;

/// The entries the app keeps in the secret store, one entry each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKey {
    StravaClientSecret,
    /// The access token with its expiry (`<expires_at epoch seconds> <token>`).
    StravaAccessToken,
    StravaRefreshToken,
    MtpwToken,
}

impl SecretKey {
    pub const ALL: [SecretKey; 4] = [
        SecretKey::StravaClientSecret,
        SecretKey::StravaAccessToken,
        SecretKey::StravaRefreshToken,
        SecretKey::MtpwToken,
    ];

    /// The entry's user name in the keyring (service [`crate::os::keyring::SERVICE`]).
    pub fn entry_name(self) -> &'static str {
        match self {
            SecretKey::StravaClientSecret => "strava-client-secret",
            SecretKey::StravaAccessToken => "strava-access-token",
            SecretKey::StravaRefreshToken => "strava-refresh-token",
            SecretKey::MtpwToken => "mtpw-token",
        }
    }

    /// What the entry is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            SecretKey::StravaClientSecret => "the Strava Client Secret",
            SecretKey::StravaAccessToken => "the Strava access token",
            SecretKey::StravaRefreshToken => "the Strava refresh token",
            SecretKey::MtpwToken => "the Map the Paths token",
        }
    }
}

/// What went wrong with the secret store; never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    #[error("No keyring available (is a Secret Service running?): {reason}")]
    Unavailable { reason: String },
    #[error("the keyring is locked or not answering (no answer in {waited_secs} s): unlock your login keyring, then try again")]
    Locked { waited_secs: u64 },
    #[error("the keyring refused to {action} {}: {reason}", key.describe())]
    Failed {
        key: SecretKey,
        action: &'static str,
        reason: String,
    },
}

/// The token and client-secret store. Blocking: call it off the main thread.
pub trait Secrets: Send + Sync {
    /// Checks that a real store is there (for the keyring: a Secret Service, Keychain, ...).
    fn check_available(&self) -> Result<(), SecretsError>;
    /// The entry, or `None` when there is none.
    fn get(&self, key: SecretKey) -> Result<Option<Secret>, SecretsError>;
    fn set(&self, key: SecretKey, value: &Secret) -> Result<(), SecretsError>;
    /// Deletes the entry; deleting a missing entry is not an error.
    fn delete(&self, key: SecretKey) -> Result<(), SecretsError>;
}
