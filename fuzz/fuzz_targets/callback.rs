//! The deep-link callback parser (`mtp_services::oauth::parse_callback`) and the router that
//! follows it in the app (`PendingSignIns::route`), over arbitrary text.
//!
//! Input: the first line is the configured Map the Paths redirect URI (empty: none), the rest
//! the callback URL. `STRAVA_STATE` and `MTPW_STATE` below stand for the states of the two
//! sign-ins waiting in this run (fresh random ones each run), so the fuzzer reaches the
//! accepted path too.
//!
//! Properties: nothing panics and a refusal is a `CallbackError`; a parsed callback has only
//! the parameters the URL carries, each once, from the part its provider reads (Strava: the
//! query; Map the Paths: the fragment or the query), and its `Debug` shows no value; a grant
//! carries exactly the code or token of the URL, goes only to the sign-in whose state,
//! provider and redirect URI match, and a state is accepted once.
#![no_main]

use std::collections::BTreeMap;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use mtp_services::oauth::{
    callback_base, deep_link, parse_callback, Callback, CallbackError, CallbackGrant,
    PendingSignIns, RouteOutcome, DEEP_LINK_SCHEME, MAX_CALLBACK_BYTES,
};
use mtp_services::Provider;
use tokio::sync::oneshot::error::TryRecvError;
use url::Url;

/// Replaced by the waiting Strava sign-in's state (as long as a real state, 43 characters).
const STRAVA_STATE: &str = "~~strava~state~~~~~~~~~~~~~~~~~~~~~~~~~~~~~";
/// Replaced by the waiting Map the Paths sign-in's state.
const MTPW_STATE: &str = "~~mtpw~state~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (configured, raw) = match text.split_once('\n') {
        Some((first, rest)) => (Some(first).filter(|f| !f.is_empty()), rest),
        None => (None, text.as_ref()),
    };

    let pending = PendingSignIns::new(Duration::from_secs(600));
    let strava_base = deep_link(Provider::Strava);
    let mtpw_base = configured
        .and_then(|uri| Url::parse(uri).ok())
        .map(|uri| callback_base(&uri))
        .unwrap_or_else(|| deep_link(Provider::Mtpw));
    let (strava_state, mut strava_verdict) = pending.register(Provider::Strava, &strava_base);
    let (mtpw_state, mut mtpw_verdict) = pending.register(Provider::Mtpw, &mtpw_base);
    let raw = raw
        .replace(STRAVA_STATE, &strava_state)
        .replace(MTPW_STATE, &mtpw_state);

    let callback = match parse_callback(&raw, configured) {
        Ok(callback) => callback,
        Err(refusal) => {
            check_refusal(&raw, &refusal);
            return;
        }
    };
    check_callback(&raw, configured, &callback);

    let outcome = pending.route(&callback);
    let _ = outcome.as_ref().map_err(ToString::to_string);
    let delivered = [
        (
            Provider::Strava,
            &strava_state,
            &strava_base,
            strava_verdict.try_recv(),
        ),
        (
            Provider::Mtpw,
            &mtpw_state,
            &mtpw_base,
            mtpw_verdict.try_recv(),
        ),
    ];
    for (provider, state, base, verdict) in delivered {
        match verdict {
            Err(TryRecvError::Empty) => assert_ne!(outcome, Ok(RouteOutcome::Accepted(provider))),
            Err(TryRecvError::Closed) => panic!("the {provider:?} sign-in was dropped"),
            // A verdict (grant or refusal) only reaches the sign-in the callback belongs to.
            Ok(verdict) => {
                assert_eq!(callback.provider, provider);
                assert_eq!(callback.param("state"), Some(state.as_str()));
                assert_eq!(&callback.base, base);
                match verdict {
                    Ok(grant) => {
                        assert_eq!(outcome, Ok(RouteOutcome::Accepted(provider)));
                        check_grant(&callback, &grant);
                    }
                    Err(refusal) => assert_eq!(outcome.as_ref(), Err(&refusal)),
                }
            }
        }
    }
    match &outcome {
        Ok(RouteOutcome::AlreadyHandled) => panic!("nothing was handled before"),
        Err(CallbackError::MissingState) => assert!(callback.param("state").is_none()),
        _ => {}
    }

    // Each state once: the same callback again changes nothing.
    let again = pending.route(&callback);
    match &outcome {
        Ok(RouteOutcome::Accepted(_)) => assert_eq!(again, Ok(RouteOutcome::AlreadyHandled)),
        Ok(RouteOutcome::AlreadyHandled) => unreachable!(),
        Err(CallbackError::UnknownState | CallbackError::MissingState) => {
            assert_eq!(again, outcome)
        }
        Err(_) => assert_eq!(again, Err(CallbackError::ReusedState)),
    }
    assert!(matches!(strava_verdict.try_recv(), Err(_)));
    assert!(matches!(mtpw_verdict.try_recv(), Err(_)));
});

