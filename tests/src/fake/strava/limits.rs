//! Rate limits per application: overall and non-upload budgets, 15-minute and daily windows.

use axum::http::{HeaderName, HeaderValue};
use serde::Serialize;

use super::config::RateLimits;

const FIFTEEN_MINUTES: i64 = 15 * 60;
const ONE_DAY: i64 = 24 * 60 * 60;

/// Usage counters of one application in the current windows.
///
/// 15-minute windows start at :00, :15, :30 and :45 and days at midnight UTC of the
/// (scaled) fake clock. Every request counts, including refused ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Budget {
    pub window_15min: i64,
    pub window_day: i64,
    pub overall_15min: u64,
    pub overall_daily: u64,
    pub read_15min: u64,
    pub read_daily: u64,
    /// Requests answered 429 because they went over a limit (since start or reset).
    pub refused: u64,
}

impl Budget {
    fn roll(&mut self, now: i64) {
        let window = now.div_euclid(FIFTEEN_MINUTES);
        if window != self.window_15min {
            self.window_15min = window;
            self.overall_15min = 0;
            self.read_15min = 0;
        }
        let day = now.div_euclid(ONE_DAY);
        if day != self.window_day {
            self.window_day = day;
            self.overall_daily = 0;
            self.read_daily = 0;
        }
    }

    /// Counts one request; `true` when it is over a limit and must get a 429.
    /// `POST /uploads` (`is_upload`) counts only in the overall budget.
    pub fn count(&mut self, now: i64, is_upload: bool, limits: &RateLimits) -> bool {
        self.roll(now);
        self.overall_15min += 1;
        self.overall_daily += 1;
        if !is_upload {
            self.read_15min += 1;
            self.read_daily += 1;
        }
        let overall_over =
            self.overall_15min > limits.overall_15min || self.overall_daily > limits.overall_daily;
        let read_over = self.read_15min > limits.read_15min || self.read_daily > limits.read_daily;
        let over = overall_over || (!is_upload && read_over);
        self.refused += u64::from(over);
        over
    }

    /// The four rate-limit headers for the current windows.
    pub fn headers(&mut self, now: i64, limits: &RateLimits) -> Vec<(HeaderName, HeaderValue)> {
        self.roll(now);
        let pair = |a: u64, b: u64| {
            HeaderValue::from_str(&format!("{a},{b}")).unwrap_or(HeaderValue::from_static("0,0"))
        };
        vec![
            (
                HeaderName::from_static("x-ratelimit-limit"),
                pair(limits.overall_15min, limits.overall_daily),
            ),
            (
                HeaderName::from_static("x-ratelimit-usage"),
                pair(self.overall_15min, self.overall_daily),
            ),
            (
                HeaderName::from_static("x-readratelimit-limit"),
                pair(limits.read_15min, limits.read_daily),
            ),
            (
                HeaderName::from_static("x-readratelimit-usage"),
                pair(self.read_15min, self.read_daily),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: RateLimits = RateLimits {
        overall_15min: 3,
        overall_daily: 5,
        read_15min: 2,
        read_daily: 4,
    };

    #[test]
    fn read_budget_refuses_reads_but_not_uploads() {
        let mut budget = Budget::default();
        let t = 1_700_000_000 - 1_700_000_000 % 900;
        assert!(!budget.count(t, false, &LIMITS));
        assert!(!budget.count(t, false, &LIMITS));
        assert!(
            budget.count(t, false, &LIMITS),
            "third read is over 2/15min"
        );
        assert!(
            budget.count(t, true, &LIMITS),
            "upload is over the overall 3/15min"
        );
        assert_eq!((budget.overall_15min, budget.read_15min), (4, 3));
    }

    #[test]
    fn windows_reset_on_quarter_hours_and_midnight() {
        let mut budget = Budget::default();
        let midnight = 1_700_006_400; // a multiple of 86400
        assert_eq!(midnight % ONE_DAY, 0);
        budget.count(midnight + 899, false, &LIMITS);
        budget.count(midnight + 899, false, &LIMITS);
        assert!(
            !budget.count(midnight + 900, false, &LIMITS),
            "new quarter hour"
        );
        assert_eq!(budget.overall_daily, 3, "the day keeps counting");
        budget.count(midnight + 1_800, false, &LIMITS);
        budget.count(midnight + 1_800, false, &LIMITS);
        assert!(
            budget.count(midnight + 2_700, false, &LIMITS),
            "over the daily 4 reads"
        );
        assert!(!budget.count(midnight + ONE_DAY, false, &LIMITS), "new day");
    }
}
