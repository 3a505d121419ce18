//! MTPW's sequence API: create and import, with owner checks and body-level errors on HTTP 200.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::state::{MtpwState, Sequence, STRAVA_FIELD_MAX, TRANSPORT_METHODS};
use crate::fake::http::{html_reply, json_reply, Incoming};

/// DRF's reply when no valid token is sent.
pub fn unauthenticated() -> Response {
    json_reply(
        StatusCode::UNAUTHORIZED,
        &json!({"detail": "Authentication credentials were not provided."}),
    )
}

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
        return body_error("name is required");
    };
    let Some(transport) = field("transport_type") else {
        return body_error("transport_type is required");
    };
    let Some(method) = TRANSPORT_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&transport))
    else {
        return body_error("Transport type is not valid");
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
        &json!({"status": "success", "message": "Sequence is created successfully.", "unique_id": unique_id}),
    )
}

/// `PUT /api/v1/sequence/import/<unique_id>/`: overwrites the keys it names.
pub fn import_sequence(
    state: &mut MtpwState,
    user: u64,
    unique_id: &str,
    req: &Incoming,
) -> Response {
    let Some(sequence) = state
        .sequences
        .iter_mut()
        .find(|s| s.unique_id == unique_id)
    else {
        // The real server fails on an unknown id instead of answering 404.
        return html_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "<h1>Server Error (500)</h1>".into(),
        );
    };
    if sequence.owner != user {
        return body_error("You are not owner of this sequence");
    }
    let Some(body) = req.json.as_ref().and_then(Value::as_object) else {
        return body_error("Invalid JSON body");
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
            return body_error("strava: Ensure this field has no more than 50 characters.");
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
        sequence.mapillary_user_token = user_token.or(sequence.mapillary_user_token.take());
        sequence.mapillary_sequence_key = sequence_key.or(sequence.mapillary_sequence_key.take());
        message.push_str("Mapillary is updated \n");
    }
    if message.is_empty() {
        return body_error("Nothing to update");
    }
    json_reply(StatusCode::OK, &json!({"message": message, "status": true}))
}
