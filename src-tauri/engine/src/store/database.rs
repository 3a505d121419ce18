//! The database connection: one SQLite connection behind a mutex, and the error of a failed
//! statement, which every table file (`roots.rs`, `sequence_cache.rs`, ...) uses.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::EngineError;

/// The file name of the database inside the data folder.
pub const DATABASE_FILE: &str = "mtp-strava-uploader.sqlite3";

/// One connection behind a mutex, so the engine can be shared across threads.
pub struct Store {
    pub(super) path: PathBuf,
    pub(super) conn: Mutex<Connection>,
}

impl Store {
    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>, EngineError> {
        self.conn.lock().map_err(|_| EngineError::StorePoisoned)
    }

    /// Runs `writes` (calls of this store's own methods) in one transaction: one sync for all of
    /// them instead of one per commit. Statements other threads send meanwhile join it, so this
    /// is only for tools that write alone (the history writer of the test kit).
    pub(crate) fn in_one_transaction<T>(
        &self,
        writes: impl FnOnce() -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        self.conn()?
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.fail(e))?;
        let result = writes();
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        self.conn()?.execute_batch(end).map_err(|e| self.fail(e))?;
        result
    }

    pub(crate) fn fail(&self, source: rusqlite::Error) -> EngineError {
        EngineError::Store {
            path: self.path.clone(),
            source,
        }
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
