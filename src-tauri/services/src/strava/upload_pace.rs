//! The upload POST's timeouts. A slow uplink is not a timeout: the body only has to keep a
//! minimum pace (after a first allowance), however long the file takes. The wait for Strava's
//! answer is the request timeout, counted from the moment the last byte was handed over.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::api::{HttpTimeouts, StravaError};

/// How often the watch looks again while nothing is due.
const RECHECK: Duration = Duration::from_millis(100);

/// How far the body got: fed by the body stream, read by [`watch`].
#[derive(Debug, Default)]
pub struct BodyPace {
    state: Mutex<PaceState>,
}

#[derive(Debug, Default, Clone, Copy)]
struct PaceState {
    /// When the first byte was handed over (the connection was up).
    started: Option<Instant>,
    sent: u64,
    /// When the stream ended: every byte handed over.
    done: Option<Instant>,
    /// The upload was given up: the stream fails instead of handing over more.
    abandoned: bool,
}

/// What the upload is waiting for when its time runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No byte out yet: the connection (its own connect timeout comes first).
    Starting,
    /// The body going out at `sent` bytes.
    Sending { sent: u64, since: Instant },
    /// Every byte out, Strava's answer not in.
    Answering,
}

impl BodyPace {
    /// `bytes` more were handed to the connection.
    pub fn sent(&self, bytes: u64) {
        let mut state = self.lock();
        state.started.get_or_insert_with(Instant::now);
        state.sent += bytes;
    }

    /// The last byte was handed over.
    pub fn finished(&self) {
        let mut state = self.lock();
        state.started.get_or_insert_with(Instant::now);
        state.done.get_or_insert_with(Instant::now);
    }

    /// Nothing more may go out: the connection is broken off at the next chunk, so Strava
    /// never gets the whole of an upload the app gave up (and would send again).
    pub fn abandon(&self) {
        self.lock().abandoned = true;
    }

    /// Whether [`BodyPace::abandon`] was called.
    pub fn is_abandoned(&self) -> bool {
        self.lock().abandoned
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PaceState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// When the time runs out as things stand, and in which phase.
    fn deadline(&self, timeouts: &HttpTimeouts, begun: Instant) -> (Instant, Phase) {
        deadline(&self.lock(), timeouts, begun)
    }
}

fn deadline(state: &PaceState, timeouts: &HttpTimeouts, begun: Instant) -> (Instant, Phase) {
    match (state.started, state.done) {
        (_, Some(done)) => (done + timeouts.request, Phase::Answering),
        (Some(since), None) => {
            let rate = timeouts.upload_min_bytes_per_sec.max(1);
            let allowed =
                timeouts.upload_grace + Duration::from_secs_f64(state.sent as f64 / rate as f64);
            (
                since + allowed,
                Phase::Sending {
                    sent: state.sent,
                    since,
                },
            )
        }
        (None, None) => (begun + timeouts.connect + timeouts.request, Phase::Starting),
    }
}

/// The longest the upload of `total` bytes may take at the slowest allowed pace: the ceiling
/// set on the request itself, in case the watch never gets to run.
pub fn ceiling(timeouts: &HttpTimeouts, total: u64) -> Duration {
    let rate = timeouts.upload_min_bytes_per_sec.max(1);
    timeouts.connect
        + timeouts.upload_grace
        + Duration::from_secs_f64(total as f64 / rate as f64)
        + timeouts.request
        + Duration::from_secs(1)
}

/// Ends (with the error to report) when the upload is too slow or its answer too late.
pub async fn watch(pace: &BodyPace, timeouts: HttpTimeouts, total: u64) -> StravaError {
    let begun = Instant::now();
    loop {
        let (due, phase) = pace.deadline(&timeouts, begun);
        let now = Instant::now();
        if now >= due {
            return timed_out(phase, &timeouts, total, now);
        }
        tokio::time::sleep((due - now).min(RECHECK)).await;
    }
}

fn timed_out(phase: Phase, timeouts: &HttpTimeouts, total: u64, now: Instant) -> StravaError {
    let detail = match phase {
        Phase::Starting => format!(
            "the request timed out (the upload had not started after {})",
            seconds(timeouts.connect + timeouts.request)
        ),
        Phase::Sending { sent, since } => format!(
            "the upload went out slower than {} KiB/s ({sent} of {total} bytes in {})",
            timeouts.upload_min_bytes_per_sec as f64 / 1024.0,
            seconds(now - since)
        ),
        Phase::Answering => format!(
            "the request timed out (no answer {} after the upload was sent)",
            seconds(timeouts.request)
        ),
    };
    StravaError::Network { detail }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeouts() -> HttpTimeouts {
        HttpTimeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
            upload_min_bytes_per_sec: 8 * 1024,
            upload_grace: Duration::from_secs(15),
        }
    }

    #[test]
    fn the_body_may_take_as_long_as_its_pace_allows_then_the_answer_has_the_request_timeout() {
        let begun = Instant::now();
        let t = timeouts();
        let (due, phase) = deadline(&PaceState::default(), &t, begun);
        assert_eq!(
            (due - begun, phase),
            (Duration::from_secs(70), Phase::Starting)
        );

        // 80 KiB out: 15 s of grace plus 10 s at 8 KiB/s, from the first byte.
        let since = begun + Duration::from_secs(2);
        let sending = PaceState {
            started: Some(since),
            sent: 80 * 1024,
            done: None,
            abandoned: false,
        };
        let (due, phase) = deadline(&sending, &t, begun);
        assert_eq!(due - since, Duration::from_secs(25));
        assert!(matches!(phase, Phase::Sending { sent: 81_920, .. }));

        // A 2 MB file on a slow uplink: minutes, not the 60 s request timeout.
        assert!(ceiling(&t, 2_000_000) > Duration::from_secs(250));

        let done = since + Duration::from_secs(300);
        let answering = PaceState {
            done: Some(done),
            ..sending
        };
        let (due, phase) = deadline(&answering, &t, begun);
        assert_eq!(
            (due - done, phase),
            (Duration::from_secs(60), Phase::Answering)
        );
    }

    #[test]
    fn the_errors_say_what_was_too_slow() {
        let t = timeouts();
        let now = Instant::now();
        let slow = timed_out(
            Phase::Sending {
                sent: 1024,
                since: now - Duration::from_secs(20),
            },
            &t,
            4096,
            now,
        );
        assert_eq!(
            slow.to_string(),
            "could not reach Strava: the upload went out slower than 8 KiB/s (1024 of 4096 bytes in 20.0 s)"
        );
        let late = timed_out(Phase::Answering, &t, 4096, now).to_string();
        assert!(
            late.contains("no answer 60.0 s after the upload was sent"),
            "{late}"
        );
    }
}
