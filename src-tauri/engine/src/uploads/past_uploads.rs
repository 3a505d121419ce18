//! Past uploads written into the history through the store's own code, for tools that need a
//! long history (the GUI suite's `gen-fixtures --history`). The pipeline never calls this.

use super::model::{upload_key, UploadState, UploadStep};
use super::records::NewUploadRecord;
use crate::engine::Engine;
use crate::error::EngineError;

/// An upload as the pipeline would have left it: its sequence, where it ended, its attempts.
#[derive(Debug, Clone)]
pub struct PastUpload {
    pub sequence_id: String,
    pub sequence_name: String,
    pub folder: String,
    pub mtpw_uuid: Option<String>,
    pub gpx_sha256: String,
    pub sport_type: Option<String>,
    pub state: UploadState,
    pub detail: Option<String>,
    pub strava_upload_id: Option<u64>,
    pub activity_id: Option<u64>,
    /// Oldest first.
    pub attempts: Vec<PastAttempt>,
}

/// One request of a past upload.
#[derive(Debug, Clone)]
pub struct PastAttempt {
    pub step: UploadStep,
    pub http_status: Option<u16>,
    pub error: Option<String>,
}

/// Records past uploads in `engine`'s history, in one transaction (a long history is written
/// in seconds, not one sync per row), oldest first; returns their ids. Only for tools that
/// write the store alone.
pub fn record_past_uploads(
    engine: &Engine,
    uploads: &[PastUpload],
) -> Result<Vec<i64>, EngineError> {
    engine.store.in_one_transaction(|| {
        uploads
            .iter()
            .map(|u| record_past_upload(engine, u))
            .collect()
    })
}

/// Records a past upload in `engine`'s history (the newest so far) and returns its id.
pub fn record_past_upload(engine: &Engine, upload: &PastUpload) -> Result<i64, EngineError> {
    let store = &engine.store;
    let key = upload_key(
        upload.mtpw_uuid.as_deref(),
        &upload.sequence_id,
        &upload.gpx_sha256,
    );
    let id = store.insert_upload(&NewUploadRecord {
        key: &key,
        sequence_id: &upload.sequence_id,
        sequence_name: &upload.sequence_name,
        folder: &upload.folder,
        mtpw_uuid: upload.mtpw_uuid.as_deref(),
        gpx_sha256: &upload.gpx_sha256,
        sport_type: upload.sport_type.as_deref(),
        hide_from_home: false,
    })?;
    for attempt in &upload.attempts {
        store.add_attempt(
            id,
            attempt.step,
            attempt.http_status,
            attempt.error.as_deref(),
        )?;
    }
    if let Some(mut record) = store.upload(id)? {
        record.state = upload.state;
        record.detail = upload.detail.clone();
        record.strava_upload_id = upload.strava_upload_id;
        record.activity_id = upload.activity_id;
        store.save_upload(&record)?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::EngineConfig;
    use crate::secrets::MemorySecrets;
    use crate::settings::EnvOverrides;
    use crate::uploads::model::HistoryQuery;

    #[test]
    fn a_past_upload_reads_back_from_the_history_with_its_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let config = EngineConfig {
            data_dir: dir.path().join("data"),
            default_root: dir.path().join("sequences"),
        };
        let engine = Engine::open_with_secrets(
            config,
            Arc::new(MemorySecrets::default()),
            EnvOverrides::none(),
        )
        .unwrap();
        let id = record_past_upload(
            &engine,
            &PastUpload {
                sequence_id: "2f7365712f61".into(),
                sequence_name: "Ride 1".into(),
                folder: "/seq/a".into(),
                mtpw_uuid: Some("6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10".into()),
                gpx_sha256: "ab".repeat(32),
                sport_type: Some("Ride".into()),
                state: UploadState::Done,
                detail: None,
                strava_upload_id: Some(77),
                activity_id: Some(12345),
                attempts: vec![
                    PastAttempt {
                        step: UploadStep::Upload,
                        http_status: Some(503),
                        error: Some("Strava answered 503".into()),
                    },
                    PastAttempt {
                        step: UploadStep::Upload,
                        http_status: Some(201),
                        error: None,
                    },
                ],
            },
        )
        .unwrap();
        let page = engine
            .store
            .upload_history(&HistoryQuery::default())
            .unwrap();
        assert_eq!(page.total, 1);
        let record = engine.store.upload(id).unwrap().unwrap();
        assert_eq!(record.state, UploadState::Done);
        assert_eq!(record.activity_id, Some(12345));
        assert_eq!(record.attempts.len(), 2);
        assert_eq!(record.attempts[0].http_status, Some(503));
    }
}
