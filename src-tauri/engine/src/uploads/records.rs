//! The upload history in the store: one record per sequence upload, its attempts, queries.

use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::model::{
    HistoryPage, HistoryQuery, UploadAttempt, UploadRecord, UploadState, UploadStep,
};
use crate::error::EngineError;
use crate::store::{now_ms, Store};

/// A record about to be created.
#[derive(Debug, Clone)]
pub struct NewUploadRecord<'a> {
    pub key: &'a str,
    pub sequence_id: &'a str,
    pub sequence_name: &'a str,
    pub folder: &'a str,
    pub mtpw_uuid: Option<&'a str>,
    pub gpx_sha256: &'a str,
    pub sport_type: Option<&'a str>,
    /// Keep the activity off the followers' home feeds.
    pub hide_from_home: bool,
}

/// One stored attempt, as a step asks about the latest of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastAttempt {
    /// Epoch milliseconds.
    pub at_ms: i64,
    pub http_status: Option<u16>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, sequence_id, sequence_name, folder, mtpw_uuid, gpx_sha256, state, detail, strava_upload_id, activity_id, sport_type, created_at, updated_at, hide_from_home, hidden_from_home";

/// RFC 3339 (UTC) of epoch milliseconds.
pub fn rfc3339_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn record_from(row: &Row<'_>) -> rusqlite::Result<UploadRecord> {
    let id_of = |text: Option<String>| text.and_then(|t| t.parse::<u64>().ok());
    let activity_id = id_of(row.get(9)?);
    let state: String = row.get(6)?;
    Ok(UploadRecord {
        id: row.get(0)?,
        sequence_id: row.get(1)?,
        sequence_name: row.get(2)?,
        folder: row.get(3)?,
        mtpw_uuid: row.get(4)?,
        gpx_sha256: row.get(5)?,
        state: UploadState::parse(&state).unwrap_or(UploadState::Failed),
        detail: row.get(7)?,
        strava_upload_id: id_of(row.get(8)?),
        activity_id,
        sport_type: row.get(10)?,
        created_at: rfc3339_ms(row.get(11)?),
        updated_at: rfc3339_ms(row.get(12)?),
        hide_from_home: row.get(13)?,
        hidden_from_home: row.get(14)?,
        attempts: Vec::new(),
    })
}

