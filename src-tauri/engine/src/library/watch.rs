//! Which folders of the library are watched and what a change there means: each library folder
//! and each sequence folder in it, one level each (notify); past the OS's limit on watches, a
//! look at every sequence's stamps now and then instead. The events are gathered by folder and
//! [`super::Settling`] waits for each folder to be quiet: that is the debouncing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::candidates::{is_sequence_folder, list_candidates};
use crate::files::FolderStamp;

/// How long the events that follow a first one are gathered with it.
const GATHER: Duration = Duration::from_millis(50);

/// What the watcher sends: one event (its kind and paths), or a problem.
type WatchEvent = notify::Result<notify::Event>;

/// How the watch ended up: with the OS's events, or looking now and then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    Events,
    /// The OS refused more watches: every sequence's stamps are compared every `every`.
    Polling {
        every: Duration,
    },
}

/// What one wait saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Sequence folders (or would-be ones) where something changed, appeared or went away.
    pub folders: BTreeSet<PathBuf>,
    /// A watched library folder itself changed (removed, renamed, unplugged).
    pub roots: bool,
}

/// The watch over some library folders.
pub struct FolderWatch {
    roots: Vec<PathBuf>,
    source: Source,
}

enum Source {
    Events {
        // Kept for its watches: dropping it stops them.
        watcher: RecommendedWatcher,
        events: Receiver<WatchEvent>,
        watched: HashSet<PathBuf>,
        limit: Option<usize>,
    },
    Polling {
        every: Duration,
        next: Instant,
        stamps: HashMap<PathBuf, FolderStamp>,
    },
}

/// The OS refused a watch because its limit was reached (or the test limit was).
struct LimitReached;

impl FolderWatch {
    /// Watches `roots` (each must exist) and the sequence folders in them. `limit` stands in
    /// for the OS's limit on watches (tests); past either, it falls back to looking every
    /// `poll_every`.
    pub fn start(roots: &[PathBuf], limit: Option<usize>, poll_every: Duration) -> Self {
        match Self::with_events(roots, limit) {
            Ok(watch) => watch,
            Err(LimitReached) => Self::polling(roots, poll_every),
        }
    }

    /// How it watches.
    pub fn mode(&self) -> WatchMode {
        match &self.source {
            Source::Events { .. } => WatchMode::Events,
            Source::Polling { every, .. } => WatchMode::Polling { every: *every },
        }
    }

    /// The library folders watched.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Waits up to `timeout` for changes; an empty answer when nothing changed. A watch that
    /// reaches the OS's limit on the way turns into polling (see [`FolderWatch::mode`]).
    pub fn wait(&mut self, timeout: Duration, poll_every: Duration) -> Changes {
        let outcome = match &mut self.source {
            Source::Events {
                watcher,
                events,
                watched,
                limit,
            } => {
                let mut watches = Watches {
                    watcher,
                    watched,
                    limit: *limit,
                };
                next_events(&self.roots, events, &mut watches, timeout)
            }
            Source::Polling {
                every,
                next,
                stamps,
            } => Ok(next_poll(&self.roots, *every, next, stamps, timeout)),
        };
        match outcome {
            Ok(changes) => changes,
            Err(LimitReached) => {
                *self = Self::polling(&self.roots, poll_every);
                // what changed before the limit was reached is looked at again at once
                Changes {
                    roots: true,
                    ..Changes::default()
                }
            }
        }
    }

    fn with_events(roots: &[PathBuf], limit: Option<usize>) -> Result<Self, LimitReached> {
        let (sender, events) = mpsc::channel::<WatchEvent>();
        let config = notify::Config::default();
        let watcher = RecommendedWatcher::new(sender, config).map_err(|err| {
            log::warn!("library watch: the OS gave no watcher ({err}); looking now and then");
            LimitReached
        })?;
        let mut watcher = watcher;
        let mut watched = HashSet::new();
        let mut watches = Watches {
            watcher: &mut watcher,
            watched: &mut watched,
            limit,
        };
        for root in roots {
            watches.add(root)?;
            for folder in list_candidates(root).folders {
                if &folder != root {
                    watches.add(&folder)?;
                }
            }
        }
        Ok(Self {
            roots: roots.to_vec(),
            source: Source::Events {
                watcher,
                events,
                watched,
                limit,
            },
        })
    }

