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
    &[super::uploads::CREATE],
];

/// The schema version this build of the engine knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
