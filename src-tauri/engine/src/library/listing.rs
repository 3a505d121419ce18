//! The first phase of a scan under a time budget: folders are listed from their JSON in
//! parallel, and a folder whose files are too slow to read (a hung network share, a huge
//! file) is listed as `Checking` by its name alone and left to the track check, so it never
//! holds back the listing of the others.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::read::{list_sequence, Listing};
use super::record::SequenceRecord;
use crate::files::{display_name, FolderStamp};

/// How long the listing waits for the slowest folder before listing it by name.
pub const LISTING_BUDGET: Duration = Duration::from_secs(5);

/// At least this many folders are read at once: reading is mostly waiting for the disk.
const MIN_LISTING_THREADS: usize = 8;

/// Lists every folder; those not done within `budget` come back as `Pending` placeholders.
pub fn list_all(
    folders: Vec<(PathBuf, FolderStamp)>,
    budget: Duration,
) -> Vec<(PathBuf, FolderStamp, Listing)> {
    list_with(folders, budget, list_sequence)
}

/// [`list_all`] with the reading function given (tests pass a slow one).
pub fn list_with(
    folders: Vec<(PathBuf, FolderStamp)>,
    budget: Duration,
    list: fn(&Path, &FolderStamp) -> Listing,
) -> Vec<(PathBuf, FolderStamp, Listing)> {
    if folders.is_empty() {
        return Vec::new();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let Ok(pool) = rayon::ThreadPoolBuilder::new()
        .num_threads((cores * 2).max(MIN_LISTING_THREADS))
        .build()
    else {
        // No threads to spare: list in place, without a budget.
        return folders
            .into_iter()
            .map(|(folder, stamp)| {
                let listing = list(&folder, &stamp);
                (folder, stamp, listing)
            })
            .collect();
    };
    let folders = Arc::new(folders);
    let (send, receive) = mpsc::channel();
    for index in 0..folders.len() {
        let (folders, send) = (Arc::clone(&folders), send.clone());
        // Detached: a read that never returns keeps only its own thread, never this scan.
        pool.spawn(move || {
            let (folder, stamp) = &folders[index];
            let _ = send.send((index, list(folder, stamp)));
        });
    }
    drop(send);
    let mut listed: Vec<Option<Listing>> = vec![None; folders.len()];
    let deadline = Instant::now() + budget;
    let mut waiting = folders.len();
    while waiting > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        match receive.recv_timeout(left) {
            Ok((index, listing)) => {
                listed[index] = Some(listing);
                waiting -= 1;
            }
            Err(_) => break,
        }
    }
    folders
        .iter()
        .zip(listed)
        .map(|((folder, stamp), listing)| {
            let listing = listing.unwrap_or_else(|| Listing::Pending(by_name(folder)));
            (folder.clone(), *stamp, listing)
        })
        .collect()
}

/// A folder listed by its name alone, until the track check has read it.
fn by_name(folder: &Path) -> SequenceRecord {
    SequenceRecord {
        dir_name: display_name(folder),
        name: None,
        description: None,
        transport_type: None,
        transport_method: None,
        tags: Vec::new(),
        capture_date: None,
        json_duration_sec: None,
        json_distance_km: None,
        mtpw_uuid: None,
        desktop_uploader: None,
        problems: Vec::new(),
        track: None,
        track_checked: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow_for_walk(folder: &Path, stamp: &FolderStamp) -> Listing {
        if folder.ends_with("slow_walk") {
            std::thread::sleep(Duration::from_secs(30));
        }
        list_sequence(folder, stamp)
    }

    #[test]
    fn a_slow_folder_is_listed_by_name_and_the_others_in_full_within_the_budget() {
        let root = tempfile::tempdir().unwrap();
        let mut folders: Vec<PathBuf> =
            mtp_testkit::fixtures::write_library(root.path(), 4, 5, 31).unwrap();
        let slow = root.path().join("slow_walk");
        std::fs::create_dir(&slow).unwrap();
        folders.push(slow.clone());
        let stamped = folders
            .iter()
            .map(|f| (f.clone(), FolderStamp::of(f)))
            .collect();

        let started = Instant::now();
        let listed = list_with(stamped, Duration::from_millis(1500), slow_for_walk);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );

        assert_eq!(listed.len(), 5);
        for (folder, _, listing) in &listed {
            match listing {
                Listing::Pending(record) if folder == &slow => {
                    assert_eq!(record.dir_name, "slow_walk");
                    assert!(!record.track_checked && record.problems.is_empty());
                }
                Listing::Pending(record) => {
                    assert!(record.name.is_some(), "{folder:?} was read from its JSON")
                }
                Listing::Final(_) => panic!("{folder:?} has a GPX: it waits for its check"),
            }
        }
    }
}
