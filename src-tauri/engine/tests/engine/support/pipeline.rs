//! Test harness for the upload pipeline: both fakes in process, a library of generated
//! sequences whose MTPW sequences exist on the fake, tokens from the fakes, fast timings.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use mtp_engine::tokens::{AccessToken, TokenError, TokenSource};
use mtp_engine::uploads::{EventSink, PipelineConfig, Timings, UploadEvent, Uploads};
use mtp_engine::{Engine, EngineConfig};
use mtp_services::mtpw::api::{MtpwClient, NewSequence};
use mtp_services::strava::limits::Clock;
use mtp_testkit::fake::clock::FakeClock;
use mtp_testkit::fake::inspect::RequestRecord;
use mtp_testkit::fake::{FakeServices, MtpwConfig, ServicesConfig, StravaConfig};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};

/// The fake's scaled clock as the pipeline's rate-limit clock.
pub struct FakeTime(pub FakeClock);

impl Clock for FakeTime {
    fn now_secs(&self) -> f64 {
        self.0.now_secs_f64()
    }
    fn real_until(&self, epoch_secs: f64) -> Duration {
        self.0.real_until(epoch_secs)
    }
}

/// Tokens issued by the fakes; refresh goes through the fake's OAuth token endpoint.
pub struct FakeTokens {
    pub strava_access: Mutex<Option<String>>,
    pub strava_refresh: Mutex<String>,
    pub mtpw: Mutex<Option<String>>,
    pub refresh_calls: AtomicU32,
    /// One refresh at a time: each one rotates the refresh token.
    refreshing: tokio::sync::Mutex<()>,
    oauth_base: String,
    client_id: u64,
    client_secret: String,
}

impl FakeTokens {
    fn strava(&self) -> Result<AccessToken, TokenError> {
        self.strava_access
            .lock()
            .unwrap()
            .clone()
            .map(AccessToken::new)
            .ok_or(TokenError::NotSignedIn { service: "Strava" })
    }

    async fn refresh(&self) -> Result<AccessToken, TokenError> {
        let _one_at_a_time = self.refreshing.lock().await;
        self.refresh_calls.fetch_add(1, Ordering::SeqCst);
        let refresh = self.strava_refresh.lock().unwrap().clone();
        let form = [
            ("client_id", self.client_id.to_string()),
            ("client_secret", self.client_secret.clone()),
            ("grant_type", "refresh_token".to_string()),
            ("refresh_token", refresh),
        ];
        let failed = |reason: String| TokenError::Failed {
            service: "Strava",
            reason,
        };
        let reply: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/token", self.oauth_base))
            .form(&form)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?
            .json()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let access = reply["access_token"]
            .as_str()
            .ok_or_else(|| failed(reply.to_string()))?;
        if let Some(refresh) = reply["refresh_token"].as_str() {
            *self.strava_refresh.lock().unwrap() = refresh.to_string();
        }
        *self.strava_access.lock().unwrap() = Some(access.to_string());
        Ok(AccessToken::new(access))
    }
}

/// The fakes' tokens go to any base (the tests point the pipeline at the fakes).
impl TokenSource for FakeTokens {
    fn strava_access_token<'a>(
        &'a self,
        _api_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move { self.strava() })
    }
    fn refresh_strava_token<'a>(
        &'a self,
        _api_base: &'a str,
        _refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(self.refresh())
    }
    fn mtpw_token<'a>(
        &'a self,
        _mtpw_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            self.mtpw
                .lock()
                .unwrap()
                .clone()
                .map(AccessToken::new)
                .ok_or(TokenError::NotSignedIn {
                    service: "Map the Paths",
                })
        })
    }
}

/// Timings for tests: milliseconds instead of seconds.
pub fn fast_timings() -> Timings {
    Timings {
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(40),
        poll_first: Duration::from_millis(30),
        poll_max: Duration::from_millis(120),
        poll_give_up: Duration::from_secs(5),
        lookup_settle: Duration::from_millis(150),
        boundary_margin_secs: 1.0,
        ..Timings::default()
    }
}

/// Everything one pipeline test needs.
pub struct Harness {
    pub services: FakeServices,
    pub engine: Arc<Engine>,
    pub tokens: Arc<FakeTokens>,
    pub events: Arc<Mutex<Vec<UploadEvent>>>,
    pub tmp: tempfile::TempDir,
    pub config: PipelineConfig,
}

