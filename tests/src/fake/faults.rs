//! Scripted fault injection: which route fails, how, for how many requests or with what probability.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Seed used until a script sets one, so runs are reproducible.
pub const DEFAULT_SEED: u64 = 0x5EED;

/// What happens to a request hit by a fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this HTTP status (5xx by default) without handling the request.
    Status {
        #[serde(default = "default_status")]
        status: u16,
    },
    /// Answer 401 "Authorization Error" as for an expired or revoked token.
    Unauthorized,
    /// Revoke the caller's token (all later calls fail too), then answer 401.
    RevokeToken,
    /// Strava: revoke only the caller's access token, then answer 401. The sign-in stays: its
    /// refresh token still works, and the next refresh hands out a new access token even when
    /// the revoked one had time left. MTPW has no refresh token: the same as `RevokeToken`.
    RevokeAccessToken,
    /// Answer 429 "Rate Limit Exceeded" whatever the budget says.
    RateLimited,
    /// Handle the request, then send the headers and half the body and break the connection.
    Drop,
    /// Wait `delay_ms` (real time) before handling the request normally.
    Slow { delay_ms: u64 },
    /// Handle the request at once, then wait `delay_ms` (real time) before answering: what the
    /// request did stays done when the client gives up waiting (a timed-out upload Strava has).
    Late { delay_ms: u64 },
    /// Uploads only: accept the upload, then make its processing end in this error.
    ProcessingError {
        #[serde(default)]
        message: Option<String>,
    },
    /// Answer with this status and an explicit body form (`html`, `plain`, `empty` or `json`).
    /// Only the `json` form carries Strava's rate-limit headers.
    ServerError {
        #[serde(default = "default_edge_status")]
        status: u16,
        #[serde(default)]
        body: ErrorBody,
    },
    /// Strava: 403 "Limit of connected athletes exceeded" (the application's athlete cap).
    AthleteLimit,
    /// Strava: 403 with `{"resource":"Application","field":"Status","code":"Inactive"}`.
    InactiveApplication,
}

/// How an injected server error's body looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorBody {
    /// An HTML error page from the edge (load balancer), as 502/503/504 usually come.
    #[default]
    Html,
    /// A short plain-text body from the edge.
    Plain,
    /// No body at all.
    Empty,
    /// The service's own JSON error (Strava: a Fault, with rate-limit headers).
    Json,
}

fn default_edge_status() -> u16 {
    503
}

fn default_status() -> u16 {
    500
}

