//! The SQLite store (WAL, versioned migrations): library roots and the sequence cache.

mod migrations;
mod settings;

pub use settings::SettingsTable;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

use crate::library::{path_bytes, path_from_bytes, FolderStamp, SequenceRead};
use crate::{EngineError, SequenceStatus, SequenceSummary};

/// A cached summary with its preview polyline.
pub type CachedDetail = (SequenceSummary, Vec<[f64; 2]>);

/// The file name of the database inside the data folder.
pub const DATABASE_FILE: &str = "mtp-strava-uploader.sqlite3";

/// One connection behind a mutex, so the engine can be shared across threads.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self, EngineError> {
        std::fs::create_dir_all(data_dir).map_err(|source| EngineError::CreateDataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let fail = |source| EngineError::Store {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(fail)?;
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(fail)?;
        migrate(&mut conn, &path)?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, EngineError> {
        self.conn.lock().map_err(|_| EngineError::StorePoisoned)
    }

    fn fail(&self, source: rusqlite::Error) -> EngineError {
        EngineError::Store {
            path: self.path.clone(),
            source,
        }
    }

    /// The roots the user added, oldest first.
    pub fn user_roots(&self) -> Result<Vec<PathBuf>, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT path FROM library_roots ORDER BY added_at, rowid")
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map([], |row| row.get::<_, Vec<u8>>(0))
            .map_err(|e| self.fail(e))?;
        rows.map(|row| row.map(|bytes| path_from_bytes(&bytes)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.fail(e))
    }

    /// Remembers a root; false when it was already there.
    pub fn add_root(&self, path: &Path) -> Result<bool, EngineError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let conn = self.conn()?;
        let changed = conn
            .execute(
                "INSERT OR IGNORE INTO library_roots (path, added_at) VALUES (?1, ?2)",
                params![path_bytes(path), now],
            )
            .map_err(|e| self.fail(e))?;
        Ok(changed == 1)
    }

    /// Forgets a root; false when it was not there.
    pub fn remove_root(&self, path: &Path) -> Result<bool, EngineError> {
        let conn = self.conn()?;
        let changed = conn
            .execute(
                "DELETE FROM library_roots WHERE path = ?1",
                params![path_bytes(path)],
            )
            .map_err(|e| self.fail(e))?;
        Ok(changed == 1)
    }

    /// The cached summary of `folder` if its files still have the same size and mtime.
    pub fn cached_summary(
        &self,
        folder: &Path,
        stamp: &FolderStamp,
    ) -> Result<Option<SequenceSummary>, EngineError> {
        Ok(self
            .cached(folder, stamp, false)?
            .map(|(summary, _)| summary))
    }

    /// The cached summary and preview of `folder` if its files are unchanged.
    pub fn cached_detail(
        &self,
        folder: &Path,
        stamp: &FolderStamp,
    ) -> Result<Option<CachedDetail>, EngineError> {
        self.cached(folder, stamp, true)
    }

    fn cached(
        &self,
        folder: &Path,
        stamp: &FolderStamp,
        with_preview: bool,
    ) -> Result<Option<CachedDetail>, EngineError> {
        let conn = self.conn()?;
        let sql = if with_preview {
            "SELECT summary, preview FROM sequence_cache WHERE folder = ?1 AND json_size = ?2 AND json_mtime_ns = ?3 AND gpx_size = ?4 AND gpx_mtime_ns = ?5 AND status_size = ?6 AND status_mtime_ns = ?7"
        } else {
            "SELECT summary, x'' FROM sequence_cache WHERE folder = ?1 AND json_size = ?2 AND json_mtime_ns = ?3 AND gpx_size = ?4 AND gpx_mtime_ns = ?5 AND status_size = ?6 AND status_mtime_ns = ?7"
        };
        let mut stmt = conn.prepare_cached(sql).map_err(|e| self.fail(e))?;
        let row = stmt
            .query_row(
                params![
                    path_bytes(folder),
                    stamp.json.size,
                    stamp.json.mtime_ns,
                    stamp.gpx.size,
                    stamp.gpx.mtime_ns,
                    stamp.status.size,
                    stamp.status.mtime_ns
                ],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?)),
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        // A row written by an older build that no longer parses is simply a cache miss.
        Ok(row.and_then(|(summary, preview)| {
            let summary = serde_json::from_str(&summary).ok()?;
            Some((summary, decode_preview(&preview)))
        }))
    }

    /// Saves freshly read sequences, in one transaction.
    pub fn save_reads(
        &self,
        reads: &[(PathBuf, FolderStamp, SequenceRead)],
    ) -> Result<(), EngineError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| self.fail(e))?;
        for (folder, stamp, read) in reads {
            self.insert_read(&tx, folder, stamp, read)?;
        }
        tx.commit().map_err(|e| self.fail(e))
    }

    /// Saves one freshly read sequence (the lock is held for this one write only).
    pub fn save_read(
        &self,
        folder: &Path,
        stamp: &FolderStamp,
        read: &SequenceRead,
    ) -> Result<(), EngineError> {
        let conn = self.conn()?;
        self.insert_read(&conn, folder, stamp, read)
    }

    /// Writes one cache row, unless the read is not cacheable or (never expected) not final.
    fn insert_read(
        &self,
        conn: &Connection,
        folder: &Path,
        stamp: &FolderStamp,
        read: &SequenceRead,
    ) -> Result<(), EngineError> {
        if !read.cacheable || read.summary.status == SequenceStatus::Checking {
            return Ok(());
        }
        let mut stmt = conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sequence_cache (folder, json_size, json_mtime_ns, gpx_size, gpx_mtime_ns, status_size, status_mtime_ns, summary, preview)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(|e| self.fail(e))?;
        let summary = serde_json::to_string(&read.summary).unwrap_or_default();
        stmt.execute(params![
            path_bytes(folder),
            stamp.json.size,
            stamp.json.mtime_ns,
            stamp.gpx.size,
            stamp.gpx.mtime_ns,
            stamp.status.size,
            stamp.status.mtime_ns,
            summary,
            encode_preview(&read.preview)
        ])
        .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// Drops cache rows of folders that are no longer in the library.
    pub fn prune_cache(&self, keep: &HashSet<Vec<u8>>) -> Result<(), EngineError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| self.fail(e))?;
        let stale: Vec<Vec<u8>> = {
            let mut stmt = tx
                .prepare_cached("SELECT folder FROM sequence_cache")
                .map_err(|e| self.fail(e))?;
            let rows = stmt
                .query_map([], |row| row.get::<_, Vec<u8>>(0))
                .map_err(|e| self.fail(e))?;
            rows.filter_map(Result::ok)
                .filter(|folder| !keep.contains(folder))
                .collect()
        };
        for folder in stale {
            tx.execute(
                "DELETE FROM sequence_cache WHERE folder = ?1",
                params![folder],
            )
            .map_err(|e| self.fail(e))?;
        }
        tx.commit().map_err(|e| self.fail(e))
    }
}

