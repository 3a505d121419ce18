//! mtp-engine: all domain logic of the MTP Strava Uploader, with no Tauri dependency.
//!
//! The app shell (src-tauri/app) and the tests talk to the [`Engine`] facade only.

pub mod accounts;
pub mod auth_flow;
pub mod config;
pub mod error;
pub mod gpx;
pub mod library;
pub mod model;
pub mod mtpw;
pub mod secrets;
pub mod settings;
mod store;
pub mod strava;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use config::EngineConfig;
pub use error::EngineError;
pub use model::*;

use library::{
    check_folders, classify_dropped, describe_root, folder_of_id, list_candidates, read_sequence,
    sort_newest_first, FolderStamp, Root,
};
use store::Store;

/// The one API surface over the library, GPX and store. `Send + Sync`: share it between threads.
pub struct Engine {
    config: EngineConfig,
    store: Store,
    /// The folders the last scan listed whose GPX track has not been checked yet.
    pending_tracks: Mutex<Vec<PathBuf>>,
    /// Sign-in, accounts and the token source (`accounts()`).
    accounts: accounts::Accounts,
}

impl Engine {
    /// Opens (or creates) the store in `config.data_dir`; secrets in the OS keyring, settings
    /// overridden by the environment (`MTP_STRAVA_*`, `MTPW_*`).
    pub fn open(config: EngineConfig) -> Result<Self, EngineError> {
        let secrets = Arc::new(secrets::KeyringSecrets::new());
        Self::open_with_secrets(config, secrets, settings::EnvOverrides::from_env())
    }

    /// [`Engine::open`] with another secret store and overrides (tests: memory, none).
    pub fn open_with_secrets(
        config: EngineConfig,
        secrets: Arc<dyn secrets::Secrets>,
        env: settings::EnvOverrides,
    ) -> Result<Self, EngineError> {
        let store = Store::open(&config.data_dir)?;
        let accounts = accounts::Accounts::open(&config.data_dir, secrets, env)?;
        Ok(Self {
            config,
            store,
            pending_tracks: Mutex::new(Vec::new()),
            accounts,
        })
    }

    /// The configuration the engine was opened with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The default root first, then the user's roots in the order they were added.
    pub fn roots(&self) -> Result<Vec<LibraryRoot>, EngineError> {
        Ok(self.library_roots()?.iter().map(describe_root).collect())
    }

    /// Dropped paths or folders chosen with "Add folder…": sequence folders and folders of
    /// sequences become roots; anything else is refused with a message naming it.
    pub fn add_paths(&self, paths: &[PathBuf]) -> Result<DropOutcome, EngineError> {
        let mut outcome = DropOutcome {
            added: Vec::new(),
            rejected: Vec::new(),
        };
        for dropped in paths {
            let path = std::path::absolute(dropped).unwrap_or_else(|_| dropped.clone());
            let shown = path.to_string_lossy().into_owned();
            match classify_dropped(&path) {
                Ok(sequence_count) => {
                    let already_known = self.is_covered(&path)? || !self.store.add_root(&path)?;
                    outcome.added.push(AddedRoot {
                        path: shown,
                        sequence_count,
                        already_known,
                    });
                }
                Err(reason) => outcome.rejected.push(SkippedItem {
                    path: shown,
                    reason,
                }),
            }
        }
        Ok(outcome)
    }

    /// Forgets a root the user added (`path` as shown in [`LibraryRoot::path`]).
    pub fn remove_root(&self, path: &str) -> Result<(), EngineError> {
        if self.config.default_root.to_string_lossy() == path {
            return Err(EngineError::DefaultRootIsPermanent { path: path.into() });
        }
        let stored = self.store.user_roots()?;
        let found = stored.iter().find(|root| root.to_string_lossy() == path);
        match found {
            Some(root) if self.store.remove_root(root)? => Ok(()),
            _ => Err(EngineError::UnknownRoot { path: path.into() }),
        }
    }

