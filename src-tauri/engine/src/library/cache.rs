//! The library's use of the store's `sequence_cache`: records go in as JSON text with the
//! reader version, and come back only when the folder's stamps and the version still match.

use std::path::Path;

use super::record::{FolderRead, SequenceRecord, READER_VERSION};
use crate::files::FolderStamp;
use crate::store::{CacheEntry, Store};
use crate::EngineError;

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
        assert_eq!(
            cached(&store, &dir, &stamp, true).unwrap(),
            Some((read.record, read.preview))
        );
        let older = store
            .cached_record(&dir, &stamp, READER_VERSION - 1, false)
            .unwrap();
        assert_eq!(older, None, "a row from another reader version is a miss");
    }
}
