//! When to poll first: starts at `poll_first` and learns from each upload, aiming at about
//! three uploads in four being ready at the first poll (fewer requests, little waiting).

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Shrinks the first wait a little after an upload ready at the first poll, grows it more
/// after one that was not (the balance point is about 75% ready at the first poll).
const SHRINK: f64 = 0.97;
const GROW: f64 = 1.09;

/// The first-poll delay, shared by the jobs of an uploader.
#[derive(Debug)]
pub(super) struct PollPace {
    first: Mutex<Duration>,
    min: Duration,
    max: Duration,
}

impl PollPace {
    /// Starts at `first`; stays between half of it and `max`.
    pub(super) fn new(first: Duration, max: Duration) -> Self {
        Self {
            first: Mutex::new(first),
            min: first / 2,
            max: max.max(first),
        }
    }

    pub(super) fn first_wait(&self) -> Duration {
        *self.first.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Learns from one upload: was it ready (or failed, or a duplicate) at its first poll?
    pub(super) fn learn(&self, ready_at_first_poll: bool) {
        let mut first = self.first.lock().unwrap_or_else(PoisonError::into_inner);
        let factor = if ready_at_first_poll { SHRINK } else { GROW };
        *first = first.mul_f64(factor).clamp(self.min, self.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_wait_moves_towards_three_in_four_ready_and_stays_in_bounds() {
        let pace = PollPace::new(Duration::from_secs(2), Duration::from_secs(30));
        // Processing uniform over 0..4 s: simulate and let it settle.
        let mut ready_first = 0;
        for i in 0..4000u32 {
            let processing = Duration::from_millis(u64::from(i.wrapping_mul(2_654_435_761) % 4000));
            let ready = processing <= pace.first_wait();
            if i >= 2000 && ready {
                ready_first += 1;
            }
            pace.learn(ready);
        }
        let share = f64::from(ready_first) / 2000.0;
        assert!((0.65..0.85).contains(&share), "{share}");
        for _ in 0..500 {
            pace.learn(true);
        }
        assert_eq!(pace.first_wait(), Duration::from_secs(1));
    }
}
