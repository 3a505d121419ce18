//! What kind of error a screen is looking at: a typed code next to the user's sentence, so the
//! UI can branch ("not connected" shows a Connect button, "rate limited" a wait) without
//! parsing text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::engine::EngineError;
use crate::settings::SettingsError;

/// The kind of an error, for screens to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The app's data folder or home folder cannot be found or created.
    DataFolder,
    /// The app's database cannot be used.
    Store,
    /// The database was written by a newer version of the app.
    StoreTooNew,
    /// The database file is damaged: it can be moved aside to start fresh.
    StoreCorrupt,
    /// The engine could not be opened at start-up (the message says why).
    EngineUnavailable,
    /// The default library folder cannot be removed.
    DefaultRootIsPermanent,
    /// The folder is not one of the library folders.
    UnknownRoot,
    /// No such sequence in the library folders.
    UnknownSequence,
    /// The sequence folder is no longer on disk.
    SequenceGone,
    /// The account (Strava or MTPW) is not connected, or its sign-in ended.
    NotConnected,
    /// Sign-in was refused, cancelled, expired, or came back without what is needed.
    SignInRefused,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) is not available.
    KeyringUnavailable,
    /// Strava made the API application inactive (its owner has no subscription): subscribe,
    /// or use another API application.
    StravaAppInactive,
    /// The API application admits no more athletes until Strava reviews it: ask for a review,
    /// or use another API application.
    StravaAthleteLimit,
    /// The service asked us to slow down; try again later.
    RateLimited,
    /// The service could not be reached (offline, DNS, TLS, timeout).
    Network,
    /// The service answered with an error of its own.
    Service,
    /// A setting is missing or invalid (e.g. no Client ID).
    InvalidSetting,
    /// What the user typed or pasted is not valid (e.g. an MTPW sequence link).
    InvalidInput,
    /// Something unexpected inside the app.
    Internal,
}

/// An error as the UI receives it: the code to branch on and the sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserError {
    pub code: ErrorCode,
    /// A sentence for the user, naming the folder, file or field concerned.
    pub message: String,
}

impl UserError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl EngineError {
    /// The code a screen branches on. Every variant has one: a new variant must choose.
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::NoDataDir | EngineError::NoHomeDir | EngineError::CreateDataDir { .. } => {
                ErrorCode::DataFolder
            }
            EngineError::Store { .. } | EngineError::StorePoisoned => ErrorCode::Store,
            EngineError::StoreTooNew { .. } => ErrorCode::StoreTooNew,
            EngineError::StoreCorrupt { .. } => ErrorCode::StoreCorrupt,
            EngineError::SetAside { .. } | EngineError::RunLock { .. } => ErrorCode::DataFolder,
            EngineError::DefaultRootIsPermanent { .. } => ErrorCode::DefaultRootIsPermanent,
            EngineError::UnknownRoot { .. } => ErrorCode::UnknownRoot,
            EngineError::UnknownSequence { .. } => ErrorCode::UnknownSequence,
            EngineError::SequenceGone { .. } => ErrorCode::SequenceGone,
            EngineError::Settings(
                SettingsError::Invalid { .. } | SettingsError::InvalidEnv { .. },
            ) => ErrorCode::InvalidSetting,
            EngineError::Settings(SettingsError::Store { .. }) => ErrorCode::Store,
            EngineError::HttpClient { .. } => ErrorCode::Internal,
            EngineError::InvalidMtpwLink { .. } => ErrorCode::InvalidInput,
            EngineError::MtpwCreate { .. } => ErrorCode::Service,
        }
    }

    /// The code and the sentence, as the UI receives them.
    pub fn to_user(&self) -> UserError {
        UserError::new(self.code(), self.to_string())
    }
}

impl From<&EngineError> for UserError {
    fn from(err: &EngineError) -> Self {
        err.to_user()
    }
}

/// At the edge (the shell's commands), `?` turns an engine error into what the UI receives.
impl From<EngineError> for UserError {
    fn from(err: EngineError) -> Self {
        err.to_user()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_ui_as_a_code_and_a_sentence() {
        let err = EngineError::UnknownRoot {
            path: "/home/ana/rides".into(),
        };
        let json = serde_json::to_value(err.to_user()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "unknownRoot",
                "message": "‘/home/ana/rides’ is not one of your library folders"
            })
        );
        assert_eq!(
            serde_json::to_value(ErrorCode::KeyringUnavailable).unwrap(),
            "keyringUnavailable"
        );
    }
}
