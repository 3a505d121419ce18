//! Uploads: multipart validation, asynchronous processing, duplicate detection, activities.

use axum::http::StatusCode;
use rand::Rng;
use serde_json::Value;

use super::config::{ProcessingDelay, Stage, StravaConfig};
use super::errors::StravaError;
use super::resources::{activity_detailed, upload_json};
use super::state::{Activity, StravaState, Upload, UploadOutcome};
use super::tokens::Caller;
use super::track::{distance_m, inspect_file, FileProblem, DATA_TYPES};
use crate::fake::http::{sha256_hex, Incoming};

/// What the POST handler needs besides the request.
#[derive(Debug, Clone)]
pub struct UploadContext<'a> {
    pub config: &'a StravaConfig,
    /// Real milliseconds since the fake started.
    pub now_ms: u64,
    /// A scripted processing error for this upload.
    pub forced_error: Option<String>,
}

impl StravaState {
    /// `POST /uploads`: 201 with the new Upload, 400 with a Fault or (for problems reported
    /// at POST time) an Upload carrying the error.
    pub fn create_upload(
        &mut self,
        caller: &Caller,
        req: &Incoming,
        ctx: UploadContext<'_>,
    ) -> Result<(StatusCode, Value), StravaError> {
        if req.body_problem.is_some() || req.form.is_none() {
            return Err(StravaError::bad_request("Upload", "data", "invalid"));
        }
        let data_type = req
            .form_value("data_type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !DATA_TYPES.contains(&data_type.as_str()) {
            return Err(StravaError::bad_request("Upload", "data_type", "invalid"));
        }
        let file = req
            .file
            .clone()
            .map(|f| (f.file_name, f.bytes))
            .unwrap_or_default();
        let inspected = inspect_file(&data_type, &file.1);
        if inspected == Err(FileProblem::Empty) {
            return Err(StravaError::bad_request("Upload", "data", "empty"));
        }
        let text = |name: &str| req.form_value(name).map(str::to_string);
        let mut upload = Upload {
            id: self.new_upload_id(),
            athlete_id: caller.athlete_id,
            client_id: caller.client_id,
            name: text("name"),
            description: text("description"),
            external_id: text("external_id"),
            trainer: text("trainer"),
            commute: text("commute"),
            data_type,
            file_name: file.0,
            file_sha256: sha256_hex(&file.1),
            file_size: file.1.len(),
            file: file.1,
            fingerprint: inspected.as_ref().ok().map(|s| s.fingerprint.clone()),
            problem: ctx
                .forced_error
                .or_else(|| inspected.as_ref().err().map(|e| e.to_string())),
            ready_at_ms: ctx.now_ms + self.processing_delay_ms(ctx.config.processing),
            outcome: UploadOutcome::Processing,
        };
        let early_error = match (&upload.problem, self.duplicate_of(&upload)) {
            (Some(problem), _) if ctx.config.data_errors_reported_at == Stage::Post => {
                Some(problem.clone())
            }
            (None, Some(activity)) if ctx.config.duplicates_reported_at == Stage::Post => {
                Some(duplicate_message(&upload, activity))
            }
            _ => None,
        };
        let status = match early_error {
            Some(error) => {
                upload.outcome = UploadOutcome::Failed { error };
                StatusCode::BAD_REQUEST
            }
            None => StatusCode::CREATED,
        };
        let body = upload_json(&upload);
        self.uploads.push(upload);
        Ok((status, body))
    }

    fn processing_delay_ms(&mut self, delay: ProcessingDelay) -> u64 {
        match delay {
            ProcessingDelay::Fixed(d) => d.as_millis() as u64,
            ProcessingDelay::Random { mean } => {
                let mean = mean.as_millis() as u64;
                self.rng.gen_range(0..=mean.saturating_mul(2))
            }
        }
    }

    /// The live activity of the same athlete with the same track, if any.
    fn duplicate_of(&self, upload: &Upload) -> Option<u64> {
        let fingerprint = upload.fingerprint.as_ref()?;
        self.activities
            .iter()
            .find(|a| {
                !a.deleted
                    && a.athlete_id == upload.athlete_id
                    && a.fingerprint.as_ref() == Some(fingerprint)
            })
            .map(|a| a.id)
    }

