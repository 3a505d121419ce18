//! The upload pipeline against the in-process fake Strava and fake MTPW: the happy path with
//! the exact fields sent, the states and the history.

use crate::support::pipeline::{gunzip, spec, Harness};
use mtp_engine::uploads::{
    HistoryQuery, LinkTarget, MtpwStravaValue, PipelineConfig, UploadEvent, UploadState, UploadStep,
};
use mtp_testkit::fake::StravaConfig;
use mtp_testkit::fixtures::SequenceSpec;

fn gpx_of(h: &Harness, spec: &SequenceSpec) -> Vec<u8> {
    std::fs::read(
        h.root()
            .join(&spec.dir_name)
            .join(format!("{}.gpx", spec.dir_name)),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sequence_goes_to_strava_with_its_fields_then_gets_its_sport_type_and_marks_mtpw() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // A walk (uploads start as rides on Strava), whose name ends in _part_2.
    let sequence = SequenceSpec::sample(17, 40);
    assert_eq!(sequence.transport_method.as_deref(), Some("Walk"));
    assert!(sequence.name.as_deref().unwrap().ends_with("_part_2"));
    let (id, uuid) = h.add_sequence(sequence.clone()).await;
    let uploader = h.uploader();

    let queued = uploader.enqueue(std::slice::from_ref(&id), false).unwrap();
    assert_eq!(queued[0].skipped, None);
    let summary = uploader.run(h.sink()).await.unwrap();
    assert!(summary.all_done, "{:?}", summary.records);
    let record = &summary.records[0];
    assert_eq!(record.state, UploadState::Done);
    let activity_id = record.activity_id.expect("activity id");
    // The links History opens: the activity, and the MTPW sequence page on the effective
    // setting (here the default, nothing stored or set).
    let activity = LinkTarget::StravaActivity {
        activity_id: activity_id.to_string(),
    };
    assert_eq!(
        uploader.link_url(&activity).await.as_deref(),
        Some(format!("https://www.strava.com/activities/{activity_id}").as_str())
    );
    let sequence_page = LinkTarget::MtpwSequence { uuid: uuid.clone() };
    assert_eq!(
        uploader.link_url(&sequence_page).await.as_deref(),
        Some(format!("https://www.mapthepaths.com/sequence/{uuid}/detail").as_str())
    );
    let history = uploader.history(&HistoryQuery::default()).unwrap();
    assert_eq!(history.records[0].activity_id, record.activity_id);

    // The multipart POST: exactly the fields, and a gzip body that is the GPX.
    let posts = h.strava_requests("POST", "/api/v3/uploads");
    assert_eq!(posts.len(), 1);
    let form = posts[0].form.clone().expect("multipart fields");
    let expected_name = sequence.name.clone().unwrap().replace("_part_2", " Part 2");
    assert_eq!(form.get("name"), Some(&expected_name));
    assert_eq!(form.get("description"), sequence.description.as_ref());
    assert_eq!(form.get("external_id"), Some(&uuid));
    assert_eq!(form.get("data_type").map(String::as_str), Some("gpx.gz"));
    let keys: Vec<&str> = form.keys().map(String::as_str).collect();
    assert_eq!(keys, ["data_type", "description", "external_id", "name"]);
    let upload_id = record.strava_upload_id.expect("upload id");
    let file = h.services.strava.uploaded_file(upload_id).expect("file");
    assert_eq!(gunzip(&file), gpx_of(&h, &sequence));
    assert!(
        posts[0]
            .headers
            .get("authorization")
            .is_some_and(|v| v.starts_with("Bearer ")),
        "the token goes in the Authorization header"
    );

    // The sport type PUT, then the MTPW PUT with the activity id.
    let puts = h.strava_requests("PUT", "/api/v3/activities/");
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].path, format!("/api/v3/activities/{activity_id}"));
    assert_eq!(
        puts[0].json,
        Some(serde_json::json!({"sport_type": "Walk"}))
    );
    let imports = h.mtpw_requests("PUT", "/api/v1/sequence/import/");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].path, format!("/api/v1/sequence/import/{uuid}/"));
    assert_eq!(
        imports[0].json,
        Some(serde_json::json!({"strava": activity_id.to_string()}))
    );
    let mtpw = h.services.mtpw.state_json();
    let on_mtpw = mtpw["sequences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unique_id"] == uuid.as_str())
        .unwrap()
        .clone();
    assert_eq!(on_mtpw["strava"], activity_id.to_string());

    // One activity, with the name and external id.
    let activities = h.live_activities();
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0]["external_id"], uuid.as_str());

    // Events: every state in order, and bytes up to the total.
    let events = h.events.lock().unwrap().clone();
    let states: Vec<UploadState> = events
        .iter()
        .filter_map(|e| match e {
            UploadEvent::State { state, .. } => Some(*state),
            _ => None,
        })
        .collect();
    let mut deduped = states.clone();
    deduped.dedup();
    assert_eq!(
        deduped,
        [
            UploadState::Validating,
            UploadState::Uploading,
            UploadState::Processing,
            UploadState::SettingSportType,
            UploadState::SyncingMtpw,
            UploadState::Done
        ]
    );
    let last_bytes = events.iter().rev().find_map(|e| match e {
        UploadEvent::Bytes { sent, total, .. } => Some((*sent, *total)),
        _ => None,
    });
    assert_eq!(last_bytes, Some((file.len() as u64, file.len() as u64)));

    // History: one record with every attempt.
    let history = h.uploader().history(&HistoryQuery::default()).unwrap();
    assert_eq!(history.total, 1);
    let full = h.uploader().record(history.records[0].id).unwrap().unwrap();
    let steps: Vec<(UploadStep, Option<u16>)> = full
        .attempts
        .iter()
        .map(|a| (a.step, a.http_status))
        .collect();
    assert_eq!(steps.first(), Some(&(UploadStep::Upload, Some(201))));
    assert_eq!(steps.last(), Some(&(UploadStep::SyncMtpw, Some(200))));
    assert!(steps.contains(&(UploadStep::Poll, Some(200))));
    assert!(steps.contains(&(UploadStep::SportType, Some(200))));
    assert_eq!(record.detail, None, "no warning");
    let on_strava = h.services.strava.state_json()["activities"][0]["sport_type"].clone();
    assert_eq!(on_strava, "Walk");

    // Queued again: already done, nothing is sent.
    let again = uploader.enqueue(&[id], false).unwrap();
    assert!(again[0]
        .skipped
        .as_deref()
        .unwrap()
        .contains("already uploaded"));
    let rerun = uploader.run(h.sink()).await.unwrap();
    assert!(rerun.records.is_empty());
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_literal_true_setting_sends_true_to_mtpw_and_sport_type_can_be_off() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (id, uuid) = h.add_sequence(spec(1)).await;
    let uploader = h.uploader_with(PipelineConfig {
        mtpw_strava_value: MtpwStravaValue::LiteralTrue,
        set_sport_type: false,
        ..h.config.clone()
    });
    uploader.enqueue(&[id], false).unwrap();
    assert!(uploader.run(h.sink()).await.unwrap().all_done);
    let imports = h.mtpw_requests("PUT", &format!("/api/v1/sequence/import/{uuid}/"));
    assert_eq!(imports[0].json, Some(serde_json::json!({"strava": "true"})));
    assert!(h.strava_requests("PUT", "/api/v3/activities/").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_folder_keeps_its_history_and_is_not_uploaded_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let sequence = spec(2);
    let (id, _) = h.add_sequence(sequence.clone()).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    assert!(uploader.run(h.sink()).await.unwrap().all_done);

    let moved_root = h.tmp.path().join("elsewhere");
    std::fs::create_dir_all(&moved_root).unwrap();
    let moved = moved_root.join("renamed_folder");
    std::fs::rename(h.root().join(&sequence.dir_name), &moved).unwrap();
    // The JSON and GPX are named after the folder.
    for ext in ["json", "gpx"] {
        std::fs::rename(
            moved.join(format!("{}.{ext}", sequence.dir_name)),
            moved.join(format!("renamed_folder.{ext}")),
        )
        .unwrap();
    }
    h.engine.add_paths(&[moved_root]).unwrap();
    let new_id = mtp_engine::files::sequence_id(&moved);
    let outcome = uploader.enqueue(&[new_id], false).unwrap();
    assert!(
        outcome[0]
            .skipped
            .as_deref()
            .unwrap()
            .contains("already uploaded"),
        "{outcome:?}"
    );
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequences_that_cannot_go_stop_in_needs_attention_and_nothing_is_sent() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // No MTPW id.
    let no_id = mtp_testkit::fixtures::write_sequence(&h.root(), &spec(4)).unwrap();
    // Not eligible: a car.
    let mut car = SequenceSpec::sample(4, 30);
    car.destination_mtp = Some(serde_json::json!("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"));
    let car_dir = mtp_testkit::fixtures::write_sequence(&h.root(), &car).unwrap();
    let ids: Vec<String> = [no_id, car_dir]
        .iter()
        .map(|d| mtp_engine::files::sequence_id(d))
        .collect();
    let uploader = h.uploader();
    uploader.enqueue(&ids, false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    assert!(!summary.all_done);
    let states: Vec<UploadState> = summary.records.iter().map(|r| r.state).collect();
    assert_eq!(states, [UploadState::NoMtpwId, UploadState::NotEligible]);
    assert!(summary.records[1]
        .detail
        .as_deref()
        .unwrap()
        .contains("Car"));
    assert_eq!(h.services.strava.requests().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_sign_in_the_sequence_waits_for_one_and_a_retry_then_uploads() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (id, _) = h.add_sequence(spec(5)).await;
    let mtpw_token = h.tokens.mtpw.lock().unwrap().take();
    let uploader = h.uploader();
    uploader.enqueue(std::slice::from_ref(&id), false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    assert_eq!(summary.records[0].state, UploadState::NotSignedIn);
    assert!(summary.records[0]
        .detail
        .as_deref()
        .unwrap()
        .contains("Map the Paths"));
    assert_eq!(h.uploads_posted(), 0);

    *h.tokens.mtpw.lock().unwrap() = mtpw_token;
    uploader.enqueue(&[id], false).unwrap();
    assert!(uploader.run(h.sink()).await.unwrap().all_done);
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_mtpw_link_or_a_created_mtpw_sequence_gets_a_sequence_without_one_uploaded() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let pasted_spec = spec(6);
    let created_spec = spec(7);
    let folder_json = |s: &SequenceSpec| {
        std::fs::read(
            h.root()
                .join(&s.dir_name)
                .join(format!("{}.json", s.dir_name)),
        )
        .unwrap()
    };
    let ids: Vec<String> = [&pasted_spec, &created_spec]
        .iter()
        .map(|s| {
            let dir = mtp_testkit::fixtures::write_sequence(&h.root(), s).unwrap();
            mtp_engine::files::sequence_id(&dir)
        })
        .collect();
    let json_before = [folder_json(&pasted_spec), folder_json(&created_spec)];
    let uploader = h.uploader();
    uploader.enqueue(&ids, false).unwrap();
    let first = uploader.run(h.sink()).await.unwrap();
    assert!(first
        .records
        .iter()
        .all(|r| r.state == UploadState::NoMtpwId));

    // Paste: junk is refused, a link is accepted.
    assert!(h
        .engine
        .link_mtpw(&ids[0], "https://www.mapthepaths.com/sequence/")
        .is_err());
    let existing = h.create_on_mtpw(&pasted_spec).await;
    let link = format!(
        "https://www.mapthepaths.com/sequence/{}/",
        existing.to_uppercase()
    );
    assert_eq!(h.engine.link_mtpw(&ids[0], &link).unwrap(), existing);
    // Create: the fake MTPW gets name, transport method and tags.
    let created = uploader.create_on_mtpw(&ids[1]).await.unwrap();
    let create = h
        .mtpw_requests("POST", "/api/v1/sequence/create/")
        .pop()
        .unwrap();
    let form = create.form.unwrap();
    assert_eq!(
        form.get("transport_type").map(String::as_str),
        Some("Bicycle")
    );
    assert_eq!(form.get("name"), created_spec.name.as_ref());
    assert_eq!(form.get("tag"), Some(&created_spec.tags.join(",")));
    // The detail and the library list show both linked (what the app's commands answer).
    let detail = h.engine.sequence_detail(&ids[0]).unwrap();
    assert_eq!(detail.summary.mtpw_uuid, Some(existing.clone()));
    let linked = |scan: &mtp_engine::LibraryScan| -> Vec<Option<String>> {
        ids.iter()
            .map(|id| {
                scan.sequences
                    .iter()
                    .find(|s| &s.id == id)
                    .unwrap()
                    .mtpw_uuid
                    .clone()
            })
            .collect()
    };
    let expected = [Some(existing.clone()), Some(created.clone())];
    assert_eq!(linked(&h.engine.scan_and_check().unwrap()), expected);
    assert_eq!(linked(&h.engine.scan().unwrap()), expected);

    uploader.enqueue(&ids, false).unwrap();
    let second = uploader.run(h.sink()).await.unwrap();
    assert!(second.all_done, "{:?}", second.records);
    let uuids: Vec<Option<String>> = second.records.iter().map(|r| r.mtpw_uuid.clone()).collect();
    assert_eq!(uuids, [Some(existing.clone()), Some(created.clone())]);
    let history = h.uploader().history(&HistoryQuery::default()).unwrap();
    assert_eq!(
        history.total, 2,
        "the records that needed an id are the ones that got done"
    );
    let external_ids: Vec<String> = h
        .strava_requests("POST", "/api/v3/uploads")
        .iter()
        .map(|r| r.form.as_ref().unwrap()["external_id"].clone())
        .collect();
    assert_eq!(external_ids, [existing, created]);
    // Never written into the user's folders.
    assert_eq!(
        json_before,
        [folder_json(&pasted_spec), folder_json(&created_spec)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_queue_sends_nothing_until_resumed_and_a_cancelled_upload_is_not_sent() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (first, _) = h.add_sequence(spec(1)).await;
    let (second, _) = h.add_sequence(spec(2)).await;
    let uploader = std::sync::Arc::new(h.uploader());
    let queued = uploader.enqueue(&[first, second], false).unwrap();
    let cancelled = queued[1].upload.unwrap();

    uploader.pause(None);
    uploader.cancel(Some(cancelled)).unwrap();
    let running = {
        let (uploader, sink) = (uploader.clone(), h.sink());
        tokio::spawn(async move { uploader.run(sink).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        h.services.strava.requests().len(),
        0,
        "paused: nothing sent"
    );
    uploader.resume(None);
    let summary = running.await.unwrap().unwrap();
    let states: Vec<UploadState> = summary.records.iter().map(|r| r.state).collect();
    assert_eq!(states, [UploadState::Done]);
    let record = h.uploader().record(cancelled).unwrap().unwrap();
    assert_eq!(record.state, UploadState::Cancelled);
    assert_eq!(h.uploads_posted(), 1);

    // Queued again, the cancelled one goes.
    let ids: Vec<String> = vec![record.sequence_id.clone()];
    uploader.enqueue(&ids, false).unwrap();
    assert!(uploader.run(h.sink()).await.unwrap().all_done);
    assert_eq!(h.uploads_posted(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_removed_while_queued_fails_naming_it_and_the_others_go_on() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let gone = spec(5);
    let (gone_id, _) = h.add_sequence(gone.clone()).await;
    let (kept_id, _) = h.add_sequence(spec(6)).await;
    let uploader = h.uploader();
    uploader.enqueue(&[gone_id, kept_id], false).unwrap();
    std::fs::remove_dir_all(h.root().join(&gone.dir_name)).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    let gone_record = &summary.records[0];
    assert_ne!(gone_record.state, UploadState::Done, "{gone_record:?}");
    let detail = gone_record.detail.clone().unwrap_or_default();
    assert!(detail.contains(&gone.dir_name), "{detail}");
    assert_eq!(summary.records[1].state, UploadState::Done);
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gpx_edited_after_it_was_queued_is_validated_again_and_sent_as_validated() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let sequence = spec(7);
    let (id, _) = h.add_sequence(sequence.clone()).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    // The photographer re-exports the GPX after queueing: a track that is no longer valid.
    let gpx = h
        .root()
        .join(&sequence.dir_name)
        .join(format!("{}.gpx", sequence.dir_name));
    std::fs::write(&gpx, "<gpx><trk><trkseg><trkpt lat=\"1\"").unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    let record = &summary.records[0];
    assert_ne!(record.state, UploadState::Done, "{record:?}");
    let detail = record.detail.clone().unwrap_or_default();
    assert!(
        detail.contains(".gpx"),
        "the refusal names the file: {detail}"
    );
    assert_eq!(h.uploads_posted(), 0, "nothing unvalidated is sent");
}
