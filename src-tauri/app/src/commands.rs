//! The Tauri commands the UI calls, as declared in `mtp_engine::ipc`: each one forwards to the
//! engine facade and returns a typed result, or a `UserError` (code + sentence).

use std::path::PathBuf;

use mtp_engine::ipc;
use mtp_engine::os::memory::release_freed_memory;
use mtp_engine::UserError;
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

// Every handler takes `ipc::args::NAME` and answers `ipc::answer::NAME`; these take no argument,
// so their declared argument type must be `()`.
const _: ipc::args::UPLOAD_QUEUE = ();
const _: ipc::args::ACCOUNTS_STATUS = ();
const _: ipc::args::ACCOUNTS_SETTINGS = ();
const _: ipc::args::UPLOAD_PREFERENCES = ();

/// Every sequence under every library folder, newest first (no track previews, in the compact
/// form of `LibraryList`: the list stays light), or its first rows with the rest of the same
/// scan asked for next (see `mtp_engine::ipc::compact_list::ListPages`). New or changed
/// sequences come back `checking`; their final summaries follow as `tracks-checked` events.
///
/// The answer is the list's JSON text made here, all ASCII (`ipc::ascii_json`): the web view
/// then keeps it and every string read from it at one byte a character.
#[tauri::command]
pub async fn scan_library(
    app: AppHandle,
    engine: State<'_, EngineState>,
    args: ipc::args::SCAN_LIBRARY,
) -> Result<tauri::ipc::Response, UserError> {
    let pages = engine.list_pages();
    let (text, new_scan_pending) = engine
        .run(move |engine| {
            let list: ipc::answer::SCAN_LIBRARY = pages.answer(&args, || engine.scan())?;
            // the held-back rest of a scan is not a new scan: its checks already run
            let new_scan_pending = list.offset == 0 && list.pending_tracks > 0;
            let text = ipc::ascii_json(&list);
            drop(list);
            // the summaries just freed go back to the system before the text is copied on
            release_freed_memory();
            Ok((text, new_scan_pending))
        })
        .await?;
    if new_scan_pending {
        checks::check_in_background(app);
    }
    let text = text.map_err(|_| {
        UserError::new(
            mtp_engine::ErrorCode::Internal,
            "The app hit an internal problem. Please try again.",
        )
    })?;
    Ok(tauri::ipc::Response::new(text))
}

/// Adds folders chosen with "Add folder…": the same decision as a drop onto the window.
#[tauri::command]
pub async fn add_paths(
    engine: State<'_, EngineState>,
    args: ipc::args::ADD_PATHS,
) -> Result<ipc::answer::ADD_PATHS, UserError> {
    let paths: Vec<PathBuf> = args.paths.into_iter().map(PathBuf::from).collect();
    engine.run(move |engine| engine.add_paths(&paths)).await
}

/// Removes a folder from the library (the files on disk are left alone).
#[tauri::command]
pub async fn remove_root(
    engine: State<'_, EngineState>,
    args: ipc::args::REMOVE_ROOT,
) -> Result<ipc::answer::REMOVE_ROOT, UserError> {
    engine
        .run(move |engine| engine.remove_root(&args.path))
        .await
}

/// One sequence with its track preview and photo count, fetched when the detail view opens.
#[tauri::command]
pub async fn sequence_detail(
    engine: State<'_, EngineState>,
    args: ipc::args::SEQUENCE_DETAIL,
) -> Result<ipc::answer::SEQUENCE_DETAIL, UserError> {
    engine
        .run(move |engine| engine.sequence_detail(&args.id))
        .await
}

/// Links a sequence to the MTPW sequence in a pasted link or UUID; the refreshed detail.
#[tauri::command]
pub async fn link_mtpw(
    engine: State<'_, EngineState>,
    args: ipc::args::LINK_MTPW,
) -> Result<ipc::answer::LINK_MTPW, UserError> {
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
    args: ipc::args::CREATE_ON_MTPW,
) -> Result<ipc::answer::CREATE_ON_MTPW, UserError> {
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
    args: ipc::args::UPLOAD_SEQUENCES,
) -> Result<ipc::answer::UPLOAD_SEQUENCES, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.enqueue_with(&args.sequence_ids, &args.options())).await
}

/// The current (or last) batch with live progress.
#[tauri::command]
pub async fn upload_queue(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
) -> Result<ipc::answer::UPLOAD_QUEUE, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.snapshot()).await
}

/// Holds the whole queue or one upload.
#[tauri::command]
pub async fn pause_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::PAUSE_UPLOADS,
) -> Result<ipc::answer::PAUSE_UPLOADS, UserError> {
    uploads.queue(&app).await?.pause(args.upload);
    Ok(())
}

/// Lets the whole queue or one upload go on.
#[tauri::command]
pub async fn resume_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::RESUME_UPLOADS,
) -> Result<ipc::answer::RESUME_UPLOADS, UserError> {
    uploads.queue(&app).await?.resume(args.upload);
    Ok(())
}

/// Cancels the whole queue or one upload.
#[tauri::command]
pub async fn cancel_uploads(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::CANCEL_UPLOADS,
) -> Result<ipc::answer::CANCEL_UPLOADS, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.cancel(args.upload)).await
}

/// Queues one history record again.
#[tauri::command]
pub async fn retry_upload(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::RETRY_UPLOAD,
) -> Result<ipc::answer::RETRY_UPLOAD, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.retry(args.upload)).await
}

/// A page of the upload history, newest first.
#[tauri::command]
pub async fn upload_history(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::UPLOAD_HISTORY,
) -> Result<ipc::answer::UPLOAD_HISTORY, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.history(&args)).await
}

/// One upload record with every attempt.
#[tauri::command]
pub async fn upload_record(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::UPLOAD_RECORD,
) -> Result<ipc::answer::UPLOAD_RECORD, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.record(args.upload)).await
}

/// The newest upload of a library sequence, if it was ever queued (the detail's links).
#[tauri::command]
pub async fn sequence_upload(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::SEQUENCE_UPLOAD,
) -> Result<ipc::answer::SEQUENCE_UPLOAD, UserError> {
    let queue = uploads.queue(&app).await?;
    blocking(move || queue.latest_of(&args.id)).await
}

/// The upload preferences (home-feed choices).
#[tauri::command]
pub async fn upload_preferences(
    engine: State<'_, EngineState>,
) -> Result<ipc::answer::UPLOAD_PREFERENCES, UserError> {
    engine.run(|engine| engine.upload_preferences()).await
}

/// Saves the upload preferences the update names.
#[tauri::command]
pub async fn save_upload_preferences(
    engine: State<'_, EngineState>,
    args: ipc::args::SAVE_UPLOAD_PREFERENCES,
) -> Result<ipc::answer::SAVE_UPLOAD_PREFERENCES, UserError> {
    engine
        .run(move |engine| engine.save_upload_preferences(&args))
        .await
}

/// Opens a Strava activity or MTPW sequence page in the system browser, never in the window.
#[tauri::command]
pub async fn open_link(
    app: AppHandle,
    uploads: State<'_, UploadsState>,
    args: ipc::args::OPEN_LINK,
) -> Result<ipc::answer::OPEN_LINK, UserError> {
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
