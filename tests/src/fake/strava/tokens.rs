//! Token rules: single-use expiring codes, refresh rotation, revocation, and bearer checks.

use serde_json::{json, Value};

use super::config::RefreshRotation;
use super::errors::StravaError;
use super::resources::athlete_summary;
use super::state::{random_token, AccessToken, AuthCode, Grant, StravaState};

/// An access token keeps being returned by a refresh while it has more than this left.
pub const REUSE_THRESHOLD_SECS: i64 = 3_600;

/// Who is calling, resolved from a valid bearer token.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub grant: usize,
    /// The bearer token the caller sent.
    pub access_token: String,
    pub client_id: u64,
    pub athlete_id: u64,
    pub scopes: Vec<String>,
}

impl Caller {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

impl StravaState {
    /// Hands out a code for an approved authorization.
    pub fn issue_code(
        &mut self,
        client_id: u64,
        athlete_id: u64,
        scopes: Vec<String>,
        expires_at: i64,
    ) -> String {
        let code = random_token();
        self.codes.insert(
            code.clone(),
            AuthCode {
                code: code.clone(),
                client_id,
                athlete_id,
                scopes,
                expires_at,
                used: false,
            },
        );
        code
    }

    /// Checks `client_id` and `client_secret` from a token request.
    pub fn check_client(
        &self,
        client_id: Option<&str>,
        secret: Option<&str>,
    ) -> Result<u64, StravaError> {
        let id = client_id
            .and_then(|id| id.trim().parse::<u64>().ok())
            .filter(|id| self.client(*id).is_some())
            .ok_or(StravaError::bad_request(
                "Application",
                "client_id",
                "invalid",
            ))?;
        let expected = self.client(id).map(|c| c.secret.as_str());
        if secret.is_none() || secret != expected {
            return Err(StravaError::BadClientSecret);
        }
        Ok(id)
    }

    /// `grant_type=authorization_code`: the code must exist, belong to the client, be unused and unexpired.
    pub fn exchange_code(
        &mut self,
        client_id: u64,
        code: Option<&str>,
        now: i64,
        ttl: i64,
    ) -> Result<Value, StravaError> {
        let invalid = StravaError::bad_request("AuthorizationCode", "code", "invalid");
        let entry = code
            .and_then(|c| self.codes.get_mut(c))
            .ok_or(invalid.clone())?;
        if entry.used || entry.client_id != client_id || entry.expires_at <= now {
            return Err(invalid);
        }
        entry.used = true;
        let (athlete_id, scopes) = (entry.athlete_id, entry.scopes.clone());
        let grant = self.new_grant(client_id, athlete_id, scopes, now, ttl);
        let mut body = self.token_body(grant, now);
        let athlete = self
            .athlete(athlete_id)
            .map(athlete_summary)
            .unwrap_or(Value::Null);
        body["athlete"] = athlete;
        Ok(body)
    }

    /// `grant_type=refresh_token`: same access token while more than an hour is left and it
    /// is not revoked, otherwise a new access token and (in `RefreshRotation::Rotate`) a new refresh token,
    /// the old refresh token dying at once; in `Keep` the refresh token stays.
    pub fn refresh(
        &mut self,
        client_id: u64,
        refresh_token: Option<&str>,
        now: i64,
        ttl: i64,
    ) -> Result<Value, StravaError> {
        let grant_index = self
            .grants
            .iter()
            .position(|g| {
                !g.revoked
                    && g.client_id == client_id
                    && Some(g.refresh_token.as_str()) == refresh_token
            })
            .ok_or(StravaError::BadRefreshToken)?;
        let grant = &self.grants[grant_index];
        let left = grant.access_expires_at - now;
        let current_revoked = self
            .access_tokens
            .get(&grant.access_token)
            .is_some_and(|access| access.revoked);
        if left <= REUSE_THRESHOLD_SECS || current_revoked {
            self.rotate(grant_index, now, ttl);
        }
        Ok(self.token_body(grant_index, now))
    }

    /// Issues tokens directly (for tests that skip the browser flow).
    pub fn new_grant(
        &mut self,
        client_id: u64,
        athlete_id: u64,
        scopes: Vec<String>,
        now: i64,
        ttl: i64,
    ) -> usize {
        self.grants.push(Grant {
            client_id,
            athlete_id,
            scopes,
            access_token: String::new(),
            access_expires_at: 0,
            refresh_token: String::new(),
            revoked: false,
        });
        let index = self.grants.len() - 1;
        self.rotate(index, now, ttl);
        index
    }

