//! Where the engine keeps its store and where the default library root is.

use std::path::PathBuf;

use crate::error::EngineError;

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
        let data_dir = match std::env::var_os("MTP_DATA_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => dirs::data_dir()
                .ok_or(EngineError::NoDataDir)?
                .join("mtp-strava-uploader"),
        };
        let home = dirs::home_dir().ok_or(EngineError::NoHomeDir)?;
        Ok(Self {
            data_dir,
            default_root: home.join("MTP").join("sequences"),
        })
    }
}
