//! The IPC surface between the app shell and the UI, declared once: every command's name,
//! argument and result type, every event's name and payload type. The app registers and emits
//! exactly these; the UI's `bindings/ipc.ts` is generated from them ([`typescript`]).
//!
//! A command takes one argument named `args` (its `...Args` type), or none (`()`), and answers
//! its result or a [`crate::error::UserError`].

mod ascii_json;
pub mod compact_list;
mod model;

use std::marker::PhantomData;

use ts_rs::{Config, TS};

use crate::accounts::{AccountsStatus, DisconnectOutcome};
use crate::error::UserError;
use crate::model::{DropOutcome, SequenceDetail, SequenceSummary};
use crate::settings::{
    EffectiveSettings, SettingsUpdate, UploadPreferences, UploadPreferencesUpdate,
};
use crate::uploads::{
    EnqueueOutcome, HistoryPage, HistoryQuery, LinkTarget, QueueSnapshot, UploadEvent, UploadRecord,
};
pub use ascii_json::ascii_json;
use compact_list::LibraryList;
pub use model::{
    AddPathsArgs, ClientSecretArgs, DiagnosticsCopy, DropHover, LibraryChanged, LinkMtpwArgs,
    ProviderArgs, RemoveRootArgs, ScanLibraryArgs, SequenceDetailArgs, SignInFailed, SignInStarted,
    SubscribeEventsArgs, UploadArgs, UploadSequencesArgs, UploadTargetArgs,
};

/// A command the UI invokes: its name, argument type `A` and result type `R`.
pub struct Command<A, R> {
    pub name: &'static str,
    types: PhantomData<fn(A) -> R>,
}

/// An event the shell emits: its name and payload type `P`.
pub struct Event<P> {
    pub name: &'static str,
    payload: PhantomData<fn(P)>,
}

impl<A, R> Command<A, R> {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            types: PhantomData,
        }
    }
}

impl<P> Event<P> {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            payload: PhantomData,
        }
    }
}

// `Copy` by hand: the derive would require `A`, `R` and `P` to be `Copy` too.
impl<A, R> Clone for Command<A, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A, R> Copy for Command<A, R> {}
impl<P> Clone for Event<P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P> Copy for Event<P> {}

