//! GUI tests of the first-run guide: it shows on a first run with no account connected, leads
//! through both connections (the Accounts store's sign-in, deep link against the fakes) and
//! ends when both are connected; Skip and Escape close it and are remembered; the sidebar and
//! Accounts reopen it. Screenshots in light and dark.
//!
//! Every other test starts with the guide skipped by [`skip_guide`] (from `start_app`). These
//! tests return the window to a first run: both accounts signed out and the guide's memory
//! (the webview's localStorage, as on a fresh profile) cleared, then the window reloaded.

use std::path::PathBuf;
use std::time::Duration;

use mtp_testkit::webdriver::{Client, KEY_ESCAPE};
use serde_json::{json, Value};

use super::support::{
    click_testid, invoke, reload, screenshot, session_binary, sign_out_everywhere, text_of,
    wait_for_js, with_app_binary, TestResult, SIGN_IN_TIMEOUT, UI_TIMEOUT,
};

/// Where the guide keeps "skipped" / "done" (ui/src/lib/accounts/firstRun.svelte.ts).
const MEMORY_KEY: &str = "mtp.firstRunGuide";

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_guide_leads_a_first_run_through_both_connections() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("first-run-ended", &binary, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        start_as_first_run(&app).await?;
        // Focus starts inside the guide, on its first action.
        assert_eq!(
            focused_testid(&app).await?,
            "guide-connect-strava",
            "focus is not on Connect Strava"
        );
        let howto = text_of(&app, "[data-testid=guide-step-strava]").await?;
        for needed in [
            "strava.com/settings/api",
            "Authorization Callback Domain",
            "localhost",
            "Client ID",
            "Client Secret",
        ] {
            assert!(
                howto.contains(needed),
                "step 1 does not say {needed:?}: {howto}"
            );
        }
        let sequences = text_of(&app, "[data-testid=guide-step-sequences]").await?;
        assert!(sequences.contains("Add folder"), "{sequences}");
        let roots = text_of(&app, "[data-testid=guide-roots]").await?;
        assert!(
            roots.contains("sequences"),
            "the library folder is not shown: {roots}"
        );
        screenshot("first-run-guide-light")?;

        click_testid(&app, "guide-connect-strava").await?;
        wait_for_step(&app, "strava").await?;
        assert_eq!(
            phase(&app).await?,
            "open",
            "one account connected must not end the guide"
        );
        let connected = text_of(&app, "[data-testid=guide-strava-connected]").await?;
        assert!(connected.starts_with("Connected"), "{connected}");
        screenshot("first-run-guide-strava-connected-light")?;

        click_testid(&app, "guide-connect-mtpw").await?;
        wait_for_phase(&app, "closed", SIGN_IN_TIMEOUT).await?;
        assert_eq!(memory(&app).await?, json!("done"));
        let status = invoke(&app, "accounts_status", Value::Null).await?;
        assert_eq!(status["strava"]["connected"], json!(true), "{status}");
        assert_eq!(status["mtpw"]["connected"], json!(true), "{status}");

        // Reopened from the sidebar: both steps ticked, Done closes it.
        click_testid(&app, "nav-guide").await?;
        wait_for_phase(&app, "open", UI_TIMEOUT).await?;
        assert_step_done(&app, "strava", true).await?;
        assert_step_done(&app, "mtpw", true).await?;
        screenshot("first-run-guide-done-light")?;
        click_testid(&app, "guide-done").await?;
        wait_for_phase(&app, "closed", UI_TIMEOUT).await?;
        assert_eq!(
            memory(&app).await?,
            json!("done"),
            "Done must not turn into skipped"
        );
        sign_out_everywhere(&app, "deepLink").await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_guide_can_be_skipped_and_reopened_in_dark_mode() -> TestResult {
    let Some(dark) = std::env::var_os("MTP_GUI_APP_DARK").map(PathBuf::from) else {
        return Err("MTP_GUI_APP_DARK is not set: run via tests/e2e/run-gui.sh".into());
    };
    with_app_binary("first-run-skipped-dark", &dark, |app| async move {
        sign_out_everywhere(&app, "deepLink").await?;
        start_as_first_run(&app).await?;
        assert_step_done(&app, "strava", false).await?;
        assert_step_done(&app, "mtpw", false).await?;
        screenshot("first-run-guide-dark")?;

        // Escape closes it, and a skipped guide stays closed on the next start.
        app.active_element().await?.send_keys(KEY_ESCAPE).await?;
        wait_for_phase(&app, "closed", UI_TIMEOUT).await?;
        assert_eq!(memory(&app).await?, json!("skipped"));
        reload(&app).await?;
        assert_eq!(
            phase(&app).await?,
            "closed",
            "a skipped guide came back on its own"
        );

        // Reopened from the sidebar, closed with Skip for now.
        click_testid(&app, "nav-guide").await?;
        wait_for_phase(&app, "open", UI_TIMEOUT).await?;
        assert!(
            focused_testid(&app).await?.starts_with("guide-"),
            "focus did not move into the reopened guide"
        );
        click_testid(&app, "guide-skip").await?;
        wait_for_phase(&app, "closed", UI_TIMEOUT).await?;

        // Reopened from Accounts; Escape closes it again.
        click_testid(&app, "nav-accounts").await?;
        click_testid(&app, "accounts-guide").await?;
        wait_for_phase(&app, "open", UI_TIMEOUT).await?;
        screenshot("first-run-guide-reopened-dark")?;
        app.active_element().await?.send_keys(KEY_ESCAPE).await?;
        wait_for_phase(&app, "closed", UI_TIMEOUT).await?;
        Ok(app)
    })
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

/// Called by `start_app` for every test: waits until the window knows whether the guide shows,
/// and skips it when it does, so tests that start with no account see the library.
pub(super) async fn skip_guide(app: &Client) -> TestResult {
    let known = "const p = document.querySelector('[data-testid=app-root]')?.dataset.firstRun; \
                 return p === 'open' || p === 'closed';";
    if let Err(undecided) = wait_for_js(app, "the first-run guide to decide", known).await {
        let seen = app
            .execute(
                "return [document.querySelector('[data-testid=app-root]')?.outerHTML.slice(0, 300), \
                 !!document.querySelector('[data-testid=first-run-guide]')];",
                vec![],
            )
            .await?;
        return Err(format!("{undecided}; the window shows {seen}").into());
    }
    if phase(app).await? == "open" {
        click_testid(app, "guide-skip").await?;
        wait_for_phase(app, "closed", UI_TIMEOUT).await?;
    }
    Ok(())
}

/// The window as on a first run: the guide's memory cleared and the window reloaded; the
/// guide must then open by itself.
async fn start_as_first_run(app: &Client) -> TestResult {
    app.execute(
        "localStorage.removeItem(arguments[0]); return null;",
        vec![json!(MEMORY_KEY)],
    )
    .await?;
    reload(app).await?;
    assert_eq!(phase(app).await?, "open", "no guide on a first run");
    Ok(())
}

async fn phase(app: &Client) -> TestResult<String> {
    let value = app
        .execute(
            "return document.querySelector('[data-testid=app-root]')?.dataset.firstRun ?? null;",
            vec![],
        )
        .await?;
    Ok(value.as_str().unwrap_or("missing").to_string())
}

async fn wait_for_phase(app: &Client, expected: &str, timeout: Duration) -> TestResult {
    let check = format!(
        "return document.querySelector('[data-testid=app-root]')?.dataset.firstRun === '{expected}';"
    );
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if app.execute(&check, vec![]).await? == Value::Bool(true) {
            // The native dialog follows the state: open exactly when the guide is.
            let shown = app
                .execute(
                    "return document.querySelector('[data-testid=first-run-guide]')?.open ?? false;",
                    vec![],
                )
                .await?;
            assert_eq!(
                shown,
                json!(expected == "open"),
                "the dialog disagrees with {expected}"
            );
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            let problems = text_of(app, "[data-testid=first-run-guide] [role=alert]")
                .await
                .unwrap_or_default();
            return Err(format!(
                "timed out waiting for the guide to be {expected} (problem shown: {problems:?})"
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn wait_for_step(app: &Client, provider: &str) -> TestResult {
    let check = format!(
        "return document.querySelector('[data-testid=guide-step-{provider}]')?.dataset.done === 'true';"
    );
    let deadline = std::time::Instant::now() + SIGN_IN_TIMEOUT;
    while app.execute(&check, vec![]).await? != Value::Bool(true) {
        if std::time::Instant::now() > deadline {
            let problem = text_of(app, &format!("[data-testid=guide-{provider}-problem]"))
                .await
                .unwrap_or_default();
            return Err(
                format!("{provider} never connected in the guide (problem: {problem:?})").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Ok(())
}

async fn assert_step_done(app: &Client, provider: &str, done: bool) -> TestResult {
    let value = app
        .execute(
            "return document.querySelector(`[data-testid=guide-step-${arguments[0]}]`)?.dataset.done ?? null;",
            vec![json!(provider)],
        )
        .await?;
    assert_eq!(value, json!(done.to_string()), "step {provider}");
    Ok(())
}

async fn memory(app: &Client) -> TestResult<Value> {
    Ok(app
        .execute(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(MEMORY_KEY)],
        )
        .await?)
}

async fn focused_testid(app: &Client) -> TestResult<String> {
    let value = app
        .execute(
            "const e = document.activeElement; \
             return e && e.closest('[data-testid=first-run-guide]') ? (e.dataset.testid ?? 'inside') : 'outside';",
            vec![],
        )
        .await?;
    Ok(value.as_str().unwrap_or("none").to_string())
}
