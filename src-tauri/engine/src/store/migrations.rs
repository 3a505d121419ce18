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
    // 3 (sign-in; the lead renumbers at merge): non-secret settings and account records.
    super::settings::CREATE,
];

/// The schema version this build of the engine knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
