//! GUI tests of the Accounts view: connecting Strava and Map the Paths through the real browser
//! hand-off (deep link or loopback) against `fake-services --auto-approve`, where the tokens
//! end up (the Secret Service, nowhere else), and forged links that must change nothing.
//!
//! The runner sets `$BROWSER` to tests/e2e/browser.sh, which approves at the fake and hands the
//! callback back as a desktop would: the app binary launched a second time with the deep link,
//! or the loopback request. The app reads the fakes' addresses from `MTP_STRAVA_*`/`MTPW_*`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mtp_testkit::webdriver::{Client, Locator};
use serde_json::{json, Value};

use super::fakes::{fake_json, mtpw_root, set_strava_approval, strava_root};
use super::support::{
    app_binary, click_testid, home, invoke, screenshot, session_binary, sign_out_everywhere,
    text_of, wait_for_card, wait_for_js, with_app_binary, with_app_launched, TestResult,
    SIGN_IN_TIMEOUT, UI_TIMEOUT,
};

/// The fake's default signed-in athlete.
const ATHLETE: &str = "Marianne Teutenberg";

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// The deep-link plugin broadcasts every callback URL (code or token included) as an app-wide
/// event: the window has no permission to listen to app-wide events, only its own channel.
#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_window_cannot_listen_to_app_wide_events() -> TestResult {
    with_app_binary(
        "accounts-no-event-listening",
        &session_binary()?,
        |app| async move {
            let script = "const done = arguments[0]; \
            window.__TAURI_INTERNALS__.invoke('plugin:event|listen', \
              { event: 'deep-link://new-url', target: { kind: 'Any' }, handler: 1 }) \
            .then(() => done('listening'), (err) => done('refused: ' + String(err)));";
            let answer = app.execute_async(script, vec![]).await?;
            let answer = answer.as_str().unwrap_or_default().to_string();
            assert!(
                answer.starts_with("refused") && answer.contains("not allowed"),
                "the window may listen to app-wide events: {answer}"
            );
            // Its own events come through its channel (every other GUI test depends on them).
            Ok(app)
        },
    )
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn strava_connects_through_the_deep_link() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("accounts-strava-deep-link", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        connect_strava_showing_every_state(&app, "light").await?;
        assert!(
            browser_log()?.contains("second launch ended with status 0"),
            "the browser script did not launch the app a second time:\n{}",
            browser_log()?
        );
        let secrets = issued_secrets().await?;
        assert_in_keyring(&secrets.strava)?;
        assert_nowhere_on_disk(&secrets.all())?;
        disconnect(&app, "strava").await?;
        assert_not_in_keyring(&secrets.strava)?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn mtpw_connects_through_the_deep_link() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("accounts-mtpw-deep-link", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        open_accounts(&app).await?;
        click_testid(&app, "mtpw-connect").await?;
        wait_for_card(&app, "mtpw", "connected", SIGN_IN_TIMEOUT).await?;
        let secrets = issued_secrets().await?;
        assert_eq!(secrets.mtpw.len(), 1, "one MTPW token issued");
        assert_in_keyring(&secrets.mtpw)?;
        assert_nowhere_on_disk(&secrets.all())?;
        screenshot("accounts-mtpw-connected")?;
        disconnect(&app, "mtpw").await?;
        assert_not_in_keyring(&secrets.mtpw)?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn both_accounts_connect_through_loopback() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("accounts-loopback", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        open_accounts(&app).await?;
        // Chosen as a photographer would: Advanced, Loopback, Save.
        click_testid(&app, "accounts-advanced-toggle").await?;
        click_testid(&app, "mode-loopback").await?;
        click_testid(&app, "accounts-save").await?;
        wait_for_js(
            &app,
            "the loopback mode saved",
            "return document.querySelector('[data-testid=accounts-save]').disabled === true",
        )
        .await?;
        let settings = invoke(&app, "accounts_settings", Value::Null).await?;
        assert_eq!(settings["redirectMode"], json!("loopback"), "{settings}");
        let registration = text_of(&app, "[data-testid=mtpw-registration]").await?;
        assert!(
            registration.contains("http://127.0.0.1/mtpw/callback"),
            "the operator is not told about the loopback URI: {registration}"
        );
        click_testid(&app, "strava-connect").await?;
        wait_for_card(&app, "strava", "connected", SIGN_IN_TIMEOUT).await?;
        click_testid(&app, "mtpw-connect").await?;
        wait_for_card(&app, "mtpw", "connected", SIGN_IN_TIMEOUT).await?;
        let log = browser_log()?;
        assert!(
            log.contains("loopback callback delivered"),
            "the browser did not go through the loopback listener:\n{log}"
        );
        let secrets = issued_secrets().await?;
        assert_in_keyring(&secrets.strava)?;
        assert_in_keyring(&secrets.mtpw)?;
        assert_nowhere_on_disk(&secrets.all())?;
        sign_out_everywhere(&app, "deepLink").await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn forged_links_leave_the_window_disconnected_and_alive() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("accounts-forged-links", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        open_accounts(&app).await?;

        // A real sign-in waits; its genuine callback is kept to replay later.
        set_strava_approval("page").await?;
        click_testid(&app, "strava-connect").await?;
        wait_for_card(&app, "strava", "waiting", SIGN_IN_TIMEOUT).await?;
        let authorize = input_value(&app, "authorize-url").await?;
        set_strava_approval("approve").await?;
        let genuine = approve_at_fake(&authorize).await?;
        assert!(genuine.starts_with("mtp-strava-uploader://localhost/strava/callback?"));

        let wrong_state = genuine.replace("state=", "state=0");
        let long = format!(
            "mtp-strava-uploader://localhost/strava/callback?state=x&code={}",
            "A".repeat(10 * 1024)
        );
        let duplicated = format!("{genuine}&state=again");
        let forged = [
            wrong_state.as_str(),
            "mtp-strava-uploader://localhost/strava/callback?code=x",
            "mtp-strava-uploader://evil.example/strava/callback?state=x&code=y",
            "mtp-strava-uploader://localhost/strava/callback?state=%ZZ&code=<script>alert(1)</script>",
            "mtp-strava-uploader:%%%garbage",
            "mtp-strava-uploader://localhost/mtpw/callback#access_token=forged&state=forged",
            duplicated.as_str(),
            long.as_str(),
        ];
        for link in forged {
            launch_with_link(link)?;
        }
        // Still waiting, nothing connected, the window answers.
        wait_for_card(&app, "strava", "waiting", SIGN_IN_TIMEOUT).await?;
        assert_disconnected(&app).await?;

        // The genuine link connects once; the same link again changes nothing.
        launch_with_link(&genuine)?;
        wait_for_card(&app, "strava", "connected", SIGN_IN_TIMEOUT).await?;
        disconnect(&app, "strava").await?;
        launch_with_link(&genuine)?;
        launch_with_link(&genuine)?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_disconnected(&app).await?;
        assert_eq!(
            text_of(&app, "[data-testid=strava-state]").await?,
            "Not connected"
        );
        let body = app.find(Locator::Css("body")).await?.text().await?;
        assert!(!body.contains("<script>"), "a link's text is shown: {body}");
        assert!(
            app.execute(
                "return document.querySelectorAll('script:not([src])').length",
                vec![]
            )
            .await?
                == json!(0),
            "a script element appeared in the window"
        );
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn a_forged_link_at_cold_start_changes_nothing() -> TestResult {
    let binary = session_binary()?;
    let forged = "mtp-strava-uploader://localhost/strava/callback?state=forged&code=forged";
    with_app_launched(
        "accounts-cold-start",
        &binary,
        &[forged],
        |app| async move {
            // The link was read at start-up (get_current) and refused; the window works.
            assert_disconnected(&app).await?;
            open_accounts(&app).await?;
            wait_for_card(&app, "strava", "disconnected", SIGN_IN_TIMEOUT).await?;
            let log = std::fs::read_to_string(logs_dir()?.join("app.log")).unwrap_or_default();
            assert!(
                log.contains("deep link: ignored a sign-in link that belongs to no sign-in"),
                "the startup link was not routed:\n{log}"
            );
            Ok(app)
        },
    )
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn a_declined_sign_in_says_so_and_changes_nothing() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("accounts-declined", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        open_accounts(&app).await?;
        set_strava_approval("deny").await?;
        click_testid(&app, "strava-connect").await?;
        let problem = app
            .wait_for(
                Locator::Css("[data-testid=strava-problem]"),
                SIGN_IN_TIMEOUT,
            )
            .await?
            .text()
            .await?;
        set_strava_approval("approve").await?;
        assert!(problem.contains("declined"), "the problem shown: {problem}");
        wait_for_card(&app, "strava", "disconnected", SIGN_IN_TIMEOUT).await?;
        assert_disconnected(&app).await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn without_a_keyring_the_view_says_so_and_does_not_connect() -> TestResult {
    let Some(binary) = std::env::var_os("MTP_GUI_APP_NO_KEYRING").map(PathBuf::from) else {
        return Err("MTP_GUI_APP_NO_KEYRING is not set: run via tests/e2e/run-gui.sh".into());
    };
    with_app_binary("accounts-no-keyring", &binary, |app| async move {
        open_accounts(&app).await?;
        let warning = app
            .wait_for(Locator::Css("[data-testid=keyring-warning]"), UI_TIMEOUT)
            .await?
            .text()
            .await?;
        assert!(
            warning.contains("No keyring available (is a Secret Service running?)"),
            "the warning reads: {warning}"
        );
        let disabled = app
            .execute(
                "return document.querySelector('[data-testid=strava-connect]').disabled",
                vec![],
            )
            .await?;
        assert_eq!(
            disabled,
            json!(true),
            "Connect Strava is enabled without a keyring"
        );
        let status = invoke(&app, "accounts_status", Value::Null).await?;
        assert_eq!(status["keyring"]["available"], json!(false), "{status}");
        screenshot("accounts-no-keyring")?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_accounts_view_in_dark_mode() -> TestResult {
    let Some(dark) = std::env::var_os("MTP_GUI_APP_DARK").map(PathBuf::from) else {
        return Err("MTP_GUI_APP_DARK is not set: run via tests/e2e/run-gui.sh".into());
    };
    with_app_binary("accounts-dark", &dark, |app| async move {
        let dark_scheme = app
            .execute(
                "return window.matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await?;
        assert_eq!(dark_scheme, json!(true), "the window is not in dark mode");
        sign_out_everywhere(&app, "deepLink").await?;
        connect_strava_showing_every_state(&app, "dark").await?;
        disconnect(&app, "strava").await?;
        Ok(app)
    })
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

/// Disconnected, waiting (the fake shows its consent page; then Cancel), connected: each state
/// checked and photographed as accounts-<state>-<theme>.
async fn connect_strava_showing_every_state(app: &Client, theme: &str) -> TestResult {
    open_accounts(app).await?;
    wait_for_card(app, "strava", "disconnected", SIGN_IN_TIMEOUT).await?;
    let env_note = text_of(app, "[data-testid=environment-banner]").await?;
    assert!(env_note.contains("MTP_STRAVA_CLIENT_ID"), "{env_note}");
    screenshot(&format!("accounts-disconnected-{theme}"))?;

    set_strava_approval("page").await?;
    click_testid(app, "strava-connect").await?;
    wait_for_card(app, "strava", "waiting", SIGN_IN_TIMEOUT).await?;
    let authorize = input_value(app, "authorize-url").await?;
    assert!(
        authorize.contains("/oauth/authorize?") && authorize.contains("state="),
        "the waiting view shows {authorize:?}"
    );
    screenshot(&format!("accounts-waiting-{theme}"))?;
    click_testid(app, "cancel-sign-in").await?;
    wait_for_card(app, "strava", "disconnected", SIGN_IN_TIMEOUT).await?;

    set_strava_approval("approve").await?;
    click_testid(app, "strava-connect").await?;
    wait_for_card(app, "strava", "connected", SIGN_IN_TIMEOUT).await?;
    assert_eq!(
        text_of(app, "[data-testid=strava-athlete-name]").await?,
        ATHLETE
    );
    let scopes = text_of(app, "[data-testid=strava-scopes]").await?;
    assert!(scopes.contains("activity:write"), "scopes shown: {scopes}");
    screenshot(&format!("accounts-connected-{theme}"))?;
    Ok(())
}

async fn open_accounts(app: &Client) -> TestResult {
    click_testid(app, "nav-accounts").await?;
    app.wait_for(Locator::Css("[data-testid=strava-card]"), UI_TIMEOUT)
        .await?;
    Ok(())
}

async fn disconnect(app: &Client, provider: &str) -> TestResult {
    click_testid(app, &format!("{provider}-disconnect")).await?;
    wait_for_card(app, provider, "disconnected", SIGN_IN_TIMEOUT).await
}

async fn input_value(app: &Client, testid: &str) -> TestResult<String> {
    let value = app
        .execute(
            "const e = document.querySelector(`[data-testid=${arguments[0]}]`); return e ? e.value : null;",
            vec![json!(testid)],
        )
        .await?;
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no input {testid}").into())
}

/// Disconnected in the window and in the engine, and the window still answers.
async fn assert_disconnected(app: &Client) -> TestResult {
    let status = invoke(app, "accounts_status", Value::Null).await?;
    assert_eq!(status["strava"]["connected"], json!(false), "{status}");
    assert_eq!(status["mtpw"]["connected"], json!(false), "{status}");
    app.find(Locator::Css("[data-testid=app-root]")).await?;
    Ok(())
}

/// Launches the app binary a second time with `link`, as a desktop does; waits for it to hand
/// the link over and exit.
fn launch_with_link(link: &str) -> TestResult {
    let status = Command::new(app_binary()?)
        .arg(link)
        .stdout(log_file("second-launch.log")?)
        .stderr(log_file("second-launch.log")?)
        .status()?;
    assert!(status.success(), "the second launch failed: {status}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The fakes, the keyring and the disk
// ---------------------------------------------------------------------------------------------

/// A client that shows the fake's redirect instead of following it.
fn http() -> TestResult<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()?)
}

/// What the browser would be redirected to after approving `authorize`.
async fn approve_at_fake(authorize: &str) -> TestResult<String> {
    let reply = http()?.get(authorize).send().await?;
    let location = reply
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .ok_or_else(|| format!("the fake did not redirect ({})", reply.status()))?;
    Ok(location.to_string())
}

/// Every secret the fakes issued so far, and the Strava Client Secret.
struct IssuedSecrets {
    strava: Vec<String>,
    mtpw: Vec<String>,
    client_secret: String,
}

impl IssuedSecrets {
    fn all(&self) -> Vec<String> {
        let mut all = self.strava.clone();
        all.extend(self.mtpw.iter().cloned());
        all.push(self.client_secret.clone());
        all
    }
}

/// The tokens of the latest live grant of each service, from the fakes' inspection API.
async fn issued_secrets() -> TestResult<IssuedSecrets> {
    let strava = fake_json(&strava_root()?, "/__fake/state").await?;
    let mtpw = fake_json(&mtpw_root()?, "/__fake/state").await?;
    let live = |tokens: &Value| -> Vec<Value> {
        tokens
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|t| t["revoked"] != json!(true))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let strava_tokens = live(&strava["tokens"])
        .last()
        .map(|grant| {
            ["access_token", "refresh_token"]
                .iter()
                .filter_map(|k| grant[*k].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mtpw_tokens = live(&mtpw["tokens"])
        .last()
        .and_then(|t| t["access_token"].as_str().map(|s| vec![s.to_string()]))
        .unwrap_or_default();
    Ok(IssuedSecrets {
        strava: strava_tokens,
        mtpw: mtpw_tokens,
        client_secret: std::env::var("MTP_STRAVA_CLIENT_SECRET")?,
    })
}

/// What `secret-tool search` finds for the app's keyring service, secrets included.
fn keyring_contents() -> TestResult<String> {
    let output = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "--unlock",
            "service",
            "mtp-strava-uploader",
        ])
        .output()?;
    Ok(format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn assert_in_keyring(secrets: &[String]) -> TestResult {
    assert!(!secrets.is_empty(), "the fake issued no token");
    let found = keyring_contents()?;
    for secret in secrets {
        assert!(
            found.contains(secret.as_str()),
            "secret-tool search does not find a token the fake issued; it lists:\n{}",
            redact(&found)
        );
    }
    Ok(())
}

fn assert_not_in_keyring(secrets: &[String]) -> TestResult {
    let found = keyring_contents()?;
    for secret in secrets {
        assert!(
            !found.contains(secret.as_str()),
            "a token is still in the keyring after Disconnect"
        );
    }
    Ok(())
}

/// No secret in any file under the temporary HOME, the app's data folder, or the logs (the
/// app's stdout and stderr, the browser script's, tauri-driver's).
pub(super) fn assert_nowhere_on_disk(secrets: &[String]) -> TestResult {
    let mut places = vec![home()?];
    for var in ["MTP_DATA_DIR", "MTP_GUI_LOGS"] {
        if let Some(dir) = std::env::var_os(var) {
            places.push(PathBuf::from(dir));
        }
    }
    let mut files = Vec::new();
    for place in &places {
        collect_files(place, &mut files)?;
    }
    assert!(!files.is_empty(), "no files to search");
    for file in files {
        // The fakes print their client secret for the runner; that is not the app's output.
        if file.file_name().is_some_and(|n| n == "fake-services.json") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "a secret is written in {}",
                file.display()
            );
        }
    }
    Ok(())
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> TestResult {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// `secret = …` lines hidden, for failure messages.
fn redact(listing: &str) -> String {
    listing
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("secret") {
                "secret = <hidden>"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn logs_dir() -> TestResult<PathBuf> {
    Ok(std::env::var_os("MTP_GUI_LOGS")
        .map(PathBuf::from)
        .ok_or("MTP_GUI_LOGS is not set")?)
}

fn browser_log() -> TestResult<String> {
    Ok(std::fs::read_to_string(logs_dir()?.join("browser.log")).unwrap_or_default())
}

fn log_file(name: &str) -> TestResult<std::fs::File> {
    Ok(std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(logs_dir()?.join(name))?)
}
