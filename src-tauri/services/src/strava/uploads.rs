//! Strava uploads: the multipart POST with byte progress (its timeouts in `upload_pace.rs`),
//! polling and duplicates (the activity's PUT is in `activities.rs`).

use std::io::Write as _;
use std::sync::Arc;
use std::task::Poll;

use flate2::write::GzEncoder;
use flate2::Compression;
use reqwest::multipart::{Form, Part};
use reqwest::{Body, Method, StatusCode};
use serde::Deserialize;

use super::api::{error_for, Reply, StravaClient, StravaError};
use super::limits::RequestKind;
use super::upload_pace::{self, BodyPace};

/// Size of the chunks the file is streamed in (progress is reported per chunk).
const CHUNK: usize = 16 * 1024;

/// Called with (bytes sent, total bytes) while the file streams out.
pub type ByteProgress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// What to upload: the GPX (already validated) and the activity's texts.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// Shown on Strava; `_part_N` already spelled ` Part N`.
    pub name: String,
    pub description: Option<String>,
    /// The MTPW sequence UUID.
    pub external_id: String,
    /// The file name sent with the part (`<dir>.gpx.gz`).
    pub file_name: String,
    /// The GPX, gzip-compressed (see [`gzip`]).
    pub gpx_gz: Vec<u8>,
}

/// Where an upload stands, from a POST or a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadStatus {
    Processing,
    Ready {
        activity_id: u64,
    },
    /// Strava already has this track as activity `activity_id`.
    Duplicate {
        activity_id: u64,
    },
    /// The activity this upload created was deleted on Strava.
    Deleted,
    /// Strava could not make an activity; `error` is Strava's text (HTML removed, cut to
    /// [`crate::net::MAX_SERVER_TEXT`] characters).
    Failed {
        error: String,
    },
}

/// The Upload body Strava returns.
#[derive(Debug, Deserialize)]
struct UploadBody {
    id: Option<u64>,
    id_str: Option<String>,
    error: Option<String>,
    status: Option<String>,
    activity_id: Option<u64>,
}

impl UploadBody {
    fn upload_id(&self) -> Option<u64> {
        self.id
            .or_else(|| self.id_str.as_deref().and_then(|s| s.parse().ok()))
    }

    fn status(&self) -> UploadStatus {
        if let Some(activity_id) = self.activity_id {
            return UploadStatus::Ready { activity_id };
        }
        if let Some(error) = self.error.as_deref().filter(|e| !e.trim().is_empty()) {
            return match duplicate_activity(error) {
                Some(activity_id) => UploadStatus::Duplicate { activity_id },
                None => UploadStatus::Failed {
                    error: crate::net::server_text(&strip_html(error)),
                },
            };
        }
        let status = self.status.as_deref().unwrap_or("").to_ascii_lowercase();
        if status.contains("deleted") {
            UploadStatus::Deleted
        } else if status.contains("error") {
            UploadStatus::Failed {
                error: "Strava reported an error processing the file".into(),
            }
        } else {
            UploadStatus::Processing
        }
    }
}

