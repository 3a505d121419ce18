//! Sign-ins waiting for their callback, and the router that checks a callback's state
//! (single use, expiry, constant-time comparison) and hands the grant to the waiting sign-in.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::callback::{plain_word, Callback, CallbackError};
use super::state::{constant_time_eq, new_state};
use crate::Provider;
use crate::Secret;

/// What an accepted callback carries to the waiting sign-in.
#[derive(Debug)]
pub enum CallbackGrant {
    /// Strava: the code to exchange and the scopes the athlete granted.
    StravaCode { code: Secret, scopes: Vec<String> },
    /// Map the Paths: the token from the fragment.
    MtpwToken(Secret),
}

/// What the router did with a callback it did not refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOutcome {
    /// Handed to the waiting sign-in of this provider.
    Accepted(Provider),
    /// The repeat of a callback already accepted (deep links can arrive twice): ignored.
    AlreadyHandled,
}

type Verdict = Result<CallbackGrant, CallbackError>;

struct Pending {
    state: String,
    provider: Provider,
    redirect_base: String,
    created: Instant,
    waiter: oneshot::Sender<Verdict>,
}

/// A state that has been used, remembered so that a repeat is recognised.
struct Used {
    state: String,
    accepted: bool,
}

/// How many used states are remembered.
const USED_KEPT: usize = 64;

#[derive(Default)]
struct Inner {
    pending: Vec<Pending>,
    used: VecDeque<Used>,
}

/// The sign-ins started here and not finished, shared by the deep-link handler and the
/// loopback listener.
pub struct PendingSignIns {
    ttl: Duration,
    inner: Mutex<Inner>,
}

/// A registered sign-in: its state and the receiving end of its verdict. Dropping it forgets
/// the sign-in, so a later callback with its state is refused as unknown.
pub struct SignInTicket {
    pub state: String,
    pub provider: Provider,
    receiver: Option<oneshot::Receiver<Verdict>>,
    created: Instant,
    owner: Arc<PendingSignIns>,
}

impl std::fmt::Debug for SignInTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInTicket")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl PendingSignIns {
    /// States expire after `ttl` (10 minutes in the app).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts waiting for a callback to `redirect_base` (scheme, host, port, path).
    pub fn register(
        &self,
        provider: Provider,
        redirect_base: &str,
    ) -> (String, oneshot::Receiver<Verdict>) {
        let state = new_state();
        let (waiter, receiver) = oneshot::channel();
        self.lock().pending.push(Pending {
            state: state.clone(),
            provider,
            redirect_base: redirect_base.to_string(),
            created: Instant::now(),
            waiter,
        });
        (state, receiver)
    }

    /// Stops waiting for `state` without a verdict (the sign-in ended or was dropped).
    pub fn forget(&self, state: &str) {
        self.lock().pending.retain(|p| p.state != state);
    }

    /// Cancels every sign-in of `provider` that is waiting; returns how many.
    pub fn cancel(&self, provider: Provider) -> usize {
        let mut inner = self.lock();
        let (cancelled, kept): (Vec<_>, Vec<_>) = inner
            .pending
            .drain(..)
            .partition(|p| p.provider == provider);
        inner.pending = kept;
        let count = cancelled.len();
        for pending in cancelled {
            remember(&mut inner, pending.state, false);
            let _ = pending
                .waiter
                .send(Err(CallbackError::Cancelled { provider }));
        }
        count
    }

    /// True while a sign-in of `provider` is waiting.
    pub fn is_waiting(&self, provider: Provider) -> bool {
        self.lock().pending.iter().any(|p| p.provider == provider)
    }

    /// Checks the callback's state and hands its grant (or the provider's refusal) to the
    /// waiting sign-in. A callback with an unknown, used or expired state changes nothing.
    pub fn route(&self, callback: &Callback) -> Result<RouteOutcome, CallbackError> {
        let state = callback.param("state").ok_or(CallbackError::MissingState)?;
        let mut inner = self.lock();
        if let Some(used) = inner
            .used
            .iter()
            .find(|u| constant_time_eq(u.state.as_bytes(), state.as_bytes()))
        {
            return if used.accepted {
                Ok(RouteOutcome::AlreadyHandled)
            } else {
                Err(CallbackError::ReusedState)
            };
        }
        let index = inner
            .pending
            .iter()
            .position(|p| constant_time_eq(p.state.as_bytes(), state.as_bytes()))
            .ok_or(CallbackError::UnknownState)?;
        let pending = &inner.pending[index];
        if pending.provider != callback.provider || pending.redirect_base != callback.base {
            return Err(CallbackError::UnknownState);
        }
        let pending = inner.pending.remove(index);
        let provider = pending.provider;
        let verdict = if pending.created.elapsed() > self.ttl {
            Err(CallbackError::ExpiredState { provider })
        } else {
            grant_of(callback)
        };
        let accepted = verdict.is_ok();
        remember(&mut inner, pending.state, accepted);
        let refusal = verdict.as_ref().err().cloned();
        let delivered = pending.waiter.send(verdict).is_ok();
        match (refusal, delivered) {
            (Some(refusal), _) => Err(refusal),
            (None, true) => Ok(RouteOutcome::Accepted(provider)),
            (None, false) => Err(CallbackError::Cancelled { provider }),
        }
    }

    /// A ticket that forgets the sign-in when dropped.
    pub fn ticket(self: &Arc<Self>, provider: Provider, redirect_base: &str) -> SignInTicket {
        let (state, receiver) = self.register(provider, redirect_base);
        SignInTicket {
            state,
            provider,
            receiver: Some(receiver),
            created: Instant::now(),
            owner: Arc::clone(self),
        }
    }
}

