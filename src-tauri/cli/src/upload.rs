//! `upload`: queue sequences, run the queue with progress per sequence, exit 0 only when all are done.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use mtp_engine::files::sequence_id;
use mtp_engine::library::{is_sequence_folder, list_candidates};
use mtp_engine::uploads::{
    EnqueueOptions, EnqueueOutcome, EventSink, UploadEvent, UploadRecord, UploadState, Uploads,
};
use mtp_engine::{Engine, EngineError};

use crate::tokens::CliTokens;

pub async fn run(
    engine: Engine,
    paths: &[PathBuf],
    all_pending: bool,
    options: EnqueueOptions,
) -> Result<ExitCode, EngineError> {
    let engine = Arc::new(engine);
    let tokens = Arc::new(CliTokens::new(engine.accounts().clone()));
    let mut uploader = Uploads::open(engine.clone()).await?;
    uploader.set_tokens(tokens);
    let outcomes = if all_pending {
        uploader.enqueue_all_pending_with(&options)?
    } else {
        let ids = sequence_ids(&engine, paths)?;
        uploader.enqueue_with(&ids, &options)?
    };
    for outcome in &outcomes {
        report_queued(outcome);
    }
    let summary = uploader.run(printer()).await?;
    if let Some(held) = &summary.held {
        eprintln!("The queue stopped: {}", held.message);
    }
    // What this run worked on, and every upload it queued as it is now: another process (the
    // app, another CLI run) may have worked them while this run waited for its turn.
    let mut records: BTreeMap<i64, UploadRecord> =
        summary.records.into_iter().map(|r| (r.id, r)).collect();
    let queued = outcomes.iter().filter(|o| o.skipped.is_none());
    for id in queued.filter_map(|o| o.upload) {
        if let (Entry::Vacant(slot), Some(record)) = (records.entry(id), uploader.record(id)?) {
            slot.insert(record);
        }
    }
    let done = records
        .values()
        .filter(|r| r.state == UploadState::Done)
        .count();
    println!("{done} of {} uploads done", records.len());
    for record in records.values().filter(|r| r.state != UploadState::Done) {
        println!("  {}: {}", record.sequence_name, record.state.label());
        if let Some(detail) = &record.detail {
            println!("    {detail}");
        }
    }
    // Done now or earlier ("already uploaded" has a record); anything not queued for
    // another reason (unknown folder, uploaded by MTP Desktop Uploader) is not done.
    let every_one_done = done == records.len() && outcomes.iter().all(|o| o.upload.is_some());
    Ok(if every_one_done {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The library ids of the given folders; each is added to the library if it is not in it.
fn sequence_ids(engine: &Engine, paths: &[PathBuf]) -> Result<Vec<String>, EngineError> {
    let mut ids = Vec::new();
    for path in paths {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let added = engine.add_paths(std::slice::from_ref(&path))?;
        for rejected in &added.rejected {
            eprintln!("{}: {}", rejected.path, rejected.reason);
        }
        if is_sequence_folder(&path) {
            ids.push(sequence_id(&path));
        } else if path.is_dir() {
            ids.extend(folders_in(&path).iter().map(|f| sequence_id(f)));
        }
    }
    Ok(ids)
}

fn folders_in(root: &Path) -> Vec<PathBuf> {
    list_candidates(root).folders
}

/// Prints what happened when queueing.
fn report_queued(outcome: &EnqueueOutcome) {
    match &outcome.skipped {
        Some(reason) => println!("{}: not queued: {reason}", name_of(outcome)),
        None => println!("{}: queued", name_of(outcome)),
    }
}

fn name_of(outcome: &EnqueueOutcome) -> &str {
    if outcome.sequence_name.is_empty() {
        &outcome.sequence_id
    } else {
        &outcome.sequence_name
    }
}

/// Prints state changes, retries, pauses and the end of each file transfer.
fn printer() -> EventSink {
    let names = Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    Arc::new(move |event| {
        let mut names = names.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            UploadEvent::State {
                upload,
                sequence_name,
                state,
                detail,
            } => {
                names.insert(upload, sequence_name.clone());
                match detail.filter(|_| !state.is_in_flight()) {
                    Some(detail) => println!("{sequence_name}: {} ({detail})", state.label()),
                    None => println!("{sequence_name}: {}", state.label()),
                }
            }
            UploadEvent::Bytes {
                upload,
                sent,
                total,
            } if sent == total => {
                let name = names.get(&upload).cloned().unwrap_or_default();
                println!("{name}: sent {total} bytes");
            }
            UploadEvent::Bytes { .. } => {}
            UploadEvent::Attempt {
                upload,
                step,
                attempt,
                of,
                error: why,
            } => {
                let name = names.get(&upload).cloned().unwrap_or_default();
                let error = why.unwrap_or_default();
                println!(
                    "{name}: {} failed ({error}); attempt {attempt} of {of}",
                    step.label()
                );
            }
            UploadEvent::PausedUntil { until } => {
                println!("Strava rate limit: paused until {until}");
            }
            UploadEvent::WaitingForOtherRun {
                holder: Some(holder),
            } => {
                println!(
                    "Waiting: {holder} is uploading from this data folder; this run starts when it ends (Ctrl+C to stop waiting)"
                );
            }
            UploadEvent::WaitingForOtherRun { holder: None } => {}
        }
    })
}
