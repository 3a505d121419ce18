//! Uploads: the one type the shell and the CLI call ([`Uploads`]) and everything of the feature
//! behind it: its model, the persisted queue (`records`), one file per job step (`steps/`), one
//! retry policy (`retry`), the user's messages, control, progress, batch end, links and history.
//!
//! [`Uploads::enqueue`] records what to upload; [`Uploads::run`] works through every record still
//! owed work (also those a killed process left behind) and reports [`UploadEvent`]s. Started in
//! the background ([`Uploads::start`]), a queue runs by itself whenever something is queued.

mod automatic;
pub mod batch_end;
pub mod config;
mod control;
mod enqueue;
mod gpx_bytes;
mod history;
mod hold;
mod job;
pub mod links;
mod messages;
pub mod model;
mod mtpw_create;
mod pace;
mod past_uploads;
pub mod progress;
mod queue;
mod records;
mod retry;
mod run;
pub mod run_lock;
mod snapshot;
mod steps;

use crate::error::EngineError;

pub use batch_end::{batch_end_notice, batch_end_notice_of, BatchCounts, BatchEndNotice};
pub use config::{MtpwStravaValue, PipelineConfig, Timings};
pub use links::{link_url, LinkTarget};
pub use model::*;
pub use past_uploads::{record_past_upload, record_past_uploads, PastAttempt, PastUpload};
pub use queue::{EventSink, QueueListener, Uploads};
pub use retry::MAX_ATTEMPTS;

/// Control: pause, resume and cancel, for the whole queue or one upload.
impl Uploads {
    /// Holds the whole queue (`None`) or one upload before its next request; a request already
    /// on its way finishes and is recorded.
    pub fn pause(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = true;
        }
        self.control.pause(upload);
    }

    /// Lets the whole queue (`None`, which also resumes every single upload) or one upload go on.
    /// A queue held because Strava refused the API application runs again (in the background).
    pub fn resume(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = false;
        }
        self.control.resume(upload);
        if upload.is_none() && self.release_hold() {
            if let Err(err) = self.resume_owed() {
                log::error!("the upload queue could not be read to resume it: {err}");
            }
        }
    }

    /// Cancels the queue (`None`: every queued upload, and the running ones at their next
    /// step) or one upload. One that has not reached Strava ends "cancelled"; one that has
    /// is finished in this run (sport type, Map the Paths), so nothing on Strava is left half
    /// done and no row is left hanging.
    pub fn cancel(&self, upload: Option<i64>) -> Result<(), EngineError> {
        let store = &self.engine.store;
        let waiting = match upload {
            Some(id) => store.upload(id)?.into_iter().collect(),
            None => store.uploads_in_states(&run::owed_states())?,
        };
        self.control.cancel(waiting.iter().map(|r| r.id));
        for mut record in waiting {
            if record.state == UploadState::Queued && !record.is_on_strava() {
                record.state = UploadState::Cancelled;
                record.detail = Some(messages::CANCELLED.into());
                store.save_upload(&record)?;
            }
        }
        Ok(())
    }
}
