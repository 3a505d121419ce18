//! The store's schema, as an ordered list of migrations tracked by `PRAGMA user_version`.

/// Migration `i` (0-based) takes the schema from version `i` to `i + 1`. Only ever append.
pub const MIGRATIONS: &[&str] = &[
    // 1: library roots the user added, and the per-folder cache of read sequences.
    "CREATE TABLE library_roots (
         path BLOB PRIMARY KEY,
         added_at INTEGER NOT NULL
     );
     CREATE TABLE sequence_cache (
         folder BLOB PRIMARY KEY,
         json_size INTEGER NOT NULL,
         json_mtime_ns INTEGER NOT NULL,
         gpx_size INTEGER NOT NULL,
         gpx_mtime_ns INTEGER NOT NULL,
         status_size INTEGER NOT NULL,
         status_mtime_ns INTEGER NOT NULL,
         summary TEXT NOT NULL,
         preview BLOB NOT NULL
     );",
    // 4 (pipeline; the lead renumbers at merge): one record per sequence upload, keyed by
    // MTPW UUID + GPX content hash, every attempt of every step, and the MTPW ids the user
    // pasted or created for sequences that have none (never written into their folders).
    "CREATE TABLE uploads (
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
     );",
];

/// The schema version this build of the engine knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
