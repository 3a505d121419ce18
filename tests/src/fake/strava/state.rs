//! The fake Strava's data: client applications, athletes, codes, tokens, uploads, activities.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::config::{DuplicateText, RefreshRotation, StravaConfig};
use super::limits::Budget;
use crate::fake::faults::FaultPlan;

/// A registered API application (strava.com/settings/api).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientApp {
    pub id: u64,
    pub secret: String,
    pub callback_domain: String,
}

/// An athlete who can approve applications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Athlete {
    pub id: u64,
    pub username: String,
    pub firstname: String,
    pub lastname: String,
}

/// An authorization code handed out by the authorize endpoints.
#[derive(Debug, Clone, Serialize)]
pub struct AuthCode {
    pub code: String,
    pub client_id: u64,
    pub athlete_id: u64,
    pub scopes: Vec<String>,
    pub expires_at: i64,
    pub used: bool,
}

/// One athlete's authorization of one application: its current refresh token and access token.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub client_id: u64,
    pub athlete_id: u64,
    pub scopes: Vec<String>,
    pub access_token: String,
    pub access_expires_at: i64,
    pub refresh_token: String,
    pub revoked: bool,
}

/// Every access token ever issued, valid while unexpired and its grant is not revoked.
#[derive(Debug, Clone, Serialize)]
pub struct AccessToken {
    pub grant: usize,
    pub expires_at: i64,
    /// Revoked on its own (a `revoke_access_token` fault); its grant stays good.
    pub revoked: bool,
}

/// An authorize request waiting for the athlete to click Authorize or Cancel.
#[derive(Debug, Clone)]
pub struct PendingAuthorization {
    pub client_id: u64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
}

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum UploadOutcome {
    Processing,
    Ready { activity_id: u64 },
    Failed { error: String },
    Deleted,
}

/// An upload as received, and its processing outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Upload {
    pub id: u64,
    pub athlete_id: u64,
    pub client_id: u64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub external_id: Option<String>,
    pub trainer: Option<String>,
    pub commute: Option<String>,
    pub data_type: String,
    pub file_name: Option<String>,
    pub file_sha256: String,
    pub file_size: usize,
    #[serde(skip)]
    pub file: Vec<u8>,
    /// Identifies the track (points and times), whatever the file name, compression or external id.
    pub fingerprint: Option<String>,
    /// First and last trackpoint time (epoch seconds), for the time-overlap duplicate rule.
    pub time_range: Option<(i64, i64)>,
    /// A data problem found at POST time, reported when processing ends.
    pub problem: Option<String>,
    /// Fake-epoch-independent deadline: real milliseconds since the fake started.
    pub ready_at_ms: u64,
    pub outcome: UploadOutcome,
}

/// An activity created from an upload or seeded through `/__fake/activities`.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: u64,
    pub upload_id: u64,
    pub athlete_id: u64,
    pub name: String,
    pub description: String,
    pub external_id: Option<String>,
    pub trainer: bool,
    pub commute: bool,
    pub fingerprint: Option<String>,
    pub start_date: Option<String>,
    pub elapsed_time: i64,
    pub distance: f64,
    pub start_latlng: Vec<f64>,
    pub end_latlng: Vec<f64>,
    pub deleted: bool,
    /// Set on upload to "Ride"; changed with `PUT /activities/{id}`.
    pub sport_type: String,
    /// "Only Me": invisible without `activity:read_all`.
    pub private: bool,
    pub hide_from_home: bool,
    pub gear_id: Option<String>,
    /// Seeded through `/__fake/activities` rather than uploaded.
    pub seeded: bool,
}

impl Activity {
    /// Start and end in epoch seconds, when the start date is known.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        let start = self.start_date.as_deref().and_then(epoch_of)?;
        Some((start, start + self.elapsed_time.max(0)))
    }
}

/// Epoch seconds of an RFC 3339 time.
pub fn epoch_of(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .ok()
}

/// An activity the athlete already has without the API ("the watch already recorded this ride"),
/// for `FakeStrava::seed_activity` and `POST /__fake/activities`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SeededActivity {
    /// The owner (default: the athlete registered at start).
    #[serde(default)]
    pub athlete_id: Option<u64>,
    #[serde(default = "default_activity_name")]
    pub name: String,
    /// RFC 3339, e.g. `2021-06-01T09:30:00Z`.
    pub start_date: String,
    /// Seconds.
    pub elapsed_time: i64,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default = "default_sport_type")]
    pub sport_type: String,
    #[serde(default)]
    pub private: bool,
}

impl SeededActivity {
    /// A public ride of `athlete_id` (None: the default athlete) from `start_date` lasting `elapsed_time` s.
    pub fn new(start_date: &str, elapsed_time: i64) -> Self {
        Self {
            athlete_id: None,
            name: default_activity_name(),
            start_date: start_date.to_string(),
            elapsed_time,
            external_id: None,
            sport_type: default_sport_type(),
            private: false,
        }
    }
}

fn default_activity_name() -> String {
    "Morning Ride".to_string()
}

fn default_sport_type() -> String {
    "Ride".to_string()
}