    /// Finishes every upload whose processing delay has passed, oldest deadline first.
    pub fn settle_uploads(&mut self, now_ms: u64) {
        let mut due: Vec<usize> = (0..self.uploads.len())
            .filter(|&i| {
                self.uploads[i].outcome == UploadOutcome::Processing
                    && self.uploads[i].ready_at_ms <= now_ms
            })
            .collect();
        due.sort_by_key(|&i| (self.uploads[i].ready_at_ms, self.uploads[i].id));
        for index in due {
            self.finish_upload(index);
        }
    }

    fn finish_upload(&mut self, index: usize) {
        let upload = self.uploads[index].clone();
        let outcome = if let Some(error) = upload.problem.clone() {
            UploadOutcome::Failed { error }
        } else if let Some(activity) = self.duplicate_of(&upload) {
            UploadOutcome::Failed {
                error: duplicate_message(&upload, activity),
            }
        } else {
            let activity_id = self.create_activity(&upload);
            UploadOutcome::Ready { activity_id }
        };
        self.uploads[index].outcome = outcome;
    }

    fn create_activity(&mut self, upload: &Upload) -> u64 {
        let points = inspect_file(&upload.data_type, &upload.file)
            .map(|s| s.points)
            .unwrap_or_default();
        let latlng = |i: Option<&super::track::TrackPoint>| {
            i.map(|p| vec![p.lat, p.lon]).unwrap_or_default()
        };
        let epoch = |t: &str| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .map(|t| t.unix_timestamp())
                .ok()
        };
        let first_time = points.first().and_then(|p| epoch(&p.time));
        let last_time = points.last().and_then(|p| epoch(&p.time));
        let id = self.new_activity_id();
        self.activities.push(Activity {
            id,
            upload_id: upload.id,
            athlete_id: upload.athlete_id,
            name: upload
                .name
                .clone()
                .unwrap_or_else(|| "Morning Ride".to_string()),
            description: upload.description.clone().unwrap_or_default(),
            external_id: upload
                .external_id
                .clone()
                .or_else(|| upload.file_name.clone()),
            trainer: is_true(upload.trainer.as_deref()),
            commute: is_true(upload.commute.as_deref()),
            fingerprint: upload.fingerprint.clone(),
            start_date: points.first().map(|p| p.time.clone()),
            elapsed_time: match (first_time, last_time) {
                (Some(a), Some(b)) => b - a,
                _ => 0,
            },
            distance: (distance_m(&points) * 10.0).round() / 10.0,
            start_latlng: latlng(points.first()),
            end_latlng: latlng(points.last()),
            deleted: false,
        });
        id
    }

    /// `GET /uploads/{uploadId}` for the caller's own uploads.
    pub fn upload_for(&self, caller: &Caller, id: Option<&str>) -> Result<Value, StravaError> {
        let id = id.and_then(|s| s.parse::<u64>().ok());
        self.uploads
            .iter()
            .find(|u| Some(u.id) == id && u.athlete_id == caller.athlete_id)
            .map(upload_json)
            .ok_or(StravaError::NotFound("Upload"))
    }

    /// `GET /activities/{id}` for the caller's own live activities.
    pub fn activity_for(&self, caller: &Caller, id: Option<&str>) -> Result<Value, StravaError> {
        let id = id.and_then(|s| s.parse::<u64>().ok());
        self.activities
            .iter()
            .find(|a| Some(a.id) == id && a.athlete_id == caller.athlete_id && !a.deleted)
            .map(activity_detailed)
            .ok_or(StravaError::NotFound("Activity"))
    }

    /// Deletes an activity the way an athlete would on strava.com; its upload then says so.
    pub fn delete_activity(&mut self, id: u64) -> bool {
        let Some(activity) = self
            .activities
            .iter_mut()
            .find(|a| a.id == id && !a.deleted)
        else {
            return false;
        };
        activity.deleted = true;
        let upload_id = activity.upload_id;
        if let Some(upload) = self.uploads.iter_mut().find(|u| u.id == upload_id) {
            upload.outcome = UploadOutcome::Deleted;
        }
        true
    }
}

fn duplicate_message(upload: &Upload, activity_id: u64) -> String {
    let file = upload
        .file_name
        .clone()
        .or_else(|| upload.external_id.clone())
        .unwrap_or_else(|| "upload".to_string());
    format!("{file} duplicate of activity {activity_id}")
}

fn is_true(value: Option<&str>) -> bool {
    matches!(
        value.map(str::trim),
        Some("1") | Some("true") | Some("True") | Some("TRUE")
    )
}
