//! What the desktop notification says when an upload batch ends: the counts, and what to do.

use super::model::UploadState;

use super::model::QueueRow;

/// A batch's rows by outcome, counted as the Uploads screen counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub done: usize,
    pub failed: usize,
    pub attention: usize,
    /// Cancelled by the user before Strava had them.
    pub cancelled: usize,
    /// Still owed work (a run that stopped early, e.g. when the store could not be used).
    pub waiting: usize,
}

impl BatchCounts {
    /// Counts the rows: done; in flight (waiting); needs attention; cancelled; anything else
    /// failed.
    pub fn of(rows: &[QueueRow]) -> Self {
        Self::of_states(rows.iter().map(|row| row.record.state))
    }

    /// Counts states the same way as [`BatchCounts::of`].
    pub fn of_states(states: impl IntoIterator<Item = UploadState>) -> Self {
        let mut counts = Self::default();
        for state in states {
            match state {
                UploadState::Done => counts.done += 1,
                s if s.is_in_flight() => counts.waiting += 1,
                s if s.needs_attention() => counts.attention += 1,
                UploadState::Cancelled => counts.cancelled += 1,
                _ => counts.failed += 1,
            }
        }
        counts
    }

    fn total(&self) -> usize {
        self.done + self.failed + self.attention + self.cancelled + self.waiting
    }
}

/// A desktop notification's title and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchEndNotice {
    pub title: String,
    pub body: String,
}

/// The notification for a batch that ended with `counts`; `None` for an empty batch.
///
/// The notification for the batch of `rows`: its counts, and the names of what was uploaded.
pub fn batch_end_notice_of(rows: &[QueueRow]) -> Option<BatchEndNotice> {
    let uploaded: Vec<&str> = rows
        .iter()
        .filter(|row| row.record.state == UploadState::Done)
        .map(|row| row.record.sequence_name.as_str())
        .collect();
    let mut notice = batch_end_notice(BatchCounts::of(rows))?;
    if let Some(names) = some_names(&uploaded) {
        notice.body = format!("Uploaded {names}. {}", notice.body);
    }
    Some(notice)
}

/// "Morning walk", "Morning walk and Dune" or "Morning walk, Dune and 6 more".
fn some_names(names: &[&str]) -> Option<String> {
    const SHOWN: usize = 2;
    match names {
        [] => None,
        [one] => Some(format!("‘{one}’")),
        [a, b] => Some(format!("‘{a}’ and ‘{b}’")),
        [a, b, rest @ ..] if rest.len() == 1 => Some(format!("‘{a}’, ‘{b}’ and ‘{}’", rest[0])),
        _ => Some(format!(
            "‘{}’, ‘{}’ and {} more",
            names[0],
            names[1],
            names.len() - SHOWN
        )),
    }
}

