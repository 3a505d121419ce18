//! Strava's rate limits: the two header pairs, and a budget that waits for the next window instead of earning a 429.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Seconds in a 15-minute window (windows start at :00, :15, :30 and :45).
pub const QUARTER_HOUR: i64 = 15 * 60;
/// Seconds in a UTC day (the daily window resets at midnight UTC).
pub const DAY: i64 = 24 * 60 * 60;

/// A "15min,daily" pair, as in `X-RateLimit-Limit: 200,2000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowPair {
    pub fifteen_min: u64,
    pub daily: u64,
}

impl WindowPair {
    /// Parses "a,b" (spaces allowed); `None` when it is not two numbers.
    pub fn parse(text: &str) -> Option<Self> {
        let (a, b) = text.split_once(',')?;
        Some(Self {
            fifteen_min: a.trim().parse().ok()?,
            daily: b.trim().parse().ok()?,
        })
    }
}

/// The four rate-limit headers of one response; each is `None` when absent or malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitHeaders {
    pub overall_limit: Option<WindowPair>,
    pub overall_usage: Option<WindowPair>,
    pub read_limit: Option<WindowPair>,
    pub read_usage: Option<WindowPair>,
}

impl RateLimitHeaders {
    /// Reads the headers (header names are case-insensitive).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let pair = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(WindowPair::parse)
        };
        Self {
            overall_limit: pair("x-ratelimit-limit"),
            overall_usage: pair("x-ratelimit-usage"),
            read_limit: pair("x-readratelimit-limit"),
            read_usage: pair("x-readratelimit-usage"),
        }
    }
}

/// Which budgets a request uses: `POST /uploads` only the overall one, everything else both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Upload,
    Read,
}

/// The time the windows are counted in (Strava's clock; tests use the fake's scaled clock).
pub trait Clock: Send + Sync {
    /// Now, in (fractional) seconds since the Unix epoch.
    fn now_secs(&self) -> f64;
    /// Real time to wait until the clock reads `epoch_secs` (zero when already past).
    fn real_until(&self, epoch_secs: f64) -> Duration;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_secs(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }

    fn real_until(&self, epoch_secs: f64) -> Duration {
        Duration::from_secs_f64((epoch_secs - self.now_secs()).max(0.0))
    }
}

/// A clock that starts at the real now and runs `scale` times faster, so rate-limit windows
/// pass quickly: for testing against `fake-services --time-scale` (`MTP_RATE_LIMIT_TIME_SCALE`).
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    started: std::time::Instant,
    start_secs: f64,
    scale: f64,
}

impl ScaledClock {
    /// `None` unless `scale` is a finite number above 1 (real time needs no scaled clock).
    pub fn new(scale: f64) -> Option<Self> {
        (scale.is_finite() && scale > 1.0).then(|| Self {
            started: std::time::Instant::now(),
            start_secs: SystemClock.now_secs(),
            scale,
        })
    }
}

impl Clock for ScaledClock {
    fn now_secs(&self) -> f64 {
        self.start_secs + self.started.elapsed().as_secs_f64() * self.scale
    }

    fn real_until(&self, epoch_secs: f64) -> Duration {
        Duration::from_secs_f64(((epoch_secs - self.now_secs()) / self.scale).max(0.0))
    }
}

/// Which windows a request was counted in (to ignore headers from an older window), and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    quarter: i64,
    day: i64,
    kind: RequestKind,
}

#[derive(Debug, Default)]
struct Counters {
    quarter: i64,
    day: i64,
    overall: WindowPair,
    read: WindowPair,
    overall_limit: Option<WindowPair>,
    read_limit: Option<WindowPair>,
    /// Requests sent and not answered yet: Strava may count them in the next window.
    in_flight_overall: u64,
    in_flight_read: u64,
}

