//! What was read from a sequence folder's files, before any rule is applied: the cached record.

use serde::{Deserialize, Serialize};

use crate::model::{DesktopUploaderStatus, Problem, TrackStats};

/// Bump whenever reading changes what a record holds: older cache rows then count as misses.
pub const READER_VERSION: i64 = 1;

/// The facts of one sequence folder as its files state them. Status, eligibility, display name,
/// distance and duration are derived from it when it is read ([`super::summary_of`]), so a
/// changed transport table or rule never leaves a stale answer in the cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceRecord {
    /// The folder's own name (lossy UTF-8).
    pub dir_name: String,
    /// `uploader_sequence_name` as written.
    pub name: Option<String>,
    pub description: Option<String>,
    pub transport_type: Option<String>,
    pub transport_method: Option<String>,
    pub tags: Vec<String>,
    /// `created`, else `earliest_time`.
    pub capture_date: Option<String>,
    /// `durationsec` and `distance_km` of the JSON (used until the GPX is checked).
    pub json_duration_sec: Option<f64>,
    pub json_distance_km: Option<f64>,
    /// `destination.mtp` when it is a UUID.
    pub mtpw_uuid: Option<String>,
    pub desktop_uploader: Option<DesktopUploaderStatus>,
    /// What is wrong with the files, each naming its file.
    pub problems: Vec<Problem>,
    /// The GPX's stats once checked and valid.
    pub track: Option<TrackStats>,
    /// False while the GPX waits for its check (listed from the JSON only).
    pub track_checked: bool,
}

/// A freshly read folder: its record, the preview polyline, and whether it may be cached
/// (false when a file could not be read at all: try again on the next scan).
#[derive(Debug, Clone)]
pub struct FolderRead {
    pub record: SequenceRecord,
    pub preview: Vec<[f64; 2]>,
    pub cacheable: bool,
}
