//! Shared by the sign-in tests: the fakes, accounts over in-memory secrets, and a browser that
//! follows the authorize URL the way the user's browser would.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use mtp_engine::accounts::{Accounts, AccountsParts};
use mtp_engine::secrets::{MemorySecrets, SecretKey};
use mtp_engine::settings::{EnvOverrides, MemorySettings};
use mtp_testkit::fake::{FakeMtpw, FakeStrava, MtpwConfig, StravaConfig};

pub struct World {
    pub strava: FakeStrava,
    pub mtpw: FakeMtpw,
    pub secrets: Arc<MemorySecrets>,
    pub accounts: Accounts,
}

impl World {
    /// Auto-approving fakes; the accounts configured through the environment overrides.
    pub async fn start() -> World {
        World::start_with(StravaConfig::for_tests(), Duration::from_secs(600)).await
    }

    pub async fn start_with(strava_config: StravaConfig, sign_in_timeout: Duration) -> World {
        let strava = FakeStrava::start(strava_config).await.expect("fake Strava");
        // Registered as an MTPW operator would for this app: the deep link, and loopback on any port.
        let mtpw_config = MtpwConfig {
            auto_approve: true,
            ..MtpwConfig::default()
        }
        .for_redirect_uri("mtp-strava-uploader://localhost/mtpw/callback")
        .for_redirect_uri("http://127.0.0.1/mtpw/callback");
        let mtpw = FakeMtpw::start(mtpw_config).await.expect("fake MTPW");
        let secrets = Arc::new(MemorySecrets::new());
        let env = env_for(&strava, &mtpw);
        let accounts = Accounts::new(AccountsParts {
            secrets: secrets.clone(),
            settings: Arc::new(MemorySettings::new()),
            env,
            sign_in_timeout,
            data_dir: None,
            keyring_timeout: std::time::Duration::from_secs(5),
        });
        World {
            strava,
            mtpw,
            secrets,
            accounts,
        }
    }

    pub fn client_secret(&self) -> String {
        self.strava.client().secret
    }

    /// Every secret value the test must never see in text: tokens and the client secret.
    pub fn secret_values(&self) -> Vec<String> {
        let mut values: Vec<String> = self
            .secrets
            .snapshot()
            .values()
            .flat_map(|s| {
                s.expose()
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|s| s.len() > 8)
            .collect();
        values.push(self.client_secret());
        values
    }

    pub fn has(&self, key: SecretKey) -> bool {
        self.secrets.snapshot().contains_key(&key)
    }

    /// How many requests to the fake Strava had this method and path.
    pub fn strava_requests(&self, method: &str, path: &str) -> usize {
        self.strava
            .requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    }
}

/// The environment `make demo` and the GUI tests set, pointing at the fakes.
pub fn env_for(strava: &FakeStrava, mtpw: &FakeMtpw) -> EnvOverrides {
    let client = strava.client();
    let (api, oauth, id, secret, mtpw_base, mtpw_id) = (
        strava.api_base(),
        strava.oauth_base(),
        client.id.to_string(),
        client.secret,
        mtpw.base_url(),
        mtpw.client_id(),
    );
    EnvOverrides::from_pairs(&[
        ("MTP_STRAVA_API_BASE", &api),
        ("MTP_STRAVA_OAUTH_BASE", &oauth),
        ("MTP_STRAVA_CLIENT_ID", &id),
        ("MTP_STRAVA_CLIENT_SECRET", &secret),
        ("MTPW_BASE", &mtpw_base),
        ("MTPW_CLIENT_ID", &mtpw_id),
    ])
}

/// A client that does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// Opens `url` as the browser would and returns where the service redirects to.
pub async fn follow(url: &str) -> String {
    let response = browser().get(url).send().await.expect("authorize request");
    assert!(
        response.status().is_redirection(),
        "expected a redirect from the authorize page, got {}",
        response.status()
    );
    response
        .headers()
        .get("location")
        .expect("Location header")
        .to_str()
        .expect("ASCII location")
        .to_string()
}

/// The `state` parameter of an authorize URL.
pub fn state_of(authorize_url: &str) -> String {
    url::Url::parse(authorize_url)
        .expect("authorize URL")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state parameter")
}

/// Panics if any secret value appears in `text`.
pub fn assert_no_secret(world: &World, text: &str) {
    for secret in world.secret_values() {
        assert!(!text.contains(&secret), "a secret leaked into: {text}");
    }
}
