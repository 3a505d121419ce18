//! The library list in the compact form it crosses to the UI in: one array per sequence
//! instead of an object with its key names, each Strava eligibility sent once, and the folder
//! name left out where it is the path's last segment. 10,000 sequences are about 3.8 MB
//! instead of 6.4 MB, so the list reaches the window sooner and the window keeps less. (The
//! id is sent although a UTF-8 path gives it: hexing 10,000 paths in the page cost more than
//! carrying them.)
//! `ui/src/lib/library/compactList.ts` turns it back into `SequenceSummary` objects.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{
    DesktopUploaderStatus, LibraryRoot, LibraryScan, Problem, SequenceStatus, SequenceSummary,
    StravaEligibility,
};

/// [`LibraryScan`] as the `scan_library` command answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryList {
    pub roots: Vec<LibraryRoot>,
    /// Every distinct Strava eligibility of the rows (a row holds its index here).
    pub eligibility: Vec<StravaEligibility>,
    /// Newest first, as in [`LibraryScan::sequences`].
    pub rows: Vec<SummaryRow>,
    pub read_count: u32,
    pub pending_tracks: u32,
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
    fn from(scan: LibraryScan) -> Self {
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
        }
    }
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
}