/// "Uploads finished: 9 done, 2 failed, 1 needs attention" with a body that says where to
/// look; [`batch_end_notice_of`] puts the names of what was uploaded in front. No paths or
/// messages leave the app this way.
pub fn batch_end_notice(counts: BatchCounts) -> Option<BatchEndNotice> {
    if counts.total() == 0 {
        return None;
    }
    let mut parts = vec![format!("{} done", counts.done)];
    if counts.failed > 0 {
        parts.push(format!("{} failed", counts.failed));
    }
    if counts.attention > 0 {
        let verb = if counts.attention == 1 {
            "needs"
        } else {
            "need"
        };
        parts.push(format!("{} {verb} attention", counts.attention));
    }
    if counts.cancelled > 0 {
        parts.push(format!("{} cancelled", counts.cancelled));
    }
    if counts.waiting > 0 {
        parts.push(format!("{} not finished", counts.waiting));
    }
    let title = format!("Uploads finished: {}", parts.join(", "));
    let body = if counts.done == counts.total() {
        let noun = if counts.done == 1 {
            "sequence is"
        } else {
            "sequences are"
        };
        format!(
            "{} {noun} on Strava and marked on Map the Paths. History has the links.",
            counts.done
        )
    } else {
        let mut todo = Vec::new();
        if counts.failed > 0 {
            todo.push("Retry the failed ones");
        }
        if counts.attention > 0 {
            todo.push("fix what needs attention (each row says how)");
        }
        if counts.cancelled > 0 {
            todo.push("retry a cancelled one to upload it after all");
        }
        if counts.waiting > 0 {
            todo.push("the rest resume when you open the app again");
        }
        format!("Open Uploads in MTP Strava Uploader: {}.", todo.join("; "))
    };
    Some(BatchEndNotice { title, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(done: usize, failed: usize, attention: usize, waiting: usize) -> BatchCounts {
        BatchCounts {
            done,
            failed,
            attention,
            cancelled: 0,
            waiting,
        }
    }

    #[test]
    fn cancelled_uploads_are_named_as_cancelled_not_failed() {
        let counted = BatchCounts::of_states([
            UploadState::Done,
            UploadState::Cancelled,
            UploadState::Cancelled,
        ]);
        assert_eq!(counted.cancelled, 2);
        assert_eq!(counted.failed, 0);
        let notice = batch_end_notice(counted).expect("a notice");
        assert_eq!(notice.title, "Uploads finished: 1 done, 2 cancelled");
        assert_eq!(
            notice.body,
            "Open Uploads in MTP Strava Uploader: retry a cancelled one to upload it after all."
        );
    }

    #[test]
    fn a_batch_with_problems_gives_each_count_and_what_to_do() {
        let notice = batch_end_notice(counts(9, 2, 1, 0)).expect("a notice");
        assert_eq!(
            notice.title,
            "Uploads finished: 9 done, 2 failed, 1 needs attention"
        );
        assert_eq!(
            notice.body,
            "Open Uploads in MTP Strava Uploader: Retry the failed ones; fix what needs attention (each row says how)."
        );
    }

    #[test]
    fn a_batch_all_done_says_so_and_where_the_links_are() {
        let notice = batch_end_notice(counts(8, 0, 0, 0)).expect("a notice");
        assert_eq!(notice.title, "Uploads finished: 8 done");
        assert_eq!(
            notice.body,
            "8 sequences are on Strava and marked on Map the Paths. History has the links."
        );
        let one = batch_end_notice(counts(1, 0, 0, 0)).expect("a notice");
        assert!(
            one.body.starts_with("1 sequence is on Strava"),
            "{}",
            one.body
        );
    }

    #[test]
    fn attention_agrees_with_its_count_and_unfinished_work_is_named() {
        let notice = batch_end_notice(counts(0, 0, 3, 1)).expect("a notice");
        assert_eq!(
            notice.title,
            "Uploads finished: 0 done, 3 need attention, 1 not finished"
        );
        assert!(
            notice.body.contains("resume when you open the app"),
            "{}",
            notice.body
        );
    }

    #[test]
    fn the_notice_names_what_was_uploaded() {
        use super::super::model::UploadRecord;
        let row = |name: &str, state| QueueRow {
            record: UploadRecord {
                id: 1,
                sequence_id: String::new(),
                sequence_name: name.into(),
                folder: String::new(),
                mtpw_uuid: None,
                gpx_sha256: String::new(),
                state,
                detail: None,
                strava_upload_id: None,
                activity_id: None,
                sport_type: None,
                hide_from_home: false,
                hidden_from_home: false,
                created_at: String::new(),
                updated_at: String::new(),
                attempts: Vec::new(),
            },
            bytes: None,
            attempt: None,
        };
        let notice = batch_end_notice_of(&[
            row("Morning walk", UploadState::Done),
            row("Dune", UploadState::Failed),
        ])
        .expect("a notice");
        assert!(
            notice
                .body
                .starts_with("Uploaded ‘Morning walk’. Open Uploads"),
            "{}",
            notice.body
        );
        let many: Vec<QueueRow> = ["A", "B", "C", "D"]
            .iter()
            .map(|name| row(name, UploadState::Done))
            .collect();
        let notice = batch_end_notice_of(&many).expect("a notice");
        assert!(
            notice
                .body
                .starts_with("Uploaded ‘A’, ‘B’ and 2 more. 4 sequences are on Strava"),
            "{}",
            notice.body
        );
        assert_eq!(some_names(&["A", "B", "C"]).unwrap(), "‘A’, ‘B’ and ‘C’");
    }

    #[test]
    fn an_empty_batch_sends_nothing() {
        assert_eq!(batch_end_notice(BatchCounts::default()), None);
    }

    #[test]
    fn states_are_counted_as_the_uploads_screen_counts_them() {
        use UploadState::*;
        let counted = BatchCounts::of_states([
            Done,
            Done,
            Failed,
            OnStravaMtpwNotUpdated,
            ActivityDeleted,
            NoMtpwId,
            NotSignedIn,
            Processing,
        ]);
        assert_eq!(counted, counts(2, 3, 2, 1));
    }
}
