//! mtp-engine: all domain logic of the MTP Strava Uploader, with no Tauri dependency.
//!
//! The app shell (src-tauri/app) and the tests talk to the [`Engine`] facade only.

pub mod model;

use std::path::PathBuf;

pub use model::*;

/// Errors the engine reports; each message names the folder, file or field concerned.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Todo(String),
}

/// Where the engine keeps its store and where the default library root is.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Store (SQLite) and logs. `MTP_DATA_DIR`, else the platform data dir + `mtp-strava-uploader`.
    pub data_dir: PathBuf,
    /// `$HOME/MTP/sequences`.
    pub default_root: PathBuf,
}

impl EngineConfig {
    /// Reads `MTP_DATA_DIR` and `HOME` (via the platform dirs).
    pub fn from_env() -> Result<Self, EngineError> {
        todo!("engine helper")
    }
}

/// The one API surface over the library, GPX and store.
pub struct Engine {}

impl Engine {
    pub fn open(_config: EngineConfig) -> Result<Self, EngineError> {
        todo!("engine helper")
    }
    pub fn roots(&self) -> Result<Vec<LibraryRoot>, EngineError> {
        todo!("engine helper")
    }
    /// Dropped paths or folders chosen with "Add folder…".
    pub fn add_paths(&self, _paths: &[PathBuf]) -> Result<DropOutcome, EngineError> {
        todo!("engine helper")
    }
    pub fn remove_root(&self, _path: &str) -> Result<(), EngineError> {
        todo!("engine helper")
    }
    pub fn scan(&self) -> Result<LibraryScan, EngineError> {
        todo!("engine helper")
    }
    pub fn sequence_detail(&self, _id: &str) -> Result<SequenceDetail, EngineError> {
        todo!("engine helper")
    }
}
