//! The upload queue as app state: started on first use (or at launch, to resume what a
//! previous run left), its notices forwarded to the UI as the declared events, and a batch's
//! end to the desktop as a notification.

use std::sync::Arc;

use mtp_engine::ipc;
use mtp_engine::uploads::{QueueNotice, Uploads};
use mtp_engine::UserError;
use tauri::async_runtime::Mutex;
use tauri::{AppHandle, Manager};

use crate::engine_state::EngineState;
use crate::events::emit;
use crate::notifications;

/// The queue, once started.
#[derive(Default)]
pub struct UploadsState {
    queue: Mutex<Option<Arc<Uploads>>>,
}

impl UploadsState {
    /// The running queue, started now if it is not yet.
    pub async fn queue(&self, app: &AppHandle) -> Result<Arc<Uploads>, UserError> {
        let mut slot = self.queue.lock().await;
        if let Some(queue) = slot.as_ref() {
            return Ok(Arc::clone(queue));
        }
        let engine = app.state::<EngineState>().engine()?;
        let events = app.clone();
        let listener = Arc::new(move |notice: QueueNotice| match notice {
            QueueNotice::Progress(event) => {
                emit(&events, ipc::UPLOAD_PROGRESS, event, "upload progress")
            }
            QueueNotice::Idle(snapshot) => {
                notifications::batch_ended(&events, &snapshot);
                emit(&events, ipc::UPLOAD_QUEUE_IDLE, snapshot, "upload queue")
            }
        });
        let runtime = tauri::async_runtime::handle().inner().clone();
        let queue = Uploads::start(Uploads::open(engine).await?, runtime, listener)?;
        *slot = Some(Arc::clone(&queue));
        Ok(queue)
    }
}

/// Starts the queue at launch, so uploads a previous run left unfinished go on by themselves.
pub fn resume_at_launch(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = app.state::<UploadsState>().queue(&app).await {
            log::error!("upload queue: {}", error.message);
        }
    });
}
