//! The Tauri commands the UI calls, as declared in `mtp_engine::ipc`: each one forwards to the
//! engine facade and returns a typed result, or a `UserError` (code + sentence).

use std::path::PathBuf;

use mtp_engine::ipc::compact_list::LibraryList;
use mtp_engine::ipc::{self, AddPathsArgs, Command, RemoveRootArgs, SequenceDetailArgs};
use mtp_engine::ipc::{LinkMtpwArgs, UploadArgs, UploadSequencesArgs, UploadTargetArgs};
use mtp_engine::uploads::{EnqueueOutcome, HistoryPage, HistoryQuery, UploadRecord};
use mtp_engine::uploads::{LinkTarget, QueueSnapshot};
use mtp_engine::{DropOutcome, SequenceDetail, UserError};
use tauri::{AppHandle, Manager, State};

use crate::checks;
use crate::engine_state::EngineState;
use crate::uploads::UploadsState;

/// Registers the commands: the same list must equal `mtp_engine::ipc::COMMAND_NAMES` (checked
/// at compile time), so the UI's generated bindings name exactly what the shell answers.
macro_rules! command_handlers {
    ($($module:ident::$name:ident),* $(,)?) => {{
        const REGISTERED: &[&str] = &[$(stringify!($name)),*];
        const _: () = assert!(
            $crate::commands::same_names(REGISTERED, mtp_engine::ipc::COMMAND_NAMES),
            "the registered commands differ from mtp_engine::ipc::COMMAND_NAMES"
        );
        tauri::generate_handler![$($crate::$module::$name),*]
    }};
}
pub(crate) use command_handlers;

// Each command's argument and result types are the declared ones (a mismatch does not compile).
const _: Command<(), LibraryList> = ipc::SCAN_LIBRARY;
const _: Command<AddPathsArgs, DropOutcome> = ipc::ADD_PATHS;
const _: Command<RemoveRootArgs, ()> = ipc::REMOVE_ROOT;
const _: Command<SequenceDetailArgs, SequenceDetail> = ipc::SEQUENCE_DETAIL;
const _: Command<UploadSequencesArgs, Vec<EnqueueOutcome>> = ipc::UPLOAD_SEQUENCES;
const _: Command<(), QueueSnapshot> = ipc::UPLOAD_QUEUE;
const _: Command<UploadTargetArgs, ()> = ipc::PAUSE_UPLOADS;
const _: Command<UploadTargetArgs, ()> = ipc::RESUME_UPLOADS;
const _: Command<UploadTargetArgs, ()> = ipc::CANCEL_UPLOADS;
const _: Command<UploadArgs, Option<UploadRecord>> = ipc::RETRY_UPLOAD;
const _: Command<HistoryQuery, HistoryPage> = ipc::UPLOAD_HISTORY;
const _: Command<UploadArgs, Option<UploadRecord>> = ipc::UPLOAD_RECORD;
const _: Command<LinkTarget, ()> = ipc::OPEN_LINK;

/// Every sequence under every library folder, newest first (no track previews, in the compact
/// form of `LibraryList`: the list stays light). New or changed sequences come back
/// `checking`; their final summaries follow as `tracks-checked` events.
#[tauri::command]
pub async fn scan_library(
    app: AppHandle,
    engine: State<'_, EngineState>,
) -> Result<LibraryList, UserError> {
    let list = engine
        .run(|engine| engine.scan().map(LibraryList::from))
        .await?;
    if list.pending_tracks > 0 {
        checks::check_in_background(app);
    }
    Ok(list)
}

/// Adds folders chosen with "Add folder…": the same decision as a drop onto the window.
#[tauri::command]
pub async fn add_paths(
    engine: State<'_, EngineState>,
    args: AddPathsArgs,
) -> Result<DropOutcome, UserError> {
    let paths: Vec<PathBuf> = args.paths.into_iter().map(PathBuf::from).collect();
    engine.run(move |engine| engine.add_paths(&paths)).await
}

