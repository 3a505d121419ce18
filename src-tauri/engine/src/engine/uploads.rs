//! Uploads on the facade: the queue the app runs over the pipeline, and the links it opens.

use std::sync::Arc;

use super::Engine;
use crate::auth_flow::open_in_browser;
use crate::pipeline::Uploader;
use crate::upload_queue::{link_url, LinkTarget, QueueListener, UploadQueue};
use crate::{EngineError, ErrorCode, UserError};

impl Engine {
    /// Starts the upload queue: the pipeline with the signed-in accounts' tokens and the
    /// service bases of the effective settings. Work a previous run left resumes at once.
    pub async fn start_upload_queue(
        self: &Arc<Self>,
        runtime: tokio::runtime::Handle,
        listener: QueueListener,
    ) -> Result<Arc<UploadQueue>, EngineError> {
        let uploader = Uploader::for_engine(Arc::clone(self)).await?;
        UploadQueue::start(uploader, runtime, listener)
    }

    /// The URL of a Strava activity or MTPW sequence page; `None` for anything else.
    pub async fn link_url(&self, target: &LinkTarget) -> Option<String> {
        let mtpw_base = match self.accounts.settings().await {
            Ok(settings) => settings.mtpw_base.value,
            Err(_) => crate::pipeline::config::MTPW_BASE.to_string(),
        };
        link_url(target, &mtpw_base)
    }

    /// Opens a Strava activity or MTPW sequence page in the system browser (`$BROWSER` first),
    /// never in the app's window.
    pub async fn open_link(&self, target: &LinkTarget) -> Result<(), UserError> {
        let url = self.link_url(target).await.ok_or_else(|| {
            UserError::new(
                ErrorCode::Internal,
                "This link cannot be opened: it is not a Strava activity or a Map the Paths sequence.",
            )
        })?;
        open_in_browser(&url).await.map_err(|err| {
            UserError::new(
                ErrorCode::Internal,
                format!("The browser could not be opened for {url}: {err}"),
            )
        })
    }
}
