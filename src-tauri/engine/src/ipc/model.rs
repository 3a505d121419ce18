//! The IPC model: the arguments of the commands and the payloads that exist only on the wire.

use mtp_services::Provider;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::UserError;
use crate::settings::RedirectMode;

/// Arguments of [`SCAN_LIBRARY`]: which rows of the library to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanLibraryArgs {
    /// At most this many rows, in the list's order: of a new scan, whose other rows are then
    /// held for `restOf`; or of those held. `null`: every row.
    pub first: Option<u32>,
    /// The next held rows of scan number `restOf` (`LibraryList.scan`) instead of a new scan;
    /// when it holds none any more (a newer scan came, or all were answered), a new scan.
    pub rest_of: Option<u32>,
}

/// Arguments of [`ADD_PATHS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddPathsArgs {
    pub paths: Vec<String>,
}

/// Arguments of [`REMOVE_ROOT`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveRootArgs {
    /// The folder as shown in `LibraryRoot.path`.
    pub path: String,
}

/// Arguments of [`SEQUENCE_DETAIL`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SequenceDetailArgs {
    /// `SequenceSummary.id`.
    pub id: String,
}

/// Arguments of [`LINK_MTPW`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkMtpwArgs {
    /// `SequenceSummary.id`.
    pub id: String,
    /// What the user pasted: an MTPW sequence link or its UUID.
    pub pasted: String,
}

/// Arguments of [`UPLOAD_SEQUENCES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadSequencesArgs {
    /// `SequenceSummary.id`s.
    pub sequence_ids: Vec<String>,
    /// Also sequences MTP Desktop Uploader already uploaded.
    pub insist: bool,
    /// Keep the batch's activities off the followers' home feeds (Strava's `hide_from_home`);
    /// absent: shown.
    #[serde(default)]
    pub hide_from_home: bool,
}

impl UploadSequencesArgs {
    /// The batch's options for [`crate::uploads::Uploads::enqueue_with`].
    pub fn options(&self) -> crate::uploads::EnqueueOptions {
        crate::uploads::EnqueueOptions {
            insist: self.insist,
            hide_from_home: self.hide_from_home,
        }
    }
}

/// Arguments of [`PAUSE_UPLOADS`], [`RESUME_UPLOADS`] and [`CANCEL_UPLOADS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadTargetArgs {
    /// One upload (`UploadRecord.id`), or `null` for the whole queue.
    #[ts(type = "number | null")]
    pub upload: Option<i64>,
}

/// Arguments of [`RETRY_UPLOAD`] and [`UPLOAD_RECORD`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadArgs {
    /// `UploadRecord.id`.
    #[ts(type = "number")]
    pub upload: i64,
}

/// Arguments of [`START_SIGN_IN`], [`CANCEL_SIGN_IN`] and [`DISCONNECT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderArgs {
    pub provider: Provider,
}

/// Arguments of [`SET_STRAVA_CLIENT_SECRET`]. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecretArgs {
    pub secret: String,
}

impl std::fmt::Debug for ClientSecretArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSecretArgs")
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Result of [`START_SIGN_IN`]: what the Accounts view shows while it waits for the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInStarted {
    pub provider: Provider,
    pub mode: RedirectMode,
    /// The consent page the browser was sent to (shown with a Copy button).
    pub authorize_url: String,
    pub redirect_uri: String,
    /// Why no browser could be opened, if so (the user copies the address instead).
    pub browser_error: Option<String>,
}

/// Payload of [`SIGN_IN_FAILED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInFailed {
    pub provider: Provider,
    pub error: UserError,
}

/// Payload of [`LIBRARY_CHANGED`]: the library watch saw a change the list should show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryChanged {
    /// How many sequence folders are complete now (new or changed), or were removed.
    pub changed: u32,
    /// A library folder went away or came back.
    pub roots_changed: bool,
    /// Said once: the system allows no more folder watches, and what to do about it.
    pub notice: Option<String>,
}

/// Payload of [`DROP_HOVER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DropHover {
    pub active: bool,
}

/// The answer of [`COPY_DIAGNOSTICS`]: the report, and whether the app put it on the clipboard
/// itself (where it cannot, the UI copies `text`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticsCopy {
    pub text: String,
    pub copied: bool,
}

/// Arguments of [`SUBSCRIBE_EVENTS`]: the UI's channel (a Tauri `Channel`, sent as its id) that
/// every declared event is delivered through, as `{ event, payload }`. The window may not
/// listen to app-wide events at all: the deep-link plugin broadcasts each callback URL, with its
/// code or token, to every listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeEventsArgs {
    #[ts(type = "{ toJSON(): string }")]
    pub channel: String,
}
