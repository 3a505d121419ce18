//! Uploads: multipart (or query-string) fields, asynchronous processing, duplicate detection.

use axum::http::StatusCode;
use rand::Rng;
use serde_json::Value;

use super::config::{DuplicateText, ProcessingDelay, Stage, StravaConfig};
use super::errors::StravaError;
use super::resources::upload_json;
use super::state::{epoch_of, Activity, StravaState, Upload, UploadOutcome};
use super::tokens::Caller;
use super::track::{distance_m, inspect_file, FileProblem, TrackPoint, DATA_TYPES};
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
        if req.body_problem.is_some() {
            return Err(StravaError::bad_request("Upload", "data", "invalid"));
        }
        let data_type = req
            .form_or_query("data_type")
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
        let text = |name: &str| req.form_or_query(name).map(str::to_string);
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
            time_range: inspected
                .as_ref()
                .ok()
                .and_then(|s| points_range(&s.points)),
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
                Some(duplicate_message(&upload, activity, self.duplicate_text))
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

    /// The live activity of the same athlete that this upload duplicates, if any: the same
    /// track (points and times), else the same external_id, else one overlapping it in time.
    fn duplicate_of(&self, upload: &Upload) -> Option<&Activity> {
        let live = || {
            self.activities
                .iter()
                .filter(|a| !a.deleted && a.athlete_id == upload.athlete_id)
        };
        let same_track = |a: &&Activity| {
            upload.fingerprint.is_some() && a.fingerprint.as_ref() == upload.fingerprint.as_ref()
        };
        let same_external_id = |a: &&Activity| {
            upload.external_id.is_some() && a.external_id.as_ref() == upload.external_id.as_ref()
        };
        let overlapping = |a: &&Activity| match (upload.time_range, a.time_range()) {
            (Some((start, end)), Some((a_start, a_end))) => start < a_end && a_start < end,
            _ => false,
        };
        live()
            .find(same_track)
            .or_else(|| live().find(same_external_id))
            .or_else(|| live().find(overlapping))
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
                error: duplicate_message(&upload, activity, self.duplicate_text),
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
        let first_time = points.first().and_then(|p| epoch_of(&p.time));
        let last_time = points.last().and_then(|p| epoch_of(&p.time));
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
            sport_type: "Ride".to_string(),
            private: false,
            hide_from_home: false,
            gear_id: None,
            seeded: false,
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
}

/// The duplicate error: `<file or name> duplicate of <a href='/activities/N' ...>Name</a>`
/// (or the older `... duplicate of activity N`).
pub fn duplicate_message(upload: &Upload, activity: &Activity, text: DuplicateText) -> String {
    let file = upload
        .file_name
        .clone()
        .or_else(|| upload.name.clone())
        .or_else(|| upload.external_id.clone())
        .unwrap_or_else(|| "upload".to_string());
    match text {
        DuplicateText::Html => format!(
            "{file} duplicate of <a href='/activities/{}' target='_blank'>{}</a>",
            activity.id,
            escape_html(&activity.name)
        ),
        DuplicateText::Plain => format!("{file} duplicate of activity {}", activity.id),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;")
}

fn points_range(points: &[TrackPoint]) -> Option<(i64, i64)> {
    let times: Vec<i64> = points.iter().filter_map(|p| epoch_of(&p.time)).collect();
    Some((*times.iter().min()?, *times.iter().max()?))
}

pub fn is_true(value: Option<&str>) -> bool {
    matches!(
        value.map(str::trim),
        Some("1") | Some("true") | Some("True") | Some("TRUE")
    )
}