impl Counters {
    /// Starts new windows when the clock passed a boundary; requests still in flight are
    /// counted in the new window too (they may reach Strava after the boundary).
    fn roll(&mut self, now: f64) {
        let now = now.floor() as i64;
        let (quarter, day) = (now.div_euclid(QUARTER_HOUR), now.div_euclid(DAY));
        if quarter != self.quarter {
            self.quarter = quarter;
            self.overall.fifteen_min = self.in_flight_overall;
            self.read.fifteen_min = self.in_flight_read;
        }
        if day != self.day {
            self.day = day;
            self.overall.daily = self.in_flight_overall;
            self.read.daily = self.in_flight_read;
        }
    }

    fn answered(&mut self, kind: RequestKind) {
        self.in_flight_overall = self.in_flight_overall.saturating_sub(1);
        if kind == RequestKind::Read {
            self.in_flight_read = self.in_flight_read.saturating_sub(1);
        }
    }

    /// When the request would go over a known limit: the epoch second its window ends.
    fn blocked_until(&self, kind: RequestKind) -> Option<i64> {
        let over = |used: WindowPair, limit: Option<WindowPair>| -> Option<i64> {
            let limit = limit?;
            if used.daily >= limit.daily {
                Some((self.day + 1) * DAY)
            } else if used.fifteen_min >= limit.fifteen_min {
                Some((self.quarter + 1) * QUARTER_HOUR)
            } else {
                None
            }
        };
        let overall = over(self.overall, self.overall_limit);
        let read = match kind {
            RequestKind::Read => over(self.read, self.read_limit),
            RequestKind::Upload => None,
        };
        overall.max(read)
    }

    fn count(&mut self, kind: RequestKind) {
        self.overall.fifteen_min += 1;
        self.overall.daily += 1;
        self.in_flight_overall += 1;
        if kind == RequestKind::Read {
            self.read.fifteen_min += 1;
            self.read.daily += 1;
            self.in_flight_read += 1;
        }
    }
}

/// Called with the epoch second the queue waits until.
pub type PauseListener = Arc<dyn Fn(i64) + Send + Sync>;

/// The application's shared request budget: counts what is sent, learns the limits and the
/// usage from every response, and makes callers wait for the window that has room.
pub struct Budget {
    clock: Arc<dyn Clock>,
    /// Extra seconds to wait after a boundary (clocks are never exactly in step).
    margin_secs: f64,
    counters: Mutex<Counters>,
    /// Requests in flight before any limit is known (one at a time until the first reply).
    learning: Mutex<bool>,
    listener: Mutex<Option<PauseListener>>,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("margin_secs", &self.margin_secs)
            .finish_non_exhaustive()
    }
}

impl Budget {
    /// A budget in `clock`'s time that waits `margin_secs` past each boundary.
    pub fn new(clock: Arc<dyn Clock>, margin_secs: f64) -> Self {
        Self {
            clock,
            margin_secs,
            counters: Mutex::new(Counters::default()),
            learning: Mutex::new(false),
            listener: Mutex::new(None),
        }
    }

    /// Who hears about pauses ("paused until").
    pub fn set_pause_listener(&self, listener: Option<PauseListener>) {
        *lock(&self.listener) = listener;
    }

    /// The clock windows are counted in.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Counts one request, or says until when (epoch second) there is no room for it.
    pub fn try_reserve(&self, kind: RequestKind) -> Result<Reservation, i64> {
        let mut counters = lock(&self.counters);
        counters.roll(self.clock.now_secs());
        if let Some(until) = counters.blocked_until(kind) {
            return Err(until);
        }
        counters.count(kind);
        Ok(Reservation {
            quarter: counters.quarter,
            day: counters.day,
            kind,
        })
    }

