//! Scans every root: stats each candidate, takes unchanged ones from the cache, lists the rest from their JSON.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    describe_root, list_candidates, list_sequence, path_bytes, FolderStamp, Listing, Root,
    SequenceRead,
};
use crate::store::Store;
use crate::{EngineError, LibraryScan, SequenceSummary};

/// A scan, and the folders whose GPX track still has to be checked.
#[derive(Debug)]
pub struct ScanOutcome {
    pub scan: LibraryScan,
    pub pending: Vec<PathBuf>,
}

/// Lists every sequence under `roots` without parsing any GPX; only folders whose files
/// changed since they were last checked are read, and only their JSON and status file.
pub fn scan_library(store: &Store, roots: &[Root]) -> Result<ScanOutcome, EngineError> {
    let (folders, skipped, seen) = candidates_of(roots);
    let stamped: Vec<(PathBuf, FolderStamp)> = folders
        .into_par_iter()
        .map(|folder| {
            let stamp = FolderStamp::of(&folder);
            (folder, stamp)
        })
        .collect();

    let mut sequences = Vec::with_capacity(stamped.len());
    let mut to_list = Vec::new();
    for (folder, stamp) in stamped {
        match store.cached_summary(&folder, &stamp)? {
            Some(summary) => sequences.push(summary),
            None => to_list.push((folder, stamp)),
        }
    }
    let read_count = count(to_list.len());

    let listed: Vec<(PathBuf, FolderStamp, Listing)> = to_list
        .into_par_iter()
        .map(|(folder, stamp)| {
            let listing = list_sequence(&folder, &stamp);
            (folder, stamp, listing)
        })
        .collect();
    let (finished, pending) = split_listings(listed, &mut sequences);
    store.save_reads(&finished)?;
    store.prune_cache(&seen)?;

    sequences.extend(finished.into_iter().map(|(_, _, read)| read.summary));
    sort_newest_first(&mut sequences);
    let scan = LibraryScan {
        roots: roots.iter().map(describe_root).collect(),
        sequences,
        skipped,
        read_count,
        pending_tracks: count(pending.len()),
    };
    Ok(ScanOutcome { scan, pending })
}

type Finished = Vec<(PathBuf, FolderStamp, SequenceRead)>;

/// Final listings go to the cache; pending ones join `sequences` as they are and are remembered.
fn split_listings(
    listed: Vec<(PathBuf, FolderStamp, Listing)>,
    sequences: &mut Vec<SequenceSummary>,
) -> (Finished, Vec<PathBuf>) {
    let mut finished = Vec::new();
    let mut pending = Vec::new();
    for (folder, stamp, listing) in listed {
        match listing {
            Listing::Final(read) => finished.push((folder, stamp, read)),
            Listing::Pending(summary) => {
                sequences.push(summary);
                pending.push(folder);
            }
        }
    }
    (finished, pending)
}

/// Every candidate folder once (a folder under two roots is listed once), the skipped
/// entries, and the path bytes of every folder (what the cache keeps).
fn candidates_of(roots: &[Root]) -> (Vec<PathBuf>, Vec<crate::SkippedItem>, HashSet<Vec<u8>>) {
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = HashSet::new();
    for root in roots {
        let found = list_candidates(&root.path);
        folders.extend(
            found
                .folders
                .into_iter()
                .filter(|f| seen.insert(path_bytes(f))),
        );
        skipped.extend(found.skipped);
    }
    (folders, skipped, seen)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Newest capture date first (undated last), then by name, then by path.
pub fn sort_newest_first(sequences: &mut [SequenceSummary]) {
    sequences.sort_by(|a, b| {
        let by_date = match (&a.capture_date, &b.capture_date) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_date
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.path.cmp(&b.path))
    });
}