    fn rotate(&mut self, grant: usize, now: i64, ttl: i64) {
        let access = random_token();
        let expires_at = now + ttl;
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                grant,
                expires_at,
                revoked: false,
            },
        );
        let entry = &mut self.grants[grant];
        entry.access_token = access;
        entry.access_expires_at = expires_at;
        if entry.refresh_token.is_empty() || self.refresh_rotation == RefreshRotation::Rotate {
            entry.refresh_token = random_token();
        }
    }

    fn token_body(&self, grant: usize, now: i64) -> Value {
        let g = &self.grants[grant];
        json!({
            "token_type": "Bearer",
            "access_token": g.access_token,
            "expires_at": g.access_expires_at,
            "expires_in": g.access_expires_at - now,
            "refresh_token": g.refresh_token,
        })
    }

    /// The caller behind a bearer token, if the token is known, unexpired and not revoked.
    pub fn caller(&self, token: Option<&str>, now: i64) -> Option<Caller> {
        let token = token?;
        let access = self.access_tokens.get(token)?;
        let grant = self.grants.get(access.grant)?;
        if grant.revoked || access.revoked || access.expires_at <= now {
            return None;
        }
        Some(Caller {
            grant: access.grant,
            access_token: token.to_string(),
            client_id: grant.client_id,
            athlete_id: grant.athlete_id,
            scopes: grant.scopes.clone(),
        })
    }

    /// The client application an access token belongs to, even if it is expired or revoked.
    pub fn client_of_token(&self, token: Option<&str>) -> Option<u64> {
        let access = self.access_tokens.get(token?)?;
        self.grants.get(access.grant).map(|g| g.client_id)
    }

    /// Revokes a grant: its access and refresh tokens stop working.
    pub fn revoke_grant(&mut self, grant: usize) {
        if let Some(entry) = self.grants.get_mut(grant) {
            entry.revoked = true;
        }
    }

    /// Revokes one access token; its grant (and so its refresh token) stays good.
    pub fn revoke_access_token(&mut self, token: &str) {
        if let Some(access) = self.access_tokens.get_mut(token) {
            access.revoked = true;
        }
    }

    /// `POST /oauth/revoke`: revokes the grant holding `token` (access or refresh) for this client.
    pub fn revoke_token(&mut self, client_id: u64, token: &str) -> bool {
        let by_access = self.access_tokens.get(token).map(|a| a.grant);
        let by_refresh = self.grants.iter().position(|g| g.refresh_token == token);
        match by_access.or(by_refresh) {
            Some(grant) if self.grants[grant].client_id == client_id => {
                self.revoke_grant(grant);
                true
            }
            _ => false,
        }
    }

    /// `POST /oauth/deauthorize`: revokes every grant of this athlete for this application.
    pub fn deauthorize(&mut self, caller: &Caller) {
        for grant in self.grants.iter_mut() {
            if grant.client_id == caller.client_id && grant.athlete_id == caller.athlete_id {
                grant.revoked = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::strava::config::StravaConfig;

    fn state_with_code(now: i64) -> (StravaState, u64, String) {
        let mut state = StravaState::new(&StravaConfig::default());
        let client = state.clients[0].id;
        let athlete = state.athletes[0].id;
        let code = state.issue_code(client, athlete, vec!["activity:write".into()], now + 600);
        (state, client, code)
    }

    #[test]
    fn code_is_single_use() {
        let (mut state, client, code) = state_with_code(1_000);
        assert!(state
            .exchange_code(client, Some(&code), 1_000, 21_600)
            .is_ok());
        assert!(state
            .exchange_code(client, Some(&code), 1_000, 21_600)
            .is_err());
    }

    #[test]
    fn expired_code_is_refused() {
        let (mut state, client, code) = state_with_code(1_000);
        assert!(state
            .exchange_code(client, Some(&code), 1_600, 21_600)
            .is_err());
    }

    #[test]
    fn refresh_keeps_token_until_an_hour_is_left_then_rotates() {
        let (mut state, client, code) = state_with_code(0);
        let first = state
            .exchange_code(client, Some(&code), 0, 21_600)
            .expect("exchange");
        let refresh = first["refresh_token"]
            .as_str()
            .expect("refresh")
            .to_string();
        let same = state
            .refresh(client, Some(&refresh), 100, 21_600)
            .expect("same");
        assert_eq!(same["access_token"], first["access_token"]);
        assert_eq!(same["refresh_token"], first["refresh_token"]);
        assert!(same.get("athlete").is_none());
        let rotated = state
            .refresh(client, Some(&refresh), 21_600 - 3_600, 21_600)
            .expect("rotated");
        assert_ne!(rotated["access_token"], first["access_token"]);
        assert_ne!(rotated["refresh_token"], first["refresh_token"]);
        assert_eq!(
            state.refresh(client, Some(&refresh), 18_000, 21_600),
            Err(StravaError::BadRefreshToken)
        );
    }

    #[test]
    fn keep_mode_renews_the_access_token_but_not_the_refresh_token() {
        let (mut state, client, code) = state_with_code(0);
        state.refresh_rotation = RefreshRotation::Keep;
        let first = state
            .exchange_code(client, Some(&code), 0, 21_600)
            .expect("exchange");
        let refresh = first["refresh_token"]
            .as_str()
            .expect("refresh")
            .to_string();
        let renewed = state
            .refresh(client, Some(&refresh), 20_000, 21_600)
            .expect("renewed");
        assert_ne!(renewed["access_token"], first["access_token"]);
        assert_eq!(renewed["refresh_token"], first["refresh_token"]);
    }
}
