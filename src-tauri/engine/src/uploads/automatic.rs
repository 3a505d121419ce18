//! Automatic upload (opt in): the sequences that appear in the library after it was switched
//! on are queued by themselves; those that were there before stay one click away.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::model::{EnqueueOptions, EnqueueOutcome};
use super::queue::Uploads;
use crate::error::EngineError;
use crate::files::{own_file, sequence_id};
use crate::model::SequenceStatus;

impl Uploads {
    /// Queues the sequences among `folders` (new or changed, as the library watch reports
    /// them) that appeared after automatic upload was switched on, are ready, and were never
    /// queued; nothing when it is off or an account is not connected. Queued like any other
    /// upload (the same budget, pause, cancel, retries and queue), kept off the followers'
    /// feeds when the automatic uploads' own setting says so.
    pub async fn enqueue_appeared(
        &self,
        folders: &[PathBuf],
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let accounts = self.engine.accounts();
        let Some(since) = accounts.auto_upload_since()? else {
            return Ok(Vec::new());
        };
        let ids = self.appeared_since(folders, since)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let status = accounts.status().await;
        if !status.strava.connected || !status.mtpw.connected {
            log::info!(sequences = ids.len(); "automatic upload: waiting, an account is not connected");
            return Ok(Vec::new());
        }
        let options = EnqueueOptions {
            insist: false,
            // automatic uploads follow a setting of their own
            hide_from_home: self.engine.auto_hide_from_home()?,
        };
        log::info!(sequences = ids.len(), hide_from_home = options.hide_from_home; "automatic upload: queueing new sequences");
        self.enqueue_with(&ids, &options)
    }

    /// At launch: the sequences of the whole library that appeared while the app was closed.
    pub async fn enqueue_appeared_in_library(&self) -> Result<Vec<EnqueueOutcome>, EngineError> {
        if self.engine.accounts().auto_upload_since()?.is_none() {
            return Ok(Vec::new());
        }
        let folders = self.engine.sequence_folders()?;
        self.enqueue_appeared(&folders).await
    }

    /// The library ids of the ready, never-queued sequences among `folders` that appeared
    /// after `since` (Unix seconds).
    fn appeared_since(&self, folders: &[PathBuf], since: u32) -> Result<Vec<String>, EngineError> {
        let mut ids = Vec::new();
        for folder in folders.iter().filter(|f| appeared_after(f, since)) {
            let id = sequence_id(folder);
            if self.engine.store.latest_upload_for_sequence(&id)?.is_some() {
                continue;
            }
            match self.engine.sequence_detail(&id) {
                Ok(detail) if detail.summary.status == SequenceStatus::Ready => ids.push(id),
                Ok(_) => {}
                Err(err) => log::debug!("automatic upload: {} left alone: {err}", folder.display()),
            }
        }
        Ok(ids)
    }
}

/// True when the folder came into being after `since` (Unix seconds): its creation time where
/// the file system keeps one, else when its JSON was last written.
fn appeared_after(folder: &Path, since: u32) -> bool {
    let born = std::fs::metadata(folder)
        .and_then(|meta| meta.created())
        .or_else(|_| {
            let json = own_file(folder, ".json").unwrap_or_default();
            std::fs::metadata(json).and_then(|meta| meta.modified())
        });
    born.ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .is_some_and(|age| age.as_secs() >= u64::from(since))
}
