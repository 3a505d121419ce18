//! The end of a soak: what the fakes and the upload history must show, and the figures read
//! from them (the fakes' request logs and state, the history's attempts).

use std::collections::{BTreeMap, HashMap, HashSet};

use mtp_testkit::fake::inspect::RequestRecord;
use serde_json::Value;

use crate::world::World;

/// Request counts of the fakes when the uploads started (sign-in requests are not theirs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Baseline {
    pub strava: usize,
    pub mtpw: usize,
}

/// What the checks found and the figures.
#[derive(Debug, Default)]
pub struct Report {
    pub failures: Vec<String>,
    pub uploaded: usize,
    pub history_records: usize,
    pub posts: usize,
    /// Uploads Strava refused as duplicates of an activity it had (each one resolved to it).
    pub duplicates_reported: usize,
    /// History records that say Strava reported a duplicate (notes a later try may clear).
    pub duplicate_notes: usize,
    pub attempts: usize,
    pub failed_attempts: usize,
    /// Attempts that followed a failed attempt of the same step of the same upload.
    pub retries: usize,
    pub strava_requests: usize,
    pub mtpw_requests: usize,
    pub refreshes: usize,
    pub by_route: BTreeMap<String, usize>,
    /// Activities whose sport type is not the one their transport maps to.
    pub sport_type_unset: Vec<String>,
    /// Done records whose note says the sport type could not be set: name and note.
    pub sport_type_warnings: Vec<String>,
}

fn api_requests(requests: &[RequestRecord], from: usize) -> Vec<&RequestRecord> {
    requests
        .iter()
        .skip(from)
        .filter(|r| !r.path.starts_with("/__fake/"))
        .collect()
}

/// The route a request counts under in the figures: ids become `{id}`.
fn route_of(r: &RequestRecord) -> String {
    let path: Vec<&str> = r
        .path
        .split('/')
        .map(|s| {
            if !s.is_empty() && (s.chars().all(|c| c.is_ascii_digit()) || s.len() == 36) {
                "{id}"
            } else {
                s
            }
        })
        .collect();
    format!("{} {}", r.method, path.join("/"))
}

