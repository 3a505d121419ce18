//! The library list in the compact form it crosses to the UI in: one array per sequence
//! instead of an object with its key names, each Strava eligibility sent once, and the folder
//! name left out where it is the path's last segment. 10,000 sequences are about 3.8 MB
//! instead of 6.4 MB, so the list reaches the window sooner and the window keeps less. (The
//! id is sent although a UTF-8 path gives it: hexing 10,000 paths in the page cost more than
//! carrying them.)
//! `ui/src/lib/library/compactList.ts` turns it back into `SequenceSummary` objects.
//!
//! A start shows its first screenful sooner when that comes first: [`ListPages`] answers the
//! first rows of a scan and holds the rest of the same scan back until the UI asks for it.

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::ScanLibraryArgs;
use crate::model::{
    DesktopUploaderStatus, LibraryRoot, LibraryScan, Problem, SequenceStatus, SequenceSummary,
    StravaEligibility,
};

/// [`LibraryScan`] as the `scan_library` command answers it: all of its rows, or a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryList {
    pub roots: Vec<LibraryRoot>,
    /// Every distinct Strava eligibility of these rows (a row holds its index here).
    pub eligibility: Vec<StravaEligibility>,
    /// Newest first, as in [`LibraryScan::sequences`], from position `offset` on.
    pub rows: Vec<SummaryRow>,
    pub read_count: u32,
    pub pending_tracks: u32,
    /// The position of the first of `rows` in the whole list: 0, or where the held-back rest
    /// of a first page starts.
    pub offset: u32,
    /// How many sequences the whole list has (more than `rows` for a first page).
    pub total: u32,
    /// The scan's number, which the rest of a first page is asked for by (`restOf`).
    pub scan: u32,
}

/// One [`SequenceSummary`] as an array, its fields in declaration order, except: `dir_name`
/// is `null` when it is the path's last segment, and `strava` is an index into
/// [`LibraryList::eligibility`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SummaryRow(
    pub String,
    pub String,
    pub Option<String>,
    pub String,
    pub Option<String>,
    pub Option<String>,
    pub Option<String>,
    pub Vec<String>,
    pub Option<String>,
    pub Option<f64>,
    pub Option<f64>,
    pub Option<String>,
    pub u32,
    pub Option<DesktopUploaderStatus>,
    pub SequenceStatus,
    pub Vec<Problem>,
);

impl From<LibraryScan> for LibraryList {
    /// Every row of the scan.
    fn from(scan: LibraryScan) -> Self {
        let total = count(scan.sequences.len());
        Self::part(scan, 0, 0, total)
    }
}

impl LibraryList {
    /// The rows of `scan` (`offset` rows into a list of `total`) as scan number `number`.
    fn part(scan: LibraryScan, number: u32, offset: u32, total: u32) -> Self {
        let mut eligibility: Vec<StravaEligibility> = Vec::new();
        let rows = scan
            .sequences
            .into_iter()
            .map(|summary| {
                let index = match eligibility.iter().position(|e| *e == summary.strava) {
                    Some(index) => index,
                    None => {
                        eligibility.push(summary.strava.clone());
                        eligibility.len() - 1
                    }
                };
                row_of(summary, u32::try_from(index).unwrap_or(u32::MAX))
            })
            .collect();
        Self {
            roots: scan.roots,
            eligibility,
            rows,
            read_count: scan.read_count,
            pending_tracks: scan.pending_tracks,
            offset,
            total,
            scan: number,
        }
    }
}

/// What `scan_library` answers, over the scans it runs: a whole list, or the first rows of a
/// scan with the rest held here until it is asked for (whole, or in parts). Only the last
/// scan's rest is held (a newer scan drops it), and each row of it is answered once.
#[derive(Debug, Default)]
pub struct ListPages {
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    /// The number of the last scan answered.
    last: u32,
    /// That scan's rows not answered yet.
    rest: Option<Rest>,
}

#[derive(Debug)]
struct Rest {
    scan: u32,
    /// Where the held rows start in the whole list, and its length.
    offset: u32,
    total: u32,
    rows: LibraryScan,
}

impl ListPages {
    /// The answer to `args`: the next rows of scan `rest_of` while it holds some (at most
    /// `first` of them); else a new scan (`scan()`): its first `first` rows with the rest held
    /// back, or every row.
    pub fn answer<E>(
        &self,
        args: &ScanLibraryArgs,
        scan: impl FnOnce() -> Result<LibraryScan, E>,
    ) -> Result<LibraryList, E> {
        if let Some(rest) = args
            .rest_of
            .and_then(|number| self.take_rest(number, args.first))
        {
            return Ok(rest);
        }
        let mut whole = scan()?;
        let total = count(whole.sequences.len());
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.last = held.last.wrapping_add(1);
        let number = held.last;
        held.rest = split(&mut whole, args.first).map(|rows| Rest {
            scan: number,
            offset: count(whole.sequences.len()),
            total,
            rows,
        });
        drop(held);
        Ok(LibraryList::part(whole, number, 0, total))
    }

