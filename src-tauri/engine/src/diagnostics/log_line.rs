//! One line of the log file: time, level, where, the message, then `key=value` fields.

use std::fmt::Write as _;

use log::kv::{Error as KvError, Key, Value, VisitSource};
use log::{LevelFilter, Record};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `2026-12-03T12:00:00.123Z INFO mtp_engine::uploads::job: upload state sequence="Lake Bled" state=done`.
/// Any URL in the message or a field loses its query and fragment (where a code, state or token
/// would be), whatever the caller wrote.
pub fn format_line(record: &Record<'_>, now: OffsetDateTime) -> String {
    let time = now.format(&Rfc3339).unwrap_or_default();
    let mut line = format!(
        "{time} {} {}: {}",
        record.level(),
        record.target(),
        redact_urls(&record.args().to_string())
    );
    let mut fields = Fields(&mut line);
    let _ = record.key_values().visit(&mut fields);
    line
}

/// [`format_line`] at the current time (UTC).
pub fn format_line_now(record: &Record<'_>) -> String {
    format_line(record, OffsetDateTime::now_utc())
}

/// The most detailed level `RUST_LOG` names: `debug`, or `info,mtp_engine=debug` and the like.
/// `None` when it names no level.
pub fn level_from_env(value: &str) -> Option<LevelFilter> {
    value
        .split(',')
        .filter_map(|directive| directive.rsplit('=').next())
        .filter_map(|level| level.trim().parse::<LevelFilter>().ok())
        .max()
}

struct Fields<'a>(&'a mut String);

impl<'kvs> VisitSource<'kvs> for Fields<'_> {
    fn visit_pair(&mut self, key: Key<'kvs>, value: Value<'kvs>) -> Result<(), KvError> {
        let value = redact_urls(&value.to_string());
        let plain = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || "-_./:@".contains(c));
        if plain {
            let _ = write!(self.0, " {key}={value}");
        } else {
            let _ = write!(self.0, " {key}={value:?}");
        }
        Ok(())
    }
}

/// `text` with every `scheme://…` URL cut before its `?` or `#`, marked `?…`.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, url) = rest.split_at(at);
        out.push_str(before);
        let end = url
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '>')
            .unwrap_or(url.len());
        let (url, after) = url.split_at(end);
        match url.find(['?', '#']) {
            Some(cut) => {
                out.push_str(&url[..cut]);
                out.push_str("?…");
            }
            None => out.push_str(url),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use log::Level;

    #[test]
    fn a_line_has_time_level_target_message_and_fields() {
        let fields = [("sequence", "Lake Bled walk"), ("state", "done")];
        let record = Record::builder()
            .level(Level::Info)
            .target("mtp_engine::uploads::job")
            .args(format_args!("upload state"))
            .key_values(&fields)
            .build();
        let now = OffsetDateTime::from_unix_timestamp(1_764_763_200).unwrap();
        assert_eq!(
            format_line(&record, now),
            "2025-12-03T12:00:00Z INFO mtp_engine::uploads::job: upload state \
             sequence=\"Lake Bled walk\" state=done"
        );
    }

    #[test]
    fn rust_log_gives_its_most_detailed_level() {
        assert_eq!(level_from_env("debug"), Some(LevelFilter::Debug));
        assert_eq!(
            level_from_env("info,mtp_engine=trace"),
            Some(LevelFilter::Trace)
        );
        assert_eq!(level_from_env(" WARN "), Some(LevelFilter::Warn));
        assert_eq!(level_from_env("mtp_engine"), None);
        assert_eq!(level_from_env(""), None);
    }

    #[test]
    fn urls_lose_their_query_and_fragment_in_messages_and_fields() {
        let callback = "mtp-strava-uploader://localhost/callback?code=abc123&state=s3cr3t";
        let fields = [("url", callback)];
        let message = format!("refused {callback} and http://127.0.0.1:9/cb#access_token=t0k");
        let line = format_line(
            &Record::builder()
                .level(Level::Warn)
                .target("t")
                .args(format_args!("{message}"))
                .key_values(&fields)
                .build(),
            OffsetDateTime::UNIX_EPOCH,
        );
        for secret in ["abc123", "s3cr3t", "t0k"] {
            assert!(!line.contains(secret), "{line}");
        }
        assert!(
            line.contains("mtp-strava-uploader://localhost/callback?…"),
            "{line}"
        );
        assert!(line.contains("http://127.0.0.1:9/cb?…"), "{line}");
        assert_eq!(redact_urls("no url here"), "no url here");
        assert_eq!(redact_urls("https://x.test/a b"), "https://x.test/a b");
    }
}
