//! When a sequence folder that is being written is complete: its JSON parses and its files
//! have stopped changing; until then the scan leaves it out instead of listing it as broken.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::sequence_json::read_sequence_object;
use crate::files::{display_name, own_file, FolderStamp};

/// How long a complete folder's files must stay the same before it is listed.
pub const QUIET: Duration = Duration::from_millis(300);

/// How long a folder whose JSON never parses must stay the same before it is listed anyway
/// (then as broken, with the reason): a sequence that really is broken is not hidden for ever.
pub const GIVE_UP: Duration = Duration::from_secs(5);

/// The folders seen changing and not yet listed, each with its last stamp and since when it
/// has kept it.
#[derive(Debug, Default)]
pub struct Settling {
    folders: HashMap<PathBuf, (FolderStamp, Instant)>,
}

impl Settling {
    /// Notes that `folder` changed (an event, or a stamp that differs): it is looked at again
    /// on the next [`Settling::settled`].
    pub fn touch(&mut self, folder: PathBuf, now: Instant) {
        let stamp = FolderStamp::of(&folder);
        self.folders.insert(folder, (stamp, now));
    }

    /// True while `folder` is being written (the scan leaves it out).
    pub fn holds(&self, folder: &Path) -> bool {
        self.folders.contains_key(folder)
    }

    /// The folders being written.
    pub fn folders(&self) -> impl Iterator<Item = &PathBuf> {
        self.folders.keys()
    }

    /// True when nothing is being written.
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }

    /// Takes out and returns the folders that are done: removed; complete and unchanged for
    /// [`QUIET`]; or unchanged for [`GIVE_UP`] whatever they hold.
    pub fn settled(&mut self, now: Instant) -> Vec<PathBuf> {
        let mut done = Vec::new();
        self.folders.retain(|folder, (stamp, since)| {
            if !folder.is_dir() {
                done.push(folder.clone());
                return false;
            }
            let current = FolderStamp::of(folder);
            if current != *stamp {
                *stamp = current;
                *since = now;
                return true;
            }
            let quiet = now.duration_since(*since);
            let finished = (quiet >= QUIET && is_complete(folder, &current)) || quiet >= GIVE_UP;
            if finished {
                done.push(folder.clone());
            }
            !finished
        });
        done
    }
}

/// True when the folder holds its GPX and a JSON whose `sequence` object reads.
fn is_complete(folder: &Path, stamp: &FolderStamp) -> bool {
    if stamp.gpx.is_missing() || stamp.json.is_missing() {
        return false;
    }
    let Some(json) = own_file(folder, ".json") else {
        return false;
    };
    let file = format!("{}.json", display_name(folder));
    read_sequence_object(&json, &file).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const JSON: &str = r#"{"sequence":{"id":"x","distance_km":1.0,"earliest_time":"2020-01-01T00:00:00Z","latest_time":"2020-01-01T01:00:00Z","sequence_name":"Walk","transport_type":"foot"}}"#;

    fn folder(root: &Path, name: &str) -> PathBuf {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_folder_without_its_gpx_or_with_a_half_written_json_is_not_settled() {
        let root = tempfile::tempdir().unwrap();
        let dir = folder(root.path(), "walk");
        fs::write(dir.join("walk.json"), &JSON[..40]).unwrap();
        let mut settling = Settling::default();
        let start = Instant::now();
        settling.touch(dir.clone(), start);
        assert!(settling.settled(start + QUIET * 2).is_empty());
        fs::write(dir.join("walk.json"), JSON).unwrap();
        // changed: its quiet time starts again
        assert!(settling.settled(start + QUIET * 3).is_empty());
        // still no GPX
        assert!(settling.settled(start + QUIET * 6).is_empty());
        assert!(settling.holds(&dir));
    }

    #[test]
    fn a_complete_folder_is_settled_once_it_has_stayed_the_same() {
        let root = tempfile::tempdir().unwrap();
        let dir = folder(root.path(), "walk");
        fs::write(dir.join("walk.json"), JSON).unwrap();
        fs::write(dir.join("walk.gpx"), "<gpx/>").unwrap();
        let mut settling = Settling::default();
        let start = Instant::now();
        settling.touch(dir.clone(), start);
        assert!(settling.settled(start + QUIET / 2).is_empty());
        assert_eq!(settling.settled(start + QUIET), vec![dir.clone()]);
        assert!(!settling.holds(&dir));
    }

    #[test]
    fn a_growing_gpx_keeps_the_folder_out() {
        let root = tempfile::tempdir().unwrap();
        let dir = folder(root.path(), "walk");
        fs::write(dir.join("walk.json"), JSON).unwrap();
        fs::write(dir.join("walk.gpx"), "<gpx>").unwrap();
        let mut settling = Settling::default();
        let start = Instant::now();
        settling.touch(dir.clone(), start);
        fs::write(dir.join("walk.gpx"), "<gpx><trk></trk>").unwrap();
        assert!(settling.settled(start + QUIET).is_empty());
        assert_eq!(settling.settled(start + QUIET * 2 + QUIET / 2), vec![dir]);
    }

    #[test]
    fn a_json_that_never_parses_is_listed_after_a_while_and_a_removed_folder_at_once() {
        let root = tempfile::tempdir().unwrap();
        let broken = folder(root.path(), "broken");
        fs::write(broken.join("broken.json"), "{ not json").unwrap();
        fs::write(broken.join("broken.gpx"), "<gpx/>").unwrap();
        let gone = folder(root.path(), "gone");
        let mut settling = Settling::default();
        let start = Instant::now();
        settling.touch(broken.clone(), start);
        settling.touch(gone.clone(), start);
        fs::remove_dir(&gone).unwrap();
        assert_eq!(settling.settled(start + QUIET), vec![gone]);
        assert_eq!(settling.settled(start + GIVE_UP), vec![broken]);
        assert!(settling.is_empty());
    }
}
