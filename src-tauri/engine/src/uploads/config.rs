//! Settings of the upload pipeline: service bases, concurrency, MTPW value, and every duration.

use std::sync::Arc;
use std::time::Duration;

use mtp_services::strava::api::HttpTimeouts;
#[cfg(feature = "test-overrides")]
use mtp_services::strava::limits::ScaledClock;
use mtp_services::strava::limits::{Clock, SystemClock};

use crate::settings::{check_base_var, SettingsError};

/// The Strava API base by default.
pub const STRAVA_API_BASE: &str = "https://www.strava.com/api/v3";
/// The MTPW site by default (the API is under `/api/v1`).
pub const MTPW_BASE: &str = "https://www.mapthepaths.com";

/// What the MTPW import PUT sends as `strava`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MtpwStravaValue {
    /// The activity id: MTPW renders `strava` as `https://www.strava.com/activities/<value>`.
    #[default]
    ActivityId,
    /// The literal "true" the brief names, for an MTPW that expects a flag.
    LiteralTrue,
}

/// Every wait of the pipeline (tests shrink them).
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    /// The first retry waits about this long, doubling each time (plus up to 50% jitter).
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The first poll comes this long after the POST...
    pub poll_first: Duration,
    /// ...then the interval doubles up to this.
    pub poll_max: Duration,
    /// After this long polling, the upload is "still processing on Strava".
    pub poll_give_up: Duration,
    /// A POST whose answer was lost is looked up on Strava no sooner than this after it was
    /// sent: Strava makes the activity a moment after it accepts the upload.
    pub lookup_settle: Duration,
    /// Seconds (in the rate-limit clock) to wait past a window boundary.
    pub boundary_margin_secs: f64,
    pub http: HttpTimeouts,
}

impl Timings {
    /// Every wait divided by `factor` (tests and demos; a factor below 1 is ignored).
    pub fn sped_up(self, factor: f64) -> Self {
        if !(factor.is_finite() && factor > 1.0) {
            return self;
        }
        let scale = |d: Duration| d.div_f64(factor);
        Self {
            backoff_base: scale(self.backoff_base),
            backoff_max: scale(self.backoff_max),
            poll_first: scale(self.poll_first),
            poll_max: scale(self.poll_max),
            poll_give_up: scale(self.poll_give_up),
            lookup_settle: scale(self.lookup_settle),
            ..self
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60),
            poll_first: Duration::from_secs(2),
            poll_max: Duration::from_secs(30),
            poll_give_up: Duration::from_secs(600),
            lookup_settle: Duration::from_secs(15),
            boundary_margin_secs: 5.0,
            http: HttpTimeouts::default(),
        }
    }
}

/// Everything the pipeline needs besides the engine and the tokens.
#[derive(Clone)]
pub struct PipelineConfig {
    pub strava_api_base: String,
    pub mtpw_base: String,
    /// How many sequences go at once (default 2).
    pub concurrency: usize,
    /// Set the sport type from the transport mapping after upload (default on).
    pub set_sport_type: bool,
    pub mtpw_strava_value: MtpwStravaValue,
    pub timings: Timings,
    /// The clock rate-limit windows are counted in.
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for PipelineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineConfig")
            .field("strava_api_base", &self.strava_api_base)
            .field("mtpw_base", &self.mtpw_base)
            .field("concurrency", &self.concurrency)
            .field("set_sport_type", &self.set_sport_type)
            .field("mtpw_strava_value", &self.mtpw_strava_value)
            .field("timings", &self.timings)
            .finish_non_exhaustive()
    }
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            strava_api_base: STRAVA_API_BASE.into(),
            mtpw_base: MTPW_BASE.into(),
            concurrency: 2,
            set_sport_type: true,
            mtpw_strava_value: MtpwStravaValue::default(),
            timings: Timings::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

