//! The second phase of a scan: each pending folder is read in full (GPX parsed and validated)
//! and cached, on a pool of its own so one slow file never holds back the other results.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache;
use super::read::read_sequence;
use super::summary::summary_of;
use crate::files::FolderStamp;
use crate::store::Store;
use crate::{EngineError, SequenceSummary};

/// At least this many folders are checked at once, however few cores there are: checking is
/// mostly waiting for the disk, and a slow file must leave threads for the others.
const MIN_CHECK_THREADS: usize = 8;

/// Checks every folder in parallel and hands each final summary to `on_checked` as soon as it
/// is done; returns how many were checked. Stops at the first store failure.
pub fn check_folders(
    store: &Store,
    folders: Vec<PathBuf>,
    on_checked: &(impl Fn(SequenceSummary) + Sync),
) -> Result<u32, EngineError> {
    let checked = folders.len();
    let run = || {
        // One folder per task (`with_max_len(1)`): none waits behind a slow neighbour.
        folders
            .into_par_iter()
            .with_max_len(1)
            .try_for_each(|folder| {
                on_checked(check_folder(store, &folder)?);
                Ok::<(), EngineError>(())
            })
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (cores * 2).max(MIN_CHECK_THREADS);
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(run)?,
        Err(_) => run()?,
    }
    Ok(u32::try_from(checked).unwrap_or(u32::MAX))
}

/// The final summary of one folder: from the cache when it was read since it was listed
/// (e.g. by the detail view), else read in full and cached. The store lock is held only
/// for the cache look-up and the write, never while the GPX is parsed.
pub fn check_folder(store: &Store, folder: &Path) -> Result<SequenceSummary, EngineError> {
    let stamp = FolderStamp::of(folder);
    if let Some((record, _)) = cache::cached(store, folder, &stamp, false)? {
        return Ok(summary_of(folder, &record));
    }
    let read = read_sequence(folder);
    cache::save(store, &[(folder, &stamp, &read)])?;
    Ok(summary_of(folder, &read.record))
}
