//! GUI: a sequence with no MTPW id offers its two ways out in its detail view: a pasted link is
//! checked by the engine, remembered by the app (never written into the folder) and shown at
//! once, in the detail and on the library row (its chip goes from "Needs MTPW link" to
//! "Ready"); "Create on Map the Paths" needs MTPW connected.

use std::fs;

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::{Client, Locator};
use serde_json::json;
use time::macros::datetime;

use super::support::{
    add_root, click, home, invoke, library_dir, open_sequence, remove_root, screenshot,
    sequence_folder_count, text_of, wait_for_count, wait_for_js, with_app, write_known, TestResult,
    UI_TIMEOUT,
};

const UNLINKED: KnownSequence = KnownSequence {
    name: "Unlinked Ride Porto",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2026-11-01 09:00:00 UTC),
    place: (41.1579, -8.6291),
    photos: 60,
    drop_a_time: false,
};

const UUID: &str = "3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a";

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn a_sequence_without_an_mtpw_id_is_linked_from_a_pasted_link_in_its_detail() -> TestResult {
    with_app("detail-mtpw-linked", |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        let elsewhere = home()?.join("MtpwLink");
        let folder = write_known(&elsewhere, &UNLINKED, None)?;
        let json_file = folder.join(format!("{}.json", UNLINKED.dir_name()));
        let json_before = fs::read(&json_file)?;
        let root = add_root(&app, &elsewhere).await?;
        click(&app, "[data-testid=refresh]").await?;
        wait_for_count(&app, total + 1).await?;
        wait_for_js(
            &app,
            "the row's chip: needs its link",
            &row_chip_script(true),
        )
        .await?;

        open_sequence(&app, UNLINKED.name).await?;
        app.wait_for(Locator::Css("[data-testid=mtpw-link-card]"), UI_TIMEOUT)
            .await?;
        let status = invoke(&app, "accounts_status", json!({})).await?;
        let offered = if status["mtpw"]["connected"] == json!(true) {
            "[data-testid=mtpw-create]"
        } else {
            "[data-testid=mtpw-connect]"
        };
        app.wait_for(Locator::Css(offered), UI_TIMEOUT).await?;
        screenshot("detail-mtpw-unlinked")?;

        paste(&app, "not a link").await?;
        click(&app, "[data-testid=mtpw-link-button]").await?;
        app.wait_for(Locator::Css("[data-testid=mtpw-link-error]"), UI_TIMEOUT)
            .await?;
        let refused = text_of(&app, "[data-testid=mtpw-link-error]").await?;
        assert!(
            refused.contains("not a Map the Paths sequence link"),
            "refusal: {refused}"
        );

        paste(
            &app,
            &format!("https://www.mapthepaths.com/sequence/{UUID}/detail"),
        )
        .await?;
        click(&app, "[data-testid=mtpw-link-button]").await?;
        wait_for_js(
            &app,
            "the linked detail",
            "return !document.querySelector('[data-testid=mtpw-link-card]')",
        )
        .await?;
        assert_eq!(text_of(&app, "[data-testid=stat-mtpw]").await?, UUID);
        click(&app, "[data-testid=back-button]").await?;
        wait_for_js(&app, "the row's chip: ready", &row_chip_script(false)).await?;
        assert_eq!(fs::read(&json_file)?, json_before, "the folder was written");

        remove_root(&app, &root).await?;
        click(&app, "[data-testid=refresh]").await?;
        wait_for_count(&app, total).await?;
        Ok(app)
    })
}

/// Types `text` into the paste field as a user would (replacing what is there).
async fn paste(app: &Client, text: &str) -> TestResult {
    let script = "const field = document.querySelector('[data-testid=mtpw-paste]'); \
                  field.value = arguments[0]; \
                  field.dispatchEvent(new Event('input', { bubbles: true }));";
    app.execute(script, vec![json!(text)]).await?;
    Ok(())
}

/// A script true when the sequence's row is listed with the chip "Needs MTPW link" (`unlinked`)
/// or "Ready".
fn row_chip_script(unlinked: bool) -> String {
    let status = if unlinked { "needsMtpwId" } else { "ready" };
    format!(
        "const row = [...document.querySelectorAll('[data-testid=sequence-row]')] \
           .find((r) => r.querySelector('[data-testid=sequence-name]').textContent.trim() === '{}'); \
         const chip = row && row.querySelector('[data-testid=status-chip]'); \
         return !!chip && chip.dataset.status === '{status}';",
        UNLINKED.name
    )
}