fn check_refusal(raw: &str, refusal: &CallbackError) {
    let _ = refusal.to_string();
    match refusal {
        CallbackError::TooLong { bytes } => {
            assert_eq!(*bytes, raw.len());
            assert!(raw.len() > MAX_CALLBACK_BYTES);
        }
        CallbackError::DuplicateParameter { name } => {
            // The name really is there twice, in the query or the fragment (or one in each).
            let url = Url::parse(raw.trim()).expect("a duplicate was found in a valid URL");
            let count = pairs(url.query())
                .chain(pairs(url.fragment()))
                .filter(|(k, _)| k == name)
                .count();
            assert!(count >= 2, "{name:?} {count} times");
        }
        CallbackError::Malformed | CallbackError::UnknownLink => {}
        other => panic!("parsing refused with {other:?}"),
    }
    if raw.len() <= MAX_CALLBACK_BYTES {
        assert!(!matches!(refusal, CallbackError::TooLong { .. }));
    }
}

fn check_callback(raw: &str, configured: Option<&str>, callback: &Callback) {
    assert!(raw.len() <= MAX_CALLBACK_BYTES);
    let url = Url::parse(raw.trim()).expect("a parsed callback is a valid URL");
    assert!(url.username().is_empty() && url.password().is_none());
    assert_eq!(callback.base, callback_base(&url));

    let is_deep_link = url.scheme() == DEEP_LINK_SCHEME
        && url.host_str() == Some("localhost")
        && url.port().is_none();
    let loopback =
        url.scheme() == "http" && url.host_str() == Some("127.0.0.1") && url.port().is_some();
    let own = is_deep_link || loopback;
    let configured_base = configured
        .and_then(|uri| Url::parse(uri).ok())
        .map(|uri| callback_base(&uri));
    match callback.provider {
        Provider::Strava => assert!(own && url.path() == "/strava/callback"),
        Provider::Mtpw => assert!(
            (own && url.path() == "/mtpw/callback")
                || configured_base.as_deref() == Some(callback.base.as_str())
        ),
    }

    // Every parameter is in the part of the URL its provider reads, exactly once.
    let read: Vec<(String, String)> = match callback.provider {
        Provider::Strava => pairs(url.query()).collect(),
        Provider::Mtpw => pairs(url.fragment()).chain(pairs(url.query())).collect(),
    };
    let mut expected = BTreeMap::new();
    for (name, value) in read {
        assert!(
            expected.insert(name, value).is_none(),
            "a parameter twice was accepted"
        );
    }
    assert_eq!(callback.params, expected);

    // Debug lists the names, never a value.
    let mut blank = callback.clone();
    blank.params.values_mut().for_each(String::clear);
    assert_eq!(format!("{callback:?}"), format!("{blank:?}"));

    // The app's own redirect URIs are callbacks of their provider.
    if is_deep_link && url.path() == "/strava/callback" {
        assert_eq!(callback.base, deep_link(Provider::Strava));
    }
}

fn check_grant(callback: &Callback, grant: &CallbackGrant) {
    assert!(callback.param("error").is_none());
    match grant {
        CallbackGrant::StravaCode { code, scopes } => {
            assert_eq!(callback.provider, Provider::Strava);
            assert!(!code.is_empty());
            assert_eq!(Some(code.expose()), callback.param("code"));
            assert!(scopes.iter().any(|s| s == "activity:write"));
            let scope = callback.param("scope").unwrap_or("");
            for s in scopes {
                assert!(!s.is_empty() && scope.split(',').any(|given| given.trim() == s));
            }
            assert_eq!(format!("{code:?}"), "Secret(<redacted>)");
        }
        CallbackGrant::MtpwToken(token) => {
            assert_eq!(callback.provider, Provider::Mtpw);
            assert!(!token.is_empty());
            assert_eq!(Some(token.expose()), callback.param("access_token"));
            assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
        }
    }
}

fn pairs(part: Option<&str>) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(part.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
}
