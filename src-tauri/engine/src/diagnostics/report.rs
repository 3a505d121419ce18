//! The "Copy diagnostics" text for a bug report: versions, settings (never a secret), the
//! queue's state counts and the last lines of the log.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::engine::Engine;
use crate::error::EngineError;

/// How many log lines the report ends with.
pub const LOG_LINES_IN_REPORT: usize = 200;

/// What the shell knows and the engine does not.
#[derive(Debug, Clone, Default)]
pub struct DiagnosticsContext {
    /// The app's name and version, e.g. "MTP Strava Uploader 0.1.0".
    pub app: String,
    /// Further "name: value" lines (the Tauri and WebView versions).
    pub extra: Vec<(String, String)>,
    /// Where the log files are, if the app has a log.
    pub log_dir: Option<PathBuf>,
}

/// The report. The settings carry no secret (the Client Secret is shown only by where it comes
/// from); the log lines were written without any.
pub async fn report(engine: &Engine, context: &DiagnosticsContext) -> Result<String, EngineError> {
    let mut text = String::new();
    let _ = writeln!(text, "{}", context.app);
    let _ = writeln!(text, "OS: {}", os_description());
    for (name, value) in &context.extra {
        let _ = writeln!(text, "{name}: {value}");
    }
    let _ = writeln!(text, "Data folder: {}", engine.config().data_dir.display());
    if let Some(dir) = &context.log_dir {
        let _ = writeln!(text, "Log folder: {}", dir.display());
    }
    text.push_str("\nSettings:\n");
    match engine.accounts().settings().await {
        Ok(settings) => text.push_str(&settings_lines(
            &serde_json::to_value(&settings).unwrap_or_default(),
        )),
        Err(error) => {
            let _ = writeln!(text, "(could not be read: {error})");
        }
    }
    text.push_str("\nUpload queue and history, by state:\n");
    let counts = engine.store.upload_state_counts()?;
    if counts.is_empty() {
        text.push_str("(no uploads yet)\n");
    }
    for (state, count) in counts {
        let _ = writeln!(text, "{state}: {count}");
    }
    let _ = writeln!(text, "\nLast {LOG_LINES_IN_REPORT} log lines:");
    match &context.log_dir {
        Some(dir) => last_log_lines(dir, LOG_LINES_IN_REPORT)
            .iter()
            .for_each(|line| {
                text.push_str(line);
                text.push('\n');
            }),
        None => text.push_str("(no log)\n"),
    }
    Ok(text)
}

/// One `name: value` line per setting, saying which come from the environment.
fn settings_lines(settings: &serde_json::Value) -> String {
    let mut lines = String::new();
    for (name, setting) in settings.as_object().into_iter().flatten() {
        let plain = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let _ = match (setting.get("value"), setting.get("fromEnvironment")) {
            (Some(value), Some(serde_json::Value::Bool(true))) => {
                let var = setting.get("envVar").map(plain).unwrap_or_default();
                writeln!(lines, "  {name}: {} (from {var})", plain(value))
            }
            (Some(value), _) => writeln!(lines, "  {name}: {}", plain(value)),
            (None, _) => writeln!(lines, "  {name}: {}", plain(setting)),
        };
    }
    lines
}

/// The last `count` lines over the `*.log` files in `dir`, oldest first (the rotated files
/// before the current one). Unreadable files are skipped.
pub fn last_log_lines(dir: &Path, count: usize) -> Vec<String> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "log"))
        .filter_map(|path| Some((fs::metadata(&path).ok()?.modified().ok()?, path)))
        .collect();
    files.sort();
    let mut lines: Vec<String> = Vec::new();
    for (_, path) in files.iter().rev() {
        let Ok(bytes) = fs::read(path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let mut newest: Vec<String> = text
            .lines()
            .rev()
            .take(count - lines.len())
            .map(str::to_string)
            .collect();
        newest.reverse();
        newest.append(&mut lines);
        lines = newest;
        if lines.len() >= count {
            break;
        }
    }
    lines
}

/// "Debian GNU/Linux 12 (bookworm), kernel 6.1.0 (linux x86_64)" where the OS says so.
fn os_description() -> String {
    let arch = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|release| {
            release
                .lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_string())
        });
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").ok();
    match (pretty, kernel) {
        (Some(name), Some(kernel)) => format!("{name}, kernel {} ({arch})", kernel.trim()),
        (Some(name), None) => format!("{name} ({arch})"),
        _ => arch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_one_line_each_saying_where_they_come_from() {
        let settings = serde_json::json!({
            "stravaClientId": {"value": "180001", "fromEnvironment": true, "envVar": "MTP_STRAVA_CLIENT_ID"},
            "stravaScopes": {"value": "activity:write,read", "fromEnvironment": false, "envVar": null},
            "stravaClientSecret": "keyring",
            "debugLog": false,
        });
        assert_eq!(
            settings_lines(&settings),
            "  debugLog: false\n  stravaClientId: 180001 (from MTP_STRAVA_CLIENT_ID)\n  \
             stravaClientSecret: keyring\n  stravaScopes: activity:write,read\n"
        );
    }

    #[test]
    fn the_last_lines_run_across_rotated_files_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("app_2026-12-01.log");
        fs::write(&old, "a1\na2\na3\n").unwrap();
        let now = std::time::SystemTime::now();
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(now - std::time::Duration::from_secs(60))
            .unwrap();
        fs::write(dir.path().join("app.log"), "b1\nb2\n").unwrap();
        fs::write(dir.path().join("notes.txt"), "not a log\n").unwrap();
        assert_eq!(last_log_lines(dir.path(), 3), ["a3", "b1", "b2"]);
        assert_eq!(
            last_log_lines(dir.path(), 10),
            ["a1", "a2", "a3", "b1", "b2"]
        );
        assert!(last_log_lines(&dir.path().join("missing"), 5).is_empty());
    }
}
