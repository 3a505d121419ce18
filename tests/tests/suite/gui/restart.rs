//! GUI: quit mid-batch and start again. Eight sequences are uploading (slowed down by the fake
//! Strava) when the app is killed (SIGKILL, as a crash or a dead battery would); the next start
//! resumes the queue by itself, every sequence ends on Strava exactly once, History has one
//! row per sequence, a duplicate Strava reported is not a failure, and the end of the resumed
//! batch reaches the desktop as a notification with its counts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mtp_testkit::fake::notifications::FakeNotificationServer;
use mtp_testkit::fixtures::{self, SequenceSpec};
use mtp_testkit::webdriver::{Client, Locator};
use serde_json::{json, Value};
use time::macros::datetime;

use super::fakes::{
    clear_strava_faults, fake_json, fake_request, seed_mtpw_sequences, strava_root,
    wait_for_notification,
};
use super::support::{
    app_binary, click_testid, connect_by_clicking, disconnect_both, finished, home, invoke,
    library_dir, remove_root, run_alone, screenshot, sequence_folder_count, sequence_id_of,
    session_binary, start_app, use_redirect_mode, wait_for_count, TestResult, IN_FLIGHT,
    UI_TIMEOUT,
};

/// How many sequences the batch has.
const SEQUENCES: usize = 8;
/// Each Strava upload request waits this long in the fake, so the batch is slow enough to kill
/// mid-way (two go at a time).
const SLOW_UPLOAD_MS: u64 = 2500;
const BATCH_TIMEOUT: Duration = Duration::from_secs(120);

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn a_batch_killed_mid_way_resumes_at_restart_without_duplicates() -> TestResult {
    run_alone(async {
        let outcome = tokio::spawn(restart_mid_batch()).await;
        // Whatever happened, leave the fake as the other tests expect it.
        let _ = clear_strava_faults().await;
        finished(outcome)
    })
}

