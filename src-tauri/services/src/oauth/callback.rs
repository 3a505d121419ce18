//! Reading a callback URL (deep link or loopback) into its provider and parameters, refusing
//! anything that is not exactly a sign-in callback of this app.

use std::collections::BTreeMap;

use url::Url;

use super::deep_link::DEEP_LINK_SCHEME;
use crate::Provider;

/// Callback URLs longer than this are refused unread.
pub const MAX_CALLBACK_BYTES: usize = 8 * 1024;

/// Why a callback URL was refused. Messages are for the user and never repeat the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("ignored a link of {bytes} bytes: sign-in links are at most 8 KB")]
    TooLong { bytes: usize },
    #[error("ignored a link that is not a valid URL")]
    Malformed,
    #[error("ignored a link that is not a sign-in link of this app")]
    UnknownLink,
    #[error("ignored a sign-in link that has ‘{name}’ more than once")]
    DuplicateParameter { name: String },
    #[error("ignored a sign-in link without a state")]
    MissingState,
    #[error("ignored a sign-in link that belongs to no sign-in started here (or one that was cancelled)")]
    UnknownState,
    #[error("the {} sign-in expired after 10 minutes: connect again", provider.name())]
    ExpiredState { provider: Provider },
    #[error(
        "ignored a sign-in link that was already used: connect again if you are not connected"
    )]
    ReusedState,
    #[error("you declined access on {}: nothing was changed", provider.name())]
    AccessDenied { provider: Provider },
    #[error("{} refused the sign-in ({error}): nothing was changed", provider.name())]
    ProviderError { provider: Provider, error: String },
    #[error("Strava's reply has no authorization code: connect again")]
    MissingCode,
    #[error("Strava was not allowed to upload activities (granted: {granted}); connect again and leave “Upload your activities” ticked")]
    ScopeMissing { granted: String },
    #[error("Map the Paths' reply has no token: connect again")]
    MissingToken,
    #[error("the {} sign-in was cancelled", provider.name())]
    Cancelled { provider: Provider },
}