impl PipelineConfig {
    /// Defaults, with `MTP_STRAVA_API_BASE`, `MTPW_BASE`, `MTP_UPLOAD_CONCURRENCY`,
    /// `MTP_SET_SPORT_TYPE` (0/1) and `MTPW_STRAVA_VALUE` (`activity_id`/`true`) applied; in
    /// builds with the `test-overrides` feature (the workspace's test builds, never the package)
    /// also `MTP_PIPELINE_SPEEDUP` (divides backoff and poll waits) and
    /// `MTP_RATE_LIMIT_TIME_SCALE` (rate-limit windows pass that many times faster, for
    /// testing against `fake-services --time-scale`). A base the address rule refuses (https,
    /// or http to 127.0.0.1, ::1, localhost) is an error naming its variable.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`PipelineConfig::from_env`] with `read` as the environment (tests).
    pub fn from_vars(read: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut config = Self::default();
        let var = |name: &str| read(name).filter(|v| !v.trim().is_empty());
        for (name, base) in [
            ("MTP_STRAVA_API_BASE", &mut config.strava_api_base),
            ("MTPW_BASE", &mut config.mtpw_base),
        ] {
            if let Some(value) = var(name) {
                check_base_var(name, &value)?;
                *base = value.trim().to_string();
            }
        }
        if let Some(n) = var("MTP_UPLOAD_CONCURRENCY").and_then(|v| v.trim().parse().ok()) {
            config.concurrency = n;
        }
        if let Some(flag) = var("MTP_SET_SPORT_TYPE") {
            config.set_sport_type = !matches!(flag.trim(), "0" | "false" | "no");
        }
        if var("MTPW_STRAVA_VALUE").is_some_and(|v| v.trim() == "true") {
            config.mtpw_strava_value = MtpwStravaValue::LiteralTrue;
        }
        #[cfg(feature = "test-overrides")]
        config.apply_test_overrides(var);
        Ok(config)
    }

    /// The speed-ups the tests run with; compiled only into test builds.
    #[cfg(feature = "test-overrides")]
    fn apply_test_overrides(&mut self, var: impl Fn(&str) -> Option<String>) {
        if let Some(factor) = var("MTP_PIPELINE_SPEEDUP").and_then(|v| v.trim().parse().ok()) {
            self.timings = self.timings.sped_up(factor);
        }
        let time_scale = var("MTP_RATE_LIMIT_TIME_SCALE").and_then(|v| v.trim().parse().ok());
        if let Some(clock) = time_scale.and_then(ScaledClock::new) {
            self.clock = Arc::new(clock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn try_config_of(pairs: &[(&str, &str)]) -> Result<PipelineConfig, SettingsError> {
        PipelineConfig::from_vars(|name| {
            pairs
                .iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[cfg(feature = "test-overrides")]
    fn config_of(pairs: &[(&str, &str)]) -> PipelineConfig {
        try_config_of(pairs).unwrap()
    }

    #[test]
    fn a_refused_base_names_its_variable_instead_of_falling_back() {
        for var in ["MTP_STRAVA_API_BASE", "MTPW_BASE"] {
            let err = try_config_of(&[(var, "http://www.strava.com")]).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with(&format!("the environment variable {var} ")),
                "{err}"
            );
            assert!(err.to_string().contains("https://"), "{err}");
        }
        let config = try_config_of(&[
            ("MTP_STRAVA_API_BASE", "http://127.0.0.1:9/api/v3"),
            ("MTPW_BASE", " https://mtp.example "),
        ])
        .unwrap();
        assert_eq!(config.strava_api_base, "http://127.0.0.1:9/api/v3");
        assert_eq!(config.mtpw_base, "https://mtp.example");
        assert_eq!(try_config_of(&[]).unwrap().strava_api_base, STRAVA_API_BASE);
    }

    #[cfg(feature = "test-overrides")]
    #[test]
    fn the_rate_limit_time_scale_speeds_up_the_window_clock() {
        let real = config_of(&[]);
        let scaled = config_of(&[("MTP_RATE_LIMIT_TIME_SCALE", " 900 ")]);
        let later = real.clock.now_secs() + 900.0;
        // A quarter hour away: 15 real minutes, or one second at 900 times.
        assert!(real.clock.real_until(later) > Duration::from_secs(890));
        assert!(scaled.clock.real_until(later) <= Duration::from_secs(1));
        for ignored in ["1", "0.5", "-3", "fast", ""] {
            let config = config_of(&[("MTP_RATE_LIMIT_TIME_SCALE", ignored)]);
            let later = config.clock.now_secs() + 900.0;
            assert!(
                config.clock.real_until(later) > Duration::from_secs(890),
                "{ignored:?} must leave real time"
            );
        }
    }
}
