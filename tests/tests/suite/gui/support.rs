//! What every GUI test uses: running the app (one at a time, the known library written
//! first), the library on disk, the click and wait helpers, reading the UI, and the app's
//! commands that set up or leave the library and the accounts as the other tests expect.

use std::error::Error;
use std::fs;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mtp_testkit::fixtures::{self, KnownSequence};
use mtp_testkit::webdriver::{Client, Element, Locator};
use serde_json::{json, Value};
use time::macros::datetime;

use super::fakes::set_strava_approval;
use super::first_run::skip_guide;

pub(super) type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

pub(super) const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
pub(super) const UI_TIMEOUT: Duration = Duration::from_secs(20);
/// A sign-in goes through the browser script, a second launch of the app and a token
/// exchange: give it time.
pub(super) const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(45);

/// The app is single-instance: tests take turns, one app (one session) at a time.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

// ---------------------------------------------------------------------------------------------
// Running the app
// ---------------------------------------------------------------------------------------------

/// Writes the known sequences, starts the app, runs `steps`, saves a screenshot named `name`
/// (also when a step fails) and always ends the session, which closes the app.
pub(super) fn with_app<F, Fut>(name: &str, steps: F) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    with_app_binary(name, &session_binary()?, steps)
}

/// [`with_app`] with another binary (the dark-mode wrapper of the same app).
pub(super) fn with_app_binary<F, Fut>(name: &str, binary: &Path, steps: F) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    with_app_launched(name, binary, &[], steps)
}

/// [`with_app_binary`], the app started with `args` (a deep link at cold start).
pub(super) fn with_app_launched<F, Fut>(
    name: &str,
    binary: &Path,
    args: &[&str],
    steps: F,
) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    run_alone(async {
        let app = start_app(binary, args).await?;
        let probe = app.clone();
        // On its own task, so a failed assertion still ends the session (and the app).
        let outcome = tokio::spawn(steps(app)).await;
        let shot = screenshot(name);
        let closed = probe.close().await;
        drop(finished(outcome)?);
        closed?;
        shot
    })
}

/// Runs `steps` while no other test runs an app (the app is single-instance), on a runtime of
/// its own, with the known sequences written into the library first.
pub(super) fn run_alone<T>(steps: impl Future<Output = TestResult<T>>) -> TestResult<T> {
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    write_known_library(&library_dir()?)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(steps)
}

/// The outcome of steps run on their own task: their result, or their panic raised again here.
pub(super) fn finished<T>(outcome: Result<TestResult<T>, tokio::task::JoinError>) -> TestResult<T> {
    match outcome {
        Ok(result) => result,
        Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
        Err(failed) => Err(failed.into()),
    }
}

/// A WebDriver session on the app binary, with the library on screen.
pub(super) async fn start_app(application: &Path, args: &[&str]) -> TestResult<Client> {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        json!({ "application": application, "args": args }),
    );
    let webdriver = webdriver_url();
    let app = tokio::time::timeout(STARTUP_TIMEOUT, Client::connect(&webdriver, capabilities))
        .await
        .map_err(|_| {
            format!(
                "the app did not start within {STARTUP_TIMEOUT:?} (tauri-driver at {webdriver})"
            )
        })??;
    let ready = async {
        app.set_timeouts(Duration::ZERO, STARTUP_TIMEOUT, UI_TIMEOUT)
            .await?;
        app.wait_for(Locator::Css("[data-testid=app-root]"), STARTUP_TIMEOUT)
            .await
    };
    if let Err(not_ready) = ready.await {
        // End the session, or tauri-driver refuses the next test's ("Maximum number of active
        // sessions") and one failure becomes five.
        let _ = app.close().await;
        return Err(not_ready.into());
    }
    if let Err(guide_stuck) = skip_guide(&app).await {
        let _ = app.close().await;
        return Err(guide_stuck);
    }
    Ok(app)
}

