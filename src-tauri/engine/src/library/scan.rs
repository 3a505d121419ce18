//! Scans every root: stats each candidate, takes unchanged ones from the cache, reads the rest in parallel.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    describe_root, list_candidates, path_bytes, read_sequence, FolderStamp, Root, SequenceRead,
};
use crate::store::Store;
use crate::{EngineError, LibraryScan, SequenceSummary};

/// Lists every sequence under `roots`; only folders whose files changed since the last scan are read.
pub fn scan_library(store: &Store, roots: &[Root]) -> Result<LibraryScan, EngineError> {
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

    let stamped: Vec<(PathBuf, FolderStamp)> = folders
        .into_par_iter()
        .map(|folder| {
            let stamp = FolderStamp::of(&folder);
            (folder, stamp)
        })
        .collect();

    let mut sequences = Vec::with_capacity(stamped.len());
    let mut to_read = Vec::new();
    for (folder, stamp) in stamped {
        match store.cached_summary(&folder, &stamp)? {
            Some(summary) => sequences.push(summary),
            None => to_read.push((folder, stamp)),
        }
    }

    let fresh: Vec<(PathBuf, FolderStamp, SequenceRead)> = to_read
        .into_par_iter()
        .map(|(folder, stamp)| {
            let read = read_sequence(&folder);
            (folder, stamp, read)
        })
        .collect();
    store.save_reads(&fresh)?;
    store.prune_cache(&seen)?;

    let read_count = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
    sequences.extend(fresh.into_iter().map(|(_, _, read)| read.summary));
    sort_newest_first(&mut sequences);
    Ok(LibraryScan {
        roots: roots.iter().map(describe_root).collect(),
        sequences,
        skipped,
        read_count,
    })
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
