//! What the app tells about itself: the log line format and the "Copy diagnostics" report.

mod log_line;
mod report;

pub use log_line::{format_line, format_line_now, level_from_env, redact_urls};
pub use report::{last_log_lines, report, DiagnosticsContext, LOG_LINES_IN_REPORT};
