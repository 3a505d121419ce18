//! One run of the queue at a time per data folder, across processes: the app and the CLI each
//! hold an OS lock on `uploads.lock` while they work the queue, so no record is sent twice or
//! moved by two runs at once. The OS drops the lock of a killed process, and the next run
//! resumes what it left, once. The holder writes who it is into the file for the waiter.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::EngineError;

/// The lock file's name in the data folder.
pub const RUN_LOCK_FILE: &str = "uploads.lock";
/// How often a waiting run tries again.
const RETRY_EVERY: Duration = Duration::from_millis(250);

/// The queue's lock, held until dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock, waiting while another process holds it; `waiting` hears who holds it
    /// (once, when the wait starts).
    pub async fn acquire(data_dir: &Path, waiting: impl Fn(String)) -> Result<Self, EngineError> {
        let path = data_dir.join(RUN_LOCK_FILE);
        let mut told = false;
        loop {
            match Self::try_acquire(&path)? {
                Some(lock) => return Ok(lock),
                None if !told => {
                    told = true;
                    let holder = holder(&path);
                    log::info!(holder = holder.as_str(); "another process is working the upload queue; waiting for it");
                    waiting(holder);
                }
                None => {}
            }
            tokio::time::sleep(RETRY_EVERY).await;
        }
    }

    /// The lock if no other process holds it.
    pub fn try_acquire(path: &Path) -> Result<Option<Self>, EngineError> {
        let fail = |source| EngineError::RunLock {
            path: path.to_path_buf(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(fail)?;
        match file.try_lock() {
            Ok(()) => {
                let me = format!("{} (process {})", program(), std::process::id());
                file.set_len(0).map_err(fail)?;
                file.rewind().map_err(fail)?;
                file.write_all(me.as_bytes()).map_err(fail)?;
                Ok(Some(Self { _file: file }))
            }
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(source)) => Err(fail(source)),
        }
    }
}

/// Who holds the lock, as its holder wrote it ("the app (process 4242)").
fn holder(path: &PathBuf) -> String {
    let mut text = String::new();
    let read = File::open(path).and_then(|mut file| file.read_to_string(&mut text));
    match read {
        Ok(_) if !text.trim().is_empty() => text.trim().chars().take(200).collect(),
        _ => "another process".into(),
    }
}

/// "the app" or "the command-line uploader", from this program's name.
fn program() -> &'static str {
    let exe = std::env::current_exe().ok();
    let name = exe
        .as_ref()
        .and_then(|path| path.file_name())
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.contains("cli") {
        "the command-line uploader"
    } else if name.starts_with("mtp-strava-uploader") {
        "the app"
    } else {
        "another run"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn a_second_run_waits_for_the_first_and_hears_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path(), |_| panic!("free"))
            .await
            .unwrap();
        assert!(RunLock::try_acquire(&dir.path().join(RUN_LOCK_FILE))
            .unwrap()
            .is_none());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let told = Arc::clone(&heard);
        let dir_path = dir.path().to_path_buf();
        let second = tokio::spawn(async move {
            RunLock::acquire(&dir_path, move |holder| told.lock().unwrap().push(holder)).await
        });
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(!second.is_finished(), "the second run waits");
        drop(first);
        let _second = tokio::time::timeout(Duration::from_secs(2), second)
            .await
            .expect("taken once free")
            .unwrap()
            .unwrap();
        let heard = heard.lock().unwrap().clone();
        assert_eq!(heard.len(), 1, "{heard:?}");
        assert!(
            heard[0].contains(&format!("process {}", std::process::id())),
            "{heard:?}"
        );
    }
}