/// Declares the commands once: the constants, [`COMMAND_NAMES`] and their TypeScript types.
macro_rules! commands {
    ($($(#[doc = $doc:literal])* $constant:ident = $name:literal: $args:ty => $result:ty;)*) => {
        $($(#[doc = $doc])* pub const $constant: Command<$args, $result> = Command::new($name);)*
        /// Each command's argument type, by the command's constant: the shell's handlers take
        /// `args: ipc::args::NAME`, so a handler that differs from the declaration does not compile.
        #[allow(non_camel_case_types)]
        pub mod args {
            use super::*;
            $(pub type $constant = $args;)*
        }
        /// Each command's result type, by the command's constant: the handlers answer
        /// `Result<ipc::answer::NAME, UserError>`.
        #[allow(non_camel_case_types)]
        pub mod answer {
            use super::*;
            $(pub type $constant = $result;)*
        }
        /// The name of every command, in declaration order.
        pub const COMMAND_NAMES: &[&str] = &[$($name),*];
        fn command_types(cfg: &Config) -> Vec<(&'static str, String, String)> {
            vec![$(($name, <$args as TS>::name(cfg), <$result as TS>::name(cfg))),*]
        }
    };
}

/// Declares the events once: the constants, [`EVENT_NAMES`] and their TypeScript types.
macro_rules! events {
    ($($(#[doc = $doc:literal])* $constant:ident = $name:literal: $payload:ty;)*) => {
        $($(#[doc = $doc])* pub const $constant: Event<$payload> = Event::new($name);)*
        /// The name of every event, in declaration order.
        pub const EVENT_NAMES: &[&str] = &[$($name),*];
        fn event_types(cfg: &Config) -> Vec<(&'static str, String)> {
            vec![$(($name, <$payload as TS>::name(cfg))),*]
        }
    };
}

commands! {
    /// Every sequence under every library folder, newest first, without previews, in the
    /// compact form of [`LibraryList`] (as [`ascii_json`] text); or only the first rows, the
    /// rest of the same scan following when asked for ([`ScanLibraryArgs`]). New or changed
    /// sequences come back `checking`; their final summaries follow as [`TRACKS_CHECKED`].
    SCAN_LIBRARY = "scan_library": ScanLibraryArgs => LibraryList;
    /// Adds folders chosen with "Add folder…": the same decision as a drop onto the window.
    ADD_PATHS = "add_paths": AddPathsArgs => DropOutcome;
    /// Removes a folder from the library (files on disk are left alone).
    REMOVE_ROOT = "remove_root": RemoveRootArgs => ();
    /// One sequence with its track preview and photo count.
    SEQUENCE_DETAIL = "sequence_detail": SequenceDetailArgs => SequenceDetail;
    // Uploads (groundwork).
    /// Queues sequences and starts the queue; says for each what was queued or why it was skipped.
    UPLOAD_SEQUENCES = "upload_sequences": UploadSequencesArgs => Vec<EnqueueOutcome>;
    /// The current (or last) batch with live progress.
    UPLOAD_QUEUE = "upload_queue": () => QueueSnapshot;
    /// Holds the whole queue (`upload: null`) or one upload before its next request.
    PAUSE_UPLOADS = "pause_uploads": UploadTargetArgs => ();
    /// Lets the whole queue or one upload go on.
    RESUME_UPLOADS = "resume_uploads": UploadTargetArgs => ();
    /// Cancels the whole queue or one upload (what reached Strava is finished by the next run).
    CANCEL_UPLOADS = "cancel_uploads": UploadTargetArgs => ();
    /// Queues one history record again (Retry); `null` when it no longer exists.
    RETRY_UPLOAD = "retry_upload": UploadArgs => Option<UploadRecord>;
    /// A page of the upload history, newest first.
    UPLOAD_HISTORY = "upload_history": HistoryQuery => HistoryPage;
    /// One upload record with every attempt.
    UPLOAD_RECORD = "upload_record": UploadArgs => Option<UploadRecord>;
    /// The newest upload of a library sequence (its Strava activity once done), if it was ever
    /// queued; without attempts.
    SEQUENCE_UPLOAD = "sequence_upload": SequenceDetailArgs => Option<UploadRecord>;
    /// The upload preferences: the confirm dialog's remembered home-feed choices and the
    /// setting automatic uploads follow.
    UPLOAD_PREFERENCES = "upload_preferences": () => UploadPreferences;
    /// Saves the preferences the update names; answers them all.
    SAVE_UPLOAD_PREFERENCES = "save_upload_preferences": UploadPreferencesUpdate => UploadPreferences;
    /// Links a sequence without an MTPW id to the one in a pasted link or UUID (remembered in
    /// the app's store); answers the refreshed detail.
    LINK_MTPW = "link_mtpw": LinkMtpwArgs => SequenceDetail;
    /// "Create on Map the Paths" (needs MTPW connected); answers the refreshed detail.
    CREATE_ON_MTPW = "create_on_mtpw": SequenceDetailArgs => SequenceDetail;
    /// Opens a Strava activity or MTPW sequence page in the system browser.
    OPEN_LINK = "open_link": LinkTarget => ();
    /// Both accounts (connected, athlete, granted scopes, waiting) and whether the keyring works.
    ACCOUNTS_STATUS = "accounts_status": () => AccountsStatus;
    /// The sign-in settings in effect, saying which come from the environment.
    ACCOUNTS_SETTINGS = "accounts_settings": () => EffectiveSettings;
    /// Saves the Accounts view's changes; answers the settings in effect.
    SAVE_ACCOUNTS_SETTINGS = "save_accounts_settings": SettingsUpdate => EffectiveSettings;
    /// Puts the Strava Client Secret in the keyring (empty: removes it). It never comes back.
    SET_STRAVA_CLIENT_SECRET = "set_strava_client_secret": ClientSecretArgs => EffectiveSettings;
    /// Starts a sign-in and opens the browser; how it ends comes as [`ACCOUNTS_CHANGED`] or
    /// [`SIGN_IN_FAILED`].
    START_SIGN_IN = "start_sign_in": ProviderArgs => SignInStarted;
    /// Stops waiting for the browser.
    CANCEL_SIGN_IN = "cancel_sign_in": ProviderArgs => ();
    /// Signs out (Strava is asked to revoke); the keyring entries go whatever the network says.
    DISCONNECT = "disconnect": ProviderArgs => DisconnectOutcome;
    /// "Copy diagnostics": versions, settings (no secret), queue counts, the last log lines,
    /// put on the clipboard by the app where it can.
    COPY_DIAGNOSTICS = "copy_diagnostics": () => DiagnosticsCopy;
    /// Hands the shell the UI's channel for every event below (the one way they reach the
    /// window; a new page's channel replaces the last one).
    SUBSCRIBE_EVENTS = "subscribe_events": SubscribeEventsArgs => ();
}

events! {
    /// Something is dragged over the window, or it left / was dropped.
    DROP_HOVER = "drop-hover": DropHover;
    /// The engine's decision about dropped paths.
    DROP_OUTCOME = "drop-outcome": DropOutcome;
    /// Dropped paths could not be handled at all.
    DROP_FAILED = "drop-failed": UserError;
    /// Final summaries of sequences whose GPX track was just checked (in batches).
    TRACKS_CHECKED = "tracks-checked": Vec<SequenceSummary>;
    /// The library watch saw sequences appear, change or go, or a library folder come or go:
    /// the list is read again.
    LIBRARY_CHANGED = "library-changed": LibraryChanged;
    /// Progress of one upload (state, bytes, retry), or the rate-limit pause; at most about
    /// ten a second per upload.
    UPLOAD_PROGRESS = "upload-progress": UploadEvent;
    /// The queue has nothing left to do: the batch as it ended.
    UPLOAD_QUEUE_IDLE = "upload-queue-idle": QueueSnapshot;
    /// A sign-in ended (connected, or refused: see [`SIGN_IN_FAILED`]): the new status.
    ACCOUNTS_CHANGED = "accounts-changed": AccountsStatus;
    /// A sign-in was refused, expired or failed (not when the user cancelled it).
    SIGN_IN_FAILED = "sign-in-failed": SignInFailed;
}

/// Every TypeScript type name a command's argument or result, or an event's payload, is made of
/// (`Array<UploadRecord> | null` names `UploadRecord`): each must be a generated binding.
pub fn named_types(cfg: &Config) -> Vec<String> {
    let commands = command_types(cfg)
        .into_iter()
        .flat_map(|(_, args, result)| [args, result]);
    let events = event_types(cfg).into_iter().map(|(_, payload)| payload);
    let mut names: Vec<String> = commands
        .chain(events)
        .flat_map(|ty| {
            ty.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
                .filter(|word| *word != "Array")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The generated `ui/src/lib/bindings/ipc.ts`: the `Commands` and `Events` maps and the name
/// lists. Types are imported from the other generated bindings (`./index`).
pub fn typescript(cfg: &Config, known_types: &[String]) -> String {
    let mut body = String::new();
    body.push_str("/** Every command: what it takes (sent as `{ args }`; `null`: nothing) and what it answers. */\n");
    body.push_str("export interface Commands {\n");
    for (name, args, result) in command_types(cfg) {
        body.push_str(&format!(
            "  \"{name}\": {{ args: {args}; result: {result} }};\n"
        ));
    }
    body.push_str(
        "}\n\n/** Every event the shell emits, with its payload. */\nexport interface Events {\n",
    );
    for (name, payload) in event_types(cfg) {
        body.push_str(&format!("  \"{name}\": {payload};\n"));
    }
    body.push_str("}\n\n");
    body.push_str(&format!(
        "export const COMMAND_NAMES = {} as const;\n",
        quoted(COMMAND_NAMES)
    ));
    body.push_str(&format!(
        "export const EVENT_NAMES = {} as const;\n",
        quoted(EVENT_NAMES)
    ));

    let used: Vec<&str> = known_types
        .iter()
        .map(String::as_str)
        .filter(|ty| mentions(&body, ty))
        .collect();
    let mut text = String::from(
        "// Generated from mtp_engine::ipc by mtp-engine's bindings test (`make bindings`). Do not edit.\n",
    );
    if !used.is_empty() {
        text.push_str(&format!(
            "import type {{ {} }} from \"./index\";\n",
            used.join(", ")
        ));
    }
    text.push('\n');
    text.push_str(&body);
    text
}

fn quoted(names: &[&str]) -> String {
    let items: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    format!("[{}]", items.join(", "))
}

/// True when `text` has `word` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_typescript_lists_every_one() {
        for names in [COMMAND_NAMES, EVENT_NAMES] {
            let mut sorted = names.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{names:?}");
        }
        let text = typescript(&Config::new(), &["LibraryList".into(), "Library".into()]);
        assert!(
            text.contains("\"scan_library\": { args: ScanLibraryArgs; result: LibraryList };"),
            "{text}"
        );
        assert!(
            text.contains("\"tracks-checked\": Array<SequenceSummary>;"),
            "{text}"
        );
        assert!(
            text.contains("import type { LibraryList } from \"./index\";"),
            "{text}"
        );
    }
}