pub(super) fn app_binary() -> TestResult<PathBuf> {
    let path = std::env::var_os("MTP_GUI_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/debug/mtp-strava-uploader"));
    if !path.is_file() {
        return Err(format!(
            "the app binary {} does not exist: build it first",
            path.display()
        )
        .into());
    }
    Ok(path.canonicalize()?)
}

/// What a WebDriver session starts: `MTP_GUI_SESSION_APP` (the runner's wrapper that keeps the
/// app's output in the logs), else the app binary itself.
pub(super) fn session_binary() -> TestResult<PathBuf> {
    match std::env::var_os("MTP_GUI_SESSION_APP") {
        Some(wrapper) => Ok(PathBuf::from(wrapper)),
        None => app_binary(),
    }
}

/// A wrapper script of `binary` under HOME (`app-<name>.sh`) that starts it with `var=value`
/// (a documented setting of the app, for this app only).
pub(super) fn app_with_env(
    binary: &Path,
    name: &str,
    var: &str,
    value: &str,
) -> TestResult<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let wrapper = home()?.join(format!("app-{name}.sh"));
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n{var}='{value}' exec '{}' \"$@\"\n",
            binary.display()
        ),
    )?;
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755))?;
    Ok(wrapper)
}

/// A wrapper of `binary` that starts the app on its own data folder (`MTP_DATA_DIR`).
pub(super) fn app_on_data_dir(binary: &Path, data: &Path, name: &str) -> TestResult<PathBuf> {
    app_with_env(binary, name, "MTP_DATA_DIR", &data.display().to_string())
}

pub(super) fn webdriver_url() -> String {
    std::env::var("MTP_GUI_WEBDRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".to_string())
}

pub(super) fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub(super) fn home() -> TestResult<PathBuf> {
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    Ok(PathBuf::from(home))
}

pub(super) fn library_dir() -> TestResult<PathBuf> {
    Ok(home()?.join("MTP").join("sequences"))
}

