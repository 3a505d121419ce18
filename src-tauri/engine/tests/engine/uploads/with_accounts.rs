//! `Uploads::open`: the API bases from the sign-in settings and the tokens from the
//! accounts (secrets in memory here), refreshed through sign-in after a 401.

use std::sync::Arc;

use mtp_engine::secrets::{MemorySecrets, Secret, SecretKey, Secrets};
use mtp_engine::settings::EnvOverrides;
use mtp_engine::uploads::{UploadState, Uploads};
use mtp_engine::{Engine, EngineConfig};
use mtp_testkit::fake::{FakeServices, FaultKind, FaultRule, ServicesConfig, StravaConfig};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_uploader_uses_the_signed_in_accounts_and_refreshes_after_a_401() {
    let services = FakeServices::start(ServicesConfig {
        strava: StravaConfig::for_tests(),
        ..ServicesConfig::default()
    })
    .await
    .unwrap();
    let client = services.strava.client();
    let athlete = services.strava.athlete();
    let issued = services
        .strava
        .issue_tokens(client.id, athlete.id, &["activity:write"]);
    let mtpw_token = services.mtpw.issue_token(services.mtpw.user().id);

    let secrets = Arc::new(MemorySecrets::new());
    let entry = format!("{} {}", issued.expires_at, issued.access_token);
    secrets
        .set(SecretKey::StravaAccessToken, &Secret::new(entry))
        .unwrap();
    secrets
        .set(
            SecretKey::StravaRefreshToken,
            &Secret::new(issued.refresh_token.clone()),
        )
        .unwrap();
    secrets
        .set(SecretKey::MtpwToken, &Secret::new(mtpw_token.clone()))
        .unwrap();
    let client_id = client.id.to_string();
    let env = EnvOverrides::from_pairs(&[
        ("MTP_STRAVA_API_BASE", &services.strava.api_base()),
        ("MTP_STRAVA_OAUTH_BASE", &services.strava.oauth_base()),
        ("MTP_STRAVA_CLIENT_ID", &client_id),
        ("MTP_STRAVA_CLIENT_SECRET", &client.secret),
        ("MTPW_BASE", &services.mtpw.base_url()),
    ])
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("home/MTP/sequences");
    let engine = Arc::new(
        Engine::open_with_secrets(
            EngineConfig {
                data_dir: tmp.path().join("data"),
                default_root: root.clone(),
            },
            secrets,
            env,
        )
        .unwrap(),
    );

    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let mut spec = SequenceSpec::sample(0, 30);
    let created = {
        let mtpw = mtp_services::mtpw::api::MtpwClient::new(
            reqwest::Client::new(),
            &services.mtpw.base_url(),
        );
        let new = mtp_services::mtpw::api::NewSequence {
            name: "Accounts ride".into(),
            description: None,
            transport_type: "Bicycle".into(),
            tags: vec![],
        };
        mtpw.create_sequence(&mtpw_token, &new).await.unwrap()
    };
    spec.destination_mtp = Some(serde_json::json!(created));
    let dir = write_sequence(&root, &spec).unwrap();
    services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::Unauthorized,
        1,
    ));

    uploader
        .enqueue(&[mtp_engine::files::sequence_id(&dir)], false)
        .unwrap();
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert_eq!(
        summary.records[0].state,
        UploadState::Done,
        "{:?}",
        summary.records[0].detail
    );
    let refreshes = services
        .strava
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/oauth/token"))
        .count();
    assert_eq!(refreshes, 1, "one refresh through sign-in after the 401");
}
