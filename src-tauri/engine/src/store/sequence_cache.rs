//! Table `sequence_cache`: per sequence folder, the stamps of its files and what was read from
//! them (an opaque record text with its reader version, and the preview polyline).
//!
//! The store takes plain data: it never knows what the record means, so a changed rule (the
//! transport table, the status order) cannot leave stale answers in it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::database::Store;
use crate::error::EngineError;
use crate::files::{path_bytes, FileStamp, FolderStamp};

/// The folder and the file stamps every version of the cache keys its rows by.
macro_rules! stamp_columns {
    () => {
        "folder BLOB PRIMARY KEY,
         json_size INTEGER NOT NULL,
         json_mtime_ns INTEGER NOT NULL,
         gpx_size INTEGER NOT NULL,
         gpx_mtime_ns INTEGER NOT NULL,
         status_size INTEGER NOT NULL,
         status_mtime_ns INTEGER NOT NULL,"
    };
}

/// Migration 1: the first cache, of finished summaries.
pub const CREATE_V1: &str = concat!(
    "CREATE TABLE sequence_cache (",
    stamp_columns!(),
    " summary TEXT NOT NULL, preview BLOB NOT NULL);"
);

/// Migration 2 (groundwork): a cache of records with their reader version. It is a cache, so
/// the old rows are simply dropped and read again.
pub const REPLACE_V1_WITH_FACTS: &str = concat!(
    "DROP TABLE sequence_cache; CREATE TABLE sequence_cache (",
    stamp_columns!(),
    " reader_version INTEGER NOT NULL, record TEXT NOT NULL, preview BLOB NOT NULL);"
);

/// One row to write: the folder, the stamps its record was read under, and the record.
#[derive(Debug, Clone, Copy)]
pub struct CacheEntry<'a> {
    pub folder: &'a Path,
    pub stamp: &'a FolderStamp,
    pub reader_version: i64,
    pub record: &'a str,
    pub preview: &'a [[f64; 2]],
}

/// A row that matched: the record text and (when asked for) the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedRecord {
    pub record: String,
    pub preview: Vec<[f64; 2]>,
}

/// Every row written by one reader version, by folder path bytes: the stamps it was read
/// under and the record text (no preview). One query, so a rescan of thousands of unchanged
/// sequences does not pay a look-up each.
pub type CachedRows = HashMap<Vec<u8>, (FolderStamp, String)>;

