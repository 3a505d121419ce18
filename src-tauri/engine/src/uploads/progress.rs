//! What the queue shows of each row besides its stored record (bytes sent, the current try),
//! and the throttle that keeps progress events to about ten a second per row.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::model::{AttemptProgress, BytesProgress, UploadEvent, UploadState};

/// At most one bytes event per row in this interval reaches the UI (the last one always does).
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// The live part of one row, folded from the pipeline's events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowProgress {
    pub bytes: Option<BytesProgress>,
    pub attempt: Option<AttemptProgress>,
}

/// Live progress of every row of the batch, keyed by upload id.
#[derive(Debug, Default)]
pub struct ProgressBook {
    rows: HashMap<i64, RowProgress>,
}

impl ProgressBook {
    /// Folds one event in. A new state ends the try it was on; bytes are kept only while uploading.
    pub fn apply(&mut self, event: &UploadEvent) {
        match event {
            UploadEvent::State { upload, state, .. } => {
                let row = self.rows.entry(*upload).or_default();
                row.attempt = None;
                if *state != UploadState::Uploading {
                    row.bytes = None;
                }
            }
            UploadEvent::Bytes {
                upload,
                sent,
                total,
            } => {
                self.rows.entry(*upload).or_default().bytes = Some(BytesProgress {
                    sent: *sent,
                    total: *total,
                });
            }
            UploadEvent::Attempt {
                upload,
                step,
                attempt,
                of,
                error,
            } => {
                self.rows.entry(*upload).or_default().attempt = Some(AttemptProgress {
                    step: *step,
                    attempt: *attempt,
                    of: *of,
                    error: error.clone(),
                });
            }
            UploadEvent::PausedUntil { .. } | UploadEvent::WaitingForOtherRun { .. } => {}
        }
    }

    pub fn of(&self, upload: i64) -> RowProgress {
        self.rows.get(&upload).cloned().unwrap_or_default()
    }

    pub fn clear(&mut self) {
        self.rows.clear();
    }
}

/// Lets through every event except bytes events that come sooner than [`PROGRESS_INTERVAL`]
/// after the last one let through for the same row; the final bytes (all sent) always pass.
#[derive(Debug, Default)]
pub struct Throttle {
    last_bytes: HashMap<i64, Instant>,
}

impl Throttle {
    /// True when `event`, arriving at `now`, goes to the UI.
    pub fn admit(&mut self, event: &UploadEvent, now: Instant) -> bool {
        let UploadEvent::Bytes {
            upload,
            sent,
            total,
        } = event
        else {
            return true;
        };
        let due = self
            .last_bytes
            .get(upload)
            .is_none_or(|last| now.saturating_duration_since(*last) >= PROGRESS_INTERVAL);
        if due || sent >= total {
            self.last_bytes.insert(*upload, now);
            return true;
        }
        false
    }
}

/// Whether a row reaching `state` means Strava answered again, so a rate-limit pause is over.
/// Rows that finish on Map the Paths (done, failed) while the queue waits say nothing about it.
pub fn ends_a_rate_limit_pause(state: UploadState) -> bool {
    matches!(
        state,
        UploadState::Processing | UploadState::SettingSportType | UploadState::SyncingMtpw
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uploads::model::UploadStep;

    #[test]
    fn only_a_step_past_a_strava_request_ends_a_pause() {
        assert!(ends_a_rate_limit_pause(UploadState::Processing));
        assert!(ends_a_rate_limit_pause(UploadState::SyncingMtpw));
        for waiting_or_finished in [
            UploadState::Queued,
            UploadState::Uploading,
            UploadState::Done,
            UploadState::Failed,
        ] {
            assert!(!ends_a_rate_limit_pause(waiting_or_finished));
        }
    }

    fn bytes(upload: i64, sent: u64) -> UploadEvent {
        UploadEvent::Bytes {
            upload,
            sent,
            total: 1000,
        }
    }

    #[test]
    fn at_most_ten_bytes_events_a_second_per_row_and_the_last_always() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        let mut admitted = 0;
        // 1,000 events in one second for row 1, every millisecond.
        for ms in 0..1000u64 {
            let at = start + Duration::from_millis(ms);
            if throttle.admit(&bytes(1, ms.min(999)), at) {
                admitted += 1;
            }
        }
        assert!((10..=11).contains(&admitted), "{admitted} admitted");
        assert!(throttle.admit(&bytes(1, 1000), start + Duration::from_millis(1001)));
        // Another row has its own budget.
        assert!(throttle.admit(&bytes(2, 5), start + Duration::from_millis(1001)));
        let state = UploadEvent::State {
            upload: 1,
            sequence_name: "a".into(),
            state: UploadState::Processing,
            detail: None,
        };
        assert!(throttle.admit(&state, start + Duration::from_millis(1001)));
    }

    #[test]
    fn a_new_state_ends_the_try_and_bytes_stay_only_while_uploading() {
        let mut book = ProgressBook::default();
        book.apply(&bytes(1, 400));
        book.apply(&UploadEvent::Attempt {
            upload: 1,
            step: UploadStep::Upload,
            attempt: 2,
            of: 4,
            error: Some("Strava answered 503".into()),
        });
        let row = book.of(1);
        assert_eq!(row.bytes.map(|b| b.sent), Some(400));
        assert_eq!(row.attempt.map(|a| (a.attempt, a.of)), Some((2, 4)));
        book.apply(&UploadEvent::State {
            upload: 1,
            sequence_name: "a".into(),
            state: UploadState::Processing,
            detail: None,
        });
        assert_eq!(book.of(1), RowProgress::default());
    }
}
