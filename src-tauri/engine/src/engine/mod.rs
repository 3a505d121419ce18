//! The [`Engine`] facade over the library and the accounts: its state, and one `impl Engine`
//! block per feature in its own file (`roots.rs`, `library.rs`, ...). The uploads sit above it.

mod accounts;
mod library;
mod mtpw_links;
mod roots;
mod scan_ahead;
mod upload_prefs;
mod watching;

pub use watching::{LibraryWatch, WatchOptions, WatchReport};

use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};

use crate::config::EngineConfig;
use crate::error::EngineError;
use crate::library::{ScanOutcome, Settling};
use crate::store::Store;
use crate::{secrets, settings};

/// The one API surface over the library, GPX and store. `Send + Sync`: share it between threads.
pub struct Engine {
    config: EngineConfig,
    pub(crate) store: Store,
    /// The folders the last scan listed whose GPX track has not been checked yet.
    pending_tracks: Mutex<Vec<PathBuf>>,
    /// A scan started before it was asked for ([`Engine::scan_ahead`]), until taken.
    scan_ahead: Mutex<Option<ScanAheadAnswer>>,
    /// Sign-in, accounts and the token source (`accounts()`).
    accounts: crate::accounts::Accounts,
    /// The folders the library watch saw changing that are not complete yet: a scan leaves
    /// them out ([`Engine::watch_library`]).
    being_written: Mutex<Settling>,
}

impl Engine {
    /// Opens (or creates) the store in `config.data_dir`; secrets in the OS keyring (under
    /// `MTP_KEYRING_SERVICE` when set, else `mtp-strava-uploader`), settings overridden by the
    /// environment (`MTP_STRAVA_*`, `MTPW_*`). A service base in the environment that the
    /// address rule refuses is an error naming its variable.
    pub fn open(config: EngineConfig) -> Result<Self, EngineError> {
        let env = settings::EnvOverrides::from_env()?;
        let secrets = Arc::new(crate::os::keyring::KeyringSecrets::from_env());
        Self::open_with_secrets(config, secrets, env)
    }

    /// [`Engine::open`] with another secret store and overrides (tests: memory, none).
    pub fn open_with_secrets(
        config: EngineConfig,
        secrets: Arc<dyn secrets::Secrets>,
        env: settings::EnvOverrides,
    ) -> Result<Self, EngineError> {
        let store = Store::open(&config.data_dir)?;
        let accounts = crate::accounts::Accounts::open(&config.data_dir, secrets, env)?;
        Ok(Self {
            config,
            store,
            pending_tracks: Mutex::new(Vec::new()),
            scan_ahead: Mutex::new(None),
            accounts,
            being_written: Mutex::new(Settling::default()),
        })
    }

    /// The configuration the engine was opened with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }
}

/// The answer of a scan started ahead of being asked for.
type ScanAheadAnswer = mpsc::Receiver<Result<ScanOutcome, EngineError>>;

/// Plain data behind a lock (paths, checked summaries) stays usable after a panic elsewhere.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }
}