impl Store {
    /// Every cached record of `reader_version` with its stamps (previews left out).
    pub fn cached_records(&self, reader_version: i64) -> Result<CachedRows, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT folder, json_size, json_mtime_ns, gpx_size, gpx_mtime_ns, status_size, status_mtime_ns, record
                 FROM sequence_cache WHERE reader_version = ?1",
            )
            .map_err(|e| self.fail(e))?;
        let file = |row: &rusqlite::Row<'_>, at: usize| -> rusqlite::Result<FileStamp> {
            Ok(FileStamp {
                size: row.get(at)?,
                mtime_ns: row.get(at + 1)?,
            })
        };
        let rows = stmt
            .query_map(params![reader_version], |row| {
                let stamp = FolderStamp {
                    json: file(row, 1)?,
                    gpx: file(row, 3)?,
                    status: file(row, 5)?,
                };
                Ok((row.get::<_, Vec<u8>>(0)?, (stamp, row.get::<_, String>(7)?)))
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }

    /// The record of `folder` if its files still have the same stamps and it was written by
    /// `reader_version`; the preview only when `with_preview`.
    pub fn cached_record(
        &self,
        folder: &Path,
        stamp: &FolderStamp,
        reader_version: i64,
        with_preview: bool,
    ) -> Result<Option<CachedRecord>, EngineError> {
        let conn = self.conn()?;
        let sql = if with_preview {
            "SELECT record, preview FROM sequence_cache WHERE folder = ?1 AND json_size = ?2 AND json_mtime_ns = ?3 AND gpx_size = ?4 AND gpx_mtime_ns = ?5 AND status_size = ?6 AND status_mtime_ns = ?7 AND reader_version = ?8"
        } else {
            "SELECT record, x'' FROM sequence_cache WHERE folder = ?1 AND json_size = ?2 AND json_mtime_ns = ?3 AND gpx_size = ?4 AND gpx_mtime_ns = ?5 AND status_size = ?6 AND status_mtime_ns = ?7 AND reader_version = ?8"
        };
        let mut stmt = conn.prepare_cached(sql).map_err(|e| self.fail(e))?;
        let row = stmt
            .query_row(
                params_from_iter(row_key(folder, stamp, reader_version)),
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?)),
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        Ok(row.map(|(record, preview)| CachedRecord {
            record,
            preview: decode_preview(&preview),
        }))
    }

    /// Writes rows in one transaction (the lock is held for these writes only).
    pub fn save_records(&self, entries: &[CacheEntry<'_>]) -> Result<(), EngineError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(|e| self.fail(e))?;
        for entry in entries {
            self.insert_record(&tx, entry)?;
        }
        tx.commit().map_err(|e| self.fail(e))
    }

    fn insert_record(&self, conn: &Connection, entry: &CacheEntry<'_>) -> Result<(), EngineError> {
        let mut stmt = conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sequence_cache (folder, json_size, json_mtime_ns, gpx_size, gpx_mtime_ns, status_size, status_mtime_ns, reader_version, record, preview)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(|e| self.fail(e))?;
        let key = row_key(entry.folder, entry.stamp, entry.reader_version);
        let row = key.into_iter().chain([
            Value::Text(entry.record.to_string()),
            Value::Blob(encode_preview(entry.preview)),
        ]);
        stmt.execute(params_from_iter(row))
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// Drops the rows of folders that are no longer in the library (`keep`: their path bytes),
    /// except those right under a folder in `away` (a library folder not there right now).
    pub fn prune_cache(
        &self,
        keep: &HashSet<Vec<u8>>,
        away: &[Vec<u8>],
    ) -> Result<(), EngineError> {
        let is_away = |folder: &[u8]| {
            away.iter().any(|root| {
                folder.len() > root.len() && folder.starts_with(root) && folder[root.len()] == b'/'
            })
        };
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
                .filter(|folder| !keep.contains(folder) && !is_away(folder))
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

/// A row's key in column order: the folder, its file stamps, the reader version.
fn row_key(folder: &Path, stamp: &FolderStamp, reader_version: i64) -> [Value; 8] {
    [
        Value::Blob(path_bytes(folder)),
        Value::Integer(stamp.json.size),
        Value::Integer(stamp.json.mtime_ns),
        Value::Integer(stamp.gpx.size),
        Value::Integer(stamp.gpx.mtime_ns),
        Value::Integer(stamp.status.size),
        Value::Integer(stamp.status.mtime_ns),
        Value::Integer(reader_version),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::FileStamp;

    fn stamp(size: i64) -> FolderStamp {
        let file = FileStamp { size, mtime_ns: 7 };
        FolderStamp {
            json: file,
            gpx: file,
            status: file,
        }
    }

    #[test]
    fn previews_round_trip_through_bytes() {
        let points = vec![[51.5, -0.1], [-33.9, 151.2]];
        assert_eq!(decode_preview(&encode_preview(&points)), points);
    }

    #[test]
    fn a_row_matches_only_its_stamps_and_reader_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let folder = Path::new("/library/walk");
        let preview = [[1.0, 2.0]];
        let entry = CacheEntry {
            folder,
            stamp: &stamp(10),
            reader_version: 3,
            record: "{\"a\":1}",
            preview: &preview,
        };
        store.save_records(&[entry]).unwrap();
        let hit = store.cached_record(folder, &stamp(10), 3, true).unwrap();
        assert_eq!(
            hit,
            Some(CachedRecord {
                record: "{\"a\":1}".into(),
                preview: preview.to_vec()
            })
        );
        let all = store.cached_records(3).unwrap();
        assert_eq!(
            all.get(&path_bytes(folder)),
            Some(&(stamp(10), "{\"a\":1}".to_string()))
        );
        assert!(store.cached_records(4).unwrap().is_empty());
        let light = store.cached_record(folder, &stamp(10), 3, false).unwrap();
        assert_eq!(light.map(|r| r.preview.len()), Some(0));
        assert_eq!(
            store.cached_record(folder, &stamp(11), 3, true).unwrap(),
            None
        );
        assert_eq!(
            store.cached_record(folder, &stamp(10), 4, true).unwrap(),
            None
        );

        store.prune_cache(&HashSet::new(), &[]).unwrap();
        assert_eq!(
            store.cached_record(folder, &stamp(10), 3, true).unwrap(),
            None
        );
    }
}
