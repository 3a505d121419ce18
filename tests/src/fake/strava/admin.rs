//! Strava-only inspection routes: state, approval mode, registering clients and athletes, seeding activities.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::config::Approval;
use super::state::SeededActivity;
use super::Shared;
use crate::fake::http::{json_reply, Incoming};

/// `GET /__fake/state`: clients, athletes, codes, tokens, uploads, activities, budgets, clock.
pub fn state_json(shared: &Shared) -> Value {
    let mut state = shared.lock();
    state.settle_uploads(shared.now_ms());
    let budgets: serde_json::Map<String, Value> = state
        .budgets
        .iter()
        .map(|(client, budget)| (client.to_string(), json!(budget)))
        .collect();
    json!({
        "clients": state.clients,
        "athletes": state.athletes,
        "signed_in_athlete": state.signed_in_athlete,
        "codes": state.codes.values().collect::<Vec<_>>(),
        "tokens": state.grants,
        "uploads": state.uploads,
        "activities": state.activities,
        "budgets": budgets,
        "limits": {
            "overall_15min": shared.config.limits.overall_15min,
            "overall_daily": shared.config.limits.overall_daily,
            "read_15min": shared.config.limits.read_15min,
            "read_daily": shared.config.limits.read_daily,
        },
        "clock": {"now": shared.clock.now_secs_f64(), "time_scale": shared.clock.scale()},
    })
}

/// The Strava-specific `/__fake/` routes.
pub fn route(shared: &Shared, req: &Incoming) -> Response {
    let body = req.json.clone().unwrap_or(Value::Null);
    let segments = req.segments();
    match (&req.method, segments.as_slice()) {
        (&Method::POST, ["__fake", "approval"]) => set_approval(shared, &body),
        (&Method::POST, ["__fake", "clients"]) => {
            let domain = body["callback_domain"].as_str().unwrap_or("localhost");
            json_reply(
                StatusCode::CREATED,
                &json!(shared.lock().register_client(domain)),
            )
        }
        (&Method::POST, ["__fake", "athletes"]) => {
            let first = body["firstname"].as_str().unwrap_or("Test");
            let last = body["lastname"].as_str().unwrap_or("Athlete");
            json_reply(
                StatusCode::CREATED,
                &json!(shared.lock().register_athlete(first, last)),
            )
        }
        (&Method::POST, ["__fake", "activities"]) => seed_activity(shared, body),
        (&Method::POST, ["__fake", "activities", id, "delete"]) => {
            let deleted = id
                .parse()
                .map(|id| shared.lock().delete_activity(id))
                .unwrap_or(false);
            let status = if deleted {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            json_reply(status, &json!({"deleted": deleted}))
        }
        _ => json_reply(
            StatusCode::NOT_FOUND,
            &json!({"error": "unknown /__fake route"}),
        ),
    }
}

/// `POST /__fake/activities` `{"start_date", "elapsed_time", "name"?, "external_id"?,
/// "sport_type"?, "private"?, "athlete_id"?}`: an activity the athlete has without the API.
fn seed_activity(shared: &Shared, body: Value) -> Response {
    let seeded = serde_json::from_value::<SeededActivity>(body)
        .map_err(|err| err.to_string())
        .and_then(|seed| shared.lock().seed_activity(seed));
    match seeded {
        Ok(id) => {
            let state = shared.lock();
            let activity = state.activities.iter().find(|a| a.id == id);
            json_reply(StatusCode::CREATED, &json!(activity))
        }
        Err(error) => json_reply(StatusCode::BAD_REQUEST, &json!({"error": error})),
    }
}

/// `POST /__fake/approval` `{"mode": "page"|"approve"|"deny", "withhold": [scopes], "athlete_id": n}`.
fn set_approval(shared: &Shared, body: &Value) -> Response {
    let withhold: Vec<String> = body["withhold"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let approval = match body["mode"].as_str() {
        Some("page") => Approval::Page,
        Some("approve") => Approval::Approve { withhold },
        Some("deny") => Approval::Deny,
        _ => {
            return json_reply(
                StatusCode::BAD_REQUEST,
                &json!({"error": "mode must be page, approve or deny"}),
            )
        }
    };
    let mut state = shared.lock();
    if let Some(athlete) = body["athlete_id"].as_u64() {
        if state.athlete(athlete).is_none() {
            return json_reply(
                StatusCode::BAD_REQUEST,
                &json!({"error": "unknown athlete_id"}),
            );
        }
        state.signed_in_athlete = athlete;
    }
    state.approval = approval;
    json_reply(
        StatusCode::OK,
        &json!({"mode": body["mode"], "signed_in_athlete": state.signed_in_athlete}),
    )
}
