//! The upload types that cross the IPC boundary: states, history records, attempts, progress events.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::UserError;

/// Where one sequence upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UploadState {
    Queued,
    Validating,
    /// Sending the GPX (bytes progress comes as events).
    Uploading,
    /// Strava is processing the upload; polling it.
    Processing,
    SettingSportType,
    SyncingMtpw,
    Done,
    /// Tried and failed; `detail` says what failed, how often, and what to do.
    Failed,
    /// Needs attention: the GPX is not valid.
    InvalidGpx,
    /// Needs attention: the transport method does not go to Strava.
    NotEligible,
    /// Needs attention: no MTPW sequence id is known.
    NoMtpwId,
    /// Needs attention: not signed in to Strava or MTPW.
    NotSignedIn,
    /// The activity is on Strava, but MTPW was not updated (Retry syncs MTPW only).
    OnStravaMtpwNotUpdated,
    /// Strava was still processing after the poll limit; a later run polls again.
    StillProcessing,
    /// The activity this upload created was deleted on Strava.
    ActivityDeleted,
    /// Cancelled before anything reached Strava.
    Cancelled,
}

impl UploadState {
    /// Every state, for parsing.
    pub const ALL: [UploadState; 16] = [
        Self::Queued,
        Self::Validating,
        Self::Uploading,
        Self::Processing,
        Self::SettingSportType,
        Self::SyncingMtpw,
        Self::Done,
        Self::Failed,
        Self::InvalidGpx,
        Self::NotEligible,
        Self::NoMtpwId,
        Self::NotSignedIn,
        Self::OnStravaMtpwNotUpdated,
        Self::StillProcessing,
        Self::ActivityDeleted,
        Self::Cancelled,
    ];

    /// The name stored in the database and printed by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Validating => "validating",
            Self::Uploading => "uploading",
            Self::Processing => "processing",
            Self::SettingSportType => "settingSportType",
            Self::SyncingMtpw => "syncingMtpw",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::InvalidGpx => "invalidGpx",
            Self::NotEligible => "notEligible",
            Self::NoMtpwId => "noMtpwId",
            Self::NotSignedIn => "notSignedIn",
            Self::OnStravaMtpwNotUpdated => "onStravaMtpwNotUpdated",
            Self::StillProcessing => "stillProcessing",
            Self::ActivityDeleted => "activityDeleted",
            Self::Cancelled => "cancelled",
        }
    }

    /// The inverse of [`UploadState::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A short phrase for people ("on Strava, MTPW not updated").
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Validating => "validating",
            Self::Uploading => "uploading",
            Self::Processing => "processing on Strava",
            Self::SettingSportType => "setting the sport type",
            Self::SyncingMtpw => "updating Map the Paths",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::InvalidGpx => "needs attention: invalid GPX",
            Self::NotEligible => "needs attention: not eligible for Strava",
            Self::NoMtpwId => "needs attention: no Map the Paths id",
            Self::NotSignedIn => "needs attention: not signed in",
            Self::OnStravaMtpwNotUpdated => "on Strava, Map the Paths not updated",
            Self::StillProcessing => "still processing on Strava",
            Self::ActivityDeleted => "activity deleted on Strava",
            Self::Cancelled => "cancelled",
        }
    }

    /// Work in progress: a run (or a restart after a crash) carries these on.
    pub fn is_in_flight(self) -> bool {
        matches!(
            self,
            Self::Queued
                | Self::Validating
                | Self::Uploading
                | Self::Processing
                | Self::SettingSportType
                | Self::SyncingMtpw
        )
    }

    /// Needs the user to do something before it can go on.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Self::InvalidGpx | Self::NotEligible | Self::NoMtpwId | Self::NotSignedIn
        )
    }
}

/// The step an attempt belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UploadStep {
    Validate,
    Upload,
    /// Asking Strava whether an upload whose answer was lost became an activity.
    Lookup,
    Poll,
    SportType,
    SyncMtpw,
}

impl UploadStep {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validate => "validate",
            Self::Upload => "upload",
            Self::Lookup => "lookup",
            Self::Poll => "poll",
            Self::SportType => "sportType",
            Self::SyncMtpw => "syncMtpw",
        }
    }

    /// The inverse of [`UploadStep::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Validate,
            Self::Upload,
            Self::Lookup,
            Self::Poll,
            Self::SportType,
            Self::SyncMtpw,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// What the step does, for messages ("uploading to Strava").
    pub fn label(self) -> &'static str {
        match self {
            Self::Validate => "checking the sequence",
            Self::Upload => "uploading to Strava",
            Self::Lookup => "looking for the activity on Strava",
            Self::Poll => "checking the upload on Strava",
            Self::SportType => "updating the activity on Strava (sport type, home feed)",
            Self::SyncMtpw => "updating Map the Paths",
        }
    }
}

/// One try of one step, as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadAttempt {
    /// RFC 3339.
    pub at: String,
    pub step: UploadStep,
    pub http_status: Option<u16>,
    /// The error as the user should read it; `None` when the try succeeded.
    pub error: Option<String>,
    /// What a try that succeeded found out, when it has something to say (a lookup: which
    /// activity it found, or that there was none).
    pub note: Option<String>,
}