/// A callback URL read and checked for shape (not yet for its state).
#[derive(Clone, PartialEq, Eq)]
pub struct Callback {
    pub provider: Provider,
    /// Scheme, host, port and path: what must equal the sign-in's redirect URI.
    pub base: String,
    /// Query parameters (Strava) or fragment parameters (Map the Paths), each present once.
    pub params: BTreeMap<String, String>,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Parameters hold codes and tokens: list their names only.
        f.debug_struct("Callback")
            .field("provider", &self.provider)
            .field("base", &self.base)
            .field("params", &self.params.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Callback {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Scheme, host, port and path of a URL, without user info, query or fragment.
pub fn url_base(url: &Url) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

/// Reads a callback from a deep link (`mtp-strava-uploader://localhost/<provider>/callback`),
/// the loopback listener (`http://127.0.0.1:<port>/<provider>/callback`) or the configured
/// Map the Paths redirect URI (`mtpw_redirect_uri`).
pub fn parse_callback(
    raw: &str,
    mtpw_redirect_uri: Option<&str>,
) -> Result<Callback, CallbackError> {
    if raw.len() > MAX_CALLBACK_BYTES {
        return Err(CallbackError::TooLong { bytes: raw.len() });
    }
    let url = Url::parse(raw.trim()).map_err(|_| CallbackError::Malformed)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CallbackError::UnknownLink);
    }
    let base = url_base(&url);
    let provider = provider_of(&url, &base, mtpw_redirect_uri).ok_or(CallbackError::UnknownLink)?;
    let params = match provider {
        Provider::Strava => pairs_once(url.query().unwrap_or(""))?,
        Provider::Mtpw => {
            // The token comes in the fragment; an error may come in either part.
            let mut params = pairs_once(url.fragment().unwrap_or(""))?;
            for (name, value) in pairs_once(url.query().unwrap_or(""))? {
                if params.insert(name.clone(), value).is_some() {
                    return Err(CallbackError::DuplicateParameter { name });
                }
            }
            params
        }
    };
    Ok(Callback {
        provider,
        base,
        params,
    })
}

fn provider_of(url: &Url, base: &str, mtpw_redirect_uri: Option<&str>) -> Option<Provider> {
    let by_path = || {
        [Provider::Strava, Provider::Mtpw]
            .into_iter()
            .find(|p| url.path() == p.callback_path())
    };
    let deep_link = url.scheme() == DEEP_LINK_SCHEME
        && url.host_str() == Some("localhost")
        && url.port().is_none();
    let loopback =
        url.scheme() == "http" && url.host_str() == Some("127.0.0.1") && url.port().is_some();
    if deep_link || loopback {
        if let Some(provider) = by_path() {
            return Some(provider);
        }
    }
    let configured = mtpw_redirect_uri
        .and_then(|uri| Url::parse(uri).ok())
        .map(|uri| url_base(&uri));
    (configured.as_deref() == Some(base)).then_some(Provider::Mtpw)
}

/// Form-encoded pairs; a name given twice refuses the whole link.
fn pairs_once(text: &str) -> Result<BTreeMap<String, String>, CallbackError> {
    let mut params = BTreeMap::new();
    for (name, value) in url::form_urlencoded::parse(text.as_bytes()) {
        let name = name.into_owned();
        if params.contains_key(&name) {
            return Err(CallbackError::DuplicateParameter { name });
        }
        params.insert(name, value.into_owned());
    }
    Ok(params)
}

/// Keeps what a provider says about an error short and plain (it is shown to the user).
pub fn plain_word(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | ',' | '-'))
        .take(60)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_links_loopback_and_the_configured_mtpw_uri() {
        let strava = parse_callback(
            "mtp-strava-uploader://localhost/strava/callback?state=s&code=c&scope=read,activity:write",
            None,
        )
        .unwrap();
        assert_eq!(strava.provider, Provider::Strava);
        assert_eq!(strava.param("scope"), Some("read,activity:write"));
        let mtpw = parse_callback(
            "http://127.0.0.1:4242/mtpw/callback#access_token=t&state=s",
            None,
        )
        .unwrap();
        assert_eq!(mtpw.provider, Provider::Mtpw);
        assert_eq!(mtpw.base, "http://127.0.0.1:4242/mtpw/callback");
        assert_eq!(mtpw.param("access_token"), Some("t"));
        let custom = parse_callback(
            "app.mtp.desktop://strava-uploader/cb#access_token=t&state=s",
            Some("app.mtp.desktop://strava-uploader/cb"),
        )
        .unwrap();
        assert_eq!(custom.provider, Provider::Mtpw);
    }

    #[test]
    fn refusals() {
        let refused = |url: &str| parse_callback(url, None).unwrap_err();
        assert_eq!(refused("not a url"), CallbackError::Malformed);
        assert_eq!(
            refused("mtp-strava-uploader://evil/strava/callback?state=s"),
            CallbackError::UnknownLink
        );
        assert_eq!(
            refused("mtp-strava-uploader://localhost/other?state=s"),
            CallbackError::UnknownLink
        );
        assert_eq!(
            refused("http://localhost:80/strava/callback?state=s"),
            CallbackError::UnknownLink
        );
        assert_eq!(
            refused("mtp-strava-uploader://user@localhost/strava/callback?state=s"),
            CallbackError::UnknownLink
        );
        assert_eq!(
            refused("mtp-strava-uploader://localhost/strava/callback?state=a&state=b"),
            CallbackError::DuplicateParameter {
                name: "state".into()
            }
        );
        let long = format!(
            "mtp-strava-uploader://localhost/strava/callback?state={}",
            "x".repeat(9000)
        );
        assert!(matches!(refused(&long), CallbackError::TooLong { .. }));
    }

    #[test]
    fn debug_lists_parameter_names_only() {
        let cb = parse_callback(
            "mtp-strava-uploader://localhost/strava/callback?state=s&code=secretcode",
            None,
        )
        .unwrap();
        assert!(!format!("{cb:?}").contains("secretcode"));
    }

    #[test]
    fn garbage_never_panics() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        let pieces = [
            "mtp-strava-uploader://",
            "localhost",
            "/strava/callback",
            "/mtpw/callback",
            "?",
            "#",
            "&",
            "=",
            "state",
            "code",
            "%",
            "%zz",
            "%00",
            "\u{0}",
            "é",
            "\u{202e}",
            "[",
            "]",
            ":",
            "@",
            "//",
            "http://127.0.0.1:",
            "65536",
            " ",
            "\n",
        ];
        for _ in 0..5_000 {
            let len = rng.gen_range(0..12);
            let url: String = (0..len)
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect();
            let _ = parse_callback(&url, Some("app.mtp.desktop://x/cb"));
        }
    }
}
