//! The store's schema, as an ordered list of migrations tracked by `PRAGMA user_version`.
//!
//! Each table owns its SQL in its own file (`roots.rs`, `sequence_cache.rs`, ...); this list
//! only says in which order the steps run. A new table: a new file with its `CREATE` and one
//! more entry here. Only ever append.

use super::{roots, sequence_cache};

/// Migration `i` (0-based) takes the schema from version `i` to `i + 1`; its statements run in
/// one transaction.
pub const MIGRATIONS: &[&[&str]] = &[
    // 1: library roots the user added, and the first per-folder cache of read sequences.
    &[roots::CREATE, sequence_cache::CREATE_V1],
    // 2 (groundwork): the cache keeps file facts and the parsed record with a reader version,
    // not finished summaries; status and eligibility are derived when a row is read.
    &[sequence_cache::REPLACE_V1_WITH_FACTS],
    // 3 (sign-in): non-secret settings and account records.
    &[super::settings::CREATE],
    // 4 (pipeline): one record per sequence upload, keyed by MTPW UUID + GPX content hash,
    // every attempt of every step, and the MTPW ids the user pasted or created for sequences
    // that have none (never written into their folders).
    &[UPLOADS_V4],
    // 5 (lookup): what a try found out, beside its error (a lookup: the activity or none).
    &[ATTEMPT_NOTES_V5],
    // 6 (feed): whether an upload keeps its activity off the followers' home feeds (asked with
    // the batch), and whether Strava confirmed it.
    &[HIDE_FROM_HOME_V6, HIDDEN_FROM_HOME_V6],
];

/// The schema version this build of the engine knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Migration 4: the upload records and their attempts (queried in `crate::uploads::records`),
/// and the MTPW ids linked by the user (`mtpw_links.rs`). Here, not with its queries: the store
/// sits below the uploads and never imports from them.
const UPLOADS_V4: &str = "CREATE TABLE uploads (
         id INTEGER PRIMARY KEY,
         upload_key TEXT NOT NULL UNIQUE,
         sequence_id TEXT NOT NULL,
         sequence_name TEXT NOT NULL,
         folder TEXT NOT NULL,
         mtpw_uuid TEXT,
         gpx_sha256 TEXT NOT NULL,
         state TEXT NOT NULL,
         detail TEXT,
         strava_upload_id TEXT,
         activity_id TEXT,
         sport_type TEXT,
         created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL
     );
     CREATE INDEX uploads_by_state ON uploads (state, updated_at);
     CREATE INDEX uploads_by_time ON uploads (updated_at, id);
     CREATE TABLE upload_attempts (
         id INTEGER PRIMARY KEY,
         upload_id INTEGER NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
         at INTEGER NOT NULL,
         step TEXT NOT NULL,
         http_status INTEGER,
         error TEXT
     );
     CREATE INDEX upload_attempts_by_upload ON upload_attempts (upload_id, id);
     CREATE TABLE mtpw_links (
         sequence_id TEXT PRIMARY KEY,
         mtpw_uuid TEXT NOT NULL,
         source TEXT NOT NULL,
         created_at INTEGER NOT NULL
     );";

/// Migration 5: an attempt's note (`crate::uploads::records`).
const ATTEMPT_NOTES_V5: &str = "ALTER TABLE upload_attempts ADD COLUMN note TEXT;";

/// Migration 6: the batch's choice, sent as `hide_from_home` in the activity's PUT.
const HIDE_FROM_HOME_V6: &str =
    "ALTER TABLE uploads ADD COLUMN hide_from_home INTEGER NOT NULL DEFAULT 0;";
/// Migration 6: 1 once Strava's answer to that PUT said the activity is off the home feeds.
const HIDDEN_FROM_HOME_V6: &str =
    "ALTER TABLE uploads ADD COLUMN hidden_from_home INTEGER NOT NULL DEFAULT 0;";
