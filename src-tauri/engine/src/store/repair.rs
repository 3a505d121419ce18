//! A damaged database: recognised at open, and moved aside (with its upload history exported to
//! JSON first, when that can still be read) so the app starts fresh instead of failing forever.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};
use time::macros::format_description;
use time::OffsetDateTime;

use super::database::DATABASE_FILE;
use crate::error::EngineError;

/// What [`set_aside_damaged`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The damaged database's new name (its `-wal` and `-shm` files moved beside it).
    pub moved_to: PathBuf,
    /// The upload history as JSON, when it could be read.
    pub history_export: Option<PathBuf>,
    /// Why the history could not be exported, if it could not.
    pub export_problem: Option<String>,
}

/// A failed statement on `path`: [`EngineError::StoreCorrupt`] when SQLite says the file is not
/// a database or is damaged, else [`EngineError::Store`].
pub(super) fn classify(path: &Path, source: rusqlite::Error) -> EngineError {
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => EngineError::StoreCorrupt {
            path: path.to_path_buf(),
            reason: source.to_string(),
        },
        _ => EngineError::Store {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Exports the upload history of the database in `data_dir` if it can be read, then renames
/// the database (and its `-wal`, `-shm`) to `….damaged-<time>`. The next open starts fresh.
pub fn set_aside_damaged(data_dir: &Path) -> Result<SetAside, EngineError> {
    let database = data_dir.join(DATABASE_FILE);
    let stamp = OffsetDateTime::now_utc()
        .format(format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_else(|_| "old".into());
    let export = data_dir.join(format!("history-export-{stamp}.json"));
    let (history_export, export_problem) = match export_history(&database, &export) {
        Ok(()) => (Some(export), None),
        Err(problem) => (None, Some(problem)),
    };
    let moved_to = data_dir.join(format!("{DATABASE_FILE}.damaged-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", database.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", moved_to.display()));
            std::fs::rename(&from, &to)
                .map_err(|source| EngineError::SetAside { path: from, source })?;
        }
    }
    log::warn!(moved_to:% = moved_to.display(), exported = history_export.is_some();
        "the damaged database was moved aside");
    Ok(SetAside {
        moved_to,
        history_export,
        export_problem,
    })
}

/// Every upload record that can be read, as a JSON array in `to`.
fn export_history(database: &Path, to: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare(
            "SELECT sequence_name, folder, mtpw_uuid, state, detail, activity_id, sport_type,
                    created_at, updated_at FROM uploads ORDER BY id",
        )
        .map_err(|e| e.to_string())?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let rows = stmt
        .query_map([], |row| {
            let mut record = serde_json::Map::new();
            for (index, name) in columns.iter().enumerate() {
                let value = match row.get_ref(index)? {
                    rusqlite::types::ValueRef::Integer(n) => serde_json::Value::from(n),
                    rusqlite::types::ValueRef::Text(text) => {
                        serde_json::Value::from(String::from_utf8_lossy(text).to_string())
                    }
                    _ => serde_json::Value::Null,
                };
                record.insert(name.clone(), value);
            }
            Ok(serde_json::Value::Object(record))
        })
        .map_err(|e| e.to_string())?;
    let records: Vec<serde_json::Value> =
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    let json = serde_json::to_vec_pretty(&records).map_err(|e| e.to_string())?;
    std::fs::write(to, json).map_err(|e| format!("{}: {e}", to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_damaged_file_is_named_as_such_then_set_aside_and_the_next_open_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join(DATABASE_FILE);
        std::fs::write(&database, vec![0x5a; 64 * 1024]).unwrap();
        let error = Store::open(dir.path()).err().unwrap();
        assert!(
            matches!(error, EngineError::StoreCorrupt { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("is damaged"), "{error}");
        assert!(error.to_string().contains(&database.display().to_string()));

        let set_aside = set_aside_damaged(dir.path()).unwrap();
        assert!(set_aside.history_export.is_none());
        assert!(set_aside.export_problem.is_some());
        assert_eq!(std::fs::read(&set_aside.moved_to).unwrap().len(), 64 * 1024);
        Store::open(dir.path()).unwrap();
    }

    #[test]
    fn a_readable_history_is_exported_before_the_database_is_moved() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .conn()
            .unwrap()
            .execute_batch(
                "INSERT INTO uploads (upload_key, sequence_id, sequence_name, folder, gpx_sha256,
                     state, activity_id, created_at, updated_at)
                 VALUES ('k', 's', 'Lake Bled walk', '/m/lake', 'h', 'done', '42', 1, 2);",
            )
            .unwrap();
        drop(store);
        let set_aside = set_aside_damaged(dir.path()).unwrap();
        let export = set_aside.history_export.expect("exported");
        let records: serde_json::Value =
            serde_json::from_slice(&std::fs::read(export).unwrap()).unwrap();
        assert_eq!(records[0]["sequence_name"], "Lake Bled walk");
        assert_eq!(records[0]["activity_id"], "42");
        assert!(!dir.path().join(DATABASE_FILE).exists());
    }
}