    /// Waits until the request fits in every known window, tells the listener when it
    /// pauses, and counts the request.
    pub async fn reserve(&self, kind: RequestKind) -> Reservation {
        loop {
            if self.limits_unknown() && self.claim_learning() {
                if let Ok(reservation) = self.try_reserve(kind) {
                    return reservation;
                }
            }
            if self.limits_unknown() {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            match self.try_reserve(kind) {
                Ok(reservation) => return reservation,
                Err(until) => {
                    let listener = lock(&self.listener).clone();
                    if let Some(listener) = listener {
                        listener(until);
                    }
                    let wait = self.clock.real_until(until as f64 + self.margin_secs);
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }

    /// Learns limits and usage from the reply to a request counted in `reservation`
    /// (empty headers when no reply came).
    pub fn observe(&self, reservation: Reservation, headers: &RateLimitHeaders) {
        let mut counters = lock(&self.counters);
        counters.answered(reservation.kind);
        counters.roll(self.clock.now_secs());
        if headers.overall_limit.is_some() {
            counters.overall_limit = headers.overall_limit;
        }
        if headers.read_limit.is_some() {
            counters.read_limit = headers.read_limit;
        }
        *lock(&self.learning) = false;
        let same_quarter = reservation.quarter == counters.quarter;
        let same_day = reservation.day == counters.day;
        let merge = |local: &mut WindowPair, seen: Option<WindowPair>| {
            if let Some(seen) = seen {
                if same_quarter {
                    local.fifteen_min = local.fifteen_min.max(seen.fifteen_min);
                }
                if same_day {
                    local.daily = local.daily.max(seen.daily);
                }
            }
        };
        merge(&mut counters.overall, headers.overall_usage);
        merge(&mut counters.read, headers.read_usage);
    }

    /// A 429 came back (after [`Budget::observe`]): treat the window the request was counted in as full.
    pub fn exhausted(&self, reservation: Reservation) {
        let kind = reservation.kind;
        let mut counters = lock(&self.counters);
        counters.roll(self.clock.now_secs());
        *lock(&self.learning) = false;
        if reservation.quarter != counters.quarter {
            return;
        }
        let fill = |used: &mut WindowPair, limit: Option<WindowPair>| {
            used.fifteen_min = used.fifteen_min.max(limit.map_or(1, |l| l.fifteen_min));
        };
        let overall_limit = counters.overall_limit;
        fill(&mut counters.overall, overall_limit);
        if kind == RequestKind::Read {
            let read_limit = counters.read_limit;
            fill(&mut counters.read, read_limit);
        }
        if counters.overall_limit.is_none() {
            counters.overall_limit = Some(WindowPair {
                fifteen_min: counters.overall.fifteen_min,
                daily: u64::MAX,
            });
        }
    }

    fn limits_unknown(&self) -> bool {
        lock(&self.counters).overall_limit.is_none()
    }

    /// True for the one caller allowed to send while no limit is known yet.
    fn claim_learning(&self) -> bool {
        let mut learning = lock(&self.learning);
        if *learning {
            false
        } else {
            *learning = true;
            true
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    struct Fixed(f64);
    impl Clock for Fixed {
        fn now_secs(&self) -> f64 {
            self.0
        }
        fn real_until(&self, _: f64) -> Duration {
            Duration::ZERO
        }
    }

    fn headers(limit: &str, usage: &str, read_limit: &str, read_usage: &str) -> RateLimitHeaders {
        let mut map = HeaderMap::new();
        for (name, value) in [
            ("X-RateLimit-Limit", limit),
            ("x-ratelimit-usage", usage),
            ("X-ReadRateLimit-Limit", read_limit),
            ("X-READRATELIMIT-USAGE", read_usage),
        ] {
            map.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        RateLimitHeaders::from_headers(&map)
    }

    #[test]
    fn both_pairs_are_parsed_whatever_the_case() {
        let h = headers("200,2000", "31, 512", "100,1000", "7,70");
        assert_eq!(
            h.overall_usage,
            Some(WindowPair {
                fifteen_min: 31,
                daily: 512
            })
        );
        assert_eq!(h.read_limit.map(|p| p.daily), Some(1000));
        assert_eq!(WindowPair::parse("12"), None);
        assert_eq!(WindowPair::parse("a,b"), None);
    }

    #[test]
    fn a_full_quarter_hour_waits_for_the_next_one_and_uploads_skip_the_read_budget() {
        let start = 1_700_001_000.0; // inside a quarter hour
        let budget = Budget::new(Arc::new(Fixed(start)), 0.0);
        let first = budget.try_reserve(RequestKind::Read).unwrap();
        budget.observe(first, &headers("3,100", "1,1", "2,100", "1,1"));
        budget.try_reserve(RequestKind::Read).unwrap();
        let next_quarter = ((start as i64) / QUARTER_HOUR + 1) * QUARTER_HOUR;
        assert_eq!(budget.try_reserve(RequestKind::Read), Err(next_quarter));
        budget.try_reserve(RequestKind::Upload).unwrap();
        assert_eq!(budget.try_reserve(RequestKind::Upload), Err(next_quarter));
    }

    #[test]
    fn a_full_day_waits_for_utc_midnight() {
        let start = 1_700_001_000.0;
        let budget = Budget::new(Arc::new(Fixed(start)), 0.0);
        let first = budget.try_reserve(RequestKind::Upload).unwrap();
        budget.observe(first, &headers("100,5", "1,5", "100,1000", "0,0"));
        let midnight = ((start as i64) / DAY + 1) * DAY;
        assert_eq!(budget.try_reserve(RequestKind::Upload), Err(midnight));
    }

    struct Shared(std::sync::Mutex<f64>);
    impl Clock for Arc<Shared> {
        fn now_secs(&self) -> f64 {
            *self.0.lock().unwrap()
        }
        fn real_until(&self, _: f64) -> Duration {
            Duration::ZERO
        }
    }

    #[test]
    fn requests_in_flight_at_a_boundary_count_in_the_new_window() {
        let start = 1_700_000_100.0;
        let clock = Arc::new(Shared(std::sync::Mutex::new(start)));
        let budget = Budget::new(Arc::new(clock.clone()), 0.0);
        let first = budget.try_reserve(RequestKind::Upload).unwrap();
        budget.observe(first, &headers("2,100", "1,1", "2,100", "0,0"));
        let in_flight = budget.try_reserve(RequestKind::Upload).unwrap();
        *clock.0.lock().unwrap() = start + QUARTER_HOUR as f64;
        budget.try_reserve(RequestKind::Upload).unwrap();
        assert!(
            budget.try_reserve(RequestKind::Upload).is_err(),
            "the unanswered request may be counted in the new window"
        );
        budget.observe(in_flight, &RateLimitHeaders::default());
    }

    #[test]
    fn a_scaled_clock_runs_faster_and_waits_in_real_time() {
        assert!(ScaledClock::new(1.0).is_none());
        assert!(ScaledClock::new(f64::NAN).is_none());
        let clock = ScaledClock::new(600.0).unwrap();
        let start = clock.now_secs();
        assert!((start - SystemClock.now_secs()).abs() < 1.0);
        std::thread::sleep(Duration::from_millis(50));
        let advanced = clock.now_secs() - start;
        assert!((25.0..60.0).contains(&advanced), "{advanced} clock seconds");
        // A quarter hour of this clock lasts a second and a half of real time.
        let wait = clock.real_until(clock.now_secs() + QUARTER_HOUR as f64);
        assert!((1.4..=1.5).contains(&wait.as_secs_f64()), "{wait:?}");
        assert_eq!(clock.real_until(start), Duration::ZERO);
    }

    #[test]
    fn usage_from_an_older_window_is_ignored() {
        let budget = Budget::new(Arc::new(Fixed(1_700_001_000.0)), 0.0);
        let stale = Reservation {
            quarter: 0,
            day: 0,
            kind: RequestKind::Read,
        };
        budget.observe(stale, &headers("3,100", "3,3", "3,100", "3,3"));
        assert!(budget.try_reserve(RequestKind::Read).is_ok());
    }
}
