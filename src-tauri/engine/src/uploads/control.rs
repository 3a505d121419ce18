//! Pause, resume and cancel, for the whole queue or one upload, and the hold when Strava refuses
//! the API application; jobs look at it before each step.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// What a job may do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    Go,
    Cancel,
    /// The queue holds (Strava refuses the API application): stop where it stands, owed work
    /// waits for the next run.
    Hold,
}

/// The queue's switches; shared by every job of a run.
#[derive(Debug, Default)]
pub(super) struct Control {
    paused_all: AtomicBool,
    held: AtomicBool,
    paused: Mutex<HashSet<i64>>,
    cancelled: Mutex<HashSet<i64>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Control {
    pub(super) fn pause(&self, upload: Option<i64>) {
        match upload {
            Some(id) => {
                lock(&self.paused).insert(id);
            }
            None => self.paused_all.store(true, Ordering::SeqCst),
        }
    }

    pub(super) fn resume(&self, upload: Option<i64>) {
        match upload {
            Some(id) => {
                lock(&self.paused).remove(&id);
            }
            None => {
                self.paused_all.store(false, Ordering::SeqCst);
                lock(&self.paused).clear();
            }
        }
    }

    /// Holds the whole queue: every job stops at its next gate (until [`Control::release`]).
    pub(super) fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    /// Ends a hold; true when there was one.
    pub(super) fn release(&self) -> bool {
        self.held.swap(false, Ordering::SeqCst)
    }

    /// Cancels these uploads: each job stops at its next gate. A cancellation lasts until the
    /// upload is queued again (`uncancel`), so a run starting at the same moment cannot lose it.
    pub(super) fn cancel(&self, uploads: impl IntoIterator<Item = i64>) {
        lock(&self.cancelled).extend(uploads);
    }

    /// The upload was queued again: it may go.
    pub(super) fn uncancel(&self, upload: i64) {
        lock(&self.cancelled).remove(&upload);
    }

    pub(super) fn is_paused(&self, upload: i64) -> bool {
        self.paused_all.load(Ordering::SeqCst) || lock(&self.paused).contains(&upload)
    }

    fn is_cancelled(&self, upload: i64) -> bool {
        lock(&self.cancelled).contains(&upload)
    }

    /// Waits while the upload (or the queue) is paused; says whether it was cancelled (only
    /// when it is still `cancellable`: an upload Strava already has is finished, not stopped).
    pub(super) async fn gate(&self, upload: i64, cancellable: bool) -> Gate {
        loop {
            if cancellable && self.is_cancelled(upload) {
                return Gate::Cancel;
            }
            if self.held.load(Ordering::SeqCst) {
                return Gate::Hold;
            }
            if !self.is_paused(upload) {
                return Gate::Go;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cancellation_lasts_until_the_upload_is_queued_again() {
        let control = Control::default();
        control.cancel([1, 2]);
        // Nothing a run does in between forgets it (the old per-run reset lost a cancel that
        // raced with the run's start).
        assert_eq!(control.gate(1, true).await, Gate::Cancel);
        assert_eq!(control.gate(2, true).await, Gate::Cancel);
        assert_eq!(control.gate(3, true).await, Gate::Go);
        control.uncancel(1);
        assert_eq!(control.gate(1, true).await, Gate::Go);
        assert_eq!(control.gate(2, true).await, Gate::Cancel);
    }

    #[tokio::test]
    async fn a_hold_stops_every_job_even_a_paused_one_until_released() {
        let control = Control::default();
        control.pause(Some(3));
        control.hold();
        assert_eq!(control.gate(3, true).await, Gate::Hold);
        assert_eq!(control.gate(4, false).await, Gate::Hold);
        assert!(control.release());
        assert!(!control.release(), "released once");
        assert_eq!(control.gate(4, false).await, Gate::Go);
    }

    #[tokio::test]
    async fn a_cancelled_upload_stops_even_while_paused() {
        let control = Control::default();
        control.pause(None);
        control.cancel([7]);
        assert_eq!(control.gate(7, true).await, Gate::Cancel);
    }

    #[tokio::test]
    async fn an_upload_past_cancelling_goes_on_but_still_waits_while_paused() {
        let control = Control::default();
        control.cancel([8]);
        assert_eq!(control.gate(8, false).await, Gate::Go);
        control.pause(Some(8));
        let held = tokio::time::timeout(Duration::from_millis(100), control.gate(8, false)).await;
        assert!(
            held.is_err(),
            "a paused upload waits even when it can no longer be cancelled"
        );
    }
}