    /// The next held rows of scan `number` (at most `first`), taken; `None` when another scan
    /// came since, or every row of it was answered.
    fn take_rest(&self, number: u32, first: Option<u32>) -> Option<LibraryList> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let rest = held.rest.as_mut().filter(|rest| rest.scan == number)?;
        let (offset, total) = (rest.offset, rest.total);
        let part = match split(&mut rest.rows, first) {
            Some(after) => {
                let part = std::mem::replace(&mut rest.rows, after);
                rest.offset += count(part.sequences.len());
                part
            }
            None => held.rest.take()?.rows,
        };
        drop(held);
        Some(LibraryList::part(part, number, offset, total))
    }
}

/// Splits the rows after the first `first` of `scan` off (its roots and counts copied), when
/// it has more; `None` leaves `scan` whole.
fn split(scan: &mut LibraryScan, first: Option<u32>) -> Option<LibraryScan> {
    let first = first.map(|first| first as usize)?;
    if first >= scan.sequences.len() {
        return None;
    }
    Some(LibraryScan {
        roots: scan.roots.clone(),
        sequences: scan.sequences.split_off(first),
        read_count: scan.read_count,
        pending_tracks: scan.pending_tracks,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn row_of(summary: SequenceSummary, eligibility: u32) -> SummaryRow {
    let dir_name = (Some(summary.dir_name.as_str()) != last_segment(&summary.path))
        .then_some(summary.dir_name);
    SummaryRow(
        summary.id,
        summary.path,
        dir_name,
        summary.name,
        summary.description,
        summary.transport_type,
        summary.transport_method,
        summary.tags,
        summary.capture_date,
        summary.duration_sec,
        summary.distance_km,
        summary.mtpw_uuid,
        eligibility,
        summary.desktop_uploader,
        summary.status,
        summary.problems,
    )
}

/// What follows the last `/` (the whole path when there is none).
fn last_segment(path: &str) -> Option<&str> {
    path.rsplit('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::{path_from_bytes, sequence_id};

    fn summary(path: &std::path::Path, eligible: bool) -> SequenceSummary {
        SequenceSummary {
            id: sequence_id(path),
            path: path.to_string_lossy().into_owned(),
            dir_name: crate::files::display_name(path),
            name: "Morning Ride".into(),
            description: Some("along the coast".into()),
            transport_type: Some("Earth".into()),
            transport_method: Some(if eligible { "Bicycle" } else { "Car" }.into()),
            tags: vec!["coast".into()],
            capture_date: Some("2025-10-05".into()),
            duration_sec: Some(600.0),
            distance_km: Some(9.412345678),
            mtpw_uuid: None,
            strava: StravaEligibility {
                eligible,
                activity_type: eligible.then(|| "Ride".into()),
                reason: (!eligible).then(|| "MTP does not send ‘Car’ sequences to Strava".into()),
            },
            desktop_uploader: None,
            status: if eligible {
                SequenceStatus::Ready
            } else {
                SequenceStatus::NotEligible
            },
            problems: Vec::new(),
            track: None,
        }
    }

    fn scan_of(sequences: Vec<SequenceSummary>) -> LibraryScan {
        LibraryScan {
            roots: Vec::new(),
            sequences,
            read_count: 3,
            pending_tracks: 1,
        }
    }

    #[test]
    fn rows_leave_out_what_follows_from_the_path_and_share_each_eligibility() {
        let paths = ["/lib/a_ride", "/lib/b_drive", "/lib/c_ride"];
        let list = LibraryList::from(scan_of(vec![
            summary(paths[0].as_ref(), true),
            summary(paths[1].as_ref(), false),
            summary(paths[2].as_ref(), true),
        ]));
        assert_eq!(list.eligibility.len(), 2);
        assert_eq!(
            list.rows.iter().map(|r| r.12).collect::<Vec<_>>(),
            [0, 1, 0]
        );
        assert!(list.rows.iter().all(|r| r.2.is_none()));
        assert_eq!((list.read_count, list.pending_tracks), (3, 1));
        let json = serde_json::to_string(&list.rows[0]).unwrap();
        // ui/src/lib/library/compactList.test.ts reads this very row back
        assert_eq!(
            sequence_id("/lib/a_ride".as_ref()),
            "2f6c69622f615f72696465"
        );
        assert_eq!(
            json,
            r#"["2f6c69622f615f72696465","/lib/a_ride",null,"Morning Ride","along the coast","Earth","Bicycle",["coast"],"2025-10-05",600.0,9.412345678,null,0,null,"ready",[]]"#
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_path_keeps_its_exact_id() {
        let dir = path_from_bytes(b"/lib/caf\xe9_ride");
        let list = LibraryList::from(scan_of(vec![summary(&dir, true)]));
        assert_eq!(list.rows[0].0, sequence_id(&dir));
        assert_eq!(list.rows[0].1, "/lib/caf\u{fffd}_ride");
        assert_eq!(
            list.rows[0].2, None,
            "its lossy name is still the last segment"
        );
    }

    #[test]
    fn a_folder_name_that_is_not_the_last_segment_is_sent() {
        let mut odd = summary("/lib/walk".as_ref(), true);
        odd.dir_name = "other".into();
        let list = LibraryList::from(scan_of(vec![odd]));
        assert_eq!(list.rows[0].2.as_deref(), Some("other"));
    }

    fn library_of(n: usize) -> LibraryScan {
        let sequences = (0..n)
            .map(|i| summary(format!("/lib/ride_{i:03}").as_ref(), i % 3 != 0))
            .collect();
        scan_of(sequences)
    }

    fn paths(list: &LibraryList) -> Vec<String> {
        list.rows.iter().map(|row| row.1.clone()).collect()
    }

    fn args(first: Option<u32>, rest_of: Option<u32>) -> ScanLibraryArgs {
        ScanLibraryArgs { first, rest_of }
    }

    #[test]
    fn a_first_page_then_its_rest_make_the_whole_list_of_one_scan() {
        let pages = ListPages::default();
        let whole = LibraryList::from(library_of(250));
        let mut scans = 0;
        let mut scan = || -> Result<LibraryScan, ()> {
            scans += 1;
            Ok(library_of(250))
        };
        let first = pages.answer(&args(Some(40), None), &mut scan).unwrap();
        assert_eq!((first.rows.len(), first.offset, first.total), (40, 0, 250));
        let rest = pages
            .answer(&args(None, Some(first.scan)), &mut scan)
            .unwrap();
        assert_eq!(scans, 1, "the rest comes from the same scan");
        assert_eq!((rest.rows.len(), rest.offset, rest.total), (210, 40, 250));
        assert_eq!(rest.scan, first.scan);
        assert_eq!((rest.read_count, rest.pending_tracks), (3, 1));
        assert_eq!([paths(&first), paths(&rest)].concat(), paths(&whole));
        // each part names its own eligibilities: a row's index reads the same one as in the whole
        let eligibility =
            |list: &LibraryList, i: usize| list.eligibility[list.rows[i].12 as usize].clone();
        assert_eq!(eligibility(&rest, 0), eligibility(&whole, 40));
        assert_eq!(eligibility(&first, 1), eligibility(&whole, 1));
    }

    #[test]
    fn the_rest_comes_in_parts_as_asked_each_row_once() {
        let pages = ListPages::default();
        let whole = LibraryList::from(library_of(250));
        let scan = || -> Result<LibraryScan, ()> { Ok(library_of(250)) };
        let first = pages.answer(&args(Some(40), None), scan).unwrap();
        let mut parts = vec![first.clone()];
        for _ in 0..3 {
            let part = pages
                .answer(&args(Some(100), Some(first.scan)), scan)
                .unwrap();
            assert_eq!((part.scan, part.total), (first.scan, 250));
            parts.push(part);
        }
        let at: Vec<_> = parts.iter().map(|p| (p.offset, p.rows.len())).collect();
        assert_eq!(at, [(0, 40), (40, 100), (140, 100), (240, 10)]);
        let read: Vec<String> = parts.iter().flat_map(paths).collect();
        assert_eq!(read, paths(&whole));
        let after = pages
            .answer(&args(Some(100), Some(first.scan)), scan)
            .unwrap();
        assert_eq!(
            (after.offset, after.rows.len()),
            (0, 100),
            "all taken: a new scan"
        );
    }

    #[test]
    fn a_rest_taken_or_overtaken_by_a_newer_scan_is_answered_by_a_whole_new_list() {
        let pages = ListPages::default();
        let scan = || -> Result<LibraryScan, ()> { Ok(library_of(30)) };
        let first = pages.answer(&args(Some(10), None), scan).unwrap();
        pages.answer(&args(None, Some(first.scan)), scan).unwrap();
        let again = pages.answer(&args(None, Some(first.scan)), scan).unwrap();
        assert_eq!((again.rows.len(), again.offset, again.total), (30, 0, 30));
        assert_ne!(again.scan, first.scan);

        let older = pages.answer(&args(Some(10), None), scan).unwrap();
        let newer = pages.answer(&args(Some(10), None), scan).unwrap();
        let stale = pages.answer(&args(None, Some(older.scan)), scan).unwrap();
        assert_eq!(
            (stale.offset, stale.rows.len()),
            (0, 30),
            "a new whole list"
        );
        let rest = pages.answer(&args(None, Some(newer.scan)), scan).unwrap();
        assert_eq!(
            rest.offset, 0,
            "the newer scan's rest went with the stale request's scan"
        );
    }

    #[test]
    fn a_first_page_as_long_as_the_library_holds_nothing_back() {
        let pages = ListPages::default();
        let scan = || -> Result<LibraryScan, ()> { Ok(library_of(5)) };
        let first = pages.answer(&args(Some(5), None), scan).unwrap();
        assert_eq!((first.rows.len(), first.total), (5, 5));
        let rest = pages.answer(&args(None, Some(first.scan)), scan).unwrap();
        assert_eq!(
            (rest.offset, rest.rows.len()),
            (0, 5),
            "nothing held: a new scan"
        );
        let failed = pages.answer(&args(None, None), || Err::<LibraryScan, _>("unreadable"));
        assert_eq!(failed, Err("unreadable"));
    }
}
