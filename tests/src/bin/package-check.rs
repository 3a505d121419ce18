//! `make package-test` (the running part): the installed app, driven through tauri-driver, shows
//! the library, and a Strava sign-in against the fake services comes back through
//! `xdg-open mtp-strava-uploader://…` into this same instance: one app process and one window
//! afterwards, the account connected.
//!
//! Run it through `tests/package/run.sh`, which installs the .deb and provides Xvfb, a D-Bus
//! session with an unlocked keyring, tauri-driver, the fakes, and `$BROWSER` =
//! tests/e2e/browser.sh handing the deep link to `xdg-open`.
//!
//! `package-check --app PATH --webdriver URL --sequences N --logs DIR --screenshot FILE`
//! (`--logs`: where browser.log is; `--screenshot`: the display at the end, signed in)

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use mtp_testkit::webdriver::{Client, Locator};
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// The fake Strava's signed-in athlete.
const ATHLETE: &str = "Marianne Teutenberg";
/// The window's title (tauri.conf.json), as the X server lists it.
const WINDOW_TITLE: &str = "MTP Strava Uploader";

struct Options {
    app: PathBuf,
    webdriver: String,
    sequences: usize,
    logs: PathBuf,
    screenshot: PathBuf,
}

fn main() -> ExitCode {
    let checked = parse(std::env::args().skip(1)).and_then(|options| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(check(&options))
    });
    match checked {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("package-check: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options> {
    let mut options = Options {
        app: PathBuf::new(),
        webdriver: String::new(),
        sequences: 0,
        logs: PathBuf::new(),
        screenshot: PathBuf::new(),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--app" => options.app = PathBuf::from(value()?),
            "--webdriver" => options.webdriver = value()?,
            "--sequences" => options.sequences = value()?.parse()?,
            "--logs" => options.logs = PathBuf::from(value()?),
            "--screenshot" => options.screenshot = PathBuf::from(value()?),
            other => return Err(format!("unknown argument ‘{other}’").into()),
        }
    }
    let missing = |path: &Path| path.as_os_str().is_empty();
    if !options.app.is_file()
        || options.webdriver.is_empty()
        || missing(&options.logs)
        || missing(&options.screenshot)
    {
        return Err(
            "usage: package-check --app PATH --webdriver URL --sequences N \
                    --logs DIR --screenshot FILE"
                .into(),
        );
    }
    options.app = fs::canonicalize(&options.app)?;
    Ok(options)
}

async fn check(options: &Options) -> Result {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        json!({ "application": options.app }),
    );
    let app = Client::connect(&options.webdriver, capabilities).await?;
    let outcome = steps(options, &app).await;
    screenshot(&options.screenshot);
    app.close().await?;
    outcome?;
    // tauri-driver ends the app with the session: nothing of ours keeps running.
    wait_for("the app to exit", Duration::from_secs(10), || {
        app_processes(&options.app).is_empty()
    })
    .await
}

async fn steps(options: &Options, app: &Client) -> Result {
    app.set_timeouts(
        Duration::ZERO,
        Duration::from_secs(60),
        Duration::from_secs(30),
    )
    .await?;
    app.wait_for(
        Locator::Css("[data-testid=app-root]"),
        Duration::from_secs(60),
    )
    .await?;
    skip_first_run_guide(app).await?;

    let shown = format!(
        "const list = document.querySelector('[data-testid=sequence-list]'); \
         return !!list && list.dataset.count === '{}' && !!list.querySelector('[role=option]');",
        options.sequences
    );
    until_js(
        app,
        "the library's sequences",
        &shown,
        Duration::from_secs(60),
    )
    .await?;
    println!(
        "package-check: the installed app shows the library ({} sequences)",
        options.sequences
    );
    let processes = app_processes(&options.app);
    if processes.len() != 1 {
        return Err(format!("expected one app process, found {processes:?}").into());
    }

    // Connect Strava: the app opens $BROWSER, which approves at the fake and hands the
    // mtp-strava-uploader:// callback to xdg-open; the desktop entry starts the binary again,
    // which passes the link to this instance and exits.
    app.wait_for(
        Locator::Css("[data-testid=nav-accounts]"),
        Duration::from_secs(20),
    )
    .await?
    .click()
    .await?;
    app.wait_for(
        Locator::Css("[data-testid=strava-connect]"),
        Duration::from_secs(20),
    )
    .await?
    .click()
    .await?;
    let connected = "const c = document.querySelector('[data-testid=strava-card]'); \
                     return !!c && c.dataset.state === 'connected';";
    until_js(app, "Strava connected", connected, Duration::from_secs(60)).await?;
    let name = app
        .find(Locator::Css("[data-testid=strava-athlete-name]"))
        .await?
        .text()
        .await?;
    if name.trim() != ATHLETE {
        return Err(format!("the account shows ‘{name}’, not ‘{ATHLETE}’").into());
    }
    let browser = fs::read_to_string(options.logs.join("browser.log")).unwrap_or_default();
    if !browser.contains("xdg-open ended with status 0") {
        return Err(format!("the callback did not go through xdg-open:\n{browser}").into());
    }
    wait_for(
        "the second launch to hand over and exit",
        Duration::from_secs(10),
        || app_processes(&options.app).len() == 1,
    )
    .await?;
    let windows = windows_titled(WINDOW_TITLE)?;
    if windows != 1 {
        return Err(format!("{windows} windows titled ‘{WINDOW_TITLE}’ are open, not 1").into());
    }
    println!("package-check: signed in as {ATHLETE} through xdg-open; one app process, one window");
    Ok(())
}

/// Clicks "Skip for now" when the first-run guide opens (a fresh HOME has never seen it).
async fn skip_first_run_guide(app: &Client) -> Result {
    let phase = "return document.querySelector('[data-testid=app-root]')?.dataset.firstRun ?? '';";
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match app.execute(phase, vec![]).await?.as_str() {
            Some("closed") => return Ok(()),
            Some("open") => {
                app.find(Locator::Css("[data-testid=guide-skip]"))
                    .await?
                    .click()
                    .await?;
            }
            _ => {}
        }
        if Instant::now() > deadline {
            return Err("the first-run guide never closed".into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Polls a JavaScript predicate in the page until it returns true.
async fn until_js(app: &Client, what: &str, predicate: &str, timeout: Duration) -> Result {
    let deadline = Instant::now() + timeout;
    loop {
        if app.execute(predicate, vec![]).await? == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn wait_for(what: &str, timeout: Duration, done: impl Fn() -> bool) -> Result {
    let deadline = Instant::now() + timeout;
    while !done() {
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Every running process of the binary `app`.
fn app_processes(app: &Path) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app))
        .collect()
}

/// How many windows on the X display carry `title` (`xwininfo -root -tree`).
fn windows_titled(title: &str) -> Result<usize> {
    let tree = Command::new("xwininfo").args(["-root", "-tree"]).output()?;
    if !tree.status.success() {
        return Err("xwininfo could not list the windows".into());
    }
    let quoted = format!("\"{title}\"");
    Ok(String::from_utf8_lossy(&tree.stdout)
        .lines()
        .filter(|line| line.contains(&quoted))
        .count())
}

/// What the X display shows, for the logs; a failure to take it is only reported.
fn screenshot(path: &Path) {
    let taken = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status();
    if !taken.is_ok_and(|status| status.success()) {
        eprintln!("package-check: could not save {}", path.display());
    }
}
