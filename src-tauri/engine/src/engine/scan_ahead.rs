//! `impl Engine`: a scan started before anyone asks for it (the app starts one at launch, so
//! the library is read while the window loads), taken by the next [`Engine::scan`].

use std::sync::{mpsc, Arc};

use super::{lock, Engine};
use crate::library::ScanOutcome;
use crate::os::memory::release_freed_memory;

impl Engine {
    /// Starts a scan of every library folder on its own thread (one core's worth, so the
    /// window that starts at the same time is not slowed down); returns at once. The next
    /// [`Engine::scan`] waits for it and returns its answer instead of scanning again, unless
    /// the library folders changed meanwhile. Only one answer is kept: each later scan reads
    /// the disk again.
    pub fn scan_ahead(self: &Arc<Self>) {
        let (answer, answered) = mpsc::sync_channel(1);
        *lock(&self.scan_ahead) = Some(answered);
        let engine = Arc::clone(self);
        let started = std::thread::Builder::new()
            .name("scan-ahead".into())
            .spawn(move || {
                // On one thread: the window starting at the same moment keeps the other cores.
                let outcome = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(|| engine.scan_outcome()),
                    Err(_) => engine.scan_outcome(),
                };
                // A receiver dropped meanwhile (the folders changed) simply ignores it.
                let _ = answer.send(outcome);
                // What the scan read and dropped (every cached record) goes back to the system.
                release_freed_memory();
            });
        if started.is_err() {
            self.forget_scan_ahead();
        }
    }

    /// The answer of the scan started ahead, waiting for it if it still runs; `None` when none
    /// was started, it was forgotten, or it failed (the caller scans again).
    pub(super) fn take_scan_ahead(&self) -> Option<ScanOutcome> {
        let answered = lock(&self.scan_ahead).take()?;
        answered.recv().ok()?.ok()
    }

    /// A change of the library folders makes the scan started ahead out of date.
    pub(super) fn forget_scan_ahead(&self) {
        lock(&self.scan_ahead).take();
    }
}
