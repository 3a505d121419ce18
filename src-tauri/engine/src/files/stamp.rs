//! The size and mtime of a sequence's files: the cache key that lets a rescan skip reading.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
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

/// A library folder opened once, so that its child folders' files are stat'ed relative to it:
/// the kernel then walks `<name>/<name>.json` instead of the whole path, for each of thousands
/// of sequence folders (the stats were half of a rescan's time). Anything else, and every
/// platform but Linux, is stat'ed by its path as before; the answers are the same.
pub struct StatBase {
    dir: PathBuf,
    #[cfg(target_os = "linux")]
    fd: Option<rustix::fd::OwnedFd>,
}

impl StatBase {
    /// Opens `dir` for stat'ing what is in it (when it cannot be opened, paths are used).
    pub fn open(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(dir, flags, Mode::empty()).ok()
            },
        }
    }

    /// True when `folder` is right under this folder.
    pub fn holds(&self, folder: &Path) -> bool {
        folder
            .parent()
            .is_some_and(|parent| parent.as_os_str() == self.dir.as_os_str())
    }

    /// [`FolderStamp::of`] of `folder`.
    pub fn stamp(&self, folder: &Path) -> FolderStamp {
        #[cfg(target_os = "linux")]
        if let (Some(name), Some(fd)) = (self.child_name(folder), &self.fd) {
            let own = |suffix: &str| [name, b"/", name, suffix.as_bytes()].concat();
            return FolderStamp {
                json: FileStamp::at(fd, &own(".json")),
                gpx: FileStamp::at(fd, &own(".gpx")),
                status: FileStamp::at(fd, &[name, b"/", STATUS_FILE.as_bytes()].concat()),
            };
        }
        FolderStamp::of(folder)
    }

    /// True when `folder` holds `<its name>.json` of any kind (a link is not followed): what
    /// makes it a sequence folder.
    pub fn has_own_json(&self, folder: &Path) -> bool {
        #[cfg(target_os = "linux")]
        if let (Some(name), Some(fd)) = (self.child_name(folder), &self.fd) {
            let json = [name, b"/", name, b".json"].concat();
            let nofollow = rustix::fs::AtFlags::SYMLINK_NOFOLLOW;
            return rustix::fs::statat(fd, json.as_slice(), nofollow).is_ok();
        }
        own_file(folder, ".json").is_some_and(|json| std::fs::symlink_metadata(json).is_ok())
    }

    /// The name of a folder right under this one; `None` for anything else.
    #[cfg(target_os = "linux")]
    fn child_name<'a>(&self, folder: &'a Path) -> Option<&'a [u8]> {
        use std::os::unix::ffi::OsStrExt;
        let name = folder.file_name()?.as_bytes();
        self.holds(folder).then_some(name)
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

    /// The stamp of `relative` (links followed) under the open folder `dir`: the same as
    /// [`FileStamp::of`] its whole path.
    #[cfg(target_os = "linux")]
    fn at(dir: &rustix::fd::OwnedFd, relative: &[u8]) -> Self {
        match rustix::fs::statat(dir, relative, rustix::fs::AtFlags::empty()) {
            Ok(stat) => FileStamp {
                size: stat.st_size,
                // as `SystemTime::duration_since(UNIX_EPOCH)` counts it: 0 before 1970
                mtime_ns: u64::try_from(stat.st_mtime).map_or(0, |secs| {
                    let ns = u128::from(secs) * 1_000_000_000 + stat.st_mtime_nsec as u128;
                    i64::try_from(ns).unwrap_or(i64::MAX)
                }),
            },
            Err(rustix::io::Errno::NOENT) => Self::MISSING,
            Err(_) => Self::UNKNOWN,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn stamps_relative_to_the_library_folder_are_those_of_the_whole_paths() {
        let root = tempfile::tempdir().unwrap();
        let ride = root.path().join("morning_ride");
        fs::create_dir(&ride).unwrap();
        fs::write(ride.join("morning_ride.json"), "{}").unwrap();
        fs::write(ride.join("morning_ride.gpx"), "<gpx/>").unwrap();
        let odd = root.path().join("caf\u{e9} walk");
        fs::create_dir(&odd).unwrap();
        fs::write(odd.join(STATUS_FILE), "[]").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("nowhere.json", odd.join("caf\u{e9} walk.json")).unwrap();
        let plain = root.path().join("not_a_sequence");
        fs::create_dir(&plain).unwrap();

        let base = StatBase::open(root.path());
        for folder in [&ride, &odd, &plain, &root.path().to_path_buf()] {
            assert_eq!(base.stamp(folder), FolderStamp::of(folder), "{folder:?}");
            let own_json =
                own_file(folder, ".json").is_some_and(|j| fs::symlink_metadata(j).is_ok());
            assert_eq!(base.has_own_json(folder), own_json, "{folder:?}");
        }
        assert!(base.holds(&ride) && !base.holds(root.path()));
        let stamp = base.stamp(&ride);
        assert_eq!((stamp.json.size, stamp.gpx.size), (2, 6));
        assert!(stamp.status.is_missing() && stamp.json.mtime_ns > 0);
        #[cfg(unix)]
        {
            // a dangling link: the folder holds its JSON entry, whose stamp says missing
            assert!(base.has_own_json(&odd));
            assert!(base.stamp(&odd).json.is_missing());
        }
        // a folder that cannot be opened stats by path, with the same answers
        let gone = StatBase::open(&root.path().join("gone"));
        assert_eq!(gone.stamp(&ride), FolderStamp::of(&ride));
    }
}