    /// Lists every sequence under every root at once, without parsing any GPX: unchanged
    /// sequences come from the cache; new or changed ones are listed from their JSON with
    /// status `Checking` until [`Engine::check_tracks`] has checked their track.
    pub fn scan(&self) -> Result<LibraryScan, EngineError> {
        let outcome = library::scan_library(&self.store, &self.library_roots()?)?;
        *self.pending() = outcome.pending;
        Ok(outcome.scan)
    }

    /// Checks the GPX track of every sequence the last scan left `Checking` (in parallel),
    /// caches each result and hands its final summary to `on_checked` as soon as it is done.
    /// Returns how many were checked; 0 at once when nothing is pending.
    pub fn check_tracks(
        &self,
        on_checked: impl Fn(SequenceSummary) + Sync,
    ) -> Result<u32, EngineError> {
        let folders = std::mem::take(&mut *self.pending());
        check_folders(&self.store, folders, &on_checked)
    }

    /// [`Engine::scan`] then [`Engine::check_tracks`]: the library with every summary final
    /// (for tests and headless use; the app shows the scan first and the checks as they come).
    pub fn scan_and_check(&self) -> Result<LibraryScan, EngineError> {
        let mut scan = self.scan()?;
        let checked = Mutex::new(HashMap::new());
        self.check_tracks(|summary| {
            lock(&checked).insert(summary.id.clone(), summary);
        })?;
        let mut checked = checked.into_inner().unwrap_or_else(PoisonError::into_inner);
        for summary in &mut scan.sequences {
            if let Some(done) = checked.remove(&summary.id) {
                *summary = done;
            }
        }
        sort_newest_first(&mut scan.sequences);
        scan.pending_tracks = 0;
        Ok(scan)
    }

    /// One sequence with its preview polyline and validation result; cheap when the folder is
    /// unchanged since it was read in full, else (also while its track check is pending) read now.
    pub fn sequence_detail(&self, id: &str) -> Result<SequenceDetail, EngineError> {
        let unknown = || EngineError::UnknownSequence { id: id.into() };
        let folder = folder_of_id(id).ok_or_else(unknown)?;
        if !self.is_in_library(&folder)? {
            return Err(unknown());
        }
        if !folder.is_dir() {
            return Err(EngineError::SequenceGone {
                path: folder.to_string_lossy().into_owned(),
            });
        }
        let stamp = FolderStamp::of(&folder);
        if let Some((summary, preview)) = self.store.cached_detail(&folder, &stamp)? {
            return Ok(SequenceDetail { summary, preview });
        }
        // Not cached: new, changed, or still waiting for its track check. Read it in full now.
        let read = read_sequence(&folder);
        self.store.save_read(&folder, &stamp, &read)?;
        Ok(SequenceDetail {
            summary: read.summary,
            preview: read.preview,
        })
    }

    fn pending(&self) -> MutexGuard<'_, Vec<PathBuf>> {
        lock(&self.pending_tracks)
    }

    fn library_roots(&self) -> Result<Vec<Root>, EngineError> {
        let default = Root {
            path: self.config.default_root.clone(),
            is_default: true,
        };
        let user = self.store.user_roots()?.into_iter().map(|path| Root {
            path,
            is_default: false,
        });
        Ok(std::iter::once(default)
            .chain(user.filter(|r| r.path != self.config.default_root))
            .collect())
    }

    /// True when `path` is a root, or a sequence folder directly inside one.
    fn is_covered(&self, path: &Path) -> Result<bool, EngineError> {
        let roots = self.library_roots()?;
        Ok(roots.iter().any(|root| {
            root.path == path
                || (path.parent() == Some(root.path.as_path()) && library::is_sequence_folder(path))
        }))
    }

    /// True when `folder` is one of the candidates the scan would list.
    fn is_in_library(&self, folder: &Path) -> Result<bool, EngineError> {
        let roots = self.library_roots()?;
        Ok(roots.iter().any(|root| {
            (root.path == folder || folder.parent() == Some(root.path.as_path()))
                && list_candidates(&root.path)
                    .folders
                    .iter()
                    .any(|f| f == folder)
        }))
    }
}

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
