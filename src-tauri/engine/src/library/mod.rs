//! The sequence library: roots, the sequence folders under them, what each one holds, drops,
//! and watching it.

mod cache;
mod candidates;
mod check;
mod desktop_uploader;
mod drop;
mod listing;
mod mtpw_id;
mod naming;
mod read;
mod record;
mod roots;
mod scan;
pub mod sequence_json;
mod settle;
mod summary;
pub mod transport;
mod watch;

pub use candidates::{is_sequence_folder, list_candidates, Candidates};
pub use check::{check_folder, check_folders};
pub use drop::classify_dropped;
pub use mtpw_id::parse_mtpw_id;
pub use naming::display_sequence_name;
pub use read::{list_sequence, read_sequence, Listing};
pub use record::{FolderRead, SequenceRecord, READER_VERSION};
pub use roots::{describe_root, Root};
pub use scan::{scan_library, ScanOutcome};
pub use settle::Settling;
pub use summary::{sort_newest_first, summary_of};
pub use watch::{Changes, FolderWatch, WatchMode};

use std::path::Path;

use crate::error::EngineError;
use crate::files::{own_file, FolderStamp};
use crate::model::SequenceDetail;
use crate::store::Store;

/// One sequence with its preview and photo count: the cached record when the folder is
/// unchanged since it was read in full, else (also while its track check is pending) read now.
/// Photos are counted here, never during a scan.
pub fn sequence_detail(store: &Store, folder: &Path) -> Result<SequenceDetail, EngineError> {
    let stamp = FolderStamp::of(folder);
    let (record, preview) = match cache::cached(store, folder, &stamp, true)? {
        Some(found) => found,
        None => {
            let read = read_sequence(folder);
            cache::save(store, &[(folder, &stamp, &read)])?;
            (read.record, read.preview)
        }
    };
    let photo_count = own_file(folder, ".json").and_then(|json| sequence_json::count_photos(&json));
    let summary = summary_of(folder, &record);
    Ok(SequenceDetail {
        track: summary.track.clone(),
        summary,
        preview,
        photo_count,
    })
}
