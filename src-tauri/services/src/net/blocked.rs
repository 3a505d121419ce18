//! A request the app stopped on purpose: a redirect, a reply too large, an address refused.

/// What the app refused to do with a service; each client puts the service's name in front
/// ("Strava redirected to …"). The text never holds a secret or a URL's query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Blocked {
    /// A 3xx reply: the app follows no redirect, so nothing was sent to `location`.
    #[error("redirected to {location} (HTTP {status}); the app does not follow redirects")]
    Redirect { status: u16, location: String },
    /// The reply said (or grew) larger than `limit` bytes; the rest was not read.
    #[error("sent a reply larger than {}; the app stopped reading it", size_text(*limit))]
    TooLarge { limit: usize },
    /// The base URL breaks the rule of [`super::check_base`]; nothing was sent.
    #[error("has an address the app refuses ({base}): {reason}")]
    Base { base: String, reason: String },
}

impl Blocked {
    /// The HTTP status of a redirect.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Redirect { status, .. } => Some(*status),
            Self::TooLarge { .. } | Self::Base { .. } => None,
        }
    }

    /// The refusal of `base`, if the rule refuses it.
    pub fn check_base(base: &str) -> Result<(), Blocked> {
        super::check_base(base)
            .map(|_| ())
            .map_err(|e| Blocked::Base {
                base: super::cut(base.trim(), 100),
                reason: e.to_string(),
            })
    }
}

fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_was_refused() {
        let redirect = Blocked::Redirect {
            status: 307,
            location: "https://evil.example/steal".into(),
        };
        assert_eq!(
            redirect.to_string(),
            "redirected to https://evil.example/steal (HTTP 307); the app does not follow redirects"
        );
        assert_eq!(redirect.http_status(), Some(307));
        assert_eq!(
            Blocked::TooLarge { limit: 1 << 20 }.to_string(),
            "sent a reply larger than 1 MiB; the app stopped reading it"
        );
        let base = Blocked::check_base("http://www.strava.com").unwrap_err();
        assert!(
            base.to_string().contains("(http://www.strava.com)"),
            "{base}"
        );
        assert!(Blocked::check_base("http://127.0.0.1:9").is_ok());
    }
}
