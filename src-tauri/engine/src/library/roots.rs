//! Library roots: the default `~/MTP/sequences` and the folders the user added, with their problems.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::model::{LibraryRoot, SkippedItem};

/// A folder the library looks in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub path: PathBuf,
    pub is_default: bool,
}

/// The root as the UI shows it, with a problem when it cannot be read right now and the
/// entries under it that are not sequences.
pub fn describe_root(root: &Root, skipped: Vec<SkippedItem>) -> LibraryRoot {
    LibraryRoot {
        path: root.path.to_string_lossy().into_owned(),
        is_default: root.is_default,
        problem: root_problem(&root.path, root.is_default),
        skipped,
    }
}

fn root_problem(path: &Path, is_default: bool) -> Option<String> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == ErrorKind::NotFound && is_default => {
            Some("folder does not exist yet".into())
        }
        Err(err) if err.kind() == ErrorKind::NotFound => Some(
            "not available (moved, or on a drive that is not connected): its sequences show \
             again when it is back"
                .into(),
        ),
        Err(err) => Some(format!("folder cannot be read: {err}")),
        Ok(meta) if !meta.is_dir() => Some("this is a file, not a folder".into()),
        Ok(_) => std::fs::read_dir(path)
            .err()
            .map(|err| format!("folder cannot be read: {err}")),
    }
}
