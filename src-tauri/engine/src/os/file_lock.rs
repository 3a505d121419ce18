//! An OS lock on a file in the data folder, shared by every process of the app (the window and
//! the CLI): held until dropped, released by the OS when the holder dies. The holder writes who
//! it is into the file, so a waiter can say whom it waits for.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

/// A held lock.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// The lock on `path` (created if missing) if no other process holds it.
    pub fn try_acquire(path: &Path) -> std::io::Result<Option<Self>> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {
                let me = format!("{} (process {})", program(), std::process::id());
                file.set_len(0)?;
                file.rewind()?;
                file.write_all(me.as_bytes())?;
                Ok(Some(Self { _file: file }))
            }
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(error)) => Err(error),
        }
    }

    /// The lock on `path`, trying again every `every` while another process holds it;
    /// `waiting` hears who holds it, once, when the wait starts.
    pub async fn acquire(
        path: &Path,
        every: Duration,
        waiting: impl FnOnce(String),
    ) -> std::io::Result<Self> {
        let mut waiting = Some(waiting);
        loop {
            if let Some(lock) = Self::try_acquire(path)? {
                return Ok(lock);
            }
            if let Some(tell) = waiting.take() {
                tell(holder(path));
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// Who holds the lock on `path`, as its holder wrote it ("the app (process 4242)").
pub fn holder(path: &Path) -> String {
    let mut text = String::new();
    let read = File::open(path).and_then(|mut file| file.read_to_string(&mut text));
    match read {
        Ok(_) if !text.trim().is_empty() => text.trim().chars().take(200).collect(),
        _ => "another process".into(),
    }
}

/// "the app" or "the command-line uploader", from this program's name.
fn program() -> &'static str {
    let name = std::env::current_exe()
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().to_string()))
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
    async fn a_second_holder_waits_for_the_first_and_hears_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.lock");
        let first = FileLock::try_acquire(&path).unwrap().expect("free");
        assert!(FileLock::try_acquire(&path).unwrap().is_none());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let told = Arc::clone(&heard);
        let waiting_path = path.clone();
        let second = tokio::spawn(async move {
            FileLock::acquire(&waiting_path, Duration::from_millis(20), move |holder| {
                told.lock().unwrap().push(holder)
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "the second waits");
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
