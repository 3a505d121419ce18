//! The `/__fake/` inspection API shared by both fakes: the request log and fault scripting.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{json, Value};

use super::faults::{FaultPlan, FaultScript};
use super::http::{json_reply, Incoming};

/// One request as received, reported by `GET /__fake/requests`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    pub form: Option<BTreeMap<String, String>>,
    pub json: Option<Value>,
    pub file_sha256: Option<String>,
}

/// What a fake must offer for the shared inspection routes.
pub trait Inspectable {
    /// Every request received since start or the last reset.
    fn requests(&self) -> Vec<RequestRecord>;
    /// The service-specific state as JSON.
    fn state_json(&self) -> Value;
    /// Forgets everything except registered clients, athletes or users.
    fn reset(&self);
    /// Runs `f` on the fault plan.
    fn with_faults<R>(&self, f: impl FnOnce(&mut FaultPlan) -> R) -> R;
}

/// Answers `/__fake/requests`, `/__fake/state`, `/__fake/faults` and `/__fake/reset`,
/// or `None` when the path is not one of them.
pub fn shared_route(fake: &impl Inspectable, req: &Incoming) -> Option<Response> {
    let reply = match (&req.method, req.path.as_str()) {
        (&Method::GET, "/__fake/requests") => json_reply(StatusCode::OK, &json!(fake.requests())),
        (&Method::GET, "/__fake/state") => json_reply(StatusCode::OK, &fake.state_json()),
        (&Method::POST, "/__fake/reset") => {
            fake.reset();
            json_reply(StatusCode::OK, &json!({"reset": true}))
        }
        (&Method::GET, "/__fake/faults") => {
            json_reply(StatusCode::OK, &fake.with_faults(|plan| plan.to_json()))
        }
        (&Method::DELETE, "/__fake/faults") => {
            fake.with_faults(FaultPlan::clear);
            json_reply(StatusCode::OK, &json!({"faults": []}))
        }
        (&Method::POST, "/__fake/faults") => script_faults(fake, req),
        _ => return None,
    };
    Some(reply)
}

fn script_faults(fake: &impl Inspectable, req: &Incoming) -> Response {
    let Some(body) = &req.json else {
        return json_reply(
            StatusCode::BAD_REQUEST,
            &json!({"error": "expected a JSON body (see FAKES.md)"}),
        );
    };
    match FaultScript::from_json(body) {
        Ok(script) => {
            let plan = fake.with_faults(|plan| {
                plan.apply(script);
                plan.to_json()
            });
            json_reply(StatusCode::OK, &plan)
        }
        Err(err) => json_reply(StatusCode::BAD_REQUEST, &json!({"error": err.to_string()})),
    }
}