pub fn check(world: &World, history: &Value, baseline: Baseline) -> Report {
    let mut report = Report::default();
    let fail = |report: &mut Report, text: String| report.failures.push(text);
    let strava = world.services.strava.state_json();
    let mtpw = world.services.mtpw.state_json();
    let eligible: HashMap<&str, &crate::world::Sequence> = world
        .eligible
        .iter()
        .filter_map(|s| Some((s.uuid.as_deref()?, s)))
        .collect();

    // Strava: one live activity per eligible sequence (by external_id), nothing else.
    let activities: Vec<&Value> = strava["activities"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let live: Vec<&&Value> = activities
        .iter()
        .filter(|a| {
            !a["deleted"].as_bool().unwrap_or(false) && !a["seeded"].as_bool().unwrap_or(false)
        })
        .collect();
    report.uploaded = live.len();
    let mut activity_of: HashMap<String, Vec<u64>> = HashMap::new();
    for activity in &live {
        let external = activity["external_id"].as_str().unwrap_or("").to_string();
        let id = activity["id"].as_u64().unwrap_or(0);
        activity_of.entry(external.clone()).or_default().push(id);
        match eligible.get(external.as_str()) {
            None => fail(
                &mut report,
                format!("Strava has activity {id} ({external:?}), not an eligible sequence's"),
            ),
            Some(seq) => {
                let sport = activity["sport_type"].as_str().unwrap_or("");
                if Some(sport) != seq.sport_type {
                    report
                        .sport_type_unset
                        .push(format!("{} ({sport})", seq.name));
                }
            }
        }
    }
    for (uuid, seq) in &eligible {
        match activity_of.get(*uuid).map(Vec::len).unwrap_or(0) {
            1 => {}
            n => fail(
                &mut report,
                format!("{}: {n} activities on Strava instead of 1", seq.name),
            ),
        }
    }

    // MTPW: each eligible sequence marked with its activity id, the others untouched.
    let sequences = mtpw["sequences"].as_array().cloned().unwrap_or_default();
    let marks: HashMap<&str, Option<&str>> = sequences
        .iter()
        .filter_map(|s| Some((s["unique_id"].as_str()?, s["strava"].as_str())))
        .collect();
    for (uuid, seq) in &eligible {
        let want = activity_of
            .get(*uuid)
            .and_then(|ids| ids.first())
            .map(u64::to_string);
        let have = marks.get(uuid).copied().flatten().map(str::to_string);
        if want.is_none() || have != want {
            fail(
                &mut report,
                format!(
                    "{}: MTPW has strava={have:?}, its activity is {want:?}",
                    seq.name
                ),
            );
        }
    }
    for other in &world.others {
        if let Some(uuid) = &other.uuid {
            if let Some(Some(mark)) = marks.get(uuid.as_str()) {
                fail(
                    &mut report,
                    format!("{} (not eligible) is marked on MTPW: {mark}", other.name),
                );
            }
        }
    }

    // History: one record per eligible sequence, done, with that activity; none lost.
    let records = history["records"].as_array().cloned().unwrap_or_default();
    report.history_records = records.len();
    let total = history["total"].as_u64().unwrap_or(0) as usize;
    if total != eligible.len() || records.len() != eligible.len() {
        fail(
            &mut report,
            format!(
                "history has {total} records ({} listed), expected {}",
                records.len(),
                eligible.len()
            ),
        );
    }
    let mut seen = HashSet::new();
    for record in &records {
        let name = record["sequenceName"].as_str().unwrap_or("?");
        let uuid = record["mtpwUuid"].as_str().unwrap_or("");
        if !seen.insert(uuid.to_string()) {
            fail(&mut report, format!("history: two records for {name}"));
        }
        if !eligible.contains_key(uuid) {
            fail(
                &mut report,
                format!("history: a record for {name} ({uuid})"),
            );
        }
        if record["state"] != "done" {
            fail(
                &mut report,
                format!(
                    "history: {name} is {} ({})",
                    record["state"],
                    record["detail"].as_str().unwrap_or("")
                ),
            );
        }
        let want = activity_of
            .get(uuid)
            .and_then(|ids| ids.first())
            .map(u64::to_string);
        if record["activityId"].as_str().map(str::to_string) != want {
            fail(
                &mut report,
                format!(
                    "history: {name} names activity {}, Strava has {want:?}",
                    record["activityId"]
                ),
            );
        }
        let detail = record["detail"].as_str().unwrap_or("");
        if detail.contains("Strava reported a duplicate") {
            report.duplicate_notes += 1;
        }
        if detail.contains("sport type could not be set") {
            report.sport_type_warnings.push(format!("{name}: {detail}"));
        }
        let mut last_failed: HashMap<String, bool> = HashMap::new();
        for attempt in record["attempts"].as_array().into_iter().flatten() {
            report.attempts += 1;
            let step = attempt["step"].as_str().unwrap_or("").to_string();
            let failed = !attempt["error"].is_null();
            if last_failed.get(&step).copied().unwrap_or(false) {
                report.retries += 1;
            }
            if failed {
                report.failed_attempts += 1;
            }
            last_failed.insert(step, failed);
        }
    }
    for seq in eligible.values() {
        let uuid = seq.uuid.as_deref().unwrap_or("");
        if !seen.contains(uuid) {
            fail(&mut report, format!("history: no record for {}", seq.name));
        }
    }

    // The fakes' logs: what it took.
    let uploads = strava["uploads"].as_array().cloned().unwrap_or_default();
    report.duplicates_reported = uploads
        .iter()
        .filter(|u| u["outcome"].to_string().contains("duplicate of"))
        .count();
    let strava_log = world.services.strava.requests();
    let mtpw_log = world.services.mtpw.requests();
    let strava_api = api_requests(&strava_log, baseline.strava);
    let mtpw_api = api_requests(&mtpw_log, baseline.mtpw);
    report.strava_requests = strava_api.len();
    report.mtpw_requests = mtpw_api.len();
    report.posts = strava_api
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v3/uploads")
        .count();
    report.refreshes = strava_api
        .iter()
        .filter(|r| {
            r.form
                .as_ref()
                .and_then(|f| f.get("grant_type"))
                .is_some_and(|g| g == "refresh_token")
        })
        .count();
    for r in strava_api.iter().chain(&mtpw_api) {
        *report.by_route.entry(route_of(r)).or_default() += 1;
    }
    report
}