/// One sequence upload (one per MTPW UUID + GPX content), with its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadRecord {
    #[ts(type = "number")]
    pub id: i64,
    /// The library id of the folder it was last queued from.
    pub sequence_id: String,
    pub sequence_name: String,
    /// The folder, for display.
    pub folder: String,
    pub mtpw_uuid: Option<String>,
    pub gpx_sha256: String,
    pub state: UploadState,
    /// Why it needs attention, the warning after the retries, or a note ("already on Strava").
    pub detail: Option<String>,
    #[ts(type = "string | null")]
    #[serde(with = "crate::model::opt_u64_string")]
    pub strava_upload_id: Option<u64>,
    #[ts(type = "string | null")]
    #[serde(with = "crate::model::opt_u64_string")]
    pub activity_id: Option<u64>,
    /// The Strava sport type to set (from the transport mapping).
    pub sport_type: Option<String>,
    /// The batch asked to keep the activity off the followers' home feeds (Strava's
    /// `hide_from_home`, sent in the same PUT as the sport type).
    pub hide_from_home: bool,
    /// Strava confirmed it: the activity is off the followers' home feeds.
    pub hidden_from_home: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Oldest first; empty in history pages (ask for one record to get them).
    pub attempts: Vec<UploadAttempt>,
}

impl UploadRecord {
    /// True once Strava has the upload (its upload or activity id is known): a cancel no
    /// longer stops it, it is finished instead, so nothing on Strava is left half done.
    pub fn is_on_strava(&self) -> bool {
        self.strava_upload_id.is_some() || self.activity_id.is_some()
    }
}

/// A page of the history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub records: Vec<UploadRecord>,
    /// How many records match the query in all.
    pub total: u32,
}

/// What to show of the history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    /// Only these states (empty: all).
    pub states: Vec<UploadState>,
    /// Matches name, folder, MTPW UUID, activity id and detail (case-insensitive).
    pub text: Option<String>,
    pub offset: u32,
    /// 0 means 50.
    pub limit: u32,
}

/// Progress of the upload queue, for the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum UploadEvent {
    /// A record changed state.
    #[serde(rename_all = "camelCase")]
    State {
        #[ts(type = "number")]
        upload: i64,
        sequence_name: String,
        state: UploadState,
        detail: Option<String>,
    },
    /// Bytes of the (compressed) file sent so far.
    #[serde(rename_all = "camelCase")]
    Bytes {
        #[ts(type = "number")]
        upload: i64,
        #[ts(type = "number")]
        sent: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Try `attempt` of `of` for a step (sent before each try after the first, with the last error).
    #[serde(rename_all = "camelCase")]
    Attempt {
        #[ts(type = "number")]
        upload: i64,
        step: UploadStep,
        attempt: u32,
        of: u32,
        error: Option<String>,
    },
    /// The queue waits for Strava's rate-limit window: nothing is sent until `until` (RFC 3339, UTC).
    #[serde(rename_all = "camelCase")]
    PausedUntil { until: String },
    /// Another process (the app or the CLI) works this data folder's queue: this run waits for
    /// it (`holder` names it), or no longer waits (`null`).
    #[serde(rename_all = "camelCase")]
    WaitingForOtherRun { holder: Option<String> },
}

/// What a run of the queue ended with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    /// Every record the run handled, in its final state.
    pub records: Vec<UploadRecord>,
    /// True when every one of them is done.
    pub all_done: bool,
    /// Why the run stopped with work still owed: Strava refuses the API application.
    pub held: Option<UserError>,
}

/// How a batch is queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnqueueOptions {
    /// Also sequences MTP Desktop Uploader already uploaded.
    pub insist: bool,
    /// Keep the batch's activities off the followers' home feeds (Strava's `hide_from_home`).
    pub hide_from_home: bool,
}

/// What happened to one sequence asked to be queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnqueueOutcome {
    pub sequence_id: String,
    pub sequence_name: String,
    #[ts(type = "number | null")]
    pub upload: Option<i64>,
    /// Why it was not queued (already done, uploaded by MTP Desktop Uploader, unknown).
    pub skipped: Option<String>,
}

/// Bytes of the compressed GPX sent so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BytesProgress {
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// The try a step is on when it is retrying ("attempt 2 of 4"), with the error that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptProgress {
    pub step: UploadStep,
    pub attempt: u32,
    pub of: u32,
    pub error: Option<String>,
}

/// One row of the queue: the stored record (without its attempts) and its live progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueRow {
    pub record: UploadRecord,
    /// While the GPX is being sent.
    pub bytes: Option<BytesProgress>,
    /// While a step is being tried again.
    pub attempt: Option<AttemptProgress>,
}

/// The queue as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueSnapshot {
    /// The current (or last) batch, in the order it was queued.
    pub rows: Vec<QueueRow>,
    /// True while a run works through the queue.
    pub running: bool,
    /// True when the user paused the whole queue.
    pub paused: bool,
    /// Strava's rate limit holds every request until then (RFC 3339, UTC).
    pub paused_until: Option<String>,
    /// Another process works the queue and this one waits for it: who (the app, the CLI).
    pub waiting_for: Option<String>,
    /// Why the last run stopped early (the store could not be used), for the user.
    pub error: Option<UserError>,
    /// Strava refuses the API application (inactive, athlete cap): the queue holds, nothing
    /// is sent until it is resumed; what the photographer can do (code `stravaAppInactive` or
    /// `stravaAthleteLimit`).
    pub held: Option<UserError>,
}

/// What the queue tells its listener (the app turns these into IPC events).
#[derive(Debug, Clone, PartialEq)]
pub enum QueueNotice {
    /// A pipeline event, throttled to about ten a second per row.
    Progress(UploadEvent),
    /// The run ended: nothing is left to do until something is queued again.
    Idle(QueueSnapshot),
}

/// The key of a sequence upload: the MTPW UUID and the GPX content hash (the folder only
/// while no UUID is known), so a moved or renamed folder keeps its history.
pub fn upload_key(mtpw_uuid: Option<&str>, sequence_id: &str, gpx_sha256: &str) -> String {
    match mtpw_uuid {
        Some(uuid) => format!("{}:{gpx_sha256}", uuid.to_ascii_lowercase()),
        None => format!("folder-{sequence_id}:{gpx_sha256}"),
    }
}
