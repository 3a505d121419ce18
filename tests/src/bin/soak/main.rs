//! `soak`: 200 sequences uploaded through the CLI against the fake Strava and MTPW while 20 %
//! of their API requests fail (5xx, dropped connections, slow replies), with one 429 burst, one
//! revoked access token (whose refresh meets a 503 first), three SIGKILLs of the CLI at seeded
//! moments, and the app working the same data folder for part of the time. Then every eligible
//! sequence must be on Strava exactly once and marked on MTPW, the history must hold every
//! upload as done, and the figures are printed. Exit code 1 when a check fails, 2 on bad arguments.
//!
//! Needs a D-Bus session with an unlocked Secret Service (the sign-ins are real ones, in the
//! keyring, so a revoked token can be refreshed) and an X display for the app: run it through
//! tests/soak/run.sh (`make soak`).

mod plan;
mod runs;
mod verify;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use mtp_testkit::fake::{FaultKind, FaultRule};
use serde_json::Value;

use plan::{random_faults, Plan, BURST_LEN, DEFAULT_SEED, FAULT_RATE};
use runs::{App, CliRun, RunEnd};
use verify::Baseline;
use world::{Programs, World};

const USAGE: &str = "usage: soak [--seed N] [--sequences N] [--work DIR] [--cli PATH] \
[--app PATH] [--browser PATH] [--no-app]";

/// The longest one CLI run may take before the soak calls it stuck.
const RUN_TIMEOUT: Duration = Duration::from_secs(900);

/// Runs after the kills, at most, to finish uploads that gave up after their four tries.
const MAX_FINAL_RUNS: usize = 4;

