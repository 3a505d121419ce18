//! The library's use of the store's `sequence_cache`: records go in as JSON text with the
//! reader version, and come back only when the folder's stamps and the version still match.

use std::path::Path;

use super::record::{FolderRead, SequenceRecord, READER_VERSION};
use crate::error::EngineError;
use crate::files::{path_bytes, FolderStamp};
use crate::store::{CacheEntry, CachedRows, Store};

/// A cached record with its preview polyline (empty unless asked for).
pub type Cached = (SequenceRecord, Vec<[f64; 2]>);

/// The cached record of `folder` (with its preview when `with_preview`) if still valid.
/// A row that no longer parses is simply a miss.
pub fn cached(
    store: &Store,
    folder: &Path,
    stamp: &FolderStamp,
    with_preview: bool,
) -> Result<Option<Cached>, EngineError> {
    let row = store.cached_record(folder, stamp, READER_VERSION, with_preview)?;
    Ok(row.and_then(|row| {
        let record = serde_json::from_str(&row.record).ok()?;
        Some((record, row.preview))
    }))
}

/// Every record of this reader version, read in one query (a rescan's look-ups).
pub fn all_cached(store: &Store) -> Result<CachedRows, EngineError> {
    store.cached_records(READER_VERSION)
}

/// The record `rows` hold for `folder` if its files still have `stamp`; a row that no longer
/// parses is a miss, as in [`cached`].
pub fn fresh_record(
    rows: &CachedRows,
    folder: &Path,
    stamp: &FolderStamp,
) -> Option<SequenceRecord> {
    let (cached_stamp, text) = rows.get(&path_bytes(folder))?;
    if cached_stamp != stamp {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// Saves fresh reads whose files could all be read and whose track was checked.
pub fn save(
    store: &Store,
    reads: &[(&Path, &FolderStamp, &FolderRead)],
) -> Result<(), EngineError> {
    let texts: Vec<(usize, String)> = reads
        .iter()
        .enumerate()
        .filter(|(_, (_, _, read))| read.cacheable && read.record.track_checked)
        .filter_map(|(i, (_, _, read))| Some((i, serde_json::to_string(&read.record).ok()?)))
        .collect();
    let entries: Vec<CacheEntry<'_>> = texts
        .iter()
        .map(|(i, text)| {
            let (folder, stamp, read) = &reads[*i];
            CacheEntry {
                folder,
                stamp,
                reader_version: READER_VERSION,
                record: text,
                preview: &read.preview,
            }
        })
        .collect();
    store.save_records(&entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::read_sequence;
    use mtp_testkit::fixtures::{self, SequenceSpec};

    #[test]
    fn rows_hold_the_record_and_no_derived_status_or_eligibility() {
        let root = tempfile::tempdir().unwrap();
        let dir = fixtures::write_sequence(root.path(), &SequenceSpec::sample(0, 8)).unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        let stamp = FolderStamp::of(&dir);
        let read = read_sequence(&dir);
        save(&store, &[(&dir, &stamp, &read)]).unwrap();

        let row = store
            .cached_record(&dir, &stamp, READER_VERSION, true)
            .unwrap()
            .unwrap();
        let stored: serde_json::Value = serde_json::from_str(&row.record).unwrap();
        for derived in ["status", "strava", "distanceKm", "durationSec", "id"] {
            assert!(
                stored.get(derived).is_none(),
                "{derived} is stored: {stored}"
            );
        }
        let rows = all_cached(&store).unwrap();
        assert_eq!(fresh_record(&rows, &dir, &stamp), Some(read.record.clone()));
        assert_eq!(
            cached(&store, &dir, &stamp, true).unwrap(),
            Some((read.record, read.preview))
        );
        let mut touched = stamp;
        touched.gpx.mtime_ns += 1;
        assert_eq!(
            fresh_record(&rows, &dir, &touched),
            None,
            "a changed GPX is a miss"
        );

        let older = store
            .cached_record(&dir, &stamp, READER_VERSION - 1, false)
            .unwrap();
        assert_eq!(older, None, "a row from another reader version is a miss");
    }
}