impl Harness {
    pub async fn start(strava: StravaConfig) -> Harness {
        let services = FakeServices::start(ServicesConfig {
            strava,
            mtpw: MtpwConfig {
                auto_approve: true,
                ..MtpwConfig::default()
            },
            ..ServicesConfig::default()
        })
        .await
        .expect("start fakes");
        let client = services.strava.client();
        let athlete = services.strava.athlete();
        let issued = services.strava.issue_tokens(
            client.id,
            athlete.id,
            &["read", "activity:write", "activity:read_all"],
        );
        let mtpw_token = services.mtpw.issue_token(services.mtpw.user().id);
        let tokens = Arc::new(FakeTokens {
            strava_access: Mutex::new(Some(issued.access_token)),
            strava_refresh: Mutex::new(issued.refresh_token),
            mtpw: Mutex::new(Some(mtpw_token)),
            refresh_calls: AtomicU32::new(0),
            refreshing: tokio::sync::Mutex::new(()),
            oauth_base: services.strava.oauth_base(),
            client_id: client.id,
            client_secret: client.secret.clone(),
        });
        let tmp = tempfile::tempdir().expect("temp dir");
        let engine = Arc::new(
            Engine::open_with_secrets(
                EngineConfig {
                    data_dir: tmp.path().join("data"),
                    default_root: tmp.path().join("home/MTP/sequences"),
                },
                Arc::new(mtp_engine::secrets::MemorySecrets::new()),
                mtp_engine::settings::EnvOverrides::none(),
            )
            .expect("open engine"),
        );
        let config = PipelineConfig {
            strava_api_base: services.strava.api_base(),
            mtpw_base: services.mtpw.base_url(),
            timings: fast_timings(),
            clock: Arc::new(FakeTime(services.strava.clock())),
            ..PipelineConfig::default()
        };
        Harness {
            services,
            engine,
            tokens,
            events: Arc::new(Mutex::new(Vec::new())),
            tmp,
            config,
        }
    }

    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("home/MTP/sequences")
    }

    pub fn uploader(&self) -> Uploads {
        self.uploader_with(self.config.clone())
    }

    pub fn uploader_with(&self, config: PipelineConfig) -> Uploads {
        Uploads::new(self.engine.clone(), config, self.tokens.clone()).expect("uploader")
    }

    pub fn sink(&self) -> EventSink {
        let events = self.events.clone();
        Arc::new(move |event| events.lock().unwrap().push(event))
    }

    /// Creates the sequence on the fake MTPW and writes it (with that UUID) into the library.
    pub async fn add_sequence(&self, mut spec: SequenceSpec) -> (String, String) {
        let uuid = self.create_on_mtpw(&spec).await;
        spec.destination_mtp = Some(serde_json::json!(uuid));
        let dir = write_sequence(&self.root(), &spec).expect("write sequence");
        (mtp_engine::files::sequence_id(&dir), uuid)
    }

    pub async fn create_on_mtpw(&self, spec: &SequenceSpec) -> String {
        let client = MtpwClient::new(reqwest::Client::new(), &self.services.mtpw.base_url());
        let token = self.tokens.mtpw.lock().unwrap().clone().unwrap();
        client
            .create_sequence(
                &token,
                &NewSequence {
                    name: spec.name.clone().unwrap_or_default(),
                    description: spec.description.clone(),
                    transport_type: spec.transport_method.clone().unwrap_or_default(),
                    tags: spec.tags.clone(),
                },
            )
            .await
            .expect("create on MTPW")
    }

    pub fn strava_requests(&self, method: &str, prefix: &str) -> Vec<RequestRecord> {
        self.services
            .strava
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .collect()
    }

    pub fn mtpw_requests(&self, method: &str, prefix: &str) -> Vec<RequestRecord> {
        self.services
            .mtpw
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .collect()
    }

    pub fn uploads_posted(&self) -> usize {
        self.strava_requests("POST", "/api/v3/uploads").len()
    }

    /// Live (not deleted) activities on the fake Strava.
    pub fn live_activities(&self) -> Vec<serde_json::Value> {
        let state = self.services.strava.state_json();
        state["activities"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !a["deleted"].as_bool().unwrap_or(false))
            .collect()
    }
}

/// A small valid sequence number `i` (Bicycle → Ride unless the sample says otherwise).
pub fn spec(i: usize) -> SequenceSpec {
    let mut spec = SequenceSpec::sample(i * 8, 40); // i * 8: always "Earth, Bicycle"
    spec.seed += i as u64;
    spec
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip body");
    out
}
