//! MTPW-only inspection routes: seeding sequences, as an operator loading existing data would.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::state::{MtpwState, Sequence, TRANSPORT_METHODS};
use super::Shared;
use crate::fake::http::{json_reply, Incoming};

/// The MTPW-specific `/__fake/` routes.
pub fn route(shared: &Shared, req: &Incoming) -> Response {
    match (&req.method, req.path.as_str()) {
        (&Method::POST, "/__fake/sequences") => seed_sequences(shared, req),
        _ => json_reply(
            StatusCode::NOT_FOUND,
            &json!({"error": "unknown /__fake route"}),
        ),
    }
}

/// One sequence of a `POST /__fake/sequences` body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeededSequence {
    /// The sequence's UUID, as MTP Desktop Uploader keeps it in `destination.mtp`.
    pub unique_id: String,
    pub name: String,
    /// A transport method name (case-insensitive); default `Walk`.
    #[serde(default)]
    pub transport_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// A user id or username; default the user who signs in.
    #[serde(default)]
    pub owner: Option<Value>,
}

/// `POST /__fake/sequences`: one sequence or an array; all or none are stored.
/// 201 with the stored sequences, or 400 `{"error"}` naming what is wrong.
fn seed_sequences(shared: &Shared, req: &Incoming) -> Response {
    let body = match (&req.json, &req.body_problem) {
        (Some(Value::Array(items)), None) => Value::Array(items.clone()),
        (Some(item @ Value::Object(_)), None) => Value::Array(vec![item.clone()]),
        _ => return bad_request("expected a JSON sequence or array of sequences (see FAKES.md)"),
    };
    let seeds: Vec<SeededSequence> = match serde_json::from_value(body) {
        Ok(seeds) => seeds,
        Err(err) => return bad_request(&format!("invalid sequence: {err}")),
    };
    let mut state = shared.lock();
    let mut stored = Vec::with_capacity(seeds.len());
    for seed in seeds {
        match sequence_of(&state, &stored, seed) {
            Ok(sequence) => stored.push(sequence),
            Err(error) => return bad_request(&error),
        }
    }
    state.sequences.extend(stored.iter().cloned());
    json_reply(StatusCode::CREATED, &json!(stored))
}

/// Checks one seed against the state and the seeds before it in the same body.
fn sequence_of(
    state: &MtpwState,
    earlier: &[Sequence],
    seed: SeededSequence,
) -> Result<Sequence, String> {
    let unique_id = uuid::Uuid::parse_str(&seed.unique_id)
        .map_err(|_| format!("unique_id {:?} is not a UUID", seed.unique_id))?
        .hyphenated()
        .to_string();
    let taken = state.sequences.iter().chain(earlier);
    if taken.into_iter().any(|s| s.unique_id == unique_id) {
        return Err(format!("a sequence {unique_id} already exists"));
    }
    if seed.name.trim().is_empty() {
        return Err(format!("sequence {unique_id} has an empty name"));
    }
    let transport = seed.transport_type.as_deref().unwrap_or("Walk");
    let method = TRANSPORT_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(transport))
        .ok_or_else(|| format!("transport_type {transport:?} is not an MTPW transport method"))?;
    Ok(Sequence {
        unique_id,
        owner: owner_of(state, seed.owner.as_ref())?,
        name: seed.name,
        description: seed.description,
        transport_type: method.to_string(),
        tags: Vec::new(),
        source: None,
        strava: None,
        google_street_view: None,
        mapillary_user_token: None,
        mapillary_sequence_key: None,
    })
}

/// The user id of `owner` (an id or a username), else the user who signs in.
fn owner_of(state: &MtpwState, owner: Option<&Value>) -> Result<u64, String> {
    let found = match owner {
        None | Some(Value::Null) => return Ok(state.signed_in_user),
        Some(Value::Number(id)) => state.users.iter().find(|u| Some(u.id) == id.as_u64()),
        Some(Value::String(name)) => state.users.iter().find(|u| &u.username == name),
        Some(_) => None,
    };
    found.map(|user| user.id).ok_or_else(|| {
        format!(
            "owner {} is not a known user",
            owner.unwrap_or(&Value::Null)
        )
    })
}

fn bad_request(error: &str) -> Response {
    json_reply(StatusCode::BAD_REQUEST, &json!({"error": error}))
}