/// Removes a folder from the library (the files on disk are left alone).
#[tauri::command]
pub async fn remove_root(
    engine: State<'_, EngineState>,
    args: RemoveRootArgs,
) -> Result<(), UserError> {
    engine
        .run(move |engine| engine.remove_root(&args.path))
        .await
}

/// One sequence with its track preview and photo count, fetched when the detail view opens.
#[tauri::command]
pub async fn sequence_detail(
    engine: State<'_, EngineState>,
    args: SequenceDetailArgs,
) -> Result<SequenceDetail, UserError> {
    engine
        .run(move |engine| engine.sequence_detail(&args.id))
        .await
}

/// Links a sequence to the MTPW sequence in a pasted link or UUID; the refreshed detail.
#[tauri::command]
pub async fn link_mtpw(
    engine: State<'_, EngineState>,
    args: LinkMtpwArgs,
) -> Result<SequenceDetail, UserError> {
    engine
        .run(move |engine| {
            engine.link_mtpw(&args.id, &args.pasted)?;
            engine.sequence_detail(&args.id)
        })
        .await
}

/// Creates the sequence on Map the Paths and remembers its id; the refreshed detail.
#[tauri::command]
pub async fn create_on_mtpw(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: SequenceDetailArgs,
) -> Result<SequenceDetail, UserError> {
    let queue = uploads.queue(&app).await?;
    queue.create_on_mtpw(&args.id).await?;
    let engine = app.state::<EngineState>();
    engine
        .run(move |engine| engine.sequence_detail(&args.id))
        .await
}

// Uploads: thin calls to the upload queue (`mtp_engine::upload_queue`) and the history.

/// Queues sequences and starts the queue; says for each what was queued or why it was skipped.
#[tauri::command]
pub async fn upload_sequences(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadSequencesArgs,
) -> Result<Vec<EnqueueOutcome>, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.enqueue(&args.sequence_ids, args.insist)).await
}

/// The current (or last) batch with live progress.
#[tauri::command]
pub async fn upload_queue(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
) -> Result<QueueSnapshot, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.snapshot()).await
}

/// Holds the whole queue or one upload.
#[tauri::command]
pub async fn pause_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadTargetArgs,
) -> Result<(), UserError> {
    uploads.queue(&app).await?.pause(args.upload);
    Ok(())
}

/// Lets the whole queue or one upload go on.
#[tauri::command]
pub async fn resume_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadTargetArgs,
) -> Result<(), UserError> {
    uploads.queue(&app).await?.resume(args.upload);
    Ok(())
}

/// Cancels the whole queue or one upload.
#[tauri::command]
pub async fn cancel_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadTargetArgs,
) -> Result<(), UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.cancel(args.upload)).await
}

/// Queues one history record again.
#[tauri::command]
pub async fn retry_upload(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadArgs,
) -> Result<Option<UploadRecord>, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.retry(args.upload)).await
}

/// A page of the upload history, newest first.
#[tauri::command]
pub async fn upload_history(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: HistoryQuery,
) -> Result<HistoryPage, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.history(&args)).await
}

/// One upload record with every attempt.
#[tauri::command]
pub async fn upload_record(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: UploadArgs,
) -> Result<Option<UploadRecord>, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.record(args.upload)).await
}

/// Opens a Strava activity or MTPW sequence page in the system browser, never in the window.
#[tauri::command]
pub async fn open_link(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: LinkTarget,
) -> Result<(), UserError> {
    uploads.queue(&app).await?.open_link(&args).await
}

/// Runs a queue call off the async threads (it reads the store).
async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, mtp_engine::EngineError> + Send + 'static,
) -> Result<T, UserError> {
    tauri::async_runtime::spawn_blocking(job)
        .await
        .map_err(|_| {
            UserError::new(
                mtp_engine::ErrorCode::Internal,
                "The app hit an internal problem. Please try again.",
            )
        })?
        .map_err(UserError::from)
}

/// True when both lists hold the same names (each list's names are unique).
pub const fn same_names(a: &[&str], b: &[&str]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !contains(b, a[i]) {
            return false;
        }
        i += 1;
    }
    true
}

const fn contains(list: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if same_text(list[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