struct Args {
    seed: u64,
    sequences: usize,
    work: Option<PathBuf>,
    programs: Programs,
    with_app: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
        .unwrap_or_default();
    let mut parsed = Args {
        seed: DEFAULT_SEED,
        sequences: 200,
        work: None,
        programs: Programs {
            cli: bin_dir.join("mtp-strava-uploader-cli"),
            app: bin_dir.join("mtp-strava-uploader"),
            browser: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/browser.sh")),
        },
        with_app: true,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--no-app" {
            parsed.with_app = false;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = || format!("invalid value for {flag}: {value}");
        match flag.as_str() {
            "--seed" => parsed.seed = value.parse().map_err(|_| bad())?,
            "--sequences" => {
                parsed.sequences = value.parse().map_err(|_| bad())?;
                if parsed.sequences < 60 {
                    return Err(format!("{} (at least 60)", bad()));
                }
            }
            "--work" => parsed.work = Some(PathBuf::from(value)),
            "--cli" => parsed.programs.cli = PathBuf::from(value),
            "--app" => parsed.programs.app = PathBuf::from(value),
            "--browser" => parsed.programs.browser = PathBuf::from(value),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(parsed)
}

/// What happened along the way, for the figures.
#[derive(Default)]
struct Story {
    runs: Vec<RunEnd>,
    kills: usize,
    /// The 429 burst and the revocation were set off (their runs got that far).
    burst: bool,
    revoke: bool,
    app: Option<AppPart>,
    final_runs: usize,
}

struct AppPart {
    started_after: Duration,
    strava_requests: usize,
    mtpw_requests: usize,
    marked: usize,
    closed_on_sigterm: bool,
    cli_waited: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(err) => {
            eprintln!("soak: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let plan = Plan::new(args.seed);
    println!(
        "soak: seed {} (repeat with --seed {}), {} sequences, {:.0} % of requests failing",
        plan.seed,
        plan.seed,
        args.sequences,
        FAULT_RATE * 100.0
    );
    println!(
        "soak: plan: SIGKILL after {:?} progress lines, 429 burst of {BURST_LEN} at line {} of run 1, access token revoked at line {} of run 2, the app alone for {} s{}",
        plan.kills,
        plan.burst_at,
        plan.revoke_at,
        plan.app_alone_secs,
        if args.with_app { "" } else { " (skipped: --no-app)" }
    );
    let (work, tmp) = match &args.work {
        Some(dir) => (dir.clone(), None),
        None => match tempfile::Builder::new().prefix("mtp-soak.").tempdir() {
            Ok(tmp) => (tmp.path().to_path_buf(), Some(tmp)),
            Err(err) => {
                eprintln!("soak: no temporary folder: {err}");
                return ExitCode::FAILURE;
            }
        },
    };
    let started = Instant::now();
    match soak(&args, &plan, &work, started).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("soak: FAILED (logs in {})", work.join("logs").display());
            if let Some(tmp) = tmp {
                let _ = tmp.keep();
            }
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("soak: {err}");
            eprintln!("soak: FAILED (logs in {})", work.join("logs").display());
            if let Some(tmp) = tmp {
                let _ = tmp.keep();
            }
            ExitCode::FAILURE
        }
    }
}

async fn soak(
    args: &Args,
    plan: &Plan,
    work: &std::path::Path,
    started: Instant,
) -> Result<bool, String> {
    for (what, path) in [
        ("CLI", &args.programs.cli),
        ("app", &args.programs.app),
        ("browser script", &args.programs.browser),
    ] {
        if !path.is_file() && (what != "app" || args.with_app) {
            return Err(format!("no {what} at {} (make build)", path.display()));
        }
    }
    let world = World::start(work, args.programs.clone(), plan.seed, args.sequences).await?;
    println!(
        "soak: fakes at {} and {}; {} sequence folders in {}",
        world.services.strava.api_base(),
        world.services.mtpw.base_url(),
        world.eligible.len() + world.others.len(),
        work.join("home/MTP/sequences").display()
    );
    world.sign_in().await?;
    println!("soak: the CLI signed in to both fakes (loopback, tokens in the keyring)");
    let baseline = Baseline {
        strava: world.services.strava.requests().len(),
        mtpw: world.services.mtpw.requests().len(),
    };
    // Strava's API, not its token endpoint: a reply lost after Strava rotated the refresh
    // token loses the sign-in whatever a client does (the old one is refused at once), so a
    // dropped refresh would fail the soak without a bug. The refresh meets one 503 instead.
    for rule in random_faults("* /api/v3/**", FAULT_RATE) {
        world.services.strava.add_fault(rule);
    }
    for rule in random_faults("* /api/**", FAULT_RATE) {
        world.services.mtpw.add_fault(rule);
    }

    let mut story = Story::default();
    // Run 1: the 429 burst, then SIGKILL.
    let mut run = CliRun::start(&world, "run-1")?;
    if run.printed(plan.burst_at).await {
        world.services.strava.add_fault(FaultRule::next(
            "* /api/v3/**",
            FaultKind::RateLimited,
            BURST_LEN,
        ));
        story.burst = true;
        say(
            started,
            &format!("run 1: 429 burst starts (line {})", run.progress()),
        );
    }
    kill_at(&mut story, run, plan.kills[0], started).await?;

    // Run 2: Strava revokes the access token in use, then SIGKILL.
    let mut run = CliRun::start(&world, "run-2")?;
    if run.printed(plan.revoke_at).await {
        world.services.strava.add_fault(FaultRule::next(
            "* /api/v3/**",
            FaultKind::RevokeAccessToken,
            1,
        ));
        // ...and the refresh that follows meets a 503 first.
        world.services.strava.add_fault(FaultRule::next(
            "POST /oauth/token",
            FaultKind::Status { status: 503 },
            1,
        ));
        story.revoke = true;
        say(
            started,
            &format!(
                "run 2: Strava revokes the access token, its token endpoint fails once (line {})",
                run.progress()
            ),
        );
    }
    kill_at(&mut story, run, plan.kills[1], started).await?;

    // Run 3, and the app started beside it once the run holds the queue (its first progress
    // line): the app waits for its turn; SIGKILL the CLI and the app resumes the queue alone,
    // the next CLI run waits for it, then the app is closed.
    let mut run = CliRun::start(&world, "run-3")?;
    let app = if args.with_app && run.printed(1).await {
        say(started, "run 3: the app starts on the same data folder");
        Some(App::start(&world)?)
    } else {
        None
    };
    kill_at(&mut story, run, plan.kills[2], started).await?;
    let last = match app {
        Some(app) => {
            let (part, run) = app_part(&world, app, plan, started).await?;
            story.app = Some(part);
            run
        }
        None => CliRun::start(&world, "run-4")?,
    };
    let mut end = last.finish(RUN_TIMEOUT).await?;
    say(
        started,
        &format!("{}: ended with exit code {:?}", end.label, end.code),
    );
    if let Some(app) = &mut story.app {
        app.cli_waited = end
            .lines
            .iter()
            .any(|l| l.starts_with("Waiting: the app (process"));
    }
    story.runs.push(end.clone());
    while end.code != Some(0) && story.final_runs < MAX_FINAL_RUNS {
        // What was left (the end of its summary), then run again as a person or cron would.
        let summary = end
            .lines
            .iter()
            .skip_while(|l| !l.ends_with(" uploads done"));
        for line in summary.take(12) {
            say(started, &format!("{}: {}", end.label, line.trim()));
        }
        story.final_runs += 1;
        let label = format!("run-{}", 4 + story.final_runs);
        end = CliRun::start(&world, &label)?.finish(RUN_TIMEOUT).await?;
        say(
            started,
            &format!("{label}: ended with exit code {:?}", end.code),
        );
        story.runs.push(end.clone());
    }

    keep_app_log(&world);
    let (code, out) = world
        .cli(
            &["history", "--json", "--limit", "100000"],
            Duration::from_secs(120),
        )
        .await?;
    if code != 0 {
        return Err(format!("history --json failed: {out}"));
    }
    let history: Value =
        serde_json::from_str(&out).map_err(|e| format!("history --json is not JSON: {e}"))?;
    std::fs::write(world.logs().join("history.json"), &out).map_err(|e| e.to_string())?;
    let faults_left = faults_left(&world).await;
    let report = verify::check(&world, &history, baseline);
    print_figures(
        &world,
        plan,
        &story,
        &report,
        &faults_left,
        started.elapsed(),
    );
    let mut ok = report.failures.is_empty();
    if end.code != Some(0) {
        println!("FAIL: the last CLI run still exited {:?}", end.code);
        ok = false;
    }
    if story.kills != 3 || !story.burst || !story.revoke {
        println!(
            "FAIL: the plan did not happen: {} kills of 3, 429 burst {}, revocation {}",
            story.kills, story.burst, story.revoke
        );
        ok = false;
    }
    if let Some(app) = &story.app {
        if app.strava_requests + app.mtpw_requests == 0 {
            println!("FAIL: the app did not work the queue (see logs/app.stderr.log)");
            ok = false;
        }
    }
    for failure in report.failures.iter().take(40) {
        println!("FAIL: {failure}");
    }
    if report.failures.len() > 40 {
        println!("FAIL: ... and {} more", report.failures.len() - 40);
    }
    println!("soak: {}", if ok { "PASSED" } else { "FAILED" });
    Ok(ok)
}

fn say(started: Instant, text: &str) {
    println!("soak: [{:>6.1} s] {text}", started.elapsed().as_secs_f64());
}

/// SIGKILLs the run once it has printed `lines` progress lines; a run that ends before is an
/// error (the plan keeps the kills well inside the 200 uploads' output).
async fn kill_at(
    story: &mut Story,
    mut run: CliRun,
    lines: usize,
    started: Instant,
) -> Result<(), String> {
    if !run.printed(lines).await {
        let end = run.finish(Duration::from_secs(30)).await?;
        return Err(format!(
            "{} ended (exit {:?}) before its SIGKILL at line {lines}; last lines:\n{}",
            end.label,
            end.code,
            end.lines
                .iter()
                .rev()
                .take(15)
                .rev()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let end = run.kill().await;
    story.kills += 1;
    say(
        started,
        &format!(
            "{}: SIGKILL after {lines} progress lines ({:.1} s)",
            end.label,
            end.took.as_secs_f64()
        ),
    );
    story.runs.push(end);
    Ok(())
}

fn live_requests(world: &World) -> (usize, usize) {
    let count = |log: Vec<mtp_testkit::fake::inspect::RequestRecord>| {
        log.iter()
            .filter(|r| !r.path.starts_with("/__fake/"))
            .count()
    };
    (
        count(world.services.strava.requests()),
        count(world.services.mtpw.requests()),
    )
}

fn marked_on_mtpw(world: &World) -> usize {
    world.services.mtpw.state_json()["sequences"]
        .as_array()
        .map(|s| s.iter().filter(|s| s["strava"].is_string()).count())
        .unwrap_or(0)
}

/// The app's turn: once the killed CLI's lock is gone the app (already waiting for it) works
/// the queue alone; then a CLI run starts and must wait for the app; then the app is closed
/// with SIGTERM and that run carries on. Returns the app's figures and the waiting run.
async fn app_part(
    world: &World,
    mut app: App,
    plan: &Plan,
    started: Instant,
) -> Result<(AppPart, CliRun), String> {
    let before = live_requests(world);
    let marked_before = marked_on_mtpw(world);
    let waiting_since = Instant::now();
    while live_requests(world) == before {
        if !app.running() {
            return Err("the app exited by itself (see logs/app.stderr.log)".into());
        }
        if waiting_since.elapsed() > Duration::from_secs(180) {
            let _ = app.close().await;
            return Err(
                "the app made no request within 180 s of the CLI's kill (see logs/app.stderr.log)"
                    .into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started_after = waiting_since.elapsed();
    say(
        started,
        &format!(
            "the app (process {}) works the queue ({:.1} s after the kill)",
            app.pid().unwrap_or(0),
            started_after.as_secs_f64()
        ),
    );
    tokio::time::sleep(Duration::from_secs(plan.app_alone_secs)).await;
    let run = CliRun::start(world, "run-4")?;
    tokio::time::sleep(Duration::from_secs(plan.app_alone_secs)).await;
    let now = live_requests(world);
    let marked = marked_on_mtpw(world) - marked_before;
    let closed_on_sigterm = app.close().await;
    say(
        started,
        &format!(
            "the app is closed (SIGTERM{}); it marked {marked} sequences on MTPW",
            if closed_on_sigterm {
                ""
            } else {
                ", then SIGKILL"
            }
        ),
    );
    let cli_waited = false; // read from the run's output when it ends
    Ok((
        AppPart {
            started_after,
            strava_requests: now.0 - before.0,
            mtpw_requests: now.1 - before.1,
            marked,
            closed_on_sigterm,
            cli_waited,
        },
        run,
    ))
}

/// The app's own log (in its data home) next to the soak's logs, as `app-log/`.
fn keep_app_log(world: &World) {
    let from = world.dir.join("home/.local/share/mtp-strava-uploader/logs");
    let to = world.logs().join("app-log");
    if let Ok(entries) = std::fs::read_dir(from) {
        let _ = std::fs::create_dir_all(&to);
        for entry in entries.flatten() {
            let _ = std::fs::copy(entry.path(), to.join(entry.file_name()));
        }
    }
}

/// The fault rules still waiting on Strava (the burst and the revocation must be used up).
async fn faults_left(world: &World) -> Value {
    let url = format!("{}/__fake/faults", world.services.strava.base_url());
    match reqwest::get(url).await {
        Ok(reply) => reply.json().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

fn print_figures(
    world: &World,
    plan: &Plan,
    story: &Story,
    report: &verify::Report,
    faults_left: &Value,
    wall: Duration,
) {
    let uploads = report.uploaded.max(1) as f64;
    let left = |kind: &str| {
        faults_left["faults"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["kind"] == kind && r["count"].is_u64())
            .and_then(|r| r["remaining"].as_u64())
            .unwrap_or(0)
    };
    let kill_lines: Vec<String> = story
        .runs
        .iter()
        .filter(|r| r.killed)
        .map(|r| format!("{} after {:.1} s", r.label, r.took.as_secs_f64()))
        .collect();
    println!();
    println!("== soak figures (seed {}) ==", plan.seed);
    println!(
        "uploaded:            {} activities on Strava for {} eligible sequences ({} others left alone); {} history records",
        report.uploaded,
        world.eligible.len(),
        world.others.len(),
        report.history_records
    );
    println!(
        "duplicates avoided:  {} (uploads Strava refused as duplicates of the activity it already had, each taken as that activity; {} POST /uploads for {} activities; {} history records keep the note)",
        report.duplicates_reported, report.posts, report.uploaded, report.duplicate_notes
    );
    println!(
        "retries:             {} (attempts after a failed attempt of the same step; {} attempts in all, {} failed), {} more CLI run(s) after the kills",
        report.retries, report.attempts, report.failed_attempts, story.final_runs
    );
    let app_closed = match &story.app {
        Some(app) if app.closed_on_sigterm => " + the app closed with SIGTERM mid-work",
        Some(_) => " + the app killed (it ignored SIGTERM)",
        None => "",
    };
    println!(
        "kills survived:      {} SIGKILLs of the CLI ({}){app_closed}",
        story.kills,
        kill_lines.join(", ")
    );
    println!(
        "requests per upload: {:.2} ({} to Strava = {:.2}, {} to MTPW = {:.2})",
        (report.strava_requests + report.mtpw_requests) as f64 / uploads,
        report.strava_requests,
        report.strava_requests as f64 / uploads,
        report.mtpw_requests,
        report.mtpw_requests as f64 / uploads
    );
    let routes: Vec<String> = report
        .by_route
        .iter()
        .map(|(route, n)| format!("{route}: {n}"))
        .collect();
    println!("  by route:          {}", routes.join("; "));
    let fired = |set_off: bool, kind: &str, of: u32| match set_off {
        true => format!("{} of {of} answered", u64::from(of) - left(kind)),
        false => "not set off".to_string(),
    };
    println!(
        "faults:              429 burst {}, revoked access token {}, 503 on the refresh {}, token refreshes {}",
        fired(story.burst, "rate_limited", BURST_LEN),
        fired(story.revoke, "revoke_access_token", 1),
        fired(story.revoke, "status", 1),
        report.refreshes
    );
    if let Some(app) = &story.app {
        println!(
            "app part:            the app took the queue {:.1} s after the kill, made {} Strava + {} MTPW requests, marked {} sequences; the next CLI run waited for it: {}",
            app.started_after.as_secs_f64(),
            app.strava_requests,
            app.mtpw_requests,
            app.marked,
            if app.cli_waited { "yes" } else { "no" }
        );
    }
    for warning in &report.sport_type_warnings {
        println!("sport type warning:  {warning}");
    }
    if report.sport_type_unset.is_empty() {
        println!("sport types:         all as the transports map them");
    } else {
        println!(
            "sport types:         {} left as Strava made them (the warning after four tries): {}",
            report.sport_type_unset.len(),
            report.sport_type_unset.join(", ")
        );
    }
    println!(
        "wall time:           {}m {:02}s",
        wall.as_secs() / 60,
        wall.as_secs() % 60
    );
}
