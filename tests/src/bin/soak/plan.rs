//! What a seed decides: where the CLI is killed, when the 429 burst and the token revocation
//! come, how long the app works, and the probabilistic faults of both fakes.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use mtp_testkit::fake::{FaultKind, FaultRule};

/// The default seed (issue 18), so two plain `make soak` runs plan the same faults.
pub const DEFAULT_SEED: u64 = 18;

/// Share of requests to each fake that an injected fault hits.
pub const FAULT_RATE: f64 = 0.20;

/// Slow replies wait this long (real time) before the fake handles the request.
const SLOW_MS: u64 = 1_200;

/// How many requests in a row Strava answers 429 once the burst starts.
pub const BURST_LEN: u32 = 8;

/// The seeded schedule of one soak.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    /// Progress lines after which each of the three CLI runs is SIGKILLed.
    pub kills: [usize; 3],
    /// Progress line of the first run at which the 429 burst starts.
    pub burst_at: usize,
    /// Progress line of the second run at which Strava revokes the access token in use.
    pub revoke_at: usize,
    /// Seconds the app works the queue alone before the next CLI run starts (which then
    /// waits for it); it works as long again before it is closed.
    pub app_alone_secs: u64,
}

impl Plan {
    pub fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let kills = [
            rng.gen_range(80..=300),
            rng.gen_range(80..=300),
            rng.gen_range(80..=300),
        ];
        let burst_at = rng.gen_range(10..kills[0] - 20);
        let revoke_at = rng.gen_range(10..kills[1] - 20);
        Self {
            seed,
            kills,
            burst_at,
            revoke_at,
            app_alone_secs: rng.gen_range(8..=14),
        }
    }
}

/// The probabilistic faults: `rate` of the requests matching `route` fail, split into 5xx
/// (40 %: 503, 500, 502), dropped connections (30 %) and slow replies (30 %). Rules are tried
/// in order and the first that fires wins, so each one's probability is its share of what the
/// rules before it left.
pub fn random_faults(route: &str, rate: f64) -> Vec<FaultRule> {
    let mix = [
        (FaultKind::Status { status: 503 }, 0.20),
        (FaultKind::Status { status: 500 }, 0.10),
        (FaultKind::Status { status: 502 }, 0.10),
        (FaultKind::Drop, 0.30),
        (FaultKind::Slow { delay_ms: SLOW_MS }, 0.30),
    ];
    let mut taken = 0.0;
    mix.into_iter()
        .map(|(kind, share)| {
            let p = rate * share;
            let rule = FaultRule::sometimes(route, kind, p / (1.0 - taken));
            taken += p;
            rule
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_adds_up_to_the_rate() {
        let rules = random_faults("*", 0.2);
        let mut left = 1.0;
        for rule in &rules {
            left *= 1.0 - rule.probability.unwrap();
        }
        assert!((1.0 - left - 0.2).abs() < 1e-9, "{}", 1.0 - left);
    }

    #[test]
    fn a_seed_gives_the_same_plan() {
        let (a, b) = (Plan::new(7), Plan::new(7));
        assert_eq!(a.kills, b.kills);
        assert_eq!((a.burst_at, a.revoke_at), (b.burst_at, b.revoke_at));
        assert!(a.burst_at < a.kills[0] && a.revoke_at < a.kills[1]);
    }
}
