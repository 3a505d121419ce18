//! The second phase of a scan: the engine checks new or changed GPX tracks in the background
//! and the UI receives the final summaries in small batches as they are done.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use mtp_engine::{ipc, SequenceSummary};
use tauri::{AppHandle, Manager};

use crate::engine_state::EngineState;
use crate::events::emit;

/// How often, at most, a batch of checked summaries goes to the UI.
const FLUSH_EVERY: Duration = Duration::from_millis(200);
const MAX_BATCH: usize = 100;

/// Starts checking the tracks the last scan left pending; returns at once.
pub fn check_in_background(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let batches = Batches::new(app.clone());
        let engine = app.state::<EngineState>();
        let checked = engine
            .run(move |engine| {
                let count = engine.check_tracks(|summary| batches.push(summary));
                batches.flush();
                count
            })
            .await;
        if let Err(error) = checked {
            log::warn!("track check: {}", error.message);
        }
    });
}

/// Collects checked summaries and emits them in batches, so 1,000 tracks are not 1,000 events.
struct Batches {
    app: AppHandle,
    pending: Mutex<(Vec<SequenceSummary>, Instant)>,
}

impl Batches {
    fn new(app: AppHandle) -> Self {
        Self {
            app,
            pending: Mutex::new((Vec::new(), Instant::now())),
        }
    }

    fn push(&self, summary: SequenceSummary) {
        let ready = {
            let mut pending = self.lock();
            pending.0.push(summary);
            if pending.0.len() >= MAX_BATCH || pending.1.elapsed() >= FLUSH_EVERY {
                pending.1 = Instant::now();
                std::mem::take(&mut pending.0)
            } else {
                Vec::new()
            }
        };
        self.emit(ready);
    }

    fn flush(&self) {
        let rest = std::mem::take(&mut self.lock().0);
        self.emit(rest);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<SequenceSummary>, Instant)> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn emit(&self, batch: Vec<SequenceSummary>) {
        if batch.is_empty() {
            return;
        }
        emit(&self.app, ipc::TRACKS_CHECKED, batch, "track check");
    }
}
