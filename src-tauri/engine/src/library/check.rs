//! The second phase of a scan: each pending folder is read in full (GPX parsed and validated)
//! and cached, on a pool of its own so one slow file never holds back the other results.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache;
use super::read::read_sequence;
use super::summary::summary_of;
use crate::error::EngineError;
use crate::files::FolderStamp;
use crate::model::SequenceSummary;
use crate::store::Store;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    #[test]
    fn one_slow_folder_never_holds_back_the_others() {
        let root = tempfile::tempdir().unwrap();
        let folders = mtp_testkit::fixtures::write_library(root.path(), 12, 5, 21).unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        let slow = folders[0].to_string_lossy().into_owned();
        let others_done = Mutex::new(0usize);
        let all_others = Condvar::new();
        let waited_ok = Mutex::new(None);

        check_folders(&store, folders.clone(), &|summary: SequenceSummary| {
            if summary.path == slow {
                // Stands for a file that takes long to read: it holds its thread until every
                // other folder has reported, which only works if they did not wait behind it.
                let done = others_done.lock().unwrap();
                let (done, timeout) = all_others
                    .wait_timeout_while(done, Duration::from_secs(20), |n| *n < 11)
                    .unwrap();
                *waited_ok.lock().unwrap() = Some(!timeout.timed_out() && *done == 11);
            } else {
                *others_done.lock().unwrap() += 1;
                all_others.notify_all();
            }
        })
        .unwrap();
        assert_eq!(*waited_ok.lock().unwrap(), Some(true));
    }
}
