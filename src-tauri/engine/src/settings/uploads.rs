//! The upload preferences: whether batches keep their activities off the followers' home
//! feeds (the confirm dialog's last choices, and the setting automatic uploads follow).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The confirm dialog's last choice for a backfill (more than 5 sequences, or one captured
/// more than 14 days ago); absent until the user chose.
pub const HIDE_BACKFILLS_KEY: &str = "uploads.hide_from_home.backfill";
/// The confirm dialog's last choice for a small batch of recent sequences.
pub const HIDE_RECENT_KEY: &str = "uploads.hide_from_home.recent";
/// Whether automatic uploads keep their activities off the home feeds (default off).
pub const AUTO_HIDE_KEY: &str = "uploads.auto_hide_from_home";

/// The upload preferences, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadPreferences {
    /// The last "Keep these off my followers' home feeds" choice for a backfill; `null`: never
    /// chosen (the dialog then ticks it).
    pub hide_backfills: Option<bool>,
    /// The same for a small batch of recent sequences; `null`: never chosen (unticked).
    pub hide_recent: Option<bool>,
    /// Automatic uploads keep their activities off the followers' home feeds.
    pub auto_hide_from_home: bool,
}

/// Changes to the upload preferences; `null` leaves one alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct UploadPreferencesUpdate {
    pub hide_backfills: Option<bool>,
    pub hide_recent: Option<bool>,
    pub auto_hide_from_home: Option<bool>,
}

/// How a flag is stored.
pub fn flag_text(value: bool) -> &'static str {
    if value {
        "on"
    } else {
        "off"
    }
}

/// A stored flag; anything but `on` / `off` counts as never set.
pub fn parse_flag(text: Option<&str>) -> Option<bool> {
    match text.map(str::trim) {
        Some("on") => Some(true),
        Some("off") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_and_anything_else_is_unset() {
        for value in [true, false] {
            assert_eq!(parse_flag(Some(flag_text(value))), Some(value));
        }
        assert_eq!(parse_flag(Some("maybe")), None);
        assert_eq!(parse_flag(None), None);
    }
}
