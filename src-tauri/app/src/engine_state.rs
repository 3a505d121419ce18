//! The engine as managed Tauri state, and the one way commands run engine calls off the main thread.

use std::sync::{Arc, PoisonError, RwLock};

use mtp_engine::accounts::Accounts;
use mtp_engine::ipc::compact_list::ListPages;
use mtp_engine::{Engine, EngineConfig, ErrorCode, UserError};

/// The opened engine, or the error that explains why it could not be opened.
///
/// The window still opens when the engine cannot (for example an unreadable data folder), so
/// the user sees the reason instead of a silent exit.
pub struct EngineState {
    /// Replaced once, when a damaged database was moved aside ([`EngineState::reopen`]).
    engine: RwLock<Result<Arc<Engine>, UserError>>,
    /// The rest of a scan whose first page `scan_library` answered, until it is asked for.
    list_pages: Arc<ListPages>,
}

impl EngineState {
    /// Opens the engine with the configuration from the environment (`MTP_DATA_DIR`, `HOME`).
    pub fn open_from_env() -> Self {
        Self {
            engine: RwLock::new(Self::open()),
            list_pages: Arc::default(),
        }
    }

    /// Opens the engine again (after the damaged database was moved aside).
    pub fn reopen(&self) -> Result<(), UserError> {
        let engine = Self::open();
        let answer = engine.as_ref().map(|_| ()).map_err(Clone::clone);
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
        answer
    }

    fn open() -> Result<Arc<Engine>, UserError> {
        let engine = EngineConfig::from_env()
            .and_then(Engine::open)
            .map(Arc::new)
            .map_err(|err| {
                let code = match err.code() {
                    ErrorCode::StoreCorrupt => ErrorCode::StoreCorrupt,
                    _ => ErrorCode::EngineUnavailable,
                };
                UserError::new(code, format!("The library could not be opened: {err}"))
            });
        if let Err(error) = &engine {
            eprintln!("{}", error.message);
        }
        engine
    }

    /// Starts reading the library at once, while the window loads: the UI's first scan takes
    /// this answer instead of starting its own once the page is up.
    pub fn scan_ahead(&self) {
        if let Ok(engine) = self.engine() {
            engine.scan_ahead();
        }
    }

    /// Where `scan_library` holds the rest of a first page.
    pub fn list_pages(&self) -> Arc<ListPages> {
        Arc::clone(&self.list_pages)
    }

    /// The engine itself (for async work such as the upload queue), or why it could not open.
    pub fn engine(&self) -> Result<Arc<Engine>, UserError> {
        self.engine
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sign-in and accounts (cheap to clone; its async methods keep keyring calls off this thread).
    pub fn accounts(&self) -> Result<Accounts, UserError> {
        Ok(self.engine()?.accounts().clone())
    }

    /// Runs `job` with the engine on the blocking thread pool, so the window never freezes.
    /// Errors come back as a code and a sentence for the user.
    pub async fn run<T, F>(&self, job: F) -> Result<T, UserError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T, mtp_engine::EngineError> + Send + 'static,
    {
        let engine = self.engine()?;
        tauri::async_runtime::spawn_blocking(move || job(&engine))
            .await
            .map_err(|_| {
                UserError::new(
                    ErrorCode::Internal,
                    "The app hit an internal problem. Please try again.",
                )
            })?
            .map_err(UserError::from)
    }
}
