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
