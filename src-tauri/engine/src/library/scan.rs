//! Scans every root: stats each candidate, takes unchanged ones from the cache, lists the rest from their JSON.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::cache;
use super::candidates::list_candidates;
use super::listing::{list_all, LISTING_BUDGET};
use super::read::Listing;
use super::record::FolderRead;
use super::roots::{describe_root, Root};
use super::summary::{sort_newest_first, summary_of};
use crate::error::EngineError;
use crate::files::{path_bytes, FolderStamp, StatBase};
use crate::model::{LibraryRoot, LibraryScan, SequenceSummary};
use crate::store::Store;

/// A scan, and the folders whose GPX track still has to be checked.
#[derive(Debug)]
pub struct ScanOutcome {
    pub scan: LibraryScan,
    pub pending: Vec<PathBuf>,
}

/// Lists every sequence under `roots` without parsing any GPX; only folders whose files
/// changed since they were last checked are read, and only their JSON and status file.
/// Folders in `being_written` are left out until they are complete; the cached sequences of a
/// library folder that is not there right now (an unplugged drive) are kept for its return.
pub fn scan_library(
    store: &Store,
    roots: &[Root],
    being_written: &HashSet<PathBuf>,
) -> Result<ScanOutcome, EngineError> {
    let (described, mut folders, mut seen) = candidates_of(roots);
    folders.retain(|folder| !being_written.contains(folder));
    let rows = cache::all_cached(store)?;
    // Each sequence's files are stat'ed relative to its library folder.
    let bases: Vec<StatBase> = roots
        .iter()
        .map(|root| StatBase::open(&root.path))
        .collect();
    let stamp_of = |folder: &PathBuf| match bases.iter().find(|base| base.holds(folder)) {
        Some(base) => base.stamp(folder),
        None => FolderStamp::of(folder),
    };
    // Stat, compare with the cache and summarise in parallel: a rescan of thousands of
    // unchanged sequences opens no file and makes no further query.
    let stamped: Vec<(PathBuf, FolderStamp, Option<SequenceSummary>)> = folders
        .into_par_iter()
        .map(|folder| {
            let stamp = stamp_of(&folder);
            let summary = cache::fresh_record(&rows, &folder, &stamp)
                .map(|record| summary_of(&folder, &record));
            (folder, stamp, summary)
        })
        .collect();
    drop(rows);

    let mut sequences = Vec::with_capacity(stamped.len());
    let mut to_list = Vec::new();
    for (folder, stamp, summary) in stamped {
        match summary {
            Some(summary) => sequences.push(summary),
            None => to_list.push((folder, stamp)),
        }
    }
    let read_count = count(to_list.len());

    // A folder too slow to read is listed by name and left to the track check.
    let listed = list_all(to_list, LISTING_BUDGET);
    let mut finished: Vec<(PathBuf, FolderStamp, FolderRead)> = Vec::new();
    let mut pending = Vec::new();
    for (folder, stamp, listing) in listed {
        match listing {
            Listing::Final(read) => finished.push((folder, stamp, read)),
            Listing::Pending(record) => {
                sequences.push(summary_of(&folder, &record));
                pending.push(folder);
            }
        }
    }
    let to_save: Vec<_> = finished
        .iter()
        .map(|(folder, stamp, read)| (folder.as_path(), stamp, read))
        .collect();
    cache::save(store, &to_save)?;
    seen.extend(being_written.iter().map(|folder| path_bytes(folder)));
    let away: Vec<Vec<u8>> = roots
        .iter()
        .filter(|root| !root.path.is_dir())
        .map(|root| path_bytes(&root.path))
        .collect();
    store.prune_cache(&seen, &away)?;

    sequences.extend(
        finished
            .iter()
            .map(|(folder, _, read)| summary_of(folder, &read.record)),
    );
    sort_newest_first(&mut sequences);
    let scan = LibraryScan {
        roots: described,
        sequences,
        read_count,
        pending_tracks: count(pending.len()),
    };
    Ok(ScanOutcome { scan, pending })
}

/// Every root as shown (with what was skipped under it), every candidate folder once (a
/// folder under two roots is listed once), and the path bytes of every folder (what the
/// cache keeps).
fn candidates_of(roots: &[Root]) -> (Vec<LibraryRoot>, Vec<PathBuf>, HashSet<Vec<u8>>) {
    let mut described = Vec::with_capacity(roots.len());
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut seen = HashSet::new();
    for root in roots {
        let found = list_candidates(&root.path);
        folders.extend(
            found
                .folders
                .into_iter()
                .filter(|f| seen.insert(path_bytes(f))),
        );
        described.push(describe_root(root, found.skipped));
    }
    (described, folders, seen)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