/// Saves what the X display shows as target/screenshots/gui-<name>.png.
///
/// WebKitWebDriver's own screenshot command hangs under Xvfb (WebKitGTK 2.50, no GPU), so the
/// picture comes from the display itself: exactly what a user would see, window frame included.
pub(super) fn screenshot(name: &str) -> TestResult {
    let dir = std::env::var_os("MTP_GUI_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/screenshots"));
    fs::create_dir_all(&dir)?;
    let display = std::env::var("DISPLAY").map_err(|_| "DISPLAY is not set")?;
    let file = dir.join(format!("gui-{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-display", &display, "-window", "root"])
        .arg(&file)
        .status()?;
    if !status.success() {
        return Err(format!("import could not save {}", file.display()).into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The library on disk (written by `mtp_testkit::fixtures`)
// ---------------------------------------------------------------------------------------------

/// The sequences every test finds in the library, by name.
pub(super) const KNOWN_SEQUENCES: [KnownSequence; 5] = [
    KnownSequence {
        name: "Morning Ride Lisbon",
        transport: ("Earth", "Bicycle"),
        start: datetime!(2024-06-02 07:12:00 UTC),
        place: (38.7223, -9.1393),
        photos: 240,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Lake Paddle Annecy",
        transport: ("Water", "Paddleboard"),
        start: datetime!(2024-05-18 10:03:00 UTC),
        place: (45.8566, 6.1690),
        photos: 160,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Ridge Walk Snowdon",
        transport: ("Earth", "Walk"),
        start: datetime!(2023-09-09 09:30:00 UTC),
        place: (53.0685, -4.0763),
        photos: 120,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Coast Road Drive",
        transport: ("Earth", "Car"),
        start: datetime!(2023-07-01 16:45:00 UTC),
        place: (43.2965, 5.3698),
        photos: 90,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Broken Times Trail",
        transport: ("Earth", "Walk"),
        start: datetime!(2022-04-10 08:00:00 UTC),
        place: (46.5197, 6.6323),
        photos: 60,
        drop_a_time: true,
    },
];

/// A folder in the library with photos but no `<dir>.json`.
pub(super) const NOT_A_SEQUENCE: &str = "holiday_photos";

/// Writes the known sequences that are not there yet (other sequences, e.g. from
/// `gen-fixtures --demo`, are left alone).
fn write_known_library(dir: &Path) -> TestResult {
    // A folder without its `<dir>.json` is not a sequence: listed as skipped, with the reason.
    fs::create_dir_all(dir.join(NOT_A_SEQUENCE).join("originals"))?;
    for sequence in &KNOWN_SEQUENCES {
        if !dir.join(sequence.dir_name()).exists() {
            write_known(dir, sequence, None)?;
        }
    }
    Ok(())
}

/// Writes `sequence` under `parent` as MTP Desktop Uploader does; `mtpw_id` is its
/// `destination.mtp`, as after MTP Desktop Uploader synced it. Returns the folder.
pub(super) fn write_known(
    parent: &Path,
    sequence: &KnownSequence,
    mtpw_id: Option<&str>,
) -> TestResult<PathBuf> {
    let mut spec = sequence.spec();
    spec.destination_mtp = mtpw_id.map(Value::from);
    Ok(fixtures::write_sequence(parent, &spec)?)
}

/// How many sequences the library lists for `dir` ([`fixtures::sequence_folder_count`]).
pub(super) fn sequence_folder_count(dir: &Path) -> TestResult<usize> {
    Ok(fixtures::sequence_folder_count(dir)?)
}

/// The library id of a sequence folder (its path bytes in hex), as the engine gives it.
pub(super) fn sequence_id_of(folder: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    folder
        .as_os_str()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Clicking and waiting
// ---------------------------------------------------------------------------------------------

/// Clicks the element matching `css`, once it is there.
pub(super) async fn click(app: &Client, css: &str) -> TestResult {
    app.wait_for(Locator::Css(css), UI_TIMEOUT)
        .await?
        .click()
        .await?;
    Ok(())
}

/// Clicks the element whose `data-testid` is `testid`, once it is there.
pub(super) async fn click_testid(app: &Client, testid: &str) -> TestResult {
    click(app, &format!("[data-testid={testid}]")).await
}

/// A ctrl-click on a library row (WebDriver has no modifier clicks here: the same DOM event).
pub(super) async fn ctrl_click_row(app: &Client, name: &str) -> TestResult {
    row_for(app, name).await?;
    let script = "const row = [...document.querySelectorAll('[data-testid=sequence-row]')] \
                    .find((r) => r.querySelector('[data-testid=sequence-name]').textContent.trim() === arguments[0]); \
                  row.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));";
    app.execute(script, vec![json!(name)]).await?;
    Ok(())
}

/// Polls a JavaScript predicate until it returns true, or fails after [`UI_TIMEOUT`].
pub(super) async fn wait_for_js(app: &Client, what: &str, predicate: &str) -> TestResult {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if app.execute(predicate, vec![]).await? == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// [`wait_for_js`] with another deadline (sign-ins, uploads); errors on the way are retried.
pub(super) async fn wait_until(
    app: &Client,
    what: &str,
    predicate: &str,
    timeout: Duration,
) -> TestResult {
    let deadline = Instant::now() + timeout;
    loop {
        match wait_for_js(app, what, predicate).await {
            Ok(()) => return Ok(()),
            Err(late) if Instant::now() > deadline => return Err(late),
            Err(_) => {}
        }
    }
}

/// Waits until the library shows `expected` sequences, and returns the count text.
pub(super) async fn wait_for_count(app: &Client, expected: usize) -> TestResult<String> {
    let check = format!(
        "const c = document.querySelector('[data-testid=library-count]'); \
         const l = document.querySelector('[data-testid=sequence-list]'); \
         return !!c && c.dataset.total === '{expected}' && !!l && l.dataset.count === '{expected}';"
    );
    wait_for_js(app, &format!("{expected} sequences in the library"), &check).await?;
    text_of(app, "[data-testid=library-count]").await
}

/// Waits until the queue shows a row that stopped before any request, for want of a connection.
pub(super) async fn wait_for_queue_to_ask_for_a_connection(app: &Client) -> TestResult {
    app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
        .await?;
    wait_for_js(
        app,
        "the upload to stop for want of a connection",
        "const r = document.querySelector('[data-testid=queue-row]'); return !!r && r.dataset.state === 'notSignedIn';",
    )
    .await
}

/// Waits until the selection bar says `count` selected.
pub(super) async fn wait_for_selection(app: &Client, count: usize) -> TestResult {
    let check = format!(
        "const c = document.querySelector('[data-testid=selection-count]'); return !!c && c.textContent.trim() === '{count} selected';"
    );
    wait_for_js(app, &format!("{count} selected"), &check).await
}

/// Waits until the Accounts card of `provider` is in `state` (`disconnected`, `waiting`,
/// `connected`), for at most `timeout`; the error says what problem the card shows.
pub(super) async fn wait_for_card(
    app: &Client,
    provider: &str,
    state: &str,
    timeout: Duration,
) -> TestResult {
    let check = format!(
        "const c = document.querySelector('[data-testid={provider}-card]'); return !!c && c.dataset.state === '{state}';"
    );
    let what = format!("{provider} {state}");
    if wait_until(app, &what, &check, timeout).await.is_ok() {
        return Ok(());
    }
    let problem = text_of(app, &format!("[data-testid={provider}-problem]"))
        .await
        .unwrap_or_default();
    Err(format!("timed out waiting for {what} (problem shown: {problem:?})").into())
}

/// Reloads the window and waits until the first-run guide has decided (open or closed).
pub(super) async fn reload(app: &Client) -> TestResult {
    app.execute("location.reload(); return null;", vec![])
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let known = "const p = document.querySelector('[data-testid=app-root]')?.dataset.firstRun; \
                 return p === 'open' || p === 'closed';";
    wait_for_js(app, "the reloaded window", known).await
}

// ---------------------------------------------------------------------------------------------
// Reading the UI
// ---------------------------------------------------------------------------------------------

/// The position in the whole list (aria-posinset) of the focused row, if a row has the focus.
pub(super) async fn focused_position(app: &Client) -> TestResult<Option<usize>> {
    // the focus moves after the list re-renders: give it a moment
    tokio::time::sleep(Duration::from_millis(200)).await;
    let script = "const e = document.activeElement; \
                  return e && e.getAttribute('role') === 'option' ? e.getAttribute('aria-posinset') : null;";
    Ok(match app.execute(script, vec![]).await? {
        Value::String(position) => position.parse().ok(),
        _ => None,
    })
}

/// The text of the first element matching `css` (from the DOM, see [`visible_names`]).
pub(super) async fn text_of(app: &Client, css: &str) -> TestResult<String> {
    let script =
        "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;";
    match app.execute(script, vec![json!(css)]).await? {
        Value::String(text) => Ok(text.split_whitespace().collect::<Vec<_>>().join(" ")),
        _ => Err(format!("nothing matches {css}").into()),
    }
}

/// Every name in the list, in order: the list is windowed (only the rows in view are in the
/// page), so this scrolls it from top to bottom and reads each row by its position.
pub(super) async fn visible_names(app: &Client) -> TestResult<Vec<String>> {
    let names = app.execute_async(LISTED_NAMES_SCRIPT, vec![]).await?;
    Ok(serde_json::from_value(names)?)
}

const LISTED_NAMES_SCRIPT: &str = "const done = arguments[arguments.length - 1]; \
    const list = document.querySelector('[data-testid=sequence-list]'); \
    if (!list) { done([]); return; } \
    const names = []; \
    const read = () => list.querySelectorAll('[role=option]').forEach((o) => { \
      names[Number(o.getAttribute('aria-posinset')) - 1] = \
        o.querySelector('[data-testid=sequence-name]').textContent.trim(); }); \
    (async () => { \
      for (let top = 0; ; top += Math.max(1, list.clientHeight - 60)) { \
        list.scrollTop = top; \
        await new Promise((r) => setTimeout(r, 60)); \
        read(); \
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break; \
      } \
      list.scrollTop = 0; \
      await new Promise((r) => setTimeout(r, 60)); \
      done(names); \
    })();";

/// The row of the sequence named `name`, scrolled into view (the windowed list renders only
/// the rows in view, so this scrolls it until the row appears).
pub(super) async fn row_for(app: &Client, name: &str) -> TestResult<Element> {
    let script = "const [name, done] = arguments; \
                  const list = document.querySelector('[data-testid=sequence-list]'); \
                  const find = () => [...document.querySelectorAll('[data-testid=sequence-row]')] \
                    .find((r) => r.querySelector('[data-testid=sequence-name]').textContent.trim() === name); \
                  (async () => { \
                    for (let top = 0; list; top += Math.max(1, list.clientHeight - 60)) { \
                      if (find()) break; \
                      if (top > list.scrollHeight) break; \
                      list.scrollTop = top; \
                      await new Promise((r) => setTimeout(r, 60)); \
                    } \
                    const row = find(); \
                    if (!row) { done(null); return; } \
                    row.scrollIntoView({ block: 'center' }); \
                    await new Promise((r) => setTimeout(r, 60)); \
                    done(row.dataset.sequenceId); \
                  })();";
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Value::String(id) = app.execute_async(script, vec![json!(name)]).await? {
            let css = format!(
                "[data-sequence-id=\"{}\"]",
                id.replace('\\', "\\\\").replace('"', "\\\"")
            );
            return Ok(app.find(Locator::Css(&css)).await?);
        }
        if Instant::now() > deadline {
            return Err(format!("no row named {name:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Opens the detail of the sequence named `name`.
pub(super) async fn open_sequence(app: &Client, name: &str) -> TestResult {
    row_for(app, name).await?.click().await?;
    app.wait_for(Locator::Css("[data-testid=detail-view]"), UI_TIMEOUT)
        .await?;
    Ok(())
}

/// Users never see raw JSON or Rust debug text.
pub(super) async fn assert_no_debug_text(app: &Client) -> TestResult {
    let text = app.find(Locator::Css("body")).await?.text().await?;
    for marker in [
        "{\"",
        "Some(",
        "None",
        "Err(",
        "Ok(",
        "undefined",
        "NaN",
        "[object",
    ] {
        assert!(
            !text.contains(marker),
            "the window shows {marker:?}:\n{text}"
        );
    }
    Ok(())
}

/// The spread of requestAnimationFrame deltas (ms): how many, median, 95th percentile, max.
pub(super) struct FrameTimes {
    pub count: usize,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl FrameTimes {
    pub fn of(mut deltas: Vec<f64>) -> Self {
        deltas.sort_by(|a, b| a.total_cmp(b));
        let at = |share: f64| {
            deltas
                .get(((deltas.len() as f64 - 1.0) * share).round() as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        Self {
            count: deltas.len(),
            median: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The app's commands: the library's folders and the accounts
// ---------------------------------------------------------------------------------------------

/// Calls one of the app's commands the way the UI does, and returns its JSON result.
pub(super) async fn invoke(app: &Client, command: &str, args: Value) -> TestResult<Value> {
    let script = "const [command, args, done] = arguments; \
                  window.__TAURI_INTERNALS__.invoke(command, args) \
                    .then((ok) => done({ ok: ok ?? null }), (err) => done({ err: JSON.stringify(err) }));";
    let answer = app
        .execute_async(script, vec![json!(command), args])
        .await?;
    if let Some(err) = answer.get("err") {
        return Err(format!("{command} failed: {err}").into());
    }
    Ok(answer.get("ok").cloned().unwrap_or(Value::Null))
}

/// Adds `folder` to the library with the command a drop uses; returns the root the app added.
pub(super) async fn add_root(app: &Client, folder: &Path) -> TestResult<String> {
    let outcome = invoke(
        app,
        "add_paths",
        json!({ "args": { "paths": [folder.display().to_string()] } }),
    )
    .await?;
    Ok(outcome["added"][0]["path"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// Takes the folder `root` out of the library.
pub(super) async fn remove_root(app: &Client, root: &str) -> TestResult {
    invoke(app, "remove_root", json!({ "args": { "path": root } })).await?;
    Ok(())
}

/// Types the folder's path in the Library's folder field and presses Add, as a user would.
pub(super) async fn add_folder_by_typing(app: &Client, folder: &Path) -> TestResult {
    click_testid(app, "nav-library").await?;
    let before = sequence_folder_count(&library_dir()?)?;
    wait_for_count(app, before).await?;
    let field = app
        .wait_for(Locator::Css("[data-testid=folder-path]"), UI_TIMEOUT)
        .await?;
    field.click().await?;
    field.send_keys(&folder.display().to_string()).await?;
    click_testid(app, "add-folder-path").await?;
    let added = sequence_folder_count(folder)?;
    wait_for_count(app, before + added).await?;
    let left = app
        .execute(
            "return document.querySelector('[data-testid=folder-path]').value;",
            vec![],
        )
        .await?;
    assert_eq!(
        left,
        json!(""),
        "the field is emptied once the folder is added"
    );
    let folders = text_of(app, "[data-testid=library-folders]").await?;
    let name = folder.file_name().unwrap_or_default().to_string_lossy();
    assert!(folders.contains(name.as_ref()), "folders: {folders}");
    Ok(())
}

/// Signs both accounts out in the engine (the window follows).
pub(super) async fn disconnect_both(app: &Client) -> TestResult {
    for provider in ["strava", "mtpw"] {
        invoke(
            app,
            "disconnect",
            json!({ "args": { "provider": provider } }),
        )
        .await?;
    }
    Ok(())
}

/// Saves how sign-ins come back to the app: `deepLink` or `loopback`.
pub(super) async fn use_redirect_mode(app: &Client, mode: &str) -> TestResult {
    invoke(
        app,
        "save_accounts_settings",
        json!({ "args": { "redirectMode": mode } }),
    )
    .await?;
    Ok(())
}

/// Both accounts signed out, the redirect mode set, and the fake Strava approving at once.
pub(super) async fn sign_out_everywhere(app: &Client, mode: &str) -> TestResult {
    disconnect_both(app).await?;
    use_redirect_mode(app, mode).await?;
    set_strava_approval("approve").await
}

/// Clicks Connect; the browser script approves and hands the deep link back to the app.
pub(super) async fn connect_by_clicking(app: &Client, provider: &str) -> TestResult {
    click_testid(app, "nav-accounts").await?;
    // Already connected (an earlier test of the run): nothing to click.
    let status = invoke(app, "accounts_status", json!({})).await?;
    if status[provider]["connected"] == json!(true) {
        return wait_for_card(app, provider, "connected", UI_TIMEOUT).await;
    }
    click_testid(app, &format!("{provider}-connect")).await?;
    wait_for_card(app, provider, "connected", SIGN_IN_TIMEOUT).await
}

/// Leaves the app as the other tests expect it: the folder out of the library and no account
/// connected (the not-connected upload test relies on that).
pub(super) async fn leave_as_found(app: &Client, folder: &Path) -> TestResult {
    let removed = remove_root(app, &folder.display().to_string()).await;
    disconnect_both(app).await?;
    removed
}

/// The states in which the pipeline still works on a queue row.
pub(super) const IN_FLIGHT: [&str; 6] = [
    "queued",
    "validating",
    "uploading",
    "processing",
    "settingSportType",
    "syncingMtpw",
];