impl Store {
    /// The record of this sequence upload (MTPW UUID + GPX hash key), if any.
    pub fn upload_by_key(&self, key: &str) -> Result<Option<UploadRecord>, EngineError> {
        let conn = self.conn()?;
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM uploads WHERE upload_key = ?1"),
            params![key],
            record_from,
        )
        .optional()
        .map_err(|e| self.fail(e))
    }

    /// One record with its attempts.
    pub fn upload(&self, id: i64) -> Result<Option<UploadRecord>, EngineError> {
        let conn = self.conn()?;
        let record = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM uploads WHERE id = ?1"),
                params![id],
                record_from,
            )
            .optional()
            .map_err(|e| self.fail(e))?;
        drop(conn);
        match record {
            Some(mut record) => {
                record.attempts = self.upload_attempts(id)?;
                Ok(Some(record))
            }
            None => Ok(None),
        }
    }

    /// The most recently changed record queued from this library folder.
    pub fn latest_upload_for_sequence(
        &self,
        sequence_id: &str,
    ) -> Result<Option<UploadRecord>, EngineError> {
        let conn = self.conn()?;
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM uploads WHERE sequence_id = ?1 ORDER BY updated_at DESC, id DESC LIMIT 1"),
            params![sequence_id],
            record_from,
        )
        .optional()
        .map_err(|e| self.fail(e))
    }

    /// Gives a record a new key and GPX hash (the GPX changed before it was sent);
    /// false when another record already has that key.
    pub fn rekey_upload(&self, id: i64, key: &str, gpx_sha256: &str) -> Result<bool, EngineError> {
        let conn = self.conn()?;
        let taken: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM uploads WHERE upload_key = ?1 AND id != ?2)",
                params![key, id],
                |row| row.get(0),
            )
            .map_err(|e| self.fail(e))?;
        if taken {
            return Ok(false);
        }
        conn.execute(
            "UPDATE uploads SET upload_key = ?2, gpx_sha256 = ?3 WHERE id = ?1",
            params![id, key, gpx_sha256],
        )
        .map_err(|e| self.fail(e))?;
        Ok(true)
    }

    /// Creates a queued record; when another process (the app, the CLI) has just queued the same
    /// upload, answers that record instead (one record per upload key, whoever queued first).
    pub fn insert_upload(&self, new: &NewUploadRecord<'_>) -> Result<i64, EngineError> {
        let conn = self.conn()?;
        let now = now_ms();
        conn.execute(
            "INSERT OR IGNORE INTO uploads (upload_key, sequence_id, sequence_name, folder, mtpw_uuid, gpx_sha256, state, sport_type, created_at, updated_at, hide_from_home)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            params![
                new.key,
                new.sequence_id,
                new.sequence_name,
                new.folder,
                new.mtpw_uuid,
                new.gpx_sha256,
                UploadState::Queued.as_str(),
                new.sport_type,
                now,
                new.hide_from_home
            ],
        )
        .map_err(|e| self.fail(e))?;
        conn.query_row(
            "SELECT id FROM uploads WHERE upload_key = ?1",
            params![new.key],
            |row| row.get(0),
        )
        .map_err(|e| self.fail(e))
    }

    /// Writes the record's state, detail, ids, names, folder and MTPW UUID (committed at once).
    pub fn save_upload(&self, record: &UploadRecord) -> Result<(), EngineError> {
        let conn = self.conn()?;
        conn.execute(
            "UPDATE uploads SET sequence_id = ?2, sequence_name = ?3, folder = ?4, state = ?5, detail = ?6,
                 strava_upload_id = ?7, activity_id = ?8, sport_type = ?9, updated_at = ?10, mtpw_uuid = ?11,
                 hide_from_home = ?12, hidden_from_home = ?13
             WHERE id = ?1",
            params![
                record.id,
                record.sequence_id,
                record.sequence_name,
                record.folder,
                record.state.as_str(),
                record.detail,
                record.strava_upload_id.map(|v| v.to_string()),
                record.activity_id.map(|v| v.to_string()),
                record.sport_type,
                now_ms(),
                record.mtpw_uuid,
                record.hide_from_home,
                record.hidden_from_home
            ],
        )
        .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// Appends one attempt to a record.
    pub fn add_attempt(
        &self,
        upload: i64,
        step: UploadStep,
        http_status: Option<u16>,
        error: Option<&str>,
    ) -> Result<(), EngineError> {
        self.insert_attempt(upload, step, http_status, error, None)
    }

    /// Appends a try that succeeded with something to say (a lookup's finding).
    pub fn add_noted_attempt(
        &self,
        upload: i64,
        step: UploadStep,
        http_status: Option<u16>,
        note: &str,
    ) -> Result<(), EngineError> {
        self.insert_attempt(upload, step, http_status, None, Some(note))
    }

    fn insert_attempt(
        &self,
        upload: i64,
        step: UploadStep,
        http_status: Option<u16>,
        error: Option<&str>,
        note: Option<&str>,
    ) -> Result<(), EngineError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO upload_attempts (upload_id, at, step, http_status, error, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![upload, now_ms(), step.as_str(), http_status, error, note],
        )
        .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// The latest attempt of `step` for a record.
    pub fn last_attempt_of(
        &self,
        upload: i64,
        step: UploadStep,
    ) -> Result<Option<LastAttempt>, EngineError> {
        let conn = self.conn()?;
        conn.query_row(
            "SELECT at, http_status, error FROM upload_attempts WHERE upload_id = ?1 AND step = ?2 ORDER BY id DESC LIMIT 1",
            params![upload, step.as_str()],
            |row| {
                Ok(LastAttempt {
                    at_ms: row.get(0)?,
                    http_status: row.get(1)?,
                    error: row.get(2)?,
                })
            },
        )
        .optional()
        .map_err(|e| self.fail(e))
    }

    /// The attempts of a record, oldest first.
    pub fn upload_attempts(&self, upload: i64) -> Result<Vec<UploadAttempt>, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT at, step, http_status, error, note FROM upload_attempts WHERE upload_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map(params![upload], |row| {
                let step: String = row.get(1)?;
                Ok(UploadAttempt {
                    at: rfc3339_ms(row.get(0)?),
                    step: UploadStep::parse(&step).unwrap_or(UploadStep::Upload),
                    http_status: row.get(2)?,
                    error: row.get(3)?,
                    note: row.get(4)?,
                })
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }

    /// The records with these ids, without their attempts, keyed by id (the queue's snapshot).
    pub fn uploads_by_id(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, UploadRecord>, EngineError> {
        let conn = self.conn()?;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        // Chunks stay well under SQLite's limit on bound parameters.
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM uploads WHERE id IN ({marks})"
                ))
                .map_err(|e| self.fail(e))?;
            let rows = stmt
                .query_map(params_from_iter(chunk), record_from)
                .map_err(|e| self.fail(e))?;
            for record in rows {
                let record = record.map_err(|e| self.fail(e))?;
                found.insert(record.id, record);
            }
        }
        Ok(found)
    }

    /// How many records are in each state ("done: 12"), for the diagnostics report.
    pub fn upload_state_counts(&self) -> Result<Vec<(String, u64)>, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare("SELECT state, COUNT(*) FROM uploads GROUP BY state ORDER BY state")
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }

    /// Records in any of `states`, oldest first (the order a run takes them in).
    pub fn uploads_in_states(
        &self,
        states: &[UploadState],
    ) -> Result<Vec<UploadRecord>, EngineError> {
        if states.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        let marks = vec!["?"; states.len()].join(", ");
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM uploads WHERE state IN ({marks}) ORDER BY id"
            ))
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map(
                params_from_iter(states.iter().map(|s| s.as_str())),
                record_from,
            )
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }

    /// A page of the history matching `query`, newest first.
    pub fn upload_history(&self, query: &HistoryQuery) -> Result<HistoryPage, EngineError> {
        let mut conditions = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if !query.states.is_empty() {
            conditions.push(format!(
                "state IN ({})",
                vec!["?"; query.states.len()].join(", ")
            ));
            args.extend(query.states.iter().map(|s| s.as_str().to_string()));
        }
        if let Some(text) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!(
                "%{}%",
                text.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            conditions.push(
                "(sequence_name LIKE ? ESCAPE '\\' OR folder LIKE ? ESCAPE '\\' OR mtpw_uuid LIKE ? ESCAPE '\\' OR activity_id LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')"
                    .into(),
            );
            args.extend(std::iter::repeat_n(pattern, 5));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let limit = if query.limit == 0 { 50 } else { query.limit };
        let conn = self.conn()?;
        let total: u32 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM uploads {filter}"),
                params_from_iter(args.iter()),
                |row| row.get(0),
            )
            .map_err(|e| self.fail(e))?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM uploads {filter} ORDER BY updated_at DESC, id DESC LIMIT {limit} OFFSET {}",
                query.offset
            ))
            .map_err(|e| self.fail(e))?;
        let records = stmt
            .query_map(params_from_iter(args.iter()), record_from)
            .map_err(|e| self.fail(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.fail(e))?;
        Ok(HistoryPage { records, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_record<'a>(key: &'a str, name: &'a str) -> NewUploadRecord<'a> {
        NewUploadRecord {
            key,
            sequence_id: "ab",
            sequence_name: name,
            folder: "/x/ride",
            mtpw_uuid: Some("0c1f"),
            gpx_sha256: "hash",
            sport_type: Some("Ride"),
            hide_from_home: false,
        }
    }

    #[test]
    fn records_and_attempts_round_trip_and_one_record_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = store
            .insert_upload(&new_record("k1", "Coast Ride"))
            .unwrap();
        // Queued again (by another process at the same moment): the first record answers.
        assert_eq!(store.insert_upload(&new_record("k1", "Other")).unwrap(), id);
        assert_eq!(
            store.upload(id).unwrap().unwrap().sequence_name,
            "Coast Ride"
        );
        let mut record = store.upload_by_key("k1").unwrap().unwrap();
        assert_eq!(record.state, UploadState::Queued);
        record.state = UploadState::Done;
        record.activity_id = Some(12_000_000_001);
        store.save_upload(&record).unwrap();
        store
            .add_attempt(id, UploadStep::Upload, Some(503), Some("server error"))
            .unwrap();
        store
            .add_attempt(id, UploadStep::Upload, Some(201), None)
            .unwrap();
        store
            .add_noted_attempt(id, UploadStep::Lookup, Some(200), "found it")
            .unwrap();
        let back = store.upload(id).unwrap().unwrap();
        assert_eq!(back.state, UploadState::Done);
        assert!(!back.hide_from_home && !back.hidden_from_home);
        assert_eq!(back.activity_id, Some(12_000_000_001));
        assert_eq!(back.attempts.len(), 3);
        assert_eq!(back.attempts[0].http_status, Some(503));
        assert_eq!(back.attempts[2].note.as_deref(), Some("found it"));
        assert_eq!(back.attempts[2].error, None);
        let last = store
            .last_attempt_of(id, UploadStep::Upload)
            .unwrap()
            .unwrap();
        assert_eq!((last.http_status, last.error), (Some(201), None));
        assert_eq!(store.last_attempt_of(id, UploadStep::Poll).unwrap(), None);
    }

    #[test]
    fn the_feed_choice_and_strava_s_confirmation_are_kept_per_record() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = store
            .insert_upload(&NewUploadRecord {
                hide_from_home: true,
                ..new_record("k1", "Old ride")
            })
            .unwrap();
        let mut record = store.upload(id).unwrap().unwrap();
        assert!(record.hide_from_home && !record.hidden_from_home);
        record.hidden_from_home = true;
        store.save_upload(&record).unwrap();
        let back = store.upload_by_key("k1").unwrap().unwrap();
        assert!(back.hide_from_home && back.hidden_from_home);
        let page = store.upload_history(&HistoryQuery::default()).unwrap();
        assert!(page.records[0].hidden_from_home, "history rows carry it");
    }

    /// A history of 10,000 uploads: every page is the right one, and the timings (printed, not
    /// asserted: benchmarks measure, tests check behaviour) show paging stays fast.
    #[test]
    fn a_history_of_ten_thousand_uploads_pages_filters_and_searches() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..10_000 {
            let (key, name) = (format!("k{i}"), format!("Ride {i:05}"));
            let id = store.insert_upload(&new_record(&key, &name)).unwrap();
            if i % 100 == 0 {
                let mut r = store.upload(id).unwrap().unwrap();
                r.state = UploadState::Failed;
                store.save_upload(&r).unwrap();
            }
        }
        let timed = |query: HistoryQuery| {
            let started = std::time::Instant::now();
            let page = store.upload_history(&query).unwrap();
            eprintln!("{query:?}: {:?}", started.elapsed());
            page
        };
        let first = timed(HistoryQuery::default());
        assert_eq!((first.total, first.records.len()), (10_000, 50));
        let last = timed(HistoryQuery {
            offset: 9_950,
            ..Default::default()
        });
        assert_eq!(last.records.len(), 50);
        let mut seen: Vec<i64> = first
            .records
            .iter()
            .chain(&last.records)
            .map(|r| r.id)
            .collect();
        seen.dedup();
        assert_eq!(seen.len(), 100, "no record on two pages");
        let failed = timed(HistoryQuery {
            states: vec![UploadState::Failed],
            ..Default::default()
        });
        assert_eq!(failed.total, 100);
        let found = timed(HistoryQuery {
            text: Some("ride 0999".into()),
            ..Default::default()
        });
        assert_eq!(found.total, 10, "Ride 09990 to Ride 09999");
    }

    #[test]
    fn history_filters_by_state_and_text_newest_first_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..25 {
            let key = format!("k{i}");
            let name = format!(
                "{} {i}",
                if i % 2 == 0 {
                    "Coast Ride"
                } else {
                    "Hill_Walk"
                }
            );
            let id = store.insert_upload(&new_record(&key, &name)).unwrap();
            if i % 5 == 0 {
                let mut r = store.upload(id).unwrap().unwrap();
                r.state = UploadState::Failed;
                store.save_upload(&r).unwrap();
            }
        }
        let all = store
            .upload_history(&HistoryQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!((all.total, all.records.len()), (25, 10));
        assert!(all.records[0].id > all.records[9].id, "newest first");
        let failed = store
            .upload_history(&HistoryQuery {
                states: vec![UploadState::Failed],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(failed.total, 5);
        let walks = store
            .upload_history(&HistoryQuery {
                text: Some("hill_w".into()),
                offset: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!((walks.total, walks.records.len()), (12, 2));
        let literal = store
            .upload_history(&HistoryQuery {
                text: Some("%".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(literal.total, 0, "% is matched literally");
    }
}