    fn polling(roots: &[PathBuf], every: Duration) -> Self {
        Self {
            roots: roots.to_vec(),
            source: Source::Polling {
                every,
                next: Instant::now() + every,
                stamps: stamps_of(roots),
            },
        }
    }
}

/// The watcher with the paths it watches, held to the limit.
struct Watches<'a> {
    watcher: &'a mut RecommendedWatcher,
    watched: &'a mut HashSet<PathBuf>,
    limit: Option<usize>,
}

impl Watches<'_> {
    /// Watches `folder` (one level); a folder gone on the way is no error.
    fn add(&mut self, folder: &Path) -> Result<(), LimitReached> {
        if self.watched.contains(folder) {
            return Ok(());
        }
        if self.limit.is_some_and(|limit| self.watched.len() >= limit) {
            return Err(LimitReached);
        }
        match self.watcher.watch(folder, RecursiveMode::NonRecursive) {
            Ok(()) => {
                self.watched.insert(folder.to_path_buf());
                Ok(())
            }
            Err(err) if matches!(err.kind, notify::ErrorKind::MaxFilesWatch) => Err(LimitReached),
            Err(err) => {
                log::debug!("library watch: {} not watched: {err}", folder.display());
                Ok(())
            }
        }
    }

    fn forget(&mut self, folder: &Path) {
        if self.watched.remove(folder) {
            // the OS has dropped the watch of a removed folder already
            let _ = self.watcher.unwatch(folder);
        }
    }
}

/// The changes the events of the next `timeout` carry (and of the moment after the first, so
/// one write's events come as one); new sequence folders get watched. Reading a folder or a
/// file (ours too: a scan, a detail) opens it, which is no change.
fn next_events(
    roots: &[PathBuf],
    events: &Receiver<WatchEvent>,
    watches: &mut Watches<'_>,
    timeout: Duration,
) -> Result<Changes, LimitReached> {
    let mut changes = Changes::default();
    let mut batch = match events.recv_timeout(timeout) {
        Ok(event) => vec![event],
        Err(RecvTimeoutError::Timeout) => return Ok(changes),
        Err(RecvTimeoutError::Disconnected) => {
            changes.roots = true;
            return Ok(changes);
        }
    };
    std::thread::sleep(GATHER);
    batch.extend(events.try_iter());
    for result in batch {
        match result {
            Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
            Ok(event) => {
                for path in &event.paths {
                    note_path(roots, path, &mut changes);
                }
            }
            Err(err) if matches!(err.kind, notify::ErrorKind::MaxFilesWatch) => {
                return Err(LimitReached)
            }
            Err(err) => {
                log::debug!("library watch: {err}");
                changes.roots = true;
            }
        }
    }
    for folder in &changes.folders {
        if folder.is_dir() {
            watches.add(folder)?;
        } else {
            watches.forget(folder);
        }
    }
    Ok(changes)
}

/// The sequence folder (or library folder) a changed path belongs to.
fn note_path(roots: &[PathBuf], path: &Path, changes: &mut Changes) {
    for root in roots {
        if path == root {
            changes.roots = true;
        } else if path.parent() == Some(root) {
            // a file of a library folder that is itself a sequence, or a folder in the library
            if is_sequence_folder(root) {
                changes.folders.insert(root.clone());
            } else {
                changes.folders.insert(path.to_path_buf());
            }
        } else if let Some(folder) = path.parent().filter(|p| p.parent() == Some(root)) {
            changes.folders.insert(folder.to_path_buf());
        }
    }
}

/// Every `every`, the folders whose stamps differ from the last look.
fn next_poll(
    roots: &[PathBuf],
    every: Duration,
    next: &mut Instant,
    stamps: &mut HashMap<PathBuf, FolderStamp>,
    timeout: Duration,
) -> Changes {
    let mut changes = Changes::default();
    let now = Instant::now();
    if now < *next {
        std::thread::sleep(timeout.min(*next - now));
        return changes;
    }
    *next = now + every;
    let current = stamps_of(roots);
    for (folder, stamp) in &current {
        if stamps.get(folder) != Some(stamp) {
            changes.folders.insert(folder.clone());
        }
    }
    for folder in stamps.keys() {
        if !current.contains_key(folder) {
            changes.folders.insert(folder.clone());
        }
    }
    *stamps = current;
    changes
}

