//! What a folder contains, decided once for the scan, the detail and drops: the folder itself
//! when it is a sequence folder, else its child sequence folders, and every other entry
//! skipped with a reason.

use std::fs::FileType;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::files::{display_name, own_file, StatBase};
use crate::model::SkippedItem;

/// The folders to read as sequences, and the entries that were skipped with a reason.
#[derive(Debug, Default)]
pub struct Candidates {
    pub folders: Vec<PathBuf>,
    pub skipped: Vec<SkippedItem>,
}

/// A folder is a sequence folder when it holds `<its name>.json` (whatever that entry turns out
/// to be: a broken one is the sequence's problem, not a reason to hide the folder).
pub fn is_sequence_folder(dir: &Path) -> bool {
    own_file(dir, ".json").is_some_and(|json| std::fs::symlink_metadata(json).is_ok())
}

/// The candidates under `root` (hidden `.` entries are ignored); an unreadable root yields none.
pub fn list_candidates(root: &Path) -> Candidates {
    let mut found = Candidates::default();
    if is_sequence_folder(root) {
        found.folders.push(root.to_path_buf());
        return found;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return found;
    };
    let entries: Vec<_> = entries
        .flatten()
        .filter(|entry| !is_hidden(&entry.file_name()))
        .map(|entry| (entry.path(), entry.file_type()))
        .collect();
    // Each entry costs a stat or two: thousands of them are looked at in parallel, relative
    // to the root.
    let base = StatBase::open(root);
    let classified: Vec<Entry> = entries
        .into_par_iter()
        .map(|(path, kind)| match kind {
            Ok(kind) => classify(&base, root, path, kind),
            Err(err) => Entry::Skipped(skip(&path, format!("cannot be read: {err}"))),
        })
        .collect();
    for entry in classified {
        match entry {
            Entry::Folder(path) => found.folders.push(path),
            Entry::Skipped(item) => found.skipped.push(item),
        }
    }
    // Siblings: their whole paths sort as their names do, and bytes compare faster than
    // components.
    found
        .folders
        .sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// One entry of a root: a sequence folder, or skipped with its reason.
enum Entry {
    Folder(PathBuf),
    Skipped(SkippedItem),
}

fn classify(base: &StatBase, root: &Path, path: PathBuf, kind: FileType) -> Entry {
    if kind.is_dir() {
        folder_or_skipped(base, path)
    } else if kind.is_symlink() {
        match follow_symlink(root, &path) {
            Ok(()) => folder_or_skipped(base, path),
            Err(reason) => Entry::Skipped(skip(&path, reason)),
        }
    } else if kind.is_file() {
        let reason = format!("‘{}’ is a file, not a sequence folder", display_name(&path));
        Entry::Skipped(skip(&path, reason))
    } else {
        let reason = format!("‘{}’ is not a folder", display_name(&path));
        Entry::Skipped(skip(&path, reason))
    }
}

/// A folder without `<dir>.json` is not a sequence: skipped, saying so.
fn folder_or_skipped(base: &StatBase, path: PathBuf) -> Entry {
    if base.has_own_json(&path) {
        Entry::Folder(path)
    } else {
        let name = display_name(&path);
        let reason = format!("‘{name}’ has no {name}.json, so it is not a sequence");
        Entry::Skipped(skip(&path, reason))
    }
}

/// Ok when the symlink leads to a folder that does not contain the root; else why it is skipped.
fn follow_symlink(root: &Path, link: &Path) -> Result<(), String> {
    let name = display_name(link);
    let target = std::fs::read_link(link)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_default();
    match std::fs::metadata(link) {
        Err(err) if err.kind() == ErrorKind::NotFound => Err(format!(
            "‘{name}’ is a broken symlink: ‘{target}’ does not exist"
        )),
        Err(err) if is_loop(&err) => Err(format!("‘{name}’ is a symlink loop")),
        Err(err) => Err(format!(
            "‘{name}’ is a symlink that cannot be followed: {err}"
        )),
        Ok(meta) if !meta.is_dir() => {
            Err(format!("‘{name}’ links to a file, not a sequence folder"))
        }
        Ok(_) => {
            let inside = std::fs::canonicalize(link).ok();
            let root = std::fs::canonicalize(root).ok();
            match (inside, root) {
                (Some(inside), Some(root)) if root.starts_with(&inside) => Err(format!(
                    "‘{name}’ is a symlink loop: it points back to a folder that contains it"
                )),
                _ => Ok(()),
            }
        }
    }
}

fn is_loop(err: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    err.raw_os_error() == Some(ELOOP)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn skip(path: &Path, reason: String) -> SkippedItem {
    SkippedItem {
        path: path.to_string_lossy().into_owned(),
        reason,
    }
}