/// All mutable data of the fake Strava, behind one mutex.
#[derive(Debug)]
pub struct StravaState {
    pub clients: Vec<ClientApp>,
    pub athletes: Vec<Athlete>,
    /// The athlete who clicks Authorize on the approval page.
    pub signed_in_athlete: u64,
    pub approval: super::config::Approval,
    pub codes: HashMap<String, AuthCode>,
    pub grants: Vec<Grant>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub pending: HashMap<String, PendingAuthorization>,
    pub uploads: Vec<Upload>,
    pub activities: Vec<Activity>,
    pub budgets: HashMap<u64, Budget>,
    pub faults: FaultPlan,
    pub requests: Vec<crate::fake::inspect::RequestRecord>,
    pub rng: StdRng,
    /// How duplicate errors read (from the config).
    pub duplicate_text: DuplicateText,
    /// Whether refreshes rotate the refresh token (from the config).
    pub refresh_rotation: RefreshRotation,
    next_upload_id: u64,
    next_activity_id: u64,
    next_athlete_id: u64,
    next_client_id: u64,
}

/// A random-looking 40-hex-character value, like Strava's tokens and secrets.
pub fn random_token() -> String {
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

impl StravaState {
    /// One client application and one athlete, as configured.
    pub fn new(config: &StravaConfig) -> Self {
        let mut rng = StdRng::seed_from_u64(config.seed);
        let next_upload_id = 10_000_000_000 + rng.gen_range(0..1_000_000_000);
        let next_activity_id = 12_000_000_000 + rng.gen_range(0..1_000_000_000);
        let mut state = Self {
            clients: Vec::new(),
            athletes: Vec::new(),
            signed_in_athlete: 0,
            approval: config.approval.clone(),
            codes: HashMap::new(),
            grants: Vec::new(),
            access_tokens: HashMap::new(),
            pending: HashMap::new(),
            uploads: Vec::new(),
            activities: Vec::new(),
            budgets: HashMap::new(),
            faults: FaultPlan::new(config.seed),
            requests: Vec::new(),
            rng,
            duplicate_text: config.duplicate_text,
            refresh_rotation: config.refresh_rotation,
            next_upload_id,
            next_activity_id,
            next_athlete_id: 31_000_001,
            next_client_id: 180_001,
        };
        state.register_client(&config.callback_domain);
        let athlete = state.register_athlete("Marianne", "Teutenberg");
        state.signed_in_athlete = athlete.id;
        state
    }

    /// Registers another client application with a fresh secret.
    pub fn register_client(&mut self, callback_domain: &str) -> ClientApp {
        let client = ClientApp {
            id: self.next_client_id,
            secret: random_token(),
            callback_domain: callback_domain.to_ascii_lowercase(),
        };
        self.next_client_id += 1;
        self.clients.push(client.clone());
        client
    }

    /// Registers another athlete.
    pub fn register_athlete(&mut self, firstname: &str, lastname: &str) -> Athlete {
        let athlete = Athlete {
            id: self.next_athlete_id,
            username: format!("{}_{}", firstname, lastname).to_ascii_lowercase(),
            firstname: firstname.to_string(),
            lastname: lastname.to_string(),
        };
        self.next_athlete_id += 1;
        self.athletes.push(athlete.clone());
        athlete
    }

    pub fn client(&self, id: u64) -> Option<&ClientApp> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn athlete(&self, id: u64) -> Option<&Athlete> {
        self.athletes.iter().find(|a| a.id == id)
    }

    /// The next upload id (beyond 2^32).
    pub fn new_upload_id(&mut self) -> u64 {
        let id = self.next_upload_id;
        self.next_upload_id += 1;
        id
    }

    /// The next activity id (beyond 2^32).
    pub fn new_activity_id(&mut self) -> u64 {
        let id = self.next_activity_id;
        self.next_activity_id += 1;
        id
    }

    /// Adds a seeded activity; refuses an unknown athlete or a start date that is not RFC 3339.
    pub fn seed_activity(&mut self, seed: SeededActivity) -> Result<u64, String> {
        let athlete_id = seed.athlete_id.unwrap_or(self.athletes[0].id);
        if self.athlete(athlete_id).is_none() {
            return Err(format!("unknown athlete_id {athlete_id}"));
        }
        if epoch_of(&seed.start_date).is_none() {
            return Err(format!("start_date is not RFC 3339: {}", seed.start_date));
        }
        if seed.elapsed_time < 0 {
            return Err("elapsed_time must not be negative".to_string());
        }
        let id = self.new_activity_id();
        let upload_id = self.new_upload_id();
        self.activities.push(Activity {
            id,
            upload_id,
            athlete_id,
            name: seed.name,
            description: String::new(),
            external_id: seed.external_id,
            trainer: false,
            commute: false,
            fingerprint: None,
            start_date: Some(seed.start_date),
            elapsed_time: seed.elapsed_time,
            distance: 0.0,
            start_latlng: Vec::new(),
            end_latlng: Vec::new(),
            deleted: false,
            sport_type: seed.sport_type,
            private: seed.private,
            hide_from_home: false,
            gear_id: None,
            seeded: true,
        });
        Ok(id)
    }

    /// Forgets codes, tokens, uploads, activities, budgets, faults and the request log.
    pub fn reset(&mut self, config: &StravaConfig) {
        let clients = std::mem::take(&mut self.clients);
        let athletes = std::mem::take(&mut self.athletes);
        let signed_in = self.signed_in_athlete;
        let (next_client, next_athlete) = (self.next_client_id, self.next_athlete_id);
        *self = Self::new(config);
        self.clients = clients;
        self.athletes = athletes;
        self.signed_in_athlete = signed_in;
        self.next_client_id = next_client;
        self.next_athlete_id = next_athlete;
    }
}
