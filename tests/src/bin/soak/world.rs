//! The soak's world: the fakes in this process, the sequence folders, and the environment the
//! CLI and the app are started with (the same data folder, keyring service and fakes).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use mtp_testkit::fake::{
    Approval, FakeServices, MtpwConfig, ProcessingDelay, RateLimits, ServicesConfig, StravaConfig,
};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use time::macros::datetime;
use tokio::process::Command;

/// The keyring service the soak's sign-ins are stored under (never the app's own).
pub const KEYRING_SERVICE: &str = "mtp-strava-uploader-soak";

/// Waits divided by this in the CLI and the app (retry backoff, upload polls).
const PIPELINE_SPEEDUP: &str = "20";

/// The CLI's and the app's rate-limit clock runs this much faster: a 429 waits for the next
/// quarter hour of that clock, 5 real seconds at most.
const RATE_LIMIT_TIME_SCALE: &str = "180";

/// Eligible transports: (parent, method, the Strava sport type it maps to).
const TRANSPORTS: [(&str, &str, &str); 6] = [
    ("Earth", "Bicycle", "Ride"),
    ("Earth", "Walk", "Walk"),
    ("Water", "Kayak", "Kayaking"),
    ("Snow", "Ski", "NordicSki"),
    ("Water", "Paddleboard", "StandUpPaddling"),
    ("Earth", "Electric Bicycle", "EBikeRide"),
];

const PLACES: [(f64, f64); 4] = [
    (51.2484762, -0.7824453),
    (46.3625, 14.0936),
    (45.9237, 6.8694),
    (-34.3568, 18.4970),
];

/// One generated sequence folder.
#[derive(Debug, Clone)]
pub struct Sequence {
    pub name: String,
    /// `destination.mtp`, also the upload's `external_id` on Strava.
    pub uuid: Option<String>,
    /// The sport type its transport maps to (eligible ones).
    pub sport_type: Option<&'static str>,
}

/// Where the programs are.
#[derive(Debug, Clone)]
pub struct Programs {
    pub cli: PathBuf,
    pub app: PathBuf,
    pub browser: PathBuf,
}

pub struct World {
    pub services: FakeServices,
    pub dir: PathBuf,
    pub programs: Programs,
    /// Ready to upload: each must end on Strava once and marked on MTPW.
    pub eligible: Vec<Sequence>,
    /// In the library but not for `upload --all-pending`: nothing of them may reach Strava.
    pub others: Vec<Sequence>,
}