/// Applies every migration newer than the database's `user_version`, each in its own transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), EngineError> {
    let fail = |source| EngineError::Store {
        path: path.to_path_buf(),
        source,
    };
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(fail)?;
    let known = migrations::latest_version();
    if current > known {
        return Err(EngineError::StoreTooNew {
            path: path.to_path_buf(),
            found: current,
            known,
        });
    }
    for (index, sql) in migrations::MIGRATIONS
        .iter()
        .enumerate()
        .skip(current as usize)
    {
        let tx = conn.transaction().map_err(fail)?;
        tx.execute_batch(sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}

fn encode_preview(points: &[[f64; 2]]) -> Vec<u8> {
    points
        .iter()
        .flat_map(|[lat, lon]| lat.to_le_bytes().into_iter().chain(lon.to_le_bytes()))
        .collect()
}

fn decode_preview(bytes: &[u8]) -> Vec<[f64; 2]> {
    bytes
        .chunks_exact(16)
        .map(|chunk| {
            let mut lat = [0u8; 8];
            let mut lon = [0u8; 8];
            lat.copy_from_slice(&chunk[..8]);
            lon.copy_from_slice(&chunk[8..]);
            [f64::from_le_bytes(lat), f64::from_le_bytes(lon)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_record_the_version() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let store = Store::open(dir.path()).unwrap();
        let conn = store.conn().unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, migrations::latest_version());
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_database_from_a_newer_app_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("newer version"), "{err}");
    }

    #[test]
    fn previews_round_trip_through_bytes() {
        let points = vec![[51.5, -0.1], [-33.9, 151.2]];
        assert_eq!(decode_preview(&encode_preview(&points)), points);
    }
}