async fn restart_mid_batch() -> TestResult {
    let batch = Batch::write()?;
    let seeds: Vec<(&str, &str, &str)> = batch
        .uuids
        .iter()
        .zip(&batch.names)
        .map(|(uuid, name)| (uuid.as_str(), name.as_str(), "Bicycle"))
        .collect();
    seed_mtpw_sequences(&seeds).await?;

    // First run: connect, queue the batch, and kill the app once some are done and some not.
    let app = start_app(&session_binary()?, &[]).await?;
    let first = async {
        connect_both(&app).await?;
        let outcome = invoke(
            &app,
            "add_paths",
            json!({ "args": { "paths": [batch.root.display().to_string()] } }),
        )
        .await?;
        let root = outcome["added"][0]["path"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        set_upload_faults(false).await?;
        let queued = invoke(
            &app,
            "upload_sequences",
            json!({ "args": { "sequenceIds": batch.ids(), "insist": false } }),
        )
        .await?;
        click_testid(&app, "nav-queue").await?;
        // Once the first two are on Strava, the next two uploads reach Strava but their
        // answers are lost: the app does not know them when it is killed.
        wait_until_first_two_sent(&app).await?;
        set_upload_faults(true).await?;
        let (at_kill, unknown_at_kill) = wait_until_mid_batch(&app, &batch).await?;
        screenshot("restart-before-kill")?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((root, queued, at_kill, unknown_at_kill))
    }
    .await;
    let killed = kill_app();
    // The session's browser is gone: end it so tauri-driver takes the next one.
    let _ = tokio::time::timeout(Duration::from_secs(20), app.close()).await;
    let (root, queued, at_kill, unknown_at_kill) = first?;
    let killed = killed?;
    assert!(killed > 0, "no app process was found to kill");
    for outcome in queued.as_array().into_iter().flatten() {
        assert!(outcome["skipped"].is_null(), "not queued: {outcome}");
    }

    // Second run: the queue resumes by itself and the desktop hears when the batch ends.
    let notifications = FakeNotificationServer::start()?;
    let app = start_app(&session_binary()?, &[]).await?;
    let second = async {
        click_testid(&app, "nav-queue").await?;
        app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
            .await?;
        let resumed = queue_rows(&app).await?;
        screenshot("restart-queue-resumed")?;
        let finished = wait_until_idle(&app).await?;
        screenshot("restart-queue-finished")?;
        let notice = wait_for_notification(&notifications, 0).await;
        click_testid(&app, "nav-history").await?;
        app.wait_for(Locator::Css("[data-testid=history-row]"), UI_TIMEOUT)
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let history_rows = history_row_names(&app).await?;
        screenshot("restart-history")?;
        let records = invoke(
            &app,
            "upload_history",
            json!({ "args": { "states": [], "text": null, "offset": 0, "limit": 500 } }),
        )
        .await?;
        remove_root(&app, &root).await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((
            resumed,
            finished,
            notice,
            history_rows,
            records,
        ))
    }
    .await;
    let _ = app.close().await;
    let (resumed, finished, notice, history_rows, records) = second?;
    let state = fake_json(&strava_root()?, "/__fake/state").await?;

    // Judge. The kill came mid-way: some were done, some were not.
    report_strava_uploads(&state, &batch);
    let expected = "done";
    let done_at_kill = at_kill.values().filter(|s| *s == expected).count();
    assert!(
        (1..SEQUENCES).contains(&done_at_kill),
        "at the kill: {at_kill:?}"
    );
    // The queue came back by itself with what was owed (a done one is not owed), and
    // finished it.
    assert!(!resumed.is_empty(), "the queue did not resume");
    assert!(
        resumed.len() <= SEQUENCES - done_at_kill,
        "resumed {resumed:?} after {at_kill:?}"
    );
    // ... in the order they were queued ("Restart Ride 1" to 8), not by their last change.
    let order: Vec<&String> = resumed.iter().map(|(name, _)| name).collect();
    let mut queued_order = order.clone();
    queued_order.sort();
    assert_eq!(order, queued_order, "the resumed queue's order");
    for (name, state) in &finished {
        assert_eq!(state, expected, "{name} ended as {state}: {finished:?}");
    }

    // History: exactly one record (and one row) per sequence, none failed.
    let records = records["records"].as_array().cloned().unwrap_or_default();
    for name in &batch.names {
        let mine: Vec<&Value> = records
            .iter()
            .filter(|r| r["sequenceName"] == json!(name))
            .collect();
        assert_eq!(mine.len(), 1, "{name}: {mine:?}");
        assert_eq!(mine[0]["state"], json!(expected), "{name}: {}", mine[0]);
        let shown = history_rows.iter().filter(|n| *n == name).count();
        assert_eq!(shown, 1, "{name} in History: {history_rows:?}");
    }

    // Strava got exactly one live activity per sequence.
    let activities = list_of(&state["activities"]);
    for uuid in &batch.uuids {
        let live = activities
            .iter()
            .filter(|a| a["external_id"] == json!(uuid) && a["deleted"] != json!(true))
            .count();
        assert_eq!(live, 1, "activities for {uuid}: {activities:?}");
    }

    // An upload Strava had but the app did not know of when it was killed is looked up on
    // Strava at the restart and found (not sent again); or, when Strava had not made the
    // activity yet, sent again and taken as Strava's duplicate. Never a failure or a second
    // activity.
    assert!(
        !unknown_at_kill.is_empty(),
        "no upload was in flight at the kill: {at_kill:?}"
    );
    for name in &unknown_at_kill {
        let index = batch.names.iter().position(|n| n == name).unwrap_or(0);
        let sent = list_of(&state["uploads"])
            .iter()
            .filter(|u| u["external_id"] == json!(batch.uuids[index]))
            .count();
        let record = records
            .iter()
            .find(|r| r["sequenceName"] == json!(name))
            .ok_or_else(|| format!("no record for {name}"))?;
        let detail = record["detail"].as_str().unwrap_or_default();
        let found = sent == 1 && detail.contains("not uploaded again");
        let duplicate = sent >= 2 && detail.contains("duplicate");
        assert!(found || duplicate, "{name} ({sent} uploads): {record}");
    }

    // The resumed batch's end reached the desktop, with its counts.
    let notice = notice.ok_or("no desktop notification after the resumed batch")?;
    let done = finished.values().filter(|s| s.as_str() == "done").count();
    let title = if done == finished.len() {
        format!("Uploads finished: {done} done")
    } else {
        format!(
            "Uploads finished: {done} done, {} failed",
            finished.len() - done
        )
    };
    assert_eq!(notice.summary, title, "{notice:?}");
    assert!(
        notice.body.contains("Uploads") || notice.body.contains("History"),
        "{notice:?}"
    );
    Ok(())
}

/// The eight sequences, each with its MTPW id, on days of their own (the fake Strava reports
/// an activity overlapping another in time as a duplicate).
struct Batch {
    root: PathBuf,
    folders: Vec<PathBuf>,
    names: Vec<String>,
    uuids: Vec<String>,
}

impl Batch {
    fn write() -> TestResult<Self> {
        let root = home()?.join("RestartBatch");
        let mut batch = Batch {
            root: root.clone(),
            folders: Vec::new(),
            names: Vec::new(),
            uuids: Vec::new(),
        };
        for i in 0..SEQUENCES {
            let name = format!("Restart Ride {}", i + 1);
            let start = datetime!(2020-03-10 08:00:00 UTC) + time::Duration::days(i as i64);
            let place = (40.0 + i as f64 * 0.1, -3.7);
            let uuid = format!("5e7a11ed-0000-4000-8000-{:012}", i + 1);
            let mut spec = SequenceSpec::named(&name, ("Earth", "Bicycle"), start, place, 60 + i);
            spec.destination_mtp = Some(Value::from(uuid.clone()));
            batch.folders.push(fixtures::write_sequence(&root, &spec)?);
            batch.names.push(name);
            batch.uuids.push(uuid);
        }
        Ok(batch)
    }

    fn ids(&self) -> Vec<String> {
        self.folders.iter().map(|f| sequence_id_of(f)).collect()
    }
}

/// Each upload the fake Strava holds for the batch (its id and sequence name), by upload id.
async fn uploads_in_order(batch: &Batch) -> TestResult<Vec<(u64, String)>> {
    let state = fake_json(&strava_root()?, "/__fake/state").await?;
    let mut uploads: Vec<(u64, String)> = list_of(&state["uploads"])
        .iter()
        .filter_map(|u| {
            let uuid = u["external_id"].as_str()?;
            let index = batch.uuids.iter().position(|mine| mine == uuid)?;
            Some((u["id"].as_u64()?, batch.names[index].clone()))
        })
        .collect();
    uploads.sort();
    Ok(uploads)
}

/// A JSON array, or an object's values (the fake's state keeps some lists as maps).
fn list_of(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(list) => list.clone(),
        Value::Object(map) => map.values().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Prints what the fake Strava received per sequence (uploads and their outcomes), for the log.
fn report_strava_uploads(state: &Value, batch: &Batch) {
    let uploads = list_of(&state["uploads"]);
    for (uuid, name) in batch.uuids.iter().zip(&batch.names) {
        let outcomes: Vec<String> = uploads
            .iter()
            .filter(|u| u["external_id"] == json!(uuid))
            .map(|u| u["outcome"].to_string())
            .collect();
        eprintln!(
            "restart: {name}: {} upload(s): {outcomes:?}",
            outcomes.len()
        );
    }
}

/// Connects Strava and Map the Paths through the Accounts view (deep-link sign-ins).
async fn connect_both(app: &Client) -> TestResult {
    let total = sequence_folder_count(&library_dir()?)?;
    wait_for_count(app, total).await?;
    disconnect_both(app).await?;
    use_redirect_mode(app, "deepLink").await?;
    connect_by_clicking(app, "strava").await?;
    connect_by_clicking(app, "mtpw").await
}

/// The queue's rows in their order: sequence name and state.
async fn queue_rows(app: &Client) -> TestResult<Vec<(String, String)>> {
    let snapshot = invoke(app, "upload_queue", json!({ "args": null })).await?;
    Ok(rows_by_name(&snapshot))
}

fn rows_by_name<B: FromIterator<(String, String)>>(snapshot: &Value) -> B {
    snapshot["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            let record = &row["record"];
            let name = record["sequenceName"].as_str().unwrap_or_default();
            let state = record["state"].as_str().unwrap_or_default();
            (name.to_string(), state.to_string())
        })
        .collect()
}

/// The fake Strava's faults on `POST /uploads`: every one slow (so the batch is slow enough
/// to kill mid-way) and, with `lose_answers`, the next two handled but their answers cut off.
async fn set_upload_faults(lose_answers: bool) -> TestResult {
    let slow = json!({
        "route": "POST /api/v3/uploads", "kind": "slow",
        "delay_ms": SLOW_UPLOAD_MS, "count": 100
    });
    let drop = json!({ "route": "POST /api/v3/uploads", "kind": "drop", "count": 2 });
    let faults = if lose_answers {
        vec![drop, slow]
    } else {
        vec![slow]
    };
    fake_request(
        "POST",
        &strava_root()?,
        "/__fake/faults",
        Some(json!({ "clear": true, "faults": faults })),
    )
    .await?;
    Ok(())
}

/// Waits until the first two sequences have their upload on Strava (two go at a time, so the
/// third is sent only after the first is done).
async fn wait_until_first_two_sent(app: &Client) -> TestResult {
    let deadline = Instant::now() + BATCH_TIMEOUT;
    loop {
        let rows = queue_rows(app).await?;
        let sent = rows
            .iter()
            .take(2)
            .filter(|(_, s)| !matches!(s.as_str(), "queued" | "validating" | "uploading"))
            .count();
        if rows.len() == SEQUENCES && sent == 2 {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the first two uploads were never sent: {rows:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until an upload whose answer was cut off is on the fake Strava while the app, which
/// only saw a broken connection and waits to try again, does not know it; with at least one
/// sequence done and two not sent yet. Returns the states and the names of those sequences.
async fn wait_until_mid_batch(
    app: &Client,
    batch: &Batch,
) -> TestResult<(HashMap<String, String>, Vec<String>)> {
    // An upload the app has not recorded for a second is one whose answer never came (a
    // normal answer is recorded within milliseconds of the fake handling the request).
    let mut unknown_since: HashMap<u64, Instant> = HashMap::new();
    let deadline = Instant::now() + BATCH_TIMEOUT;
    loop {
        let snapshot = invoke(app, "upload_queue", json!({ "args": null })).await?;
        let states: HashMap<String, String> = rows_by_name(&snapshot);
        let known: HashMap<String, String> = list_of(&snapshot["rows"])
            .iter()
            .map(|row| {
                let record = &row["record"];
                let name = record["sequenceName"].as_str().unwrap_or_default();
                let upload = record["stravaUploadId"].as_str().unwrap_or_default();
                (name.to_string(), upload.to_string())
            })
            .collect();
        let mut lost = Vec::new();
        for (upload, name) in uploads_in_order(batch).await? {
            let recorded = known.get(&name).is_some_and(|id| *id == upload.to_string());
            let sending = states.get(&name).map(String::as_str) == Some("uploading");
            if recorded || !sending {
                unknown_since.remove(&upload);
                continue;
            }
            let since = *unknown_since.entry(upload).or_insert_with(Instant::now);
            if since.elapsed() >= Duration::from_secs(1) && !lost.contains(&name) {
                lost.push(name);
            }
        }
        let not_sent = states
            .values()
            .filter(|s| matches!(s.as_str(), "queued" | "validating" | "uploading"))
            .count();
        let done = states.values().filter(|s| s.as_str() == "done").count();
        if !lost.is_empty() && done >= 1 && not_sent >= 2 {
            return Ok((states, lost));
        }
        if Instant::now() > deadline {
            return Err(format!("the batch never got mid-way: {states:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the queue's run has ended; returns the final rows.
async fn wait_until_idle(app: &Client) -> TestResult<HashMap<String, String>> {
    let deadline = Instant::now() + BATCH_TIMEOUT;
    loop {
        let snapshot = invoke(app, "upload_queue", json!({ "args": null })).await?;
        let states: HashMap<String, String> = rows_by_name(&snapshot);
        let moving = states.values().any(|s| IN_FLIGHT.contains(&s.as_str()));
        if snapshot["running"] == json!(false) && !moving {
            return Ok(states);
        }
        if Instant::now() > deadline {
            return Err(format!("the resumed batch did not finish: {snapshot}").into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The names of the History rows in the page (few enough here to all be rendered).
async fn history_row_names(app: &Client) -> TestResult<Vec<String>> {
    let names = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=history-row] .name')].map((e) => e.textContent.trim());",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

/// Kills (SIGKILL) the app processes of this run: the app binary, on this X display.
/// Returns how many were killed.
fn kill_app() -> TestResult<usize> {
    let binary = app_binary()?;
    let display = std::env::var("DISPLAY").map_err(|_| "DISPLAY is not set")?;
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc")? {
        let entry = entry?;
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if !is_our_app(&entry.path(), &binary, &display) {
            continue;
        }
        let status = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()?;
        if status.success() {
            killed += 1;
        }
    }
    Ok(killed)
}

fn is_our_app(proc_dir: &Path, binary: &Path, display: &str) -> bool {
    let Ok(exe) = std::fs::read_link(proc_dir.join("exe")) else {
        return false;
    };
    if exe != binary {
        return false;
    }
    let Ok(environ) = std::fs::read(proc_dir.join("environ")) else {
        return false;
    };
    let wanted = format!("DISPLAY={display}");
    environ
        .split(|b| *b == 0)
        .any(|var| var == wanted.as_bytes())
}
