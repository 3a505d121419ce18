//! The errors of sign-in and of the token source; each message is for the user and never holds a secret.

use crate::error::{refusal_code, refusal_text, ErrorCode, UserError};
use crate::os::browser::BrowserError;
use crate::secrets::SecretsError;
use crate::settings::{Provider, SettingsError};
use mtp_services::net::Blocked;
use mtp_services::oauth::CallbackError;
use mtp_services::strava::api::AppRefusal;
use mtp_services::strava::auth::StravaAuthError;

/// What went wrong signing in, out, or getting a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Callback(#[from] CallbackError),
    #[error(transparent)]
    Browser(#[from] BrowserError),
    #[error("set the {field} in Accounts before connecting {}", provider.name())]
    MissingSetting {
        provider: Provider,
        field: &'static str,
    },
    #[error("not connected to {}: connect in Accounts", provider.name())]
    NotConnected { provider: Provider },
    /// The service's base changed since the sign-in: its tokens stay away from the new host.
    #[error("signed in on {old}; sign in again for {new}")]
    BaseChanged {
        provider: Provider,
        old: String,
        new: String,
    },
    /// Disconnecting after the Strava base changed: the sign-in was forgotten here only.
    #[error("the sign-in was made on {old}, so the app did not send it to {new} to revoke it; revoke the app on {old} if you still can")]
    NotRevoked { old: String, new: String },
    #[error("{} refused the sign-in token: connect again in Accounts", provider.name())]
    Unauthorized { provider: Provider },
    #[error("Strava no longer accepts this sign-in (it was revoked or replaced): connect Strava again in Accounts")]
    StravaSignedOut,
    #[error("Strava refused the Client ID or Client Secret: check both in Accounts against strava.com/settings/api")]
    BadClientCredentials,
    #[error("Strava refused the sign-in code (it expired or was already used): connect again")]
    CodeRefused,
    /// The API application itself is refused (inactive, or its athlete cap reached).
    #[error("{}", refusal_text(*.0))]
    StravaAppRefused(AppRefusal),
    #[error("{}'s rate limit is reached: try again after the next quarter hour", provider.name())]
    RateLimited { provider: Provider },
    #[error("could not {action} on {}: {reason}", provider.name())]
    Network {
        provider: Provider,
        action: &'static str,
        reason: String,
    },
    #[error("{} refused to {action} (HTTP {status}{})", provider.name(), detail_suffix(detail))]
    Refused {
        provider: Provider,
        action: &'static str,
        status: u16,
        detail: String,
    },
    #[error("{} gave an answer the app does not understand when asked to {action}", provider.name())]
    Unexpected {
        provider: Provider,
        action: &'static str,
    },
    /// A redirect, a reply past the cap, or a refused address: nothing more was sent or read.
    #[error("could not {action}: {} {blocked}", provider.name())]
    Blocked {
        provider: Provider,
        action: &'static str,
        blocked: Blocked,
    },
    #[error("cannot start the sign-in listener on 127.0.0.1: {reason}")]
    Listener { reason: String },
    #[error("the app's background task failed: {reason}")]
    Task { reason: String },
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

impl AuthError {
    /// A stable code for the UI to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::Secrets(SecretsError::Unavailable { .. }) => "keyring_unavailable",
            AuthError::Secrets(SecretsError::Locked { .. }) => "keyring_locked",
            AuthError::Secrets(_) => "keyring_failed",
            AuthError::Settings(_) => "invalid_setting",
            AuthError::Callback(CallbackError::Cancelled { .. }) => "sign_in_cancelled",
            AuthError::Callback(CallbackError::ExpiredState { .. }) => "sign_in_expired",
            AuthError::Callback(CallbackError::AccessDenied { .. }) => "access_denied",
            AuthError::Callback(CallbackError::ScopeMissing { .. }) => "scope_missing",
            AuthError::Callback(_) => "callback_refused",
            AuthError::Browser(_) => "browser_failed",
            AuthError::MissingSetting { .. } => "missing_setting",
            AuthError::NotConnected { .. } => "not_connected",
            AuthError::BaseChanged { .. } => "base_changed",
            AuthError::NotRevoked { .. } => "not_revoked",
            AuthError::Unauthorized { .. } => "unauthorized",
            AuthError::StravaSignedOut => "signed_out",
            AuthError::BadClientCredentials => "bad_client_credentials",
            AuthError::CodeRefused => "code_refused",
            AuthError::StravaAppRefused(AppRefusal::Inactive) => "app_inactive",
            AuthError::StravaAppRefused(AppRefusal::AthleteLimit) => "athlete_limit",
            AuthError::RateLimited { .. } => "rate_limited",
            AuthError::Network { .. } => "network",
            AuthError::Refused { .. } => "refused",
            AuthError::Unexpected { .. } => "unexpected_reply",
            AuthError::Blocked { .. } => "blocked",
            AuthError::Listener { .. } => "listener_failed",
            AuthError::Task { .. } => "task_failed",
        }
    }
}

