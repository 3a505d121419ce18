//! A long upload history for the GUI suite and `gen-fixtures --history`: realistic past uploads
//! (mostly done, some failed or needing attention, each with its attempts) written into an app
//! data folder through the engine's own store code, never raw SQL.

use std::path::Path;
use std::sync::Arc;

use mtp_engine::secrets::MemorySecrets;
use mtp_engine::settings::EnvOverrides;
use mtp_engine::uploads::{record_past_uploads, PastAttempt, PastUpload, UploadState, UploadStep};
use mtp_engine::{Engine, EngineConfig, EngineError};

const PLACES: &[&str] = &[
    "Farnham Heath",
    "Lake Bled",
    "Brecon Beacons",
    "Chamonix",
    "Cape Point",
    "Blue Ridge",
];
const RIDES: &[(&str, &str)] = &[
    ("Bicycle", "Ride"),
    ("Walk", "Walk"),
    ("Paddleboard", "StandUpPaddling"),
    ("Ski", "AlpineSki"),
    ("Electric Bicycle", "EBikeRide"),
];

/// Writes `count` past uploads into the store under `data_dir` (created if needed), oldest first,
/// so upload 1 is the oldest and the last one the newest. Returns how many were written.
pub fn write_history(data_dir: &Path, count: usize) -> Result<usize, EngineError> {
    let engine = Engine::open_with_secrets(
        EngineConfig {
            data_dir: data_dir.to_path_buf(),
            default_root: data_dir.join("no-sequences-here"),
        },
        Arc::new(MemorySecrets::default()),
        EnvOverrides::none(),
    )?;
    let numbers: Vec<usize> = (1..=count).collect();
    for chunk in numbers.chunks(2_000) {
        let uploads: Vec<PastUpload> = chunk.iter().map(|n| past_upload(*n)).collect();
        record_past_uploads(&engine, &uploads)?;
    }
    Ok(count)
}

/// The name of past upload `number` ("Lake Bled Walk 00042"): the GUI suite looks rows up by it.
pub fn history_name(number: usize) -> String {
    let place = PLACES[number % PLACES.len()];
    let (method, _) = RIDES[number % RIDES.len()];
    format!("{place} {method} {number:05}")
}

fn past_upload(number: usize) -> PastUpload {
    let name = history_name(number);
    let dir = name.to_lowercase().replace(' ', "_");
    let folder = format!("/home/ana/MTP/sequences/{dir}");
    let (_, sport) = RIDES[number % RIDES.len()];
    let (state, detail, attempts) = outcome(number);
    let on_strava = state == UploadState::Done;
    PastUpload {
        sequence_id: folder.bytes().map(|b| format!("{b:02x}")).collect(),
        sequence_name: name,
        folder,
        mtpw_uuid: Some(format!("6f1c2c1e-8d0b-4a57-9a0e-{number:012}")),
        gpx_sha256: format!("{number:064x}"),
        sport_type: Some(sport.to_string()),
        state,
        detail,
        strava_upload_id: on_strava.then_some(9_000_000_000 + number as u64),
        activity_id: on_strava.then_some(12_000_000_000 + number as u64),
        attempts,
    }
}

/// Where upload `number` ended: mostly done; every 20th failed after four tries, every 50th
/// cancelled, every 70th not connected. None is owed work, so the app leaves them alone.
fn outcome(number: usize) -> (UploadState, Option<String>, Vec<PastAttempt>) {
    let ok = |step, status| PastAttempt {
        step,
        http_status: Some(status),
        error: None,
    };
    let busy = || PastAttempt {
        step: UploadStep::Upload,
        http_status: Some(503),
        error: Some("Strava is not answering (503 Service Unavailable)".into()),
    };
    if number.is_multiple_of(20) {
        let text =
            "Strava did not answer after 4 tries (503 Service Unavailable). Try again later.";
        return (
            UploadState::Failed,
            Some(text.into()),
            (0..4).map(|_| busy()).collect(),
        );
    }
    if number.is_multiple_of(70) {
        let text = "Sign in to Strava in Accounts, then Retry.";
        return (UploadState::NotSignedIn, Some(text.into()), Vec::new());
    }
    let mut attempts = vec![
        ok(UploadStep::Upload, 201),
        ok(UploadStep::Poll, 200),
        ok(UploadStep::SportType, 200),
    ];
    if number.is_multiple_of(50) {
        // Not "on Strava, Map the Paths not updated": the app would resume that owed update
        // at start, against Map the Paths ids that do not exist.
        let text = "Cancelled before it reached Strava.";
        return (UploadState::Cancelled, Some(text.into()), Vec::new());
    }
    attempts.push(ok(UploadStep::SyncMtpw, 200));
    (UploadState::Done, None, attempts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mtp_engine::uploads::{HistoryQuery, PipelineConfig, Uploads};

    #[test]
    fn the_history_lists_newest_first_with_every_kind_of_outcome() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_history(dir.path(), 140).unwrap(), 140);
        let engine = Engine::open_with_secrets(
            EngineConfig {
                data_dir: dir.path().to_path_buf(),
                default_root: dir.path().join("none"),
            },
            Arc::new(MemorySecrets::default()),
            EnvOverrides::none(),
        )
        .unwrap();
        let engine = Arc::new(engine);
        let tokens = Arc::new(engine.accounts().clone());
        let uploads = Uploads::new(engine, PipelineConfig::default(), tokens).unwrap();
        let page = uploads
            .history(&HistoryQuery {
                limit: 200,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.total, 140);
        assert_eq!(page.records[0].sequence_name, history_name(140));
        assert_eq!(page.records[139].sequence_name, history_name(1));
        let count = |state| page.records.iter().filter(|r| r.state == state).count();
        assert_eq!(count(UploadState::Failed), 7);
        assert_eq!(count(UploadState::NotSignedIn), 1);
        assert_eq!(count(UploadState::Cancelled), 1);
        let failed = page
            .records
            .iter()
            .find(|r| r.state == UploadState::Failed)
            .unwrap();
        assert_eq!(
            uploads.record(failed.id).unwrap().unwrap().attempts.len(),
            4
        );
    }
}
