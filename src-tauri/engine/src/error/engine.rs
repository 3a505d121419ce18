//! The engine's own errors, each message for the user, naming the folder, file or field.

use std::path::PathBuf;

/// Errors the engine reports; each message names the folder, file or field concerned.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot find a folder for the app's data: set MTP_DATA_DIR")]
    NoDataDir,
    #[error("cannot find your home folder: set HOME")]
    NoHomeDir,
    #[error("cannot create the app's data folder {}: {source}", path.display())]
    CreateDataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the app's database {} cannot be used: {source}", path.display())]
    Store {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the app's database {} is from a newer version of the app (schema {found}, this version knows up to {known})", path.display())]
    StoreTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the app's database {} is damaged and cannot be read ({reason}); move it aside to start fresh (the upload history is exported first when it can still be read)", path.display())]
    StoreCorrupt { path: PathBuf, reason: String },
    #[error("cannot move the damaged database {} aside: {source}", path.display())]
    SetAside {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot use the upload queue's lock file {}: {source}", path.display())]
    RunLock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the app's database is busy after an earlier failure; restart the app")]
    StorePoisoned,
    #[error("‘{path}’ is the default library folder and cannot be removed")]
    DefaultRootIsPermanent { path: String },
    #[error("‘{path}’ is not one of your library folders")]
    UnknownRoot { path: String },
    #[error("no sequence with id ‘{id}’ in your library folders")]
    UnknownSequence { id: String },
    #[error("the sequence folder ‘{path}’ is no longer there")]
    SequenceGone { path: String },
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error("cannot start the connection to Strava and Map the Paths: {reason}")]
    HttpClient { reason: String },
    #[error("‘{text}’ is not a Map the Paths sequence link or id (expected a link ending in the sequence's UUID, or the UUID)")]
    InvalidMtpwLink { text: String },
    #[error("cannot create ‘{name}’ on Map the Paths: {reason}")]
    MtpwCreate { name: String, reason: String },
}
