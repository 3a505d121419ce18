//! MTPW's sequence API: create and import (body by Content-Type), body-level errors on HTTP 200.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::state::{MtpwState, Sequence, STRAVA_FIELD_MAX, TRANSPORT_METHODS};
use crate::fake::http::{html_reply, json_reply, Incoming};

/// DRF's reply when no valid token is sent: 403 on MTPW (session authentication first).
pub fn unauthenticated(state: &MtpwState) -> Response {
    let status =
        StatusCode::from_u16(state.unauthenticated_status).unwrap_or(StatusCode::FORBIDDEN);
    json_reply(
        status,
        &json!({"detail": "Authentication credentials were not provided."}),
    )
}

/// Django's production 500 page.
fn server_error() -> Response {
    html_reply(
        StatusCode::INTERNAL_SERVER_ERROR,
        "<h1>Server Error (500)</h1>".into(),
    )
}

/// The keys of an import body, parsed by its Content-Type as DRF does (JSON, form, multipart).
/// A refused body comes back as the status and DRF's `{"detail"}` body.
fn import_body(req: &Incoming) -> Result<Map<String, Value>, (StatusCode, Value)> {
    if req.body_len == 0 {
        return Ok(Map::new());
    }
    let content_type = req.header("content-type").unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/json" => match (&req.json, &req.body_problem) {
            (Some(Value::Object(map)), None) => Ok(map.clone()),
            (Some(_), None) => Ok(Map::new()),
            (_, problem) => Err((
                StatusCode::BAD_REQUEST,
                json!({"detail": format!("JSON parse error - {}", problem.clone().unwrap_or_default())}),
            )),
        },
        "application/x-www-form-urlencoded" | "multipart/form-data" => Ok(req
            .form
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()),
        _ => Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!({"detail": format!("Unsupported media type \"{content_type}\" in request.")}),
        )),
    }
}

pub const MSG_NAME_MISSING: &str = "Sequence Name is missing";
pub const MSG_TRANSPORT_MISSING: &str = "Transport type is missing";
pub const MSG_TRANSPORT_INVALID: &str = "Transport type is invalid";
pub const MSG_CREATED: &str = "Sequence successfully was created.";

/// An error the way MTPW reports it: HTTP 200 with `status: false`.
fn body_error(message: &str) -> Response {
    json_reply(StatusCode::OK, &json!({"error": message, "status": false}))
}

/// `POST /api/v1/sequence/create/`.
pub fn create_sequence(state: &mut MtpwState, user: u64, req: &Incoming) -> Response {
    let field = |name: &str| {
        req.form_value(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let Some(name) = field("name") else {
        return body_error(MSG_NAME_MISSING);
    };
    let Some(transport) = field("transport_type") else {
        return body_error(MSG_TRANSPORT_MISSING);
    };
    let Some(method) = TRANSPORT_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&transport))
    else {
        return body_error(MSG_TRANSPORT_INVALID);
    };
    let unique_id = uuid::Uuid::new_v4().to_string();
    state.sequences.push(Sequence {
        unique_id: unique_id.clone(),
        owner: user,
        name,
        description: field("description"),
        transport_type: method.to_string(),
        tags: field("tag")
            .map(|t| {
                t.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        source: field("source"),
        strava: None,
        google_street_view: None,
        mapillary_user_token: None,
        mapillary_sequence_key: None,
    });
    json_reply(
        StatusCode::OK,
        &json!({"status": "success", "message": MSG_CREATED, "unique_id": unique_id}),
    )
}

/// `PUT /api/v1/sequence/import/<unique_id>/`: overwrites the keys it names.
pub fn import_sequence(
    state: &mut MtpwState,
    user: u64,
    unique_id: &str,
    req: &Incoming,
) -> Response {
    let body = match import_body(req) {
        Ok(body) => body,
        Err((status, detail)) => return json_reply(status, &detail),
    };
    let Some(sequence) = state
        .sequences
        .iter_mut()
        .find(|s| s.unique_id == unique_id)
    else {
        // The real server fails on an unknown id instead of answering 404.
        return server_error();
    };
    let text = |key: &str| {
        body.get(key).map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
    };
    let mut message = String::new();
    if let Some(strava) = text("strava") {
        if strava.chars().count() > STRAVA_FIELD_MAX {
            // varchar(50): the database refuses it and Django answers its 500 page.
            return server_error();
        }
        sequence.strava = Some(strava);
        message.push_str("Strava is updated \n");
    }
    if let Some(google) = text("google_street_view") {
        sequence.google_street_view = Some(google);
        message.push_str("Google Street View is updated \n");
    }
    let user_token = text("mapillary_user_token");
    let sequence_key = text("mapillary_sequence_key");
    if user_token.is_some() || sequence_key.is_some() {
        // The only owner check of the real view.
        if sequence.owner != user {
            return body_error("You are not owner of this sequence");
        }
        sequence.mapillary_user_token = user_token.or(sequence.mapillary_user_token.take());
        sequence.mapillary_sequence_key = sequence_key.or(sequence.mapillary_sequence_key.take());
        message.push_str("Mapillary is updated \n");
    }
    if message.is_empty() {
        return body_error("Nothing to update");
    }
    json_reply(StatusCode::OK, &json!({"message": message, "status": true}))
}
