//! The names and payloads of the events the shell sends to the UI (mirrored in ui/src/lib/events.ts).

use serde::Serialize;

/// Something is being dragged over the window (`true`) or it left / was dropped (`false`).
pub const DROP_HOVER: &str = "drop-hover";
/// The engine's decision about dropped paths: payload `DropOutcome`.
pub const DROP_OUTCOME: &str = "drop-outcome";
/// Dropped paths could not be handled at all: payload a sentence for the user.
pub const DROP_FAILED: &str = "drop-failed";
/// Summaries whose GPX track the engine has just checked: payload `Vec<SequenceSummary>`.
pub const TRACKS_CHECKED: &str = "tracks-checked";
/// A `mtp-strava-uploader://` URL reached the app (sign-in arrives in a later version): payload its scheme and path only.
pub const DEEP_LINK: &str = "deep-link";

/// Payload of [`DROP_HOVER`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DropHover {
    pub active: bool,
}
