//! The engine as managed Tauri state, and the one way commands run engine calls off the main thread.

use std::sync::Arc;

use mtp_engine::{Engine, EngineConfig};

/// The opened engine, or the sentence that explains why it could not be opened.
///
/// The window still opens when the engine cannot (for example an unreadable data folder), so
/// the user sees the reason instead of a silent exit.
pub struct EngineState {
    engine: Result<Arc<Engine>, String>,
}

impl EngineState {
    /// Opens the engine with the configuration from the environment (`MTP_DATA_DIR`, `HOME`).
    pub fn open_from_env() -> Self {
        let engine = EngineConfig::from_env()
            .and_then(Engine::open)
            .map(Arc::new)
            .map_err(|err| format!("The library could not be opened: {err}"));
        if let Err(message) = &engine {
            eprintln!("{message}");
        }
        Self { engine }
    }

    /// Runs `job` with the engine on the blocking thread pool, so the window never freezes.
    /// Errors come back as sentences for the user.
    pub async fn run<T, F>(&self, job: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T, mtp_engine::EngineError> + Send + 'static,
    {
        let engine = Arc::clone(self.engine.as_ref().map_err(Clone::clone)?);
        tauri::async_runtime::spawn_blocking(move || job(&engine))
            .await
            .map_err(|_| "The app hit an internal problem. Please try again.".to_string())?
            .map_err(|err| err.to_string())
    }
}