/// One scripted fault: a route pattern, a kind, and how often it fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `"METHOD /path"`; `*` matches any method or one path segment, `**` the rest of the path.
    pub route: String,
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Fire for the next `count` matching requests (1 when neither count nor probability is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Fire for each matching request with this probability (seeded, reproducible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

impl FaultRule {
    /// A rule that fires for the next `count` requests matching `route`.
    pub fn next(route: &str, kind: FaultKind, count: u32) -> Self {
        Self {
            route: route.to_string(),
            kind,
            count: Some(count),
            probability: None,
        }
    }

    /// A rule that fires with `probability` for every request matching `route`.
    pub fn sometimes(route: &str, kind: FaultKind, probability: f64) -> Self {
        Self {
            route: route.to_string(),
            kind,
            count: None,
            probability: Some(probability),
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let (want_method, want_path) = match self.route.split_once(' ') {
            Some((m, p)) => (m.trim(), p.trim()),
            None => ("*", self.route.trim()),
        };
        let method_ok = want_method == "*" || want_method.eq_ignore_ascii_case(method);
        method_ok && path_matches(want_path, path)
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut have = path.split('/').filter(|s| !s.is_empty());
    loop {
        match (want.next(), have.next()) {
            (Some("**"), _) => return true,
            (None, None) => return true,
            (Some(w), Some(h))
                if w == "*" || (w.starts_with('{') && w.ends_with('}')) || w == h => {}
            _ => return false,
        }
    }
}

/// Body of `POST /__fake/faults`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FaultScript {
    /// Reseed the random generator used by probabilistic rules.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Drop all current rules before adding these.
    #[serde(default)]
    pub clear: bool,
    #[serde(default)]
    pub faults: Vec<FaultRule>,
}

/// Why a fault script was refused.
#[derive(Debug, thiserror::Error)]
pub enum FaultScriptError {
    #[error("invalid fault script: {0}")]
    Invalid(#[from] serde_json::Error),
    #[error("probability must be between 0 and 1, got {0}")]
    Probability(f64),
}

impl FaultScript {
    /// Accepts `{"seed", "clear", "faults": [...]}`, a single rule, or an array of rules.
    pub fn from_json(body: &Value) -> Result<Self, FaultScriptError> {
        let script = if body.is_array() {
            FaultScript {
                faults: serde_json::from_value(body.clone())?,
                ..FaultScript::default()
            }
        } else if body.get("route").is_some() {
            FaultScript {
                faults: vec![serde_json::from_value(body.clone())?],
                ..FaultScript::default()
            }
        } else {
            serde_json::from_value(body.clone())?
        };
        for rule in &script.faults {
            if let Some(p) = rule.probability {
                if !(0.0..=1.0).contains(&p) {
                    return Err(FaultScriptError::Probability(p));
                }
            }
        }
        Ok(script)
    }
}

#[derive(Debug, Clone)]
struct ActiveRule {
    rule: FaultRule,
    remaining: Option<u32>,
}

/// The rules in force and the seeded generator that decides probabilistic ones.
#[derive(Debug)]
pub struct FaultPlan {
    rules: Vec<ActiveRule>,
    seed: u64,
    rng: StdRng,
}

impl Default for FaultPlan {
    fn default() -> Self {
        Self::new(DEFAULT_SEED)
    }
}

impl FaultPlan {
    /// An empty plan with a seeded generator.
    pub fn new(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            seed,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Adds a rule after the existing ones.
    pub fn add(&mut self, rule: FaultRule) {
        let remaining = match (rule.count, rule.probability) {
            (None, None) => Some(1),
            (count, _) => count,
        };
        self.rules.push(ActiveRule { rule, remaining });
    }

    /// Applies a script from the inspection API.
    pub fn apply(&mut self, script: FaultScript) {
        if script.clear {
            self.clear();
        }
        if let Some(seed) = script.seed {
            self.seed = seed;
            self.rng = StdRng::seed_from_u64(seed);
        }
        for rule in script.faults {
            self.add(rule);
        }
    }

    /// Removes every rule (the seed stays).
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for this request, if a rule fires; uses up one count of that rule.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        for index in 0..self.rules.len() {
            if !self.rules[index].rule.matches(method, path) {
                continue;
            }
            if let Some(p) = self.rules[index].rule.probability {
                if self.rng.gen::<f64>() >= p {
                    continue;
                }
            }
            let active = &mut self.rules[index];
            let kind = active.rule.kind.clone();
            if let Some(left) = active.remaining.as_mut() {
                *left -= 1;
                if *left == 0 {
                    self.rules.remove(index);
                }
            }
            return Some(kind);
        }
        None
    }

    /// The remaining rules and the seed, as reported by `GET /__fake/faults`.
    pub fn to_json(&self) -> Value {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|active| {
                let mut rule = json!(active.rule);
                rule["remaining"] = json!(active.remaining);
                rule
            })
            .collect();
        json!({"seed": self.seed, "faults": rules})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rule_fires_exactly_count_times() {
        let mut plan = FaultPlan::default();
        plan.add(FaultRule::next(
            "POST /api/v3/uploads",
            FaultKind::Unauthorized,
            2,
        ));
        assert_eq!(plan.take("GET", "/api/v3/uploads"), None);
        assert_eq!(
            plan.take("POST", "/api/v3/uploads"),
            Some(FaultKind::Unauthorized)
        );
        assert_eq!(
            plan.take("POST", "/api/v3/uploads"),
            Some(FaultKind::Unauthorized)
        );
        assert_eq!(plan.take("POST", "/api/v3/uploads"), None);
    }

    #[test]
    fn patterns_match_segments_and_rest() {
        let rule = |route: &str| FaultRule::next(route, FaultKind::Drop, 1);
        assert!(rule("GET /api/v3/uploads/*").matches("GET", "/api/v3/uploads/12"));
        assert!(rule("GET /api/v3/uploads/{id}").matches("GET", "/api/v3/uploads/12"));
        assert!(!rule("GET /api/v3/uploads/*").matches("GET", "/api/v3/uploads"));
        assert!(rule("* /api/v3/**").matches("PUT", "/api/v3/a/b/c"));
        assert!(rule("/oauth/token").matches("POST", "/oauth/token"));
    }

    #[test]
    fn probability_is_reproducible_for_a_seed() {
        let run = |seed| {
            let mut plan = FaultPlan::new(seed);
            plan.add(FaultRule::sometimes("*", FaultKind::RateLimited, 0.5));
            (0..64)
                .map(|_| plan.take("GET", "/x").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let fired = run(7).iter().filter(|f| **f).count();
        assert!((10..54).contains(&fired), "fired {fired} of 64");
    }

    #[test]
    fn script_parses_all_three_shapes() {
        let single = json!({"route": "*", "kind": "status", "status": 503});
        let script = FaultScript::from_json(&single).expect("single rule");
        assert_eq!(script.faults[0].kind, FaultKind::Status { status: 503 });
        let list = json!([{"route": "*", "kind": "slow", "delay_ms": 5}, {"route": "*", "kind": "late", "delay_ms": 5}]);
        let list = FaultScript::from_json(&list).expect("list");
        assert_eq!(list.faults[1].kind, FaultKind::Late { delay_ms: 5 });
        let full = json!({"seed": 1, "clear": true, "faults": [{"route": "*", "kind": "drop", "probability": 0.2}]});
        let script = FaultScript::from_json(&full).expect("full");
        assert_eq!(script.seed, Some(1));
        assert!(FaultScript::from_json(&json!({"route": "*", "kind": "explode"})).is_err());
        assert!(
            FaultScript::from_json(&json!({"route": "*", "kind": "drop", "probability": 2.0}))
                .is_err()
        );
    }
}
