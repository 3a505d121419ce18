//! Starting a browser sign-in, routing callbacks to it, and finishing it (code exchange or token).

use std::sync::Arc;

use url::Url;

use super::error::AuthError;
use super::handle::{Accounts, Inner};
use super::status::AccountsStatus;
use crate::os::browser::open_in_browser;
use crate::secrets::{Secret, SecretKey};
use crate::settings::{Provider, RedirectMode, SecretSource};
use mtp_services::mtpw;
use mtp_services::oauth::{
    self, deep_link, parse_callback, CallbackError, CallbackGrant, LoopbackListener, RouteOutcome,
    SignInTicket,
};
use mtp_services::strava::auth::{self as strava, StravaApp};

/// A sign-in waiting for its callback. Dropping it cancels it (and stops its loopback listener).
pub struct SignIn {
    pub provider: Provider,
    pub mode: RedirectMode,
    /// The page to open in the browser (the UI may show it with a Copy button).
    pub authorize_url: String,
    pub redirect_uri: String,
    ticket: SignInTicket,
    listener: Option<LoopbackListener>,
    accounts: Accounts,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("provider", &self.provider)
            .field("mode", &self.mode)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl SignIn {
    /// Opens the authorize URL with `$BROWSER` or the default browser, off the calling thread.
    pub async fn open_browser(&self) -> Result<(), AuthError> {
        Ok(open_in_browser(&self.authorize_url).await?)
    }

    /// Waits for the callback (at most 10 minutes), then exchanges the code (Strava) or keeps
    /// the token (Map the Paths) and returns the new status.
    pub async fn wait(mut self) -> Result<AccountsStatus, AuthError> {
        let provider = self.provider.name();
        let grant = self.ticket.verdict().await.inspect_err(|error| {
            log::warn!(provider; "sign-in ended without a grant: {error}");
        })?;
        drop(self.listener.take());
        log::info!(provider; "sign-in callback accepted");
        let status = self.accounts.finish_sign_in(grant).await;
        match &status {
            Ok(_) => log::info!(provider; "signed in"),
            Err(error) => log::warn!(provider; "sign-in failed: {error}"),
        }
        status
    }
}

impl Accounts {
    /// Starts a sign-in: checks the settings and the keyring, starts the loopback listener in
    /// that mode, and makes the authorize URL with a fresh state. Nothing is opened yet.
    pub async fn start_sign_in(
        &self,
        provider: Provider,
        mode: RedirectMode,
    ) -> Result<SignIn, AuthError> {
        let settings = self.effective(SecretSource::Unknown)?;
        let strava_app = match provider {
            Provider::Strava => Some(self.strava_app().await?),
            Provider::Mtpw => {
                if settings.mtpw_client_id.value.is_empty() {
                    return Err(AuthError::MissingSetting {
                        provider,
                        field: "Map the Paths client id",
                    });
                }
                None
            }
        };
        self.check_keyring().await?;
        let listener = match mode {
            RedirectMode::Loopback => Some(self.start_listener(provider).await?),
            RedirectMode::DeepLink => None,
        };
        let redirect_uri = match (&listener, provider) {
            (Some(listener), _) => listener.redirect_uri(),
            (None, Provider::Strava) => deep_link(Provider::Strava),
            (None, Provider::Mtpw) => settings.mtpw_redirect_uri.value.clone(),
        };
        let redirect_base = Url::parse(&redirect_uri)
            .map(|url| oauth::callback_base(&url))
            .map_err(|_| crate::settings::SettingsError::Invalid {
                field: "Map the Paths redirect URI",
                reason: "not a URL".into(),
            })?;
        let ticket = self.inner.pending.ticket(provider, &redirect_base);
        let authorize_url = match &strava_app {
            Some(app) => strava::authorize_url(
                &app.oauth_base,
                &app.client_id,
                &redirect_uri,
                &settings.strava_scopes.value,
                &ticket.state,
            ),
            None => mtpw::auth::authorize_url(
                &settings.mtpw_base.value,
                &settings.mtpw_client_id.value,
                &redirect_uri,
                &ticket.state,
            ),
        };
        log::info!(provider = provider.name(), mode:? = mode; "sign-in started");
        Ok(SignIn {
            provider,
            mode,
            authorize_url,
            redirect_uri,
            ticket,
            listener,
            accounts: self.clone(),
        })
    }

