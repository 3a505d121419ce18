//! Shared test helpers: an engine over temporary folders, and a fingerprint of a folder tree.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mtp_engine::{Engine, EngineConfig, SequenceSummary};

/// A temporary home with `~/MTP/sequences` (not created) and a data dir for the store.
pub struct Setup {
    pub tmp: tempfile::TempDir,
}

impl Setup {
    pub fn new() -> Self {
        Setup {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn config(&self) -> EngineConfig {
        EngineConfig {
            data_dir: self.tmp.path().join("data"),
            default_root: self.default_root(),
        }
    }
    pub fn default_root(&self) -> PathBuf {
        self.tmp.path().join("home/MTP/sequences")
    }
    /// A folder outside the default root, created.
    pub fn folder(&self, name: &str) -> PathBuf {
        let dir = self.tmp.path().join(name);
        std::fs::create_dir_all(&dir).expect("create folder");
        dir
    }
    pub fn engine(&self) -> Engine {
        Engine::open(self.config()).expect("open engine")
    }
}

pub fn by_dir<'a>(sequences: &'a [SequenceSummary], dir_name: &str) -> &'a SequenceSummary {
    sequences
        .iter()
        .find(|s| s.dir_name == dir_name)
        .unwrap_or_else(|| {
            panic!(
                "no sequence ‘{dir_name}’ in {:?}",
                sequences.iter().map(|s| &s.dir_name).collect::<Vec<_>>()
            )
        })
}

/// Every entry under `root` (not following symlinks): its path, kind, mode, mtime and bytes.
pub fn fingerprint(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<String>) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).expect("stat");
        let mut line = format!(
            "{:?} mode={:o} mtime={}.{}",
            path,
            meta.mode(),
            meta.mtime(),
            meta.mtime_nsec()
        );
        if meta.is_file() {
            let bytes = std::fs::read(&path).unwrap_or_default();
            line.push_str(&format!(" len={} sum={}", bytes.len(), checksum(&bytes)));
        } else if meta.file_type().is_symlink() {
            line.push_str(&format!(" -> {:?}", std::fs::read_link(&path).ok()));
        }
        out.push(line);
        if meta.is_dir() {
            walk(&path, out);
        }
    }
}

/// FNV-1a: enough to notice any changed byte.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
