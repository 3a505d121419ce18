//! The fake MTPW's data: its OAuth client, users, tokens and sequences.

use std::collections::HashMap;

use serde::Serialize;

use crate::fake::faults::FaultPlan;
use crate::fake::inspect::RequestRecord;
use crate::fake::strava::state::random_token;

/// Transport methods MTPW knows (children of Earth, Snow, Water, Air, Other).
pub const TRANSPORT_METHODS: &[&str] = &[
    "Bicycle",
    "Walk",
    "Scooter",
    "Skateboard",
    "Rollerskate",
    "Rock Climbing",
    "Wheelchair",
    "Car",
    "Electric Car",
    "Electric Bicycle",
    "Electric Scooter",
    "Ski",
    "Snowboard",
    "Snowshoe",
    "Ice Skating",
    "Snowmobile",
    "Swim",
    "Paddleboard",
    "Scuba Dive",
    "Surf",
    "Windsurf",
    "Kiteboard",
    "Canoe",
    "Freedive",
    "Kayak",
    "Row",
    "Sail",
    "Plane",
    "Helicopter",
    "Drone",
    "Boat",
    "Parachute",
    "Paraglide",
    "Hang Glide",
    "Wingsuit",
    "BASE Jump",
    "Glider",
    "Unlisted",
];

/// The longest `strava` value MTPW's column holds (a longer one makes the server fail with a 500).
pub const STRAVA_FIELD_MAX: usize = 50;

/// A MTPW user who can sign in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MtpwUser {
    pub id: u64,
    pub username: String,
}

/// A sequence created through the API.
#[derive(Debug, Clone, Serialize)]
pub struct Sequence {
    pub unique_id: String,
    pub owner: u64,
    pub name: String,
    pub description: Option<String>,
    pub transport_type: String,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub strava: Option<String>,
    pub google_street_view: Option<String>,
    pub mapillary_user_token: Option<String>,
    pub mapillary_sequence_key: Option<String>,
}

/// How long MTPW says its tokens live (`ACCESS_TOKEN_EXPIRE_SECONDS`): practically forever.
pub const TOKEN_EXPIRES_IN: u64 = 600_000_000;

/// A token handed out by the implicit flow (MTPW tokens practically do not expire).
#[derive(Debug, Clone, Serialize)]
pub struct MtpwToken {
    pub access_token: String,
    pub user_id: u64,
    pub revoked: bool,
}

/// An authorize request waiting on the approval page.
#[derive(Debug, Clone)]
pub struct PendingGrant {
    pub redirect_uri: String,
    pub state: Option<String>,
}

/// All mutable data of the fake MTPW.
#[derive(Debug)]
pub struct MtpwState {
    pub client_id: String,
    pub users: Vec<MtpwUser>,
    pub signed_in_user: u64,
    pub auto_approve: bool,
    pub tokens: Vec<MtpwToken>,
    pub pending: HashMap<String, PendingGrant>,
    pub sequences: Vec<Sequence>,
    pub faults: FaultPlan,
    pub requests: Vec<RequestRecord>,
    /// Redirect URIs registered for the client.
    pub redirect_uris: Vec<String>,
    /// `ALLOWED_REDIRECT_URI_SCHEMES`.
    pub allowed_schemes: Vec<String>,
    /// Status of the not-authenticated reply.
    pub unauthenticated_status: u16,
    seed: u64,
}

impl MtpwState {
    /// One OAuth client and one user.
    pub fn new(auto_approve: bool, seed: u64) -> Self {
        let mut state = Self {
            client_id: format!("mtpw-{}", &random_token()[..16]),
            users: Vec::new(),
            signed_in_user: 0,
            auto_approve,
            tokens: Vec::new(),
            pending: HashMap::new(),
            sequences: Vec::new(),
            faults: FaultPlan::new(seed),
            requests: Vec::new(),
            redirect_uris: vec![super::DEFAULT_REDIRECT_URI.to_string()],
            allowed_schemes: super::DEFAULT_ALLOWED_SCHEMES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            unauthenticated_status: 403,
            seed,
        };
        state.signed_in_user = state.register_user("trekker").id;
        state
    }

    /// Registers another user.
    pub fn register_user(&mut self, username: &str) -> MtpwUser {
        let user = MtpwUser {
            id: self.users.len() as u64 + 1,
            username: username.to_string(),
        };
        self.users.push(user.clone());
        user
    }

    /// Issues a token for a user.
    pub fn issue_token(&mut self, user_id: u64) -> String {
        let token = random_token();
        self.tokens.push(MtpwToken {
            access_token: token.clone(),
            user_id,
            revoked: false,
        });
        token
    }

    /// The user behind a bearer token.
    pub fn user_of(&self, token: Option<&str>) -> Option<u64> {
        let token = token?;
        self.tokens
            .iter()
            .find(|t| !t.revoked && t.access_token == token)
            .map(|t| t.user_id)
    }

    /// Revokes a token, as the user could on the MTPW settings page.
    pub fn revoke(&mut self, token: &str) {
        for entry in self.tokens.iter_mut().filter(|t| t.access_token == token) {
            entry.revoked = true;
        }
    }

    /// Forgets tokens, sequences, faults and requests; keeps the client and users.
    pub fn reset(&mut self) {
        self.tokens.clear();
        self.pending.clear();
        self.sequences.clear();
        self.requests.clear();
        self.faults = FaultPlan::new(self.seed);
    }
}
