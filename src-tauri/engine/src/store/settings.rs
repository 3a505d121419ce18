//! The `settings` table (migration 3, sign-in): non-secret settings and account records, key → value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection};

use super::database::DATABASE_FILE;
use crate::settings::{SettingsError, SettingsStore};

/// Migration 3 (sign-in). Secrets (client secret, tokens) never go here: they live in the OS keyring.
pub const CREATE: &str = "CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);";

/// Its own connection to the store's database (WAL allows several), so sign-in can share it
/// between tasks without holding the library's connection. Open it after [`super::Store::open`]
/// has brought the schema up to date.
pub struct SettingsTable {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl SettingsTable {
    pub fn open(data_dir: &Path) -> Result<Self, SettingsError> {
        let path = data_dir.join(DATABASE_FILE);
        let conn = Connection::open(&path).map_err(|e| fail(&path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| fail(&path, e))?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, SettingsError> {
        self.conn.lock().map_err(|_| SettingsError::Store {
            reason: "busy after an earlier failure; restart the app".into(),
        })
    }
}

impl SettingsStore for SettingsTable {
    fn load_all(&self) -> Result<BTreeMap<String, String>, SettingsError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT key, value FROM settings")
            .map_err(|e| fail(&self.path, e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| fail(&self.path, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| fail(&self.path, e))
    }

    fn save(&self, changes: &[(String, Option<String>)]) -> Result<(), SettingsError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| fail(&self.path, e))?;
        for (key, value) in changes {
            let done = match value {
                Some(value) => tx.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                    params![key, value],
                ),
                None => tx.execute("DELETE FROM settings WHERE key = ?1", params![key]),
            };
            done.map_err(|e| fail(&self.path, e))?;
        }
        tx.commit().map_err(|e| fail(&self.path, e))
    }
}

/// The library's own reads and writes of single settings (the upload preferences), on the
/// store's connection.
impl super::Store {
    /// The stored value of `key`, if any.
    pub fn setting(&self, key: &str) -> Result<Option<String>, crate::error::EngineError> {
        use rusqlite::OptionalExtension;
        let conn = self.conn()?;
        conn.query_row(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |row| row.get(0),
        )
        .optional()
        .map_err(|e| self.fail(e))
    }

    /// Stores `value` under `key` (committed at once).
    pub fn save_setting(&self, key: &str, value: &str) -> Result<(), crate::error::EngineError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value],
        )
        .map_err(|e| self.fail(e))?;
        Ok(())
    }
}

fn fail(path: &Path, error: rusqlite::Error) -> SettingsError {
    SettingsError::Store {
        reason: format!("{}: {error}", path.display()),
    }
}
