//! The one rule for a service address (a base URL): https, or http to this machine only.
//!
//! The settings saved from the UI, the environment overrides and the clients themselves all
//! check a base with [`check_base`], so a token or the client secret never travels in clear
//! text to another machine.

use url::{Host, Url};

/// Why a base URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseError {
    #[error("not a URL ({0})")]
    NotAUrl(String),
    #[error("must start with https://")]
    Scheme,
    #[error("has no host")]
    NoHost,
    #[error(
        "must start with https:// (http:// is accepted only for 127.0.0.1, ::1 and localhost)"
    )]
    Insecure,
    #[error("must not hold a user name or password")]
    Credentials,
    #[error("must have no query and no fragment")]
    QueryOrFragment,
}

/// Parses `base` and checks the rule: `https://`, or `http://` to 127.0.0.1, ::1 or
/// localhost; a host; no user name, password, query or fragment.
pub fn check_base(base: &str) -> Result<Url, BaseError> {
    let url = Url::parse(base.trim()).map_err(|e| BaseError::NotAUrl(e.to_string()))?;
    let host = url.host().ok_or(BaseError::NoHost)?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(BaseError::Insecure),
        _ => return Err(BaseError::Scheme),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BaseError::Credentials);
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BaseError::QueryOrFragment);
    }
    Ok(url)
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => *ip == std::net::Ipv4Addr::LOCALHOST,
        Host::Ipv6(ip) => *ip == std::net::Ipv6Addr::LOCALHOST,
    }
}

/// Whether two bases point at the same server (scheme, host and port); what a token is bound to.
/// Bases that do not parse are the same only when they are equal as text.
pub fn same_origin(a: &str, b: &str) -> bool {
    match (Url::parse(a.trim()), Url::parse(b.trim())) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => a.trim() == b.trim(),
    }
}

/// The host (and a port that is not the scheme's own) of a base, for messages: `www.strava.com`,
/// `127.0.0.1:8080`. The base itself when it does not parse.
pub fn host_label(base: &str) -> String {
    let Ok(url) = Url::parse(base.trim()) else {
        return super::cut(base.trim(), 100);
    };
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => super::cut(base.trim(), 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_this_machine() {
        for ok in [
            "https://www.strava.com/api/v3",
            "https://www.mapthepaths.com",
            "https://mtp.example:8443/",
            "http://127.0.0.1:9000/api/v3",
            "http://localhost:1234",
            "http://LOCALHOST",
            "http://[::1]:80/oauth",
        ] {
            assert!(check_base(ok).is_ok(), "{ok}");
        }
        let refused = |base: &str| check_base(base).unwrap_err();
        assert_eq!(refused("http://www.strava.com"), BaseError::Insecure);
        assert_eq!(refused("http://127.0.0.2:9"), BaseError::Insecure);
        assert_eq!(refused("http://10.0.0.1"), BaseError::Insecure);
        assert_eq!(
            refused("http://localhost.evil.example"),
            BaseError::Insecure
        );
        assert_eq!(refused("http://[::2]"), BaseError::Insecure);
        assert_eq!(refused("ftp://www.strava.com"), BaseError::Scheme);
        assert_eq!(refused("file:///etc"), BaseError::NoHost);
        assert_eq!(
            refused("https://u:p@www.strava.com"),
            BaseError::Credentials
        );
        assert_eq!(
            refused("https://x.example/?a=b"),
            BaseError::QueryOrFragment
        );
        assert!(matches!(refused("www.strava.com"), BaseError::NotAUrl(_)));
        assert!(refused("http://www.strava.com")
            .to_string()
            .contains("127.0.0.1, ::1 and localhost"));
    }

    #[test]
    fn origins_and_host_labels() {
        assert!(same_origin(
            "https://www.strava.com/api/v3",
            "https://www.strava.com"
        ));
        assert!(same_origin(
            "https://www.strava.com:443/",
            "https://www.strava.com"
        ));
        assert!(!same_origin(
            "https://www.strava.com",
            "https://evil.example"
        ));
        assert!(!same_origin("http://127.0.0.1:1", "http://127.0.0.1:2"));
        assert!(!same_origin("http://localhost:1", "https://localhost:1"));
        assert_eq!(
            host_label("https://www.strava.com/api/v3"),
            "www.strava.com"
        );
        assert_eq!(host_label("http://127.0.0.1:8080/oauth"), "127.0.0.1:8080");
        assert_eq!(host_label("https://[::1]:9/"), "[::1]:9");
    }
}