impl World {
    /// Starts the fakes (approving every sign-in, processing uploads in about 300 ms, limits
    /// no soak reaches: the only 429s are the injected burst) and writes the sequences.
    pub async fn start(
        dir: &Path,
        programs: Programs,
        seed: u64,
        count: usize,
    ) -> Result<World, String> {
        let strava = StravaConfig {
            approval: Approval::auto(),
            processing: ProcessingDelay::Random {
                mean: Duration::from_millis(300),
            },
            limits: RateLimits {
                overall_15min: 1_000_000,
                overall_daily: 10_000_000,
                read_15min: 1_000_000,
                read_daily: 10_000_000,
            },
            seed,
            ..StravaConfig::default()
        };
        let mtpw = MtpwConfig {
            auto_approve: true,
            seed,
            ..MtpwConfig::default()
        }
        .for_redirect_uri("http://127.0.0.1/mtpw/callback");
        let services = FakeServices::start(ServicesConfig {
            strava,
            mtpw,
            ..ServicesConfig::default()
        })
        .await
        .map_err(|e| format!("cannot start the fakes: {e}"))?;
        for sub in ["home/MTP/sequences", "data", "logs"] {
            std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("{sub}: {e}"))?;
        }
        let mut world = World {
            services,
            dir: dir.to_path_buf(),
            programs,
            eligible: Vec::new(),
            others: Vec::new(),
        };
        world.write_sequences(seed, count)?;
        world.seed_mtpw().await?;
        Ok(world)
    }

    fn root(&self) -> PathBuf {
        self.dir.join("home/MTP/sequences")
    }

    pub fn logs(&self) -> PathBuf {
        self.dir.join("logs")
    }

    /// `count` eligible sequences, 3 hours apart (no two overlap in time, which Strava would
    /// call duplicates), and five it must leave alone: three by car, a broken track and one
    /// MTP Desktop Uploader already uploaded. (None without an MTPW id: `--all-pending` queues
    /// those, and each run then ends "needs attention" and exits 1.)
    fn write_sequences(&mut self, seed: u64, count: usize) -> Result<(), String> {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x50AC);
        let mut uuid = || {
            uuid::Builder::from_random_bytes(rng.gen())
                .into_uuid()
                .to_string()
        };
        let first = datetime!(2021-03-01 06:00:00 UTC);
        let at = |i: usize| first + time::Duration::hours(3 * i as i64);
        let root = self.root();
        let write = |spec: &SequenceSpec| {
            write_sequence(&root, spec).map_err(|e| format!("writing {}: {e}", spec.dir_name))
        };
        for i in 0..count {
            let (parent, method, sport) = TRANSPORTS[i % TRANSPORTS.len()];
            let name = format!("Soak {method} {i:03}");
            let mut spec = SequenceSpec::named(&name, (parent, method), at(i), PLACES[i % 4], 30);
            let id = uuid();
            spec.destination_mtp = Some(json!(id));
            write(&spec)?;
            self.eligible.push(Sequence {
                name,
                uuid: Some(id),
                sport_type: Some(sport),
            });
        }
        let mut other = |name: &str,
                         transport: (&str, &str),
                         edit: &dyn Fn(&mut SequenceSpec),
                         id: Option<String>| {
            let when = at(count + 1 + self.others.len());
            let mut spec = SequenceSpec::named(name, transport, when, PLACES[0], 30);
            spec.destination_mtp = id.as_ref().map(|id| json!(id));
            edit(&mut spec);
            write(&spec)?;
            self.others.push(Sequence {
                name: name.into(),
                uuid: id,
                sport_type: None,
            });
            Ok::<_, String>(())
        };
        for n in 0..3 {
            other(
                &format!("Soak Car {n}"),
                ("Earth", "Car"),
                &|_| {},
                Some(uuid()),
            )?;
        }
        let broken = |s: &mut SequenceSpec| s.gpx_time_missing_at = Some(15);
        other(
            "Soak broken track",
            ("Earth", "Walk"),
            &broken,
            Some(uuid()),
        )?;
        let desktop = |s: &mut SequenceSpec| s.destination_strava = Some(json!(true));
        other("Soak desktop", ("Earth", "Walk"), &desktop, Some(uuid()))?;
        Ok(())
    }

    /// The sequences exist on Map the Paths already, as MTP Desktop Uploader made them.
    async fn seed_mtpw(&self) -> Result<(), String> {
        let seeds: Vec<Value> = self
            .eligible
            .iter()
            .chain(&self.others)
            .filter_map(|s| {
                let uuid = s.uuid.as_ref()?;
                Some(json!({"unique_id": uuid, "name": s.name, "transport_type": "Walk"}))
            })
            .collect();
        let url = format!("{}/__fake/sequences", self.services.mtpw.base_url());
        let reply = reqwest::Client::new()
            .post(url)
            .json(&seeds)
            .send()
            .await
            .map_err(|e| format!("seeding MTPW: {e}"))?;
        if !reply.status().is_success() {
            let body = reply.text().await.unwrap_or_default();
            return Err(format!("seeding MTPW was refused: {body}"));
        }
        Ok(())
    }

    /// `program` with the soak's environment: the data folder, the fakes, the keyring service
    /// of the soak's sign-ins, the test speed-ups; never a token from the environment (the
    /// sign-ins are the keyring's, so a revoked token can be refreshed).
    pub fn command(&self, program: &Path) -> Command {
        let client = self.services.strava.client();
        let home = self.dir.join("home");
        let mut command = Command::new(program);
        command
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("MTP_DATA_DIR", self.dir.join("data"))
            .env("MTP_STRAVA_API_BASE", self.services.strava.api_base())
            .env("MTP_STRAVA_OAUTH_BASE", self.services.strava.oauth_base())
            .env("MTP_STRAVA_CLIENT_ID", client.id.to_string())
            .env("MTP_STRAVA_CLIENT_SECRET", &client.secret)
            .env("MTPW_BASE", self.services.mtpw.base_url())
            .env("MTPW_CLIENT_ID", self.services.mtpw.client_id())
            .env("MTP_KEYRING_SERVICE", KEYRING_SERVICE)
            .env("MTP_PIPELINE_SPEEDUP", PIPELINE_SPEEDUP)
            .env("MTP_RATE_LIMIT_TIME_SCALE", RATE_LIMIT_TIME_SCALE)
            .env_remove("MTP_STRAVA_ACCESS_TOKEN")
            .env_remove("MTPW_TOKEN")
            .env_remove("MTPW_REDIRECT_URI")
            .env_remove("MTP_UPLOAD_CONCURRENCY")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// `mtp-strava-uploader-cli <args>` to its end: exit code and output.
    pub async fn cli(&self, args: &[&str], timeout: Duration) -> Result<(i32, String), String> {
        let mut command = self.command(&self.programs.cli);
        command.args(args);
        let run = tokio::time::timeout(timeout, command.output()).await;
        let output = run
            .map_err(|_| format!("`{}` did not end in {timeout:?}", args.join(" ")))?
            .map_err(|e| format!("cannot run the CLI: {e}"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok((output.status.code().unwrap_or(-1), text))
    }

    /// Signs the CLI in to both fakes as a person would: `login strava` and `login mtpw`
    /// (loopback redirect), the "browser" being tests/e2e/browser.sh, which approves and
    /// hands the callback to the CLI's listener. The tokens land in the keyring.
    pub async fn sign_in(&self) -> Result<(), String> {
        for service in ["strava", "mtpw"] {
            let mut command = self.command(&self.programs.cli);
            command
                .args(["login", service])
                .env("BROWSER", &self.programs.browser)
                .env("MTP_GUI_APP", &self.programs.app)
                .env("MTP_GUI_LOGS", self.logs());
            let run = tokio::time::timeout(Duration::from_secs(90), command.output()).await;
            let output = run
                .map_err(|_| format!("`login {service}` did not end in 90 s"))?
                .map_err(|e| format!("cannot run the CLI: {e}"))?;
            if !output.status.success() {
                return Err(format!(
                    "`login {service}` failed: {}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
        Ok(())
    }
}
