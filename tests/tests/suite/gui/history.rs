//! GUI: History over 10,000 past uploads. The app starts on a data folder holding a history
//! written through the engine's store (`mtp_testkit::history`); History shows the count at
//! once, keeps only a window of rows in the page, reaches the oldest upload with End in a
//! bounded time, scrolls at a sane frame rate (requestAnimationFrame deltas during a
//! programmatic scroll, printed), and stays keyboard operable (arrows, Enter, Escape).

use std::time::{Duration, Instant};

use mtp_testkit::history::{history_name, write_history};
use mtp_testkit::webdriver::{
    Client, Locator, KEY_ARROW_DOWN, KEY_ARROW_UP, KEY_END, KEY_ENTER, KEY_ESCAPE,
};
use serde_json::Value;

use super::support::{
    app_on_data_dir, click, focused_position, home, screenshot, session_binary, text_of,
    wait_for_js, with_app_binary, FrameTimes, TestResult, UI_TIMEOUT,
};

const HISTORY: usize = 10_000;
/// From the End key to the oldest row on screen.
const END_WITHIN: Duration = Duration::from_secs(3);
/// The median frame while scrolling, under Xvfb with software rendering.
const MEDIAN_FRAME_MS: f64 = 50.0;

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn history_scrolls_through_ten_thousand_uploads() -> TestResult {
    let data = home()?.join("history-10k-data");
    if !data.exists() {
        let started = Instant::now();
        write_history(&data, HISTORY)?;
        eprintln!(
            "history: wrote {HISTORY} past uploads in {:?}",
            started.elapsed()
        );
    }
    let binary = app_on_data_dir(&session_binary()?, &data, "history-10k")?;
    with_app_binary("history-10k-last", &binary, |app| async move {
        click(&app, "[data-testid=nav-history]").await?;
        wait_for_js(
            &app,
            "the count of 10,000",
            "const c = document.querySelector('[data-testid=history-count]'); return !!c && c.dataset.total === '10000';",
        )
        .await?;
        let count = text_of(&app, "[data-testid=history-count]").await?;
        let rendered = app
            .find_all(Locator::Css("[data-testid=history-list] [role=option]"))
            .await?
            .len();
        let setsize = app
            .find(Locator::Css("[data-testid=history-list] [role=option]"))
            .await?
            .attr("aria-setsize")
            .await?;
        let newest = text_of(
            &app,
            "[data-testid=history-list] [aria-posinset=\"1\"] [data-testid=history-row] .name",
        )
        .await?;
        screenshot("history-10k")?;

        // Keyboard: from the search box into the list, then End to the oldest upload.
        app.find(Locator::Css("[data-testid=history-search]"))
            .await?
            .send_keys(KEY_ARROW_DOWN)
            .await?;
        assert_eq!(focused_position(&app).await?, Some(1));
        let pressed = Instant::now();
        app.active_element().await?.send_keys(KEY_END).await?;
        let oldest = history_name(1);
        let shown = format!(
            "const o = document.querySelector('[data-testid=history-list] [aria-posinset=\"{HISTORY}\"] [data-testid=history-row] .name'); \
             return !!o && o.textContent.trim() === '{oldest}';"
        );
        wait_for_js(&app, "the oldest upload after End", &shown).await?;
        let end_took = pressed.elapsed();
        let rendered_at_end = app
            .find_all(Locator::Css("[data-testid=history-list] [role=option]"))
            .await?
            .len();
        screenshot("history-10k-end")?;

        // Up one, Enter opens its detail, Escape closes it and gives the focus back.
        app.active_element().await?.send_keys(KEY_ARROW_UP).await?;
        assert_eq!(focused_position(&app).await?, Some(HISTORY - 1));
        app.active_element().await?.send_keys(KEY_ENTER).await?;
        let detail = app
            .wait_for(Locator::Css("[data-testid=history-detail]"), UI_TIMEOUT)
            .await?;
        let detail_name = text_of(&app, "#detail-title").await?;
        let attempts = app
            .find_all(Locator::Css("[data-testid=attempt]"))
            .await?
            .len();
        drop(detail);
        screenshot("history-10k-detail")?;
        app.active_element().await?.send_keys(KEY_ESCAPE).await?;
        wait_for_js(
            &app,
            "the detail to close",
            "return !document.querySelector('[data-testid=history-detail]')",
        )
        .await?;
        let focus_after_escape = focused_position(&app).await?;

        let frames = scroll_frames(&app).await?;

        assert_eq!(count, "10,000 uploads");
        assert_eq!(setsize.as_deref(), Some("10000"));
        assert!((5..60).contains(&rendered), "{rendered} rows in the page");
        assert!(
            (5..60).contains(&rendered_at_end),
            "{rendered_at_end} rows in the page at the end"
        );
        assert_eq!(newest, history_name(HISTORY));
        eprintln!("history: End showed the oldest upload after {end_took:?}");
        assert!(end_took < END_WITHIN, "End took {end_took:?}");
        assert_eq!(detail_name, history_name(2));
        assert!(attempts >= 1, "the detail lists no attempt");
        assert_eq!(focus_after_escape, Some(HISTORY - 1));
        eprintln!(
            "history: {} frames while scrolling 10,000 rows: median {:.1} ms, p95 {:.1} ms, max {:.1} ms; \
             {} frames showed rows still loading",
            frames.count, frames.median, frames.p95, frames.max, frames.loading
        );
        assert!(frames.count >= 60, "only {} frames", frames.count);
        assert!(
            frames.median < MEDIAN_FRAME_MS,
            "median frame {:.1} ms",
            frames.median
        );
        Ok(app)
    })
}

/// Frame times (ms) during a programmatic scroll from the top to the bottom of the list.
struct Frames {
    count: usize,
    median: f64,
    p95: f64,
    max: f64,
    /// Frames in which a row in view was still a "Loading…" placeholder.
    loading: usize,
}

/// Scrolls the list from top to bottom in 240 steps, one per animation frame, and measures the
/// time between frames (requestAnimationFrame deltas).
async fn scroll_frames(app: &Client) -> TestResult<Frames> {
    let script = "const done = arguments[arguments.length - 1]; \
        const list = document.querySelector('[data-testid=history-list]'); \
        list.scrollTop = 0; \
        const steps = 240; \
        const stride = (list.scrollHeight - list.clientHeight) / steps; \
        const deltas = []; let loading = 0; let last = null; let step = 0; \
        const frame = (now) => { \
          if (last !== null) deltas.push(now - last); \
          last = now; \
          if (list.querySelector('[aria-busy=true]')) loading++; \
          if (step > steps) { done({ deltas, loading }); return; } \
          list.scrollTop = Math.round(stride * step++); \
          requestAnimationFrame(frame); \
        }; \
        requestAnimationFrame(frame);";
    let measured: Value = app.execute_async(script, vec![]).await?;
    let times = FrameTimes::of(serde_json::from_value(measured["deltas"].clone())?);
    Ok(Frames {
        count: times.count,
        median: times.median,
        p95: times.p95,
        max: times.max,
        loading: measured["loading"].as_u64().unwrap_or(0) as usize,
    })
}