impl From<StravaAuthError> for AuthError {
    /// Strava's OAuth answers in the user's words, with Strava as the provider.
    fn from(err: StravaAuthError) -> Self {
        let provider = Provider::Strava;
        match err {
            StravaAuthError::SignedOut => AuthError::StravaSignedOut,
            StravaAuthError::BadClientCredentials => AuthError::BadClientCredentials,
            StravaAuthError::CodeRefused => AuthError::CodeRefused,
            StravaAuthError::AppRefused(refusal) => AuthError::StravaAppRefused(refusal),
            StravaAuthError::Unauthorized => AuthError::Unauthorized { provider },
            StravaAuthError::RateLimited => AuthError::RateLimited { provider },
            StravaAuthError::Network { action, reason } => AuthError::Network {
                provider,
                action,
                reason,
            },
            StravaAuthError::Refused {
                action,
                status,
                detail,
            } => AuthError::Refused {
                provider,
                action,
                status,
                detail,
            },
            StravaAuthError::Unexpected { action } => AuthError::Unexpected { provider, action },
            StravaAuthError::Blocked { action, blocked } => AuthError::Blocked {
                provider,
                action,
                blocked,
            },
        }
    }
}

impl AuthError {
    /// The code the UI branches on (the finer reason, for tests and logs, is [`AuthError::code`]).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            AuthError::Secrets(SecretsError::Unavailable { .. } | SecretsError::Locked { .. }) => {
                ErrorCode::KeyringUnavailable
            }
            AuthError::Secrets(_) | AuthError::Task { .. } => ErrorCode::Internal,
            AuthError::Settings(SettingsError::Store { .. }) => ErrorCode::Store,
            AuthError::Settings(_)
            | AuthError::MissingSetting { .. }
            | AuthError::BadClientCredentials => ErrorCode::InvalidSetting,
            AuthError::Callback(_) | AuthError::CodeRefused | AuthError::Browser(_) => {
                ErrorCode::SignInRefused
            }
            AuthError::Listener { .. } => ErrorCode::SignInRefused,
            AuthError::NotConnected { .. }
            | AuthError::BaseChanged { .. }
            | AuthError::NotRevoked { .. }
            | AuthError::Unauthorized { .. }
            | AuthError::StravaSignedOut => ErrorCode::NotConnected,
            AuthError::StravaAppRefused(refusal) => refusal_code(*refusal),
            AuthError::RateLimited { .. } => ErrorCode::RateLimited,
            AuthError::Network { .. } => ErrorCode::Network,
            AuthError::Refused { .. }
            | AuthError::Unexpected { .. }
            | AuthError::Blocked { .. } => ErrorCode::Service,
        }
    }

    /// The code and the sentence, as the UI receives them.
    pub fn to_user(&self) -> UserError {
        UserError::new(self.error_code(), self.to_string())
    }
}

/// At the edge, `?` turns a sign-in error into what the UI receives.
impl From<AuthError> for UserError {
    fn from(err: AuthError) -> Self {
        err.to_user()
    }
}
