//! Keeping a batch off the followers' home feeds: `hide_from_home` travels in the same
//! `PUT /activities/{id}` as the sport type (one request, or one for it alone when the sport
//! type is not set), the record and the history say whether Strava kept it off the feed.

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{EnqueueOptions, HistoryQuery, PipelineConfig, UploadState};
use mtp_testkit::fake::{FaultKind, FaultRule, StravaConfig};
use mtp_testkit::fixtures::SequenceSpec;
use serde_json::json;

const HIDE: EnqueueOptions = EnqueueOptions {
    insist: false,
    hide_from_home: true,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_put_carries_the_sport_type_and_hide_from_home_and_history_shows_it() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let walk = SequenceSpec::sample(17, 40);
    let (hidden_id, _) = h.add_sequence(walk).await;
    let (shown_id, _) = h.add_sequence(spec(3)).await;
    let uploader = h.uploader();
    uploader.enqueue_with(&[hidden_id], &HIDE).unwrap();
    uploader.enqueue(&[shown_id], false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    assert!(summary.all_done, "{:?}", summary.records);

    let hidden = &summary.records[0];
    let activity = hidden.activity_id.expect("activity");
    let puts: Vec<_> = h
        .strava_requests("PUT", "/api/v3/activities/")
        .into_iter()
        .filter(|r| r.path == format!("/api/v3/activities/{activity}"))
        .collect();
    assert_eq!(puts.len(), 1, "one PUT for both fields");
    assert_eq!(
        puts[0].json,
        Some(json!({"sport_type": "Walk", "hide_from_home": true}))
    );
    let on_strava = h.services.strava.activity(activity).expect("activity");
    assert!(on_strava.hide_from_home);
    assert_eq!(on_strava.sport_type, "Walk");
    assert!(hidden.hide_from_home && hidden.hidden_from_home);

    // The other batch was not asked to: no hide_from_home in its PUT, shown on the feed.
    let shown = &summary.records[1];
    let shown_puts = h.strava_requests(
        "PUT",
        &format!(
            "/api/v3/activities/{}",
            shown.activity_id.expect("activity")
        ),
    );
    assert_eq!(shown_puts.len(), 1);
    assert!(shown_puts[0]
        .json
        .as_ref()
        .expect("json")
        .get("hide_from_home")
        .is_none());
    assert!(!shown.hide_from_home && !shown.hidden_from_home);

    // History pages and the record both carry it.
    let page = uploader.history(&HistoryQuery::default()).unwrap();
    let row = page
        .records
        .iter()
        .find(|r| r.id == hidden.id)
        .expect("row");
    assert!(row.hidden_from_home);
    assert!(
        uploader
            .record(hidden.id)
            .unwrap()
            .expect("record")
            .hidden_from_home
    );
    assert_eq!(h.strava_requests("PUT", "/api/v3/activities/").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_sport_type_left_alone_one_put_still_carries_hide_from_home() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (hidden_id, _) = h.add_sequence(spec(1)).await;
    let (shown_id, _) = h.add_sequence(spec(2)).await;
    let uploader = h.uploader_with(PipelineConfig {
        set_sport_type: false,
        ..h.config.clone()
    });
    uploader.enqueue_with(&[hidden_id], &HIDE).unwrap();
    uploader.enqueue(&[shown_id], false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    assert!(summary.all_done, "{:?}", summary.records);
    let puts = h.strava_requests("PUT", "/api/v3/activities/");
    assert_eq!(puts.len(), 1, "only the hidden one needs a PUT");
    assert_eq!(puts[0].json, Some(json!({"hide_from_home": true})));
    assert!(summary.records[0].hidden_from_home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_put_that_fails_says_the_activity_is_still_on_the_feed_and_history_does_not_claim_it() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::next(
        "PUT /api/v3/activities/*",
        FaultKind::Status { status: 400 },
        1,
    ));
    let (id, _) = h.add_sequence(SequenceSpec::sample(17, 40)).await;
    let uploader = h.uploader();
    uploader.enqueue_with(&[id], &HIDE).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    let record = &summary.records[0];
    assert_eq!(record.state, UploadState::Done, "MTPW is still marked");
    assert!(record.hide_from_home && !record.hidden_from_home);
    let detail = record.detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("Walk") && detail.contains("kept off your followers' home feeds"),
        "{detail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_again_a_record_takes_the_new_batch_s_choice() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // The first try fails before Strava has it; the second batch asks to hide it.
    h.services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::Status { status: 400 },
        1,
    ));
    let (id, _) = h.add_sequence(spec(4)).await;
    let uploader = h.uploader();
    uploader.enqueue(std::slice::from_ref(&id), false).unwrap();
    let first = uploader.run(h.sink()).await.unwrap();
    assert_eq!(first.records[0].state, UploadState::Failed);
    assert!(!first.records[0].hide_from_home);
    uploader.enqueue_with(&[id], &HIDE).unwrap();
    let second = uploader.run(h.sink()).await.unwrap();
    assert!(second.all_done, "{:?}", second.records);
    assert!(second.records[0].hidden_from_home);
}
