//! Both fakes together, and the endpoint description the `fake-services` binary prints.

use serde_json::{json, Value};

use super::mtpw::{FakeMtpw, MtpwConfig};
use super::strava::config::StravaConfig;
use super::strava::FakeStrava;

/// Settings for starting both fakes.
#[derive(Debug, Clone, Default)]
pub struct ServicesConfig {
    pub strava: StravaConfig,
    pub mtpw: MtpwConfig,
    /// 0 picks a free port.
    pub strava_port: u16,
    /// 0 picks a free port.
    pub mtpw_port: u16,
}

/// A running fake Strava and fake MTPW.
#[derive(Debug)]
pub struct FakeServices {
    pub strava: FakeStrava,
    pub mtpw: FakeMtpw,
}

impl FakeServices {
    /// Starts both fakes on 127.0.0.1.
    pub async fn start(config: ServicesConfig) -> std::io::Result<FakeServices> {
        let strava = FakeStrava::start_on(config.strava_port, config.strava).await?;
        let mtpw = FakeMtpw::start_on(config.mtpw_port, config.mtpw).await?;
        Ok(FakeServices { strava, mtpw })
    }

    /// The line the binary prints: bases, client ids and the (fake) client secret.
    pub fn endpoints_json(&self) -> Value {
        let client = self.strava.client();
        json!({
            "strava_api_base": self.strava.api_base(),
            "strava_oauth_base": self.strava.oauth_base(),
            "mtpw_base": self.mtpw.base_url(),
            "strava_client_id": client.id.to_string(),
            "strava_client_secret": client.secret,
            "mtpw_client_id": self.mtpw.client_id(),
        })
    }
}
