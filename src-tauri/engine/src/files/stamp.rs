//! The size and mtime of a sequence's files: the cache key that lets a rescan skip reading.

use std::io::ErrorKind;
use std::path::Path;
use std::time::UNIX_EPOCH;

use super::paths::{own_file, STATUS_FILE};

/// Size and modification time of one file; `-1` when it is missing, `-2` when it cannot be stat'ed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub size: i64,
    pub mtime_ns: i64,
}

/// The stamps of `<dir>.json`, `<dir>.gpx` and `upload_strava.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStamp {
    pub json: FileStamp,
    pub gpx: FileStamp,
    pub status: FileStamp,
}

impl FolderStamp {
    /// Stats the three files (no file is opened).
    pub fn of(dir: &Path) -> Self {
        let stamp = |path: Option<std::path::PathBuf>| {
            path.map_or(FileStamp::MISSING, |p| FileStamp::of(&p))
        };
        Self {
            json: stamp(own_file(dir, ".json")),
            gpx: stamp(own_file(dir, ".gpx")),
            status: stamp(Some(dir.join(STATUS_FILE))),
        }
    }
}

impl FileStamp {
    const MISSING: FileStamp = FileStamp {
        size: -1,
        mtime_ns: -1,
    };
    const UNKNOWN: FileStamp = FileStamp {
        size: -2,
        mtime_ns: -2,
    };

    /// True when the file does not exist.
    pub fn is_missing(&self) -> bool {
        *self == Self::MISSING
    }

    fn of(path: &Path) -> Self {
        match std::fs::metadata(path) {
            Ok(meta) => FileStamp {
                size: i64::try_from(meta.len()).unwrap_or(i64::MAX),
                mtime_ns: meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)),
            },
            Err(err) if err.kind() == ErrorKind::NotFound => Self::MISSING,
            Err(_) => Self::UNKNOWN,
        }
    }
}
