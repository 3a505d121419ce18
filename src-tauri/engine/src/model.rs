//! The types that cross the IPC boundary to the UI (TypeScript bindings are generated from these).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the engine looks for sequences: either a folder of sequence folders or one sequence folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryRoot {
    /// The folder as the user chose it (lossy UTF-8 for display and for identifying the root).
    pub path: String,
    /// True for the built-in `~/MTP/sequences` root.
    pub is_default: bool,
    /// Present when the folder cannot be read right now (missing, not a folder, no permission).
    pub problem: Option<String>,
    /// Entries directly under it that are not sequences (a folder without `<dir>.json`, a
    /// file, a broken link...), each with the reason. Empty when the root is itself a sequence.
    pub skipped: Vec<SkippedItem>,
}

/// The status chip of a sequence in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SequenceStatus {
    /// Valid and eligible: can be uploaded to Strava.
    Ready,
    /// Valid, but its transport method does not map to a Strava activity type.
    NotEligible,
    /// MTP Desktop Uploader already uploaded it to Strava (`upload_strava.json` / `destination.strava`).
    UploadedByDesktop,
    /// Something is wrong with its files; `problems` says what.
    Invalid,
    /// Listed from its JSON; its GPX track is being checked.
    Checking,
}

/// Whether a sequence may go to Strava, and as what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StravaEligibility {
    pub eligible: bool,
    /// The Strava activity type the transport method maps to (e.g. "Ride"), when eligible.
    pub activity_type: Option<String>,
    /// Why it is not eligible, in words for the user.
    pub reason: Option<String>,
}

/// What MTP Desktop Uploader left behind about its own Strava upload of this sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DesktopUploaderStatus {
    /// "PENDING", "TRUE" or "done" (from `destination.strava == true`).
    pub status: String,
    /// The Strava upload id it recorded, if any.
    #[ts(type = "string | null")]
    #[serde(with = "opt_u64_string")]
    pub upload_id: Option<u64>,
}

/// One specific thing wrong with a sequence, naming the file it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The file or folder name the problem is about (e.g. "my_ride.gpx").
    pub file: String,
    /// A sentence for the user, e.g. "track point 12 has no time".
    pub message: String,
}

/// A geographic bounding box in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoundingBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

/// The facts taken from a valid GPX track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackStats {
    /// RFC 3339 time of the first point.
    pub start_time: String,
    /// RFC 3339 time of the last point.
    pub end_time: String,
    pub duration_sec: f64,
    pub point_count: u32,
    pub distance_m: f64,
    pub bounds: BoundingBox,
}

/// A sequence as listed in the library (no polyline: the list must stay light).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SequenceSummary {
    /// Opaque, stable key for this folder (use it to ask for details).
    pub id: String,
    /// The folder, for display (lossy UTF-8).
    pub path: String,
    /// The folder's own name (lossy UTF-8).
    pub dir_name: String,
    /// Display name: `uploader_sequence_name` (or the folder name) with `_part_N` shown as ` Part N`.
    pub name: String,
    pub description: Option<String>,
    pub transport_type: Option<String>,
    pub transport_method: Option<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm:ss` (local), from `created` or `earliest_time`.
    pub capture_date: Option<String>,
    /// The one duration and distance of the sequence: the GPX's once its track is checked and
    /// valid, until then (or when the GPX is unusable) the JSON's `durationsec` / `distance_km`.
    pub duration_sec: Option<f64>,
    pub distance_km: Option<f64>,
    /// The MTPW sequence UUID (`destination.mtp` when it is a UUID string).
    pub mtpw_uuid: Option<String>,
    pub strava: StravaEligibility,
    pub desktop_uploader: Option<DesktopUploaderStatus>,
    pub status: SequenceStatus,
    pub problems: Vec<Problem>,
    pub track: Option<TrackStats>,
}

/// Something that is not a sequence, and why (a folder without `<dir>.json`, a file where a
/// folder was expected, a symlink loop, a refused drop...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SkippedItem {
    pub path: String,
    pub reason: String,
}

/// The result of scanning every root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryScan {
    /// Every root, each with what was skipped under it.
    pub roots: Vec<LibraryRoot>,
    /// Newest first (by capture date, then name).
    pub sequences: Vec<SequenceSummary>,
    /// How many sequences were read from disk in this scan (the rest came from the cache).
    pub read_count: u32,
    /// How many sequences still need their GPX track checked (`Engine::check_tracks` does it).
    pub pending_tracks: u32,
}

/// A sequence with everything the detail view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SequenceDetail {
    pub summary: SequenceSummary,
    /// At most ~500 `[lat, lon]` points, simplified from the track, for the SVG preview.
    pub preview: Vec<[f64; 2]>,
    /// How many photos the JSON's `photo` map lists, counted when the detail is read (never
    /// during a scan); None when it cannot be read.
    pub photo_count: Option<u32>,
}

/// What happened to paths dropped onto the window (or chosen with "Add folder…").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DropOutcome {
    /// Roots that were added (a sequence folder or a folder of sequences).
    pub added: Vec<AddedRoot>,
    /// Paths that were refused, each with a message naming it.
    pub rejected: Vec<SkippedItem>,
}

/// A folder accepted into the library, and how many sequences it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddedRoot {
    pub path: String,
    pub sequence_count: u32,
    /// True when the folder was already in the library.
    pub already_known: bool,
}

/// Strava ids are 64-bit; JavaScript numbers are not, so they cross as strings.
pub(crate) mod opt_u64_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        raw.map(|s| s.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}
