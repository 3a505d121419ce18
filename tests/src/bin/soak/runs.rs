//! The processes the soak starts: `upload --all-pending` runs, followed line by line (and
//! SIGKILLed after so many), and the app on the same data folder, closed with SIGTERM.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::sync::watch;

use crate::world::World;

/// What the reader of a run's output has seen so far.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    progress: usize,
    ended: bool,
}

/// How one CLI run ended.
#[derive(Debug, Clone)]
pub struct RunEnd {
    pub label: String,
    /// `None` when it was killed.
    pub code: Option<i32>,
    pub killed: bool,
    pub lines: Vec<String>,
    pub took: Duration,
}

/// A running `mtp-strava-uploader-cli upload --all-pending`.
pub struct CliRun {
    label: String,
    child: Child,
    seen: watch::Receiver<Seen>,
    lines: Arc<Mutex<Vec<String>>>,
    started: Instant,
}

/// A line about an upload's progress, not the queueing report at the start.
fn is_progress(line: &str) -> bool {
    !(line.ends_with(": queued") || line.contains(": not queued: ") || line.starts_with("Waiting:"))
}

impl CliRun {
    pub fn start(world: &World, label: &str) -> Result<CliRun, String> {
        let mut command = world.command(&world.programs.cli);
        command
            .args(["upload", "--all-pending"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start the CLI: {e}"))?;
        let log = File::create(world.logs().join(format!("{label}.log")))
            .map_err(|e| format!("cannot write the log of {label}: {e}"))?;
        let log = Arc::new(Mutex::new(log));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tell, seen) = watch::channel(Seen::default());
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        tokio::spawn(follow(stdout, "", log.clone(), lines.clone(), Some(tell)));
        tokio::spawn(follow(stderr, "stderr: ", log, lines.clone(), None));
        Ok(CliRun {
            label: label.into(),
            child,
            seen,
            lines,
            started: Instant::now(),
        })
    }

    /// Waits until the run has printed `count` progress lines (true) or ended first (false).
    pub async fn printed(&mut self, count: usize) -> bool {
        let reached = tokio::time::timeout(
            Duration::from_secs(600),
            self.seen.wait_for(|s| s.progress >= count || s.ended),
        )
        .await;
        match reached {
            Ok(Ok(seen)) => seen.progress >= count,
            _ => false,
        }
    }

    pub fn progress(&self) -> usize {
        self.seen.borrow().progress
    }

    /// SIGKILL, as a crash or `kill -9` would.
    pub async fn kill(mut self) -> RunEnd {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        self.end(None, true)
    }

    /// Waits for the run to end by itself.
    pub async fn finish(mut self, timeout: Duration) -> Result<RunEnd, String> {
        match tokio::time::timeout(timeout, self.child.wait()).await {
            Ok(Ok(status)) => {
                // The readers finish the last lines.
                let _ =
                    tokio::time::timeout(Duration::from_secs(5), self.seen.wait_for(|s| s.ended))
                        .await;
                Ok(self.end(status.code(), false))
            }
            Ok(Err(e)) => Err(format!("{}: {e}", self.label)),
            Err(_) => {
                let _ = self.child.start_kill();
                let _ = self.child.wait().await;
                Err(format!(
                    "{} did not end within {timeout:?} (log: {}.log)",
                    self.label, self.label
                ))
            }
        }
    }

    fn end(&self, code: Option<i32>, killed: bool) -> RunEnd {
        RunEnd {
            label: self.label.clone(),
            code,
            killed,
            lines: self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            took: self.started.elapsed(),
        }
    }
}

/// Copies a stream to the log and the line list; stdout's reader counts progress lines.
async fn follow(
    stream: impl AsyncRead + Unpin,
    prefix: &'static str,
    log: Arc<Mutex<File>>,
    lines: Arc<Mutex<Vec<String>>>,
    tell: Option<watch::Sender<Seen>>,
) {
    let mut reader = BufReader::new(stream).lines();
    while let Ok(Some(line)) = reader.next_line().await {
        let _ = writeln!(
            log.lock().unwrap_or_else(|p| p.into_inner()),
            "{prefix}{line}"
        );
        let progress = is_progress(&line);
        lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(format!("{prefix}{line}"));
        if let (Some(tell), true) = (&tell, progress && prefix.is_empty()) {
            tell.send_modify(|s| s.progress += 1);
        }
    }
    if let Some(tell) = tell {
        tell.send_modify(|s| s.ended = true);
    }
}

/// The app (`mtp-strava-uploader`) on the soak's data folder, under the X display of the
/// session; it resumes the owed uploads at launch.
pub struct App {
    child: Child,
}

impl App {
    pub fn start(world: &World) -> Result<App, String> {
        let log = |name: &str| {
            File::create(world.logs().join(name)).map_err(|e| format!("cannot write {name}: {e}"))
        };
        let mut command = world.command(&world.programs.app);
        command
            .stdout(Stdio::from(log("app.log")?))
            .stderr(Stdio::from(log("app.stderr.log")?));
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start the app {}: {e}", display(&world.programs.app)))?;
        Ok(App { child })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Still running (it did not exit by itself).
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes it with SIGTERM, as a session logout would; SIGKILL after 20 s. True when it
    /// ended on the SIGTERM.
    pub async fn close(mut self) -> bool {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        match tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await {
            Ok(_) => true,
            Err(_) => {
                let _ = self.child.start_kill();
                let _ = self.child.wait().await;
                false
            }
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