    /// The headless sign-in (the CLI `login` uses it with [`RedirectMode::Loopback`]): makes the
    /// URL, opens the browser, waits for the callback and finishes.
    pub async fn sign_in(
        &self,
        provider: Provider,
        mode: RedirectMode,
    ) -> Result<AccountsStatus, AuthError> {
        let sign_in = self.start_sign_in(provider, mode).await?;
        sign_in.open_browser().await?;
        sign_in.wait().await
    }

    /// The one router for callback URLs, from a deep link or the loopback listener. Refusals
    /// change nothing; the repeat of an accepted callback is [`RouteOutcome::AlreadyHandled`].
    /// Does not block: the code exchange happens in the waiting [`SignIn::wait`].
    pub fn handle_callback(&self, url: &str) -> Result<RouteOutcome, CallbackError> {
        // Logged without the URL: its query or fragment carries a code or a token.
        let outcome = route_callback(&self.inner, url);
        match &outcome {
            Ok(RouteOutcome::Accepted(provider)) => {
                log::info!(provider = provider.name(); "sign-in callback routed")
            }
            Ok(RouteOutcome::AlreadyHandled) => log::debug!("a repeated sign-in callback ignored"),
            Err(refused) => log::warn!("sign-in callback refused: {refused}"),
        }
        outcome
    }

    /// Cancels a waiting sign-in of `provider` (its `wait` returns a cancelled error).
    pub fn cancel_sign_in(&self, provider: Provider) -> bool {
        self.inner.pending.cancel(provider) > 0
    }

    async fn start_listener(&self, provider: Provider) -> Result<LoopbackListener, AuthError> {
        let inner = Arc::downgrade(&self.inner);
        let route: oauth::RouteFn = Arc::new(move |url: &str| match inner.upgrade() {
            Some(inner) => route_callback(&inner, url),
            None => Err(CallbackError::UnknownState),
        });
        LoopbackListener::start(provider, route, self.inner.pending.ttl())
            .await
            .map_err(|e| AuthError::Listener {
                reason: e.to_string(),
            })
    }

    /// The user's Strava application: client id and secret (environment or keyring) and bases.
    pub(super) async fn strava_app(&self) -> Result<StravaApp, AuthError> {
        let settings = self.effective(SecretSource::Unknown)?;
        if settings.strava_client_id.value.is_empty() {
            return Err(AuthError::MissingSetting {
                provider: Provider::Strava,
                field: "Strava Client ID",
            });
        }
        let secret = match self.inner.env.strava_client_secret() {
            Some(secret) => secret.clone(),
            None => self.secret(SecretKey::StravaClientSecret).await?.ok_or(
                AuthError::MissingSetting {
                    provider: Provider::Strava,
                    field: "Strava Client Secret",
                },
            )?,
        };
        Ok(StravaApp {
            client_id: settings.strava_client_id.value,
            client_secret: secret,
            oauth_base: settings.strava_oauth_base.value,
            api_base: settings.strava_api_base.value,
        })
    }

    async fn finish_sign_in(&self, grant: CallbackGrant) -> Result<AccountsStatus, AuthError> {
        match grant {
            CallbackGrant::StravaCode { code, scopes } => self.finish_strava(code, scopes).await?,
            CallbackGrant::MtpwToken(token) => self.set_secret(SecretKey::MtpwToken, token).await?,
        }
        Ok(self.status().await)
    }

    async fn finish_strava(&self, code: Secret, scopes: Vec<String>) -> Result<(), AuthError> {
        let app = self.strava_app().await?;
        let _tokens = self.inner.token_lock.lock().await;
        let _across = self.cross_process_token_lock().await?;
        let grant = strava::exchange_code(&self.inner.http, &app, &code).await?;
        let athlete = match grant.athlete.clone() {
            Some(athlete) => athlete,
            None => strava::athlete(&self.inner.http, &app.api_base, &grant.access_token).await?,
        };
        self.store_strava_tokens(&grant, None).await?;
        self.save_strava_record(&athlete, &scopes)
    }
}

fn route_callback(inner: &Inner, url: &str) -> Result<RouteOutcome, CallbackError> {
    // The configured Map the Paths redirect URI is a callback too (an operator may register another).
    let mtpw_uri = inner.settings.load_all().ok().map(|stored| {
        crate::settings::EffectiveSettings::resolve(&stored, &inner.env, SecretSource::Unknown)
            .mtpw_redirect_uri
            .value
    });
    let callback = parse_callback(url, mtpw_uri.as_deref())?;
    inner.pending.route(&callback)
}