fn stamps_of(roots: &[PathBuf]) -> HashMap<PathBuf, FolderStamp> {
    roots
        .iter()
        .flat_map(|root| list_candidates(root).folders)
        .map(|folder| {
            let stamp = FolderStamp::of(&folder);
            (folder, stamp)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const POLL: Duration = Duration::from_millis(300);

    fn sequence(root: &Path, name: &str) -> PathBuf {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("{name}.json")), "{}").unwrap();
        dir
    }

    /// Waits (up to 5 s) until the watch has seen `folder`.
    fn sees(watch: &mut FolderWatch, folder: &Path) -> bool {
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            let changes = watch.wait(Duration::from_millis(100), POLL);
            if changes.folders.contains(folder) {
                return true;
            }
        }
        false
    }

    #[test]
    fn a_new_folder_and_a_file_written_into_it_later_are_seen() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path().to_path_buf();
        sequence(&root, "old");
        let mut watch = FolderWatch::start(std::slice::from_ref(&root), None, POLL);
        assert_eq!(watch.mode(), WatchMode::Events);
        let new = sequence(&root, "new");
        assert!(sees(&mut watch, &new));
        // the new folder is watched now: a file written into it later is seen too
        std::thread::sleep(Duration::from_millis(300));
        while !watch
            .wait(Duration::from_millis(300), POLL)
            .folders
            .is_empty()
        {}
        fs::write(new.join("new.gpx"), "<gpx/>").unwrap();
        assert!(sees(&mut watch, &new));
        let old = root.join("old");
        fs::write(old.join("old.gpx"), "<gpx/>").unwrap();
        assert!(sees(&mut watch, &old));
        fs::remove_dir_all(&old).unwrap();
        assert!(sees(&mut watch, &old));
    }

    #[test]
    fn past_the_watch_limit_it_looks_now_and_then() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path().to_path_buf();
        sequence(&root, "a");
        sequence(&root, "b");
        let mut watch = FolderWatch::start(std::slice::from_ref(&root), Some(2), POLL);
        assert_eq!(watch.mode(), WatchMode::Polling { every: POLL });
        let c = sequence(&root, "c");
        assert!(sees(&mut watch, &c));
        fs::remove_dir_all(root.join("a")).unwrap();
        assert!(sees(&mut watch, &root.join("a")));
    }

    #[test]
    fn a_watch_that_reaches_the_limit_later_turns_into_polling() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path().to_path_buf();
        sequence(&root, "a");
        let mut watch = FolderWatch::start(std::slice::from_ref(&root), Some(2), POLL);
        assert_eq!(watch.mode(), WatchMode::Events);
        let b = sequence(&root, "b");
        let c = sequence(&root, "c");
        let until = Instant::now() + Duration::from_secs(5);
        while watch.mode() == WatchMode::Events && Instant::now() < until {
            watch.wait(Duration::from_millis(100), POLL);
        }
        assert_eq!(watch.mode(), WatchMode::Polling { every: POLL });
        fs::write(b.join("b.gpx"), "<gpx/>").unwrap();
        assert!(sees(&mut watch, &b));
        assert!(c.is_dir());
    }

    #[test]
    fn a_removed_library_folder_is_a_root_change() {
        let parent = tempfile::tempdir().unwrap();
        let root = parent.path().join("drive");
        sequence(&root, "a");
        let mut watch = FolderWatch::start(std::slice::from_ref(&root), None, POLL);
        fs::remove_dir_all(&root).unwrap();
        let until = Instant::now() + Duration::from_secs(5);
        let mut roots = false;
        while !roots && Instant::now() < until {
            roots = watch.wait(Duration::from_millis(100), POLL).roots;
        }
        assert!(roots);
    }
}
