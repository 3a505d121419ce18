//! The second phase of a scan: each pending folder is read in full (GPX parsed and validated) and cached.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{read_sequence, FolderStamp};
use crate::store::Store;
use crate::{EngineError, SequenceSummary};

/// Checks every folder in parallel and hands each final summary to `on_checked` as soon as it
/// is done; returns how many were checked. Stops at the first store failure.
pub fn check_folders(
    store: &Store,
    folders: Vec<PathBuf>,
    on_checked: &(impl Fn(SequenceSummary) + Sync),
) -> Result<u32, EngineError> {
    let checked = folders.len();
    folders.into_par_iter().try_for_each(|folder| {
        on_checked(check_folder(store, &folder)?);
        Ok::<(), EngineError>(())
    })?;
    Ok(u32::try_from(checked).unwrap_or(u32::MAX))
}

/// The final summary of one folder: from the cache when it was read since it was listed
/// (e.g. by the detail view), else read in full and cached. The store lock is held only
/// for the cache look-up and the write, never while the GPX is parsed.
pub fn check_folder(store: &Store, folder: &Path) -> Result<SequenceSummary, EngineError> {
    let stamp = FolderStamp::of(folder);
    if let Some(summary) = store.cached_summary(folder, &stamp)? {
        return Ok(summary);
    }
    let read = read_sequence(folder);
    store.save_read(folder, &stamp, &read)?;
    Ok(read.summary)
}
