//! `impl Engine`: watching the library: the thread that turns what the watch sees into
//! complete sequence folders and tells the shell, and the library folders coming and going.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{lock, Engine};
use crate::library::{FolderWatch, WatchMode};

/// How often the library folders are looked at (one added or removed, a drive unplugged or
/// plugged back in), and the longest the watch thread sleeps.
const ROOTS_EVERY: Duration = Duration::from_secs(1);
/// How often folders being written are looked at again.
const SETTLE_EVERY: Duration = Duration::from_millis(100);

/// How the library is watched.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// Stands in for the OS's limit on watches (tests); `None`: the OS's own.
    pub limit: Option<usize>,
    /// How often the library is looked at when the OS allows no more watches.
    pub poll_every: Duration,
    /// How long to wait before the watches are made (10,000 of them cost a stat and a watch
    /// each): at launch, the first list is shown first. What changed meanwhile is caught by
    /// one report that asks for the list again.
    pub start_after: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            limit: None,
            poll_every: Duration::from_secs(30),
            start_after: Duration::ZERO,
        }
    }
}

/// What changed in the library since the last report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WatchReport {
    /// Sequence folders that are complete now (new or changed), or were removed.
    pub folders: Vec<PathBuf>,
    /// A library folder went away or came back.
    pub roots_changed: bool,
    /// Said once: the OS allows no more watches, so the library is looked at now and then.
    pub notice: Option<String>,
}

impl WatchReport {
    fn is_empty(&self) -> bool {
        self.folders.is_empty() && !self.roots_changed && self.notice.is_none()
    }
}

/// The running watch; dropping it stops the thread (within a second).
pub struct LibraryWatch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LibraryWatch {
    /// Stops the watch and waits for its thread.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for LibraryWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Engine {
    /// Watches every library folder on a thread of its own and hands each change to
    /// `on_change`: a sequence folder only once it is complete (until then a scan leaves it
    /// out, so a half-written sequence is never listed as broken), a removed one at once.
    pub fn watch_library(
        self: &Arc<Self>,
        options: WatchOptions,
        on_change: impl Fn(WatchReport) + Send + 'static,
    ) -> std::io::Result<LibraryWatch> {
        let stop = Arc::new(AtomicBool::new(false));
        let engine = Arc::clone(self);
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("library-watch".into())
            .spawn(move || engine.watch_loop(options, &on_change, &stopped))?;
        Ok(LibraryWatch {
            stop,
            thread: Some(thread),
        })
    }

    fn watch_loop(
        &self,
        options: WatchOptions,
        on_change: &dyn Fn(WatchReport),
        stop: &AtomicBool,
    ) {
        let mut roots = self.available_roots();
        let mut watch = FolderWatch::start(&roots, options.limit, options.poll_every);
        let mut told_limit = false;
        let mut next_roots = Instant::now() + ROOTS_EVERY;
        log::info!(folders = roots.len(), mode = format!("{:?}", watch.mode()).as_str(); "library watch started");
        if !options.start_after.is_zero() {
            // what changed before the watches were made
            on_change(WatchReport {
                roots_changed: true,
                ..WatchReport::default()
            });
        }
        while !stop.load(Ordering::Relaxed) {
            let writing = !lock(&self.being_written).is_empty();
            let timeout = if writing { SETTLE_EVERY } else { ROOTS_EVERY };
            let changes = watch.wait(timeout, options.poll_every);
            let now = Instant::now();
            let mut report = WatchReport::default();
            {
                let mut being_written = lock(&self.being_written);
                for folder in changes.folders {
                    being_written.touch(folder, now);
                }
                report.folders = being_written.settled(now);
            }
            if changes.roots || now >= next_roots {
                next_roots = now + ROOTS_EVERY;
                let current = self.available_roots();
                if current != roots || changes.roots {
                    report.roots_changed = current != roots;
                    watch = FolderWatch::start(&current, options.limit, options.poll_every);
                    roots = current;
                }
            }
            if let (WatchMode::Polling { every }, false) = (watch.mode(), told_limit) {
                told_limit = true;
                report.notice = Some(limit_notice(every));
                log::warn!(
                    "library watch: the system allows no more folder watches; looking every {} s",
                    every.as_secs()
                );
            }
            if !report.is_empty() {
                log::debug!(folders = report.folders.len(), roots = report.roots_changed; "library changed");
                on_change(report);
            }
        }
    }

    /// The library folders that are there right now.
    fn available_roots(&self) -> Vec<PathBuf> {
        match self.library_roots() {
            Ok(roots) => roots
                .into_iter()
                .map(|root| root.path)
                .filter(|path| path.is_dir())
                .collect(),
            Err(err) => {
                log::warn!("library watch: the library folders could not be read: {err}");
                Vec::new()
            }
        }
    }
}

/// What the user is told, once, when the OS refuses more watches.
fn limit_notice(every: Duration) -> String {
    format!(
        "The system allows no more folder watches, so new sequences are found by looking at \
         the library every {} seconds instead of at once. To watch it again, raise the limit \
         (fs.inotify.max_user_watches), for example: sudo sysctl fs.inotify.max_user_watches=524288, \
         and restart the app.",
        every.as_secs()
    )
}
