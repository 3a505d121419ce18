//! `Uploads::open`: the API bases from the sign-in settings and the tokens from the accounts
//! (signed in through the fakes, secrets in memory), refreshed through sign-in after a 401; a
//! base changed in Accounts applies to the next job, and the old sign-in's tokens never go to
//! the new server.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::support::sign_in::{mtpw_for_deep_links, sign_in_by_deep_link, use_mtpw, use_strava};
use mtp_engine::secrets::MemorySecrets;
use mtp_engine::settings::{EnvOverrides, Provider};
use mtp_engine::uploads::{UploadState, Uploads};
use mtp_engine::{Engine, EngineConfig};
use mtp_services::mtpw::api::{MtpwClient, NewSequence};
use mtp_testkit::fake::{
    FakeServices, FakeStrava, FaultKind, FaultRule, ServicesConfig, StravaConfig,
};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};

/// Both fakes, an engine whose Accounts point at them (as a user sets them), signed in to both.
pub(super) async fn signed_in() -> (FakeServices, Arc<Engine>, tempfile::TempDir) {
    let services = FakeServices::start(ServicesConfig {
        strava: StravaConfig::for_tests(),
        mtpw: mtpw_for_deep_links(),
        ..ServicesConfig::default()
    })
    .await
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = Arc::new(
        Engine::open_with_secrets(
            EngineConfig {
                data_dir: tmp.path().join("data"),
                default_root: tmp.path().join("home/MTP/sequences"),
            },
            Arc::new(MemorySecrets::new()),
            EnvOverrides::none(),
        )
        .unwrap(),
    );
    let accounts = engine.accounts();
    use_strava(accounts, &services.strava).await;
    use_mtpw(accounts, &services.mtpw).await;
    sign_in_by_deep_link(accounts, Provider::Strava).await;
    let status = sign_in_by_deep_link(accounts, Provider::Mtpw).await;
    assert!(
        status.strava.connected && status.mtpw.connected,
        "{status:?}"
    );
    (services, engine, tmp)
}

/// A sequence written into the library whose MTPW sequence exists on the fake; its id.
pub(super) async fn add_sequence(services: &FakeServices, root: &Path, i: usize) -> String {
    let token = services.mtpw.issue_token(services.mtpw.user().id);
    let mtpw = MtpwClient::new(reqwest::Client::new(), &services.mtpw.base_url());
    let new = NewSequence {
        name: format!("Accounts ride {i}"),
        description: None,
        transport_type: "Bicycle".into(),
        tags: vec![],
    };
    let created = mtpw.create_sequence(&token, &new).await.unwrap();
    let mut spec = SequenceSpec::sample(i * 8, 30);
    spec.seed += i as u64;
    spec.destination_mtp = Some(serde_json::json!(created));
    let dir: PathBuf = write_sequence(root, &spec).unwrap();
    mtp_engine::files::sequence_id(&dir)
}

fn token_posts(strava: &FakeStrava) -> usize {
    strava
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/oauth/token"))
        .count()
}

/// Every token and secret the fakes handed out or know (Strava's grants, old and new, and its
/// client secret; MTPW's tokens): long runs of letters and digits in their state.
fn issued_secrets(services: &FakeServices) -> Vec<String> {
    fn walk(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text)
                if text.len() >= 20 && text.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                found.push(text.clone())
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = vec![services.strava.client().secret];
    walk(&services.strava.state_json()["tokens"], &mut found);
    walk(&services.mtpw.state_json()["tokens"], &mut found);
    found.sort();
    found.dedup();
    found
}