impl SignInTicket {
    /// Waits for the verdict, at most until the state expires.
    pub async fn verdict(&mut self) -> Result<CallbackGrant, CallbackError> {
        let provider = self.provider;
        let Some(receiver) = self.receiver.take() else {
            return Err(CallbackError::Cancelled { provider });
        };
        let left = self.owner.ttl.saturating_sub(self.created.elapsed());
        match tokio::time::timeout(left, receiver).await {
            Ok(Ok(verdict)) => verdict,
            Ok(Err(_)) => Err(CallbackError::Cancelled { provider }),
            Err(_) => Err(CallbackError::ExpiredState { provider }),
        }
    }
}

impl Drop for SignInTicket {
    fn drop(&mut self) {
        self.owner.forget(&self.state);
    }
}

fn remember(inner: &mut Inner, state: String, accepted: bool) {
    inner.used.push_back(Used { state, accepted });
    while inner.used.len() > USED_KEPT {
        inner.used.pop_front();
    }
}

/// The provider's verdict in the callback's parameters.
fn grant_of(callback: &Callback) -> Verdict {
    let provider = callback.provider;
    if let Some(error) = callback.param("error") {
        return Err(if error == "access_denied" {
            CallbackError::AccessDenied { provider }
        } else {
            CallbackError::ProviderError {
                provider,
                error: plain_word(error),
            }
        });
    }
    match provider {
        Provider::Strava => {
            let code = callback
                .param("code")
                .filter(|c| !c.is_empty())
                .ok_or(CallbackError::MissingCode)?;
            let scope = callback.param("scope").unwrap_or("");
            let scopes: Vec<String> = scope
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if !scopes.iter().any(|s| s == "activity:write") {
                return Err(CallbackError::ScopeMissing {
                    granted: if scopes.is_empty() {
                        "nothing".into()
                    } else {
                        plain_word(scope)
                    },
                });
            }
            Ok(CallbackGrant::StravaCode {
                code: Secret::new(code),
                scopes,
            })
        }
        Provider::Mtpw => {
            let token = callback
                .param("access_token")
                .filter(|t| !t.is_empty())
                .ok_or(CallbackError::MissingToken)?;
            Ok(CallbackGrant::MtpwToken(Secret::new(token)))
        }
    }
}
