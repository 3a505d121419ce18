//! Pause, resume and cancel, for the whole queue or one upload; jobs look at it before each step.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// What a job may do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    Go,
    Cancel,
}

/// The queue's switches; shared by every job of a run.
#[derive(Debug, Default)]
pub(super) struct Control {
    paused_all: AtomicBool,
    cancelled_all: AtomicBool,
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

    pub(super) fn cancel(&self, upload: Option<i64>) {
        match upload {
            Some(id) => {
                lock(&self.cancelled).insert(id);
            }
            None => self.cancelled_all.store(true, Ordering::SeqCst),
        }
    }

    /// Forgets cancellations (a new run starts); pauses stay.
    pub(super) fn new_run(&self) {
        self.cancelled_all.store(false, Ordering::SeqCst);
        lock(&self.cancelled).clear();
    }

    pub(super) fn is_paused(&self, upload: i64) -> bool {
        self.paused_all.load(Ordering::SeqCst) || lock(&self.paused).contains(&upload)
    }

    fn is_cancelled(&self, upload: i64) -> bool {
        self.cancelled_all.load(Ordering::SeqCst) || lock(&self.cancelled).contains(&upload)
    }

    /// Waits while the upload (or the queue) is paused; says whether it was cancelled.
    pub(super) async fn gate(&self, upload: i64) -> Gate {
        loop {
            if self.is_cancelled(upload) {
                return Gate::Cancel;
            }
            if !self.is_paused(upload) {
                return Gate::Go;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}
