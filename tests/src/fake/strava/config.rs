//! Settings of the fake Strava: callback domain, approval mode, time scale, delays, limits.

use std::time::Duration;

use crate::fake::faults::{ErrorBody, DEFAULT_SEED};

/// What the authorize endpoints do once the request is valid.
#[derive(Debug, Clone, PartialEq)]
pub enum Approval {
    /// Show the approval page with Authorize and Cancel buttons.
    Page,
    /// Redirect at once with a code, granting the asked scopes minus `withhold`.
    Approve { withhold: Vec<String> },
    /// Redirect at once with `error=access_denied`.
    Deny,
}

impl Approval {
    /// Approve at once, granting everything asked.
    pub fn auto() -> Self {
        Self::Approve {
            withhold: Vec::new(),
        }
    }
}

/// How long an upload takes to process (real time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProcessingDelay {
    Fixed(Duration),
    /// Uniform between zero and twice `mean`, drawn from the seeded generator.
    Random {
        mean: Duration,
    },
}

/// When an upload problem (duplicate, bad data) is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// In the reply to `POST /uploads` (HTTP 400 with an Upload body).
    Post,
    /// Later, when the upload is polled (the POST answers 201).
    Poll,
}

/// How a duplicate upload's `error` names the activity it duplicates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DuplicateText {
    /// Today's form: `<file> duplicate of <a href='/activities/N' target='_blank'>Name</a>`.
    #[default]
    Html,
    /// The older form: `<file> duplicate of activity N`.
    Plain,
}

/// Whether a refresh that issues a new access token also issues a new refresh token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RefreshRotation {
    /// A new refresh token each time; the old one is refused at once.
    #[default]
    Rotate,
    /// The refresh token stays the same (Strava says it may or may not change).
    Keep,
}

/// Whether `scheme://<callback-domain>/...` redirect URIs are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomSchemes {
    Accepted,
    /// Only on `/oauth/mobile/authorize`.
    MobileOnly,
    Rejected,
}

/// The application's rate limits: overall and non-upload ("read"), 15 minutes and daily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub overall_15min: u64,
    pub overall_daily: u64,
    pub read_15min: u64,
    pub read_daily: u64,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            overall_15min: 200,
            overall_daily: 2_000,
            read_15min: 100,
            read_daily: 1_000,
        }
    }
}

/// Everything configurable about the fake Strava.
#[derive(Debug, Clone)]
pub struct StravaConfig {
    /// Callback domain of the default client application.
    pub callback_domain: String,
    pub approval: Approval,
    /// Fake time runs this many times faster than real time (rate-limit windows, token expiry).
    pub time_scale: f64,
    /// Fake time at start, in epoch seconds (`None`: the real now).
    pub start_epoch_secs: Option<f64>,
    pub processing: ProcessingDelay,
    pub duplicates_reported_at: Stage,
    pub data_errors_reported_at: Stage,
    pub custom_schemes: CustomSchemes,
    pub limits: RateLimits,
    /// Seed of the generator behind ids, random delays and probabilistic faults.
    pub seed: u64,
    /// Lifetime of an authorization code, in fake seconds.
    pub code_ttl_secs: i64,
    /// Lifetime of an access token, in fake seconds (Strava: 6 hours).
    pub access_token_ttl_secs: i64,
    /// How duplicate errors read (default: today's HTML link).
    pub duplicate_text: DuplicateText,
    /// Whether refreshing rotates the refresh token (default) or keeps it.
    pub refresh_rotation: RefreshRotation,
    /// The body of 5xx answers injected by a `status` fault (default: an edge HTML page).
    pub server_error_body: ErrorBody,
}

impl Default for StravaConfig {
    fn default() -> Self {
        Self {
            callback_domain: "localhost".to_string(),
            approval: Approval::Page,
            time_scale: 1.0,
            start_epoch_secs: None,
            processing: ProcessingDelay::Random {
                mean: Duration::from_secs(2),
            },
            duplicates_reported_at: Stage::Poll,
            data_errors_reported_at: Stage::Poll,
            custom_schemes: CustomSchemes::Accepted,
            limits: RateLimits::default(),
            seed: DEFAULT_SEED,
            code_ttl_secs: 600,
            access_token_ttl_secs: 21_600,
            duplicate_text: DuplicateText::default(),
            refresh_rotation: RefreshRotation::default(),
            server_error_body: ErrorBody::default(),
        }
    }
}

impl StravaConfig {
    /// Defaults for automated tests: auto-approve and a 50 ms processing delay.
    pub fn for_tests() -> Self {
        Self {
            approval: Approval::auto(),
            processing: ProcessingDelay::Fixed(Duration::from_millis(50)),
            ..Self::default()
        }
    }
}
