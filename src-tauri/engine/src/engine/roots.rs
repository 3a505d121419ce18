//! `impl Engine`: the library folders (roots): listing, adding by drop or "Add folder…", removing.

use std::path::{Path, PathBuf};

use super::Engine;
use crate::error::EngineError;
use crate::library::{classify_dropped, describe_root, list_candidates, Root};
use crate::model::{AddedRoot, DropOutcome, LibraryRoot, SkippedItem};

impl Engine {
    /// The default root first, then the user's roots in the order they were added, each with
    /// what is skipped under it.
    pub fn roots(&self) -> Result<Vec<LibraryRoot>, EngineError> {
        Ok(self
            .library_roots()?
            .iter()
            .map(|root| describe_root(root, list_candidates(&root.path).skipped))
            .collect())
    }

    /// Dropped paths or folders chosen with "Add folder…": sequence folders and folders of
    /// sequences become roots; anything else is refused with a message naming it.
    pub fn add_paths(&self, paths: &[PathBuf]) -> Result<DropOutcome, EngineError> {
        self.forget_scan_ahead();
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
        self.forget_scan_ahead();
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

    /// The default root, then the user's (without a duplicate of the default).
    pub(super) fn library_roots(&self) -> Result<Vec<Root>, EngineError> {
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

    /// True when `path` is a root, or a folder the library already lists under one.
    fn is_covered(&self, path: &Path) -> Result<bool, EngineError> {
        let roots = self.library_roots()?;
        Ok(roots.iter().any(|root| {
            root.path == path
                || (path.parent() == Some(root.path.as_path())
                    && list_candidates(&root.path)
                        .folders
                        .iter()
                        .any(|f| f == path))
        }))
    }
}