/// The activity id in a duplicate error, in either form Strava uses:
/// `x duplicate of <a href='/activities/123' ...>Name</a>` or `x duplicate of activity 123`.
pub fn duplicate_activity(error: &str) -> Option<u64> {
    let at = error.find("duplicate of")?;
    let rest = &error[at + "duplicate of".len()..];
    let digits_after = |marker: &str| {
        let start = rest.find(marker)? + marker.len();
        let digits: String = rest[start..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    digits_after("/activities/").or_else(|| digits_after("activity"))
}

/// Removes HTML tags and decodes the few entities Strava uses, for display.
pub fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Gzip-compresses a GPX for `data_type=gpx.gz`.
pub fn gzip(gpx: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(gpx.len() / 4), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(gpx);
    encoder.finish().unwrap_or_default()
}

impl StravaClient {
    /// `POST /uploads`: returns the upload id and its first status (a duplicate can show here).
    pub async fn create_upload(
        &self,
        token: &str,
        upload: &NewUpload,
        progress: ByteProgress,
    ) -> Result<(u64, UploadStatus), StravaError> {
        let total = upload.gpx_gz.len() as u64;
        let mut chunks = upload
            .gpx_gz
            .chunks(CHUNK)
            .map(<[u8]>::to_vec)
            .collect::<Vec<_>>()
            .into_iter();
        let pace = Arc::new(BodyPace::default());
        // However this call ends (an answer, a timeout, dropped), the body stops there:
        // a connection left sending it could still deliver an upload the app gave up.
        let _stop_the_body = Abandon(pace.clone());
        let fed = pace.clone();
        let mut sent = 0u64;
        let stream = futures_util::stream::poll_fn(move |_| match chunks.next() {
            _ if fed.is_abandoned() => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the upload was given up",
            )))),
            Some(chunk) => {
                sent += chunk.len() as u64;
                fed.sent(chunk.len() as u64);
                progress(sent, total);
                Poll::Ready(Some(Ok::<_, std::io::Error>(chunk)))
            }
            None => {
                fed.finished();
                Poll::Ready(None)
            }
        });
        let file = Part::stream_with_length(Body::wrap_stream(stream), total)
            .file_name(upload.file_name.clone())
            .mime_str("application/gzip")
            .map_err(|e| StravaError::UnexpectedReply {
                detail: e.to_string(),
            })?;
        let mut form = Form::new()
            .text("data_type", "gpx.gz")
            .text("name", upload.name.clone())
            .text("external_id", upload.external_id.clone());
        if let Some(description) = &upload.description {
            form = form.text("description", description.clone());
        }
        let form = form.part("file", file);
        // Not the client's request timeout over the whole POST: the body keeps a pace, the
        // answer has the request timeout after it (a ceiling on the request as a backstop).
        let timeouts = self.timeouts();
        let request = self
            .request(Method::POST, "/uploads", token)
            .timeout(upload_pace::ceiling(&timeouts, total))
            .multipart(form);
        let watch = upload_pace::watch(&pace, timeouts, total);
        let reply = self
            .send_watched(RequestKind::Upload, request, watch)
            .await?;
        if reply.status.is_success() {
            return parse_upload(&reply);
        }
        // A file problem or a duplicate can come back as a 4xx with an Upload body.
        if reply.status.is_client_error() && !matches!(reply.status.as_u16(), 401 | 403 | 404 | 429)
        {
            if let Ok(body) = serde_json::from_slice::<UploadBody>(&reply.body) {
                if let (Some(id), Some(_)) = (body.upload_id(), &body.error) {
                    return Ok((id, body.status()));
                }
            }
        }
        Err(error_for(reply.status, &reply.body, "upload"))
    }

    /// `GET /uploads/{id}`.
    pub async fn upload_status(
        &self,
        token: &str,
        upload_id: u64,
    ) -> Result<UploadStatus, StravaError> {
        let request = self.request(Method::GET, &format!("/uploads/{upload_id}"), token);
        let reply = self.send(RequestKind::Read, request).await?;
        if reply.status != StatusCode::OK {
            return Err(error_for(reply.status, &reply.body, "upload"));
        }
        parse_upload(&reply).map(|(_, status)| status)
    }
}

/// Abandons the upload's body when dropped.
struct Abandon(Arc<BodyPace>);

impl Drop for Abandon {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

fn parse_upload(reply: &Reply) -> Result<(u64, UploadStatus), StravaError> {
    let body: UploadBody =
        serde_json::from_slice(&reply.body).map_err(|e| StravaError::UnexpectedReply {
            detail: format!("the upload reply is not an Upload ({e})"),
        })?;
    let id = body
        .upload_id()
        .ok_or_else(|| StravaError::UnexpectedReply {
            detail: "the upload reply has no id".into(),
        })?;
    Ok((id, body.status()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_duplicate_forms_give_the_activity_id() {
        let html =
            "ride.gpx duplicate of <a href='/activities/14296882' target='_blank'>Morning Walk</a>";
        assert_eq!(duplicate_activity(html), Some(14296882));
        assert_eq!(
            duplicate_activity("ride.gpx.gz duplicate of activity 12000000001"),
            Some(12000000001)
        );
        assert_eq!(duplicate_activity("Improperly formatted data"), None);
        assert_eq!(strip_html(html), "ride.gpx duplicate of Morning Walk");
    }

    #[test]
    fn statuses_are_read_from_the_upload_body() {
        let body = |json: &str| serde_json::from_str::<UploadBody>(json).unwrap().status();
        assert_eq!(
            body(r#"{"id":1,"status":"Your activity is ready.","activity_id":9,"error":null}"#),
            UploadStatus::Ready { activity_id: 9 }
        );
        assert_eq!(
            body(r#"{"id":1,"status":"The created activity has been deleted.","error":null}"#),
            UploadStatus::Deleted
        );
        assert_eq!(
            body(r#"{"id":1,"status":"Your activity is still being processed."}"#),
            UploadStatus::Processing
        );
        assert_eq!(
            body(
                r#"{"id":1,"status":"There was an error processing your activity.","error":"Time information is missing from file."}"#
            ),
            UploadStatus::Failed {
                error: "Time information is missing from file.".into()
            }
        );
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        let data = b"<gpx>hello</gpx>".repeat(100);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(gzip(&data).as_slice())
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }
}
