//! A scalable clock: fake time runs `scale` times faster than real time, starting from the real now.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Fake wall clock shared by the rate limiter, token expiry and code expiry.
#[derive(Debug, Clone)]
pub struct FakeClock {
    real_start: Instant,
    fake_start_secs: f64,
    scale: f64,
}

impl FakeClock {
    /// A clock that starts at the real current time and runs `scale` times faster.
    pub fn new(scale: f64) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs_f64();
        Self::starting_at(now, scale)
    }

    /// A clock that starts at `epoch_secs` (fake time) and runs `scale` times faster.
    pub fn starting_at(epoch_secs: f64, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        Self {
            real_start: Instant::now(),
            fake_start_secs: epoch_secs,
            scale,
        }
    }

    /// How many fake seconds pass per real second.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Fake now, in seconds since the Unix epoch (fractional).
    pub fn now_secs_f64(&self) -> f64 {
        self.fake_start_secs + self.real_start.elapsed().as_secs_f64() * self.scale
    }

    /// Fake now, in whole seconds since the Unix epoch.
    pub fn now_secs(&self) -> i64 {
        self.now_secs_f64().floor() as i64
    }

    /// Real time until the fake clock reaches `fake_epoch_secs` (zero if already past).
    pub fn real_until(&self, fake_epoch_secs: f64) -> Duration {
        let fake_left = fake_epoch_secs - self.now_secs_f64();
        if fake_left <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(fake_left / self.scale)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_clock_runs_faster_than_real_time() {
        let clock = FakeClock::starting_at(1_000.0, 1_000.0);
        std::thread::sleep(Duration::from_millis(20));
        let advanced = clock.now_secs_f64() - 1_000.0;
        assert!(advanced >= 19.0, "advanced only {advanced} fake seconds");
    }

    #[test]
    fn invalid_scale_falls_back_to_real_time() {
        assert_eq!(FakeClock::starting_at(0.0, -3.0).scale(), 1.0);
        assert_eq!(FakeClock::starting_at(0.0, f64::NAN).scale(), 1.0);
    }
}