/// Strava's 2027 rule, checked on everything the app sent: a token travels only in the
/// `Authorization` header, never in a URL (path or query) or a body, except at the OAuth
/// endpoints whose body is the token's own business: the code exchange and refresh
/// (`/oauth/token`: code, refresh token, client secret) and RFC 7009's revoke (`token`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_carries_a_token_outside_the_authorization_header() {
    let (services, engine, tmp) = signed_in().await;
    let root = tmp.path().join("home/MTP/sequences");
    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let ids = vec![
        add_sequence(&services, &root, 0).await,
        add_sequence(&services, &root, 1).await,
    ];
    // A refresh on the way (the access token revoked at the first POST), polls, the
    // activity's PUT with hide_from_home, the MTPW marks, then both sign-outs.
    services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::RevokeAccessToken,
        1,
    ));
    let options = mtp_engine::uploads::EnqueueOptions {
        insist: false,
        hide_from_home: true,
    };
    uploader.enqueue_with(&ids, &options).unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert!(summary.all_done, "{:?}", summary.records);
    engine
        .accounts()
        .disconnect(Provider::Strava)
        .await
        .unwrap();
    engine.accounts().disconnect(Provider::Mtpw).await.unwrap();

    let secrets = issued_secrets(&services);
    assert!(
        secrets.len() >= 4,
        "the grants were read: {}",
        secrets.len()
    );
    let oauth_body = |path: &str| {
        matches!(
            path,
            "/oauth/token" | "/api/v3/oauth/token" | "/oauth/revoke"
        )
    };
    let mut checked = 0;
    for (service, requests) in [
        ("Strava", services.strava.requests()),
        ("MTPW", services.mtpw.requests()),
    ] {
        for request in requests.iter().filter(|r| !r.path.starts_with("/__fake/")) {
            checked += 1;
            let url = format!("{} {:?}", request.path, request.query);
            let body = format!("{:?} {:?}", request.form, request.json);
            for secret in &secrets {
                assert!(
                    !url.contains(secret.as_str()),
                    "{service} {} {}: a token in the URL",
                    request.method,
                    request.path
                );
                assert!(
                    oauth_body(&request.path) || !body.contains(secret.as_str()),
                    "{service} {} {}: a token in the body",
                    request.method,
                    request.path
                );
            }
            if request.path.starts_with("/api/") {
                let auth = request.headers.get("authorization").cloned();
                assert!(
                    auth.as_deref()
                        .is_some_and(|a| a.starts_with("Bearer ") || a.starts_with("Basic ")),
                    "{service} {} {} without an Authorization header",
                    request.method,
                    request.path
                );
            }
        }
    }
    assert!(checked > 10, "{checked} requests checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_uploader_uses_the_signed_in_accounts_and_refreshes_after_a_401() {
    let (services, engine, tmp) = signed_in().await;
    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let id = add_sequence(&services, &tmp.path().join("home/MTP/sequences"), 0).await;
    services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::Unauthorized,
        1,
    ));
    let exchanges = token_posts(&services.strava);

    uploader.enqueue(&[id], false).unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert_eq!(
        summary.records[0].state,
        UploadState::Done,
        "{:?}",
        summary.records[0].detail
    );
    assert_eq!(
        token_posts(&services.strava) - exchanges,
        1,
        "one refresh through sign-in after the 401"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_strava_base_applies_to_the_next_job_and_gets_no_old_token() {
    let (services, engine, tmp) = signed_in().await;
    let root = tmp.path().join("home/MTP/sequences");
    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let first = add_sequence(&services, &root, 0).await;
    uploader.enqueue(&[first], false).unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert_eq!(summary.records[0].state, UploadState::Done);

    // Another Strava (another server, its own API application), set in Accounts while the
    // uploader stays open.
    let other = FakeStrava::start(StravaConfig::for_tests()).await.unwrap();
    use_strava(engine.accounts(), &other).await;
    let second = add_sequence(&services, &root, 1).await;
    uploader.enqueue(&[second], false).unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    let record = &summary.records[0];
    assert_eq!(
        record.state,
        UploadState::NotSignedIn,
        "{:?}",
        record.detail
    );
    let detail = record.detail.clone().unwrap_or_default();
    let host = |base: &str| {
        let url = url::Url::parse(base).unwrap();
        format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
    };
    assert!(
        detail.contains(&format!(
            "signed in to Strava on {}; sign in again for {}",
            host(&services.strava.base_url()),
            host(&other.base_url())
        )),
        "{detail}"
    );
    assert!(other.requests().is_empty(), "{:?}", other.requests());

    // Signed in there, Retry uploads to the new server: no restart of the uploader.
    sign_in_by_deep_link(engine.accounts(), Provider::Strava).await;
    uploader.retry(record.id).unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert_eq!(
        summary.records[0].state,
        UploadState::Done,
        "{:?}",
        summary.records[0].detail
    );
    let posted = |strava: &FakeStrava| {
        strava
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/api/v3/uploads")
            .count()
    };
    assert_eq!(posted(&other), 1);
    assert_eq!(posted(&services.strava), 1, "the first upload only");
}
