//! The fake services seen from the GUI tests: their roots (from the app's environment), the
//! `/__fake/` test routes (tests/FAKES.md), and the fake desktop notification server.

use std::time::{Duration, Instant};

use mtp_testkit::fake::notifications::{FakeNotificationServer, Notified};
use serde_json::{json, Value};

use super::support::TestResult;

/// The fake Strava's root: the API base the app uses, without `/api/v3`.
pub(super) fn strava_root() -> TestResult<String> {
    let base =
        std::env::var("MTP_STRAVA_API_BASE").map_err(|_| "MTP_STRAVA_API_BASE is not set")?;
    Ok(base
        .trim_end_matches('/')
        .trim_end_matches("/api/v3")
        .to_string())
}

/// The fake MTPW's root (`MTPW_BASE`).
pub(super) fn mtpw_root() -> TestResult<String> {
    let base = std::env::var("MTPW_BASE").map_err(|_| "MTPW_BASE is not set")?;
    Ok(base.trim_end_matches('/').to_string())
}

/// A request to one of the fakes' test routes; its JSON answer, or an error naming the status.
pub(super) async fn fake_request(
    method: &str,
    root: &str,
    path: &str,
    body: Option<Value>,
) -> TestResult<Value> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()?;
    let url = format!("{root}{path}");
    let request = match method {
        "POST" => client.post(&url),
        "DELETE" => client.delete(&url),
        _ => client.get(&url),
    };
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let reply = request.send().await?;
    let status = reply.status();
    let text = reply.text().await?;
    if !status.is_success() {
        return Err(format!("{method} {url}: {status} {text}").into());
    }
    Ok(serde_json::from_str(&text)?)
}

/// `GET <root><path>` of a test route (`/__fake/state`, `/__fake/requests`) as JSON.
pub(super) async fn fake_json(root: &str, path: &str) -> TestResult<Value> {
    fake_request("GET", root, path, None).await
}

/// Takes every injected fault off the fake Strava.
pub(super) async fn clear_strava_faults() -> TestResult {
    fake_request("DELETE", &strava_root()?, "/__fake/faults", None).await?;
    Ok(())
}

/// `page`: the fake Strava shows its consent page and waits; `approve`: it redirects at once;
/// `deny`: it refuses.
pub(super) async fn set_strava_approval(mode: &str) -> TestResult {
    fake_request(
        "POST",
        &strava_root()?,
        "/__fake/approval",
        Some(json!({ "mode": mode })),
    )
    .await
    .map_err(|refused| format!("the fake refused approval mode {mode}: {refused}"))?;
    Ok(())
}

/// Seeds the fake MTPW with sequences (UUID, name, transport) owned by the user who signs in,
/// as MTP Desktop Uploader's sync would have left them.
pub(super) async fn seed_mtpw_sequences(seeds: &[(&str, &str, &str)]) -> TestResult {
    let seeds: Vec<Value> = seeds
        .iter()
        .map(|(uuid, name, transport)| json!({ "unique_id": uuid, "name": name, "transport_type": transport }))
        .collect();
    fake_request(
        "POST",
        &mtpw_root()?,
        "/__fake/sequences",
        Some(json!(seeds)),
    )
    .await?;
    Ok(())
}

/// The latest notification once more than `seen` have arrived, waiting at most 10 s.
pub(super) async fn wait_for_notification(
    server: &FakeNotificationServer,
    seen: usize,
) -> Option<Notified> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let received = server.received();
        if received.len() > seen {
            return received.last().cloned();
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
