//! The SQLite store (WAL, versioned migrations): opening it here, the connection in
//! `database.rs`, one file per table (`roots.rs`, `sequence_cache.rs`, ...), each with its
//! `impl Store` block and its migration SQL.
//!
//! The store takes and returns plain data (paths, stamps, text, numbers): it depends on
//! `files` only, never on the library.

mod database;
mod migrations;
mod mtpw_links;
mod repair;
mod roots;
mod sequence_cache;
mod settings;

pub(crate) use database::now_ms;
pub use database::{Store, DATABASE_FILE};
pub use repair::{set_aside_damaged, SetAside};
pub use sequence_cache::{CacheEntry, CachedRows};
pub use settings::SettingsTable;

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::EngineError;

impl Store {
    /// Opens (or creates) the database in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self, EngineError> {
        create_private_dir(data_dir).map_err(|source| EngineError::CreateDataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let fail = |source| repair::classify(&path, source);
        let mut conn = Connection::open(&path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(fail)?;
        // FULL: a committed upload state survives a power cut, not only a crash (each state is
        // committed before the request that follows it). Scans write the cache in batches, so
        // the extra sync per commit costs them little.
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(fail)?;
        migrate(&mut conn, &path)?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }
}

/// Creates the data folder for its owner only (mode 0700 on Unix: the database holds the
/// account records and the upload history), its parents as usual. A folder already there
/// that others may read is narrowed to 0700 when it is ours; else it is left as it is.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {
                let mode = std::fs::metadata(dir)?.permissions().mode();
                if mode & 0o077 != 0 {
                    let narrowed = std::fs::Permissions::from_mode(mode & 0o700);
                    if let Err(e) = std::fs::set_permissions(dir, narrowed) {
                        log::warn!(path:% = dir.display();
                            "the data folder is readable by others and cannot be narrowed: {e}");
                    }
                }
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Applies every migration newer than the database's `user_version`, in one `BEGIN IMMEDIATE`
/// transaction that reads the version itself: two first starts at once (the app and the CLI)
/// take turns, and the second finds the schema already done.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), EngineError> {
    let fail = |source| repair::classify(path, source);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(fail)?;
    let current: i64 = tx
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
    for steps in migrations::MIGRATIONS.iter().skip(current as usize) {
        for sql in *steps {
            tx.execute_batch(sql).map_err(fail)?;
        }
    }
    if current < known {
        tx.pragma_update(None, "user_version", known)
            .map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

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

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_its_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("share/mtp-strava-uploader");
        drop(Store::open(&dir).unwrap());
        assert_eq!(mode(&dir), 0o700);
        // The parents are made as usual (the umask decides), not narrowed.
        assert_eq!(mode(dir.parent().unwrap()) & 0o700, 0o700);
        // A folder left open by an earlier version is narrowed.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(Store::open(&dir).unwrap());
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn first_starts_at_once_take_turns_and_all_open_the_same_schema() {
        let dir = tempfile::tempdir().unwrap();
        let opened: Vec<_> = (0..8)
            .map(|_| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || Store::open(&dir).map(|_| ()))
            })
            .collect();
        for opening in opened {
            opening.join().unwrap().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let version: i64 = store
            .conn()
            .unwrap()
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, migrations::latest_version());
    }

    #[test]
    fn upload_states_are_committed_with_a_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let level: i64 = store
            .conn()
            .unwrap()
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .unwrap();
        assert_eq!(level, 2, "2 is FULL");
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
    fn a_version_1_database_keeps_its_roots_and_starts_a_fresh_cache() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        for sql in migrations::MIGRATIONS[0] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO library_roots VALUES (x'2f61', 1);
             INSERT INTO sequence_cache VALUES (x'2f62', 1, 1, 1, 1, 1, 1, '{}', x'');",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.user_roots().unwrap(), [PathBuf::from("/a")]);
        let rows: i64 = store
            .conn()
            .unwrap()
            .query_row("SELECT count(*) FROM sequence_cache", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }
}
