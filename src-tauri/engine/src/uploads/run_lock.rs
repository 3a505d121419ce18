//! One run of the queue at a time per data folder, across processes: the app and the CLI each
//! hold the OS lock on `uploads.lock` while they work the queue, so no record is sent twice or
//! moved by two runs at once. A killed holder's lock goes with it, and the next run resumes
//! what it left, once.

use std::path::Path;
use std::time::Duration;

use crate::error::EngineError;
use crate::os::file_lock::FileLock;

/// The lock file's name in the data folder.
pub const RUN_LOCK_FILE: &str = "uploads.lock";

/// Takes the queue's lock in `data_dir`, waiting while another process holds it; `waiting`
/// hears who holds it when the wait starts.
pub async fn acquire(
    data_dir: &Path,
    waiting: impl FnOnce(String),
) -> Result<FileLock, EngineError> {
    let path = data_dir.join(RUN_LOCK_FILE);
    FileLock::acquire(&path, Duration::from_millis(250), |holder| {
        log::info!(holder = holder.as_str(); "another process is working the upload queue; waiting for it");
        waiting(holder)
    })
    .await
    .map_err(|source| EngineError::RunLock { path, source })
}
