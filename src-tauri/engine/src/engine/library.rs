//! `impl Engine`: the sequence library: the two-phase scan and one sequence's detail.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use super::{lock, Engine};
use crate::error::EngineError;
use crate::files::folder_of_id;
use crate::library::{self, check_folders, list_candidates, sort_newest_first, ScanOutcome};
use crate::model::{LibraryScan, SequenceDetail, SequenceSummary};

impl Engine {
    /// Lists every sequence under every root at once, without parsing any GPX: unchanged
    /// sequences come from the cache; new or changed ones are listed from their JSON with
    /// status `Checking` until [`Engine::check_tracks`] has checked their track.
    /// A scan started ahead ([`Engine::scan_ahead`]) answers the first call.
    pub fn scan(&self) -> Result<LibraryScan, EngineError> {
        let outcome = match self.take_scan_ahead() {
            Some(outcome) => outcome,
            None => self.scan_outcome()?,
        };
        *lock(&self.pending_tracks) = outcome.pending;
        let mut scan = outcome.scan;
        self.show_mtpw_links(&mut scan.sequences)?;
        Ok(scan)
    }

    /// The listing of every root, as [`Engine::scan`] and a scan ahead make it.
    pub(super) fn scan_outcome(&self) -> Result<ScanOutcome, EngineError> {
        let being_written = lock(&self.being_written).folders().cloned().collect();
        library::scan_library(&self.store, &self.library_roots()?, &being_written)
    }

    /// Checks the GPX track of every sequence the last scan left `Checking` (in parallel),
    /// caches each result and hands its final summary to `on_checked` as soon as it is done.
    /// Returns how many were checked; 0 at once when nothing is pending.
    pub fn check_tracks(
        &self,
        on_checked: impl Fn(SequenceSummary) + Sync,
    ) -> Result<u32, EngineError> {
        let folders = std::mem::take(&mut *lock(&self.pending_tracks));
        check_folders(&self.store, folders, &|mut summary: SequenceSummary| {
            // A failed look-up leaves the id as the folder says: the next detail shows it.
            let _ = self.show_mtpw_link(&mut summary);
            on_checked(summary)
        })
    }

    /// [`Engine::scan`] then [`Engine::check_tracks`]: the library with every summary final
    /// (for tests and headless use; the app shows the scan first and the checks as they come).
    pub fn scan_and_check(&self) -> Result<LibraryScan, EngineError> {
        let mut scan = self.scan()?;
        let checked = Mutex::new(HashMap::new());
        self.check_tracks(|summary| {
            lock(&checked).insert(summary.id.clone(), summary);
        })?;
        let mut checked = checked.into_inner().unwrap_or_else(PoisonError::into_inner);
        for summary in &mut scan.sequences {
            if let Some(done) = checked.remove(&summary.id) {
                *summary = done;
            }
        }
        sort_newest_first(&mut scan.sequences);
        scan.pending_tracks = 0;
        Ok(scan)
    }

    /// One sequence with its preview polyline, validation result and photo count; cheap when
    /// the folder is unchanged since it was read in full, else (also while its track check is
    /// pending) read now.
    pub fn sequence_detail(&self, id: &str) -> Result<SequenceDetail, EngineError> {
        let unknown = || EngineError::UnknownSequence { id: id.into() };
        let folder = folder_of_id(id).ok_or_else(unknown)?;
        if !self.is_in_library(&folder)? {
            return Err(unknown());
        }
        if !folder.is_dir() {
            return Err(EngineError::SequenceGone {
                path: folder.to_string_lossy().into_owned(),
            });
        }
        let mut detail = library::sequence_detail(&self.store, &folder)?;
        self.show_mtpw_link(&mut detail.summary)?;
        Ok(detail)
    }

    /// Every sequence folder of the library, without reading any (what a scan would list).
    pub fn sequence_folders(&self) -> Result<Vec<std::path::PathBuf>, EngineError> {
        Ok(self
            .library_roots()?
            .iter()
            .flat_map(|root| list_candidates(&root.path).folders)
            .collect())
    }

    /// True when `folder` is one of the sequences the scan would list.
    fn is_in_library(&self, folder: &Path) -> Result<bool, EngineError> {
        let roots = self.library_roots()?;
        Ok(roots.iter().any(|root| {
            (root.path == folder || folder.parent() == Some(root.path.as_path()))
                && list_candidates(&root.path)
                    .folders
                    .iter()
                    .any(|f| f == folder)
        }))
    }
}
