//! mtp-engine: all domain logic of the MTP Strava Uploader, with no Tauri dependency.
//!
//! The app shell (src-tauri/app) and the tests talk to the [`Engine`] facade only.

pub mod config;
pub mod error;
pub mod gpx;
pub mod library;
pub mod model;
mod store;

use std::path::{Path, PathBuf};

pub use config::EngineConfig;
pub use error::EngineError;
pub use model::*;

use library::{
    classify_dropped, describe_root, folder_of_id, list_candidates, read_sequence, FolderStamp,
    Root,
};
use store::Store;

/// The one API surface over the library, GPX and store. `Send + Sync`: share it between threads.
pub struct Engine {
    config: EngineConfig,
    store: Store,
}

impl Engine {
    /// Opens (or creates) the store in `config.data_dir`.
    pub fn open(config: EngineConfig) -> Result<Self, EngineError> {
        let store = Store::open(&config.data_dir)?;
        Ok(Self { config, store })
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

    /// Lists every sequence under every root, reading only what changed since the last scan.
    pub fn scan(&self) -> Result<LibraryScan, EngineError> {
        library::scan_library(&self.store, &self.library_roots()?)
    }

    /// One sequence with its preview polyline; cheap when the folder is unchanged since it was read.
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
        let read = read_sequence(&folder);
        self.store
            .save_reads(&[(folder.clone(), stamp, read.clone())])?;
        Ok(SequenceDetail {
            summary: read.summary,
            preview: read.preview,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }
}
