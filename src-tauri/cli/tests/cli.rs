//! The CLI binary against the in-process fakes: list, upload with its exit code, history,
//! and a run killed with SIGKILL at several points that the next run finishes.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use mtp_services::mtpw::api::{MtpwClient, NewSequence};
use mtp_testkit::fake::{
    FakeServices, FaultKind, FaultRule, MtpwConfig, ProcessingDelay, ServicesConfig, StravaConfig,
};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

struct World {
    services: FakeServices,
    tmp: tempfile::TempDir,
    strava_token: String,
    mtpw_token: String,
}

impl World {
    async fn start(strava: StravaConfig) -> World {
        let services = FakeServices::start(ServicesConfig {
            strava,
            mtpw: MtpwConfig::default(),
            ..ServicesConfig::default()
        })
        .await
        .unwrap();
        let client = services.strava.client();
        let athlete = services.strava.athlete();
        let strava_token = services
            .strava
            .issue_tokens(
                client.id,
                athlete.id,
                &["activity:write", "activity:read_all"],
            )
            .access_token;
        let mtpw_token = services.mtpw.issue_token(services.mtpw.user().id);
        World {
            services,
            tmp: tempfile::tempdir().unwrap(),
            strava_token,
            mtpw_token,
        }
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("home/MTP/sequences")
    }

    /// Writes `count` Bicycle sequences whose MTPW sequences exist on the fake.
    async fn add_sequences(&self, count: usize) -> Vec<PathBuf> {
        let mtpw = MtpwClient::new(reqwest::Client::new(), &self.services.mtpw.base_url());
        let mut dirs = Vec::new();
        for i in 0..count {
            let mut spec = SequenceSpec::sample(i * 8, 30);
            spec.seed += i as u64;
            let uuid = mtpw
                .create_sequence(
                    &self.mtpw_token,
                    &NewSequence {
                        name: spec.name.clone().unwrap(),
                        description: None,
                        transport_type: "Bicycle".into(),
                        tags: vec![],
                    },
                )
                .await
                .unwrap();
            spec.destination_mtp = Some(serde_json::json!(uuid));
            dirs.push(write_sequence(&self.root(), &spec).unwrap());
        }
        dirs
    }

    fn cli(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mtp-strava-uploader-cli"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.tmp.path().join("home"))
            .env("MTP_DATA_DIR", self.tmp.path().join("data"))
            .env("MTP_STRAVA_API_BASE", self.services.strava.api_base())
            .env("MTPW_BASE", self.services.mtpw.base_url())
            .env("MTP_STRAVA_ACCESS_TOKEN", &self.strava_token)
            .env("MTPW_TOKEN", &self.mtpw_token)
            .env("MTP_PIPELINE_SPEEDUP", "20")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    }

    async fn run(&self, args: &[&str]) -> (i32, String) {
        let output = self.cli(args).output().await.unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        (
            output.status.code().unwrap_or(-1),
            format!("{stdout}{stderr}"),
        )
    }

    async fn history(&self) -> serde_json::Value {
        let (code, out) = self.run(&["history", "--json"]).await;
        assert_eq!(code, 0, "{out}");
        serde_json::from_str(&out).unwrap()
    }

    fn live_activities(&self) -> Vec<serde_json::Value> {
        self.services.strava.state_json()["activities"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !a["deleted"].as_bool().unwrap_or(false))
            .collect()
    }
}

fn uploads_posted(world: &World) -> usize {
    world
        .services
        .strava
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v3/uploads")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_all_pending_then_list_and_history_show_them_done() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(2).await;

    let (code, out) = world.run(&["upload", "--all-pending"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 of 2 uploads done"), "{out}");
    assert!(
        out.contains("processing on Strava"),
        "progress per sequence: {out}"
    );
    assert_eq!(world.live_activities().len(), 2);

    let history = world.history().await;
    assert_eq!(history["total"], 2);
    for record in history["records"].as_array().unwrap() {
        assert_eq!(record["state"], "done");
        let activity = record["activityId"].as_str().unwrap();
        assert_eq!(
            record["activityUrl"],
            format!("https://www.strava.com/activities/{activity}")
        );
        // MTPW_BASE points at the fake: the sequence page is on it.
        let uuid = record["mtpwUuid"].as_str().unwrap();
        assert_eq!(
            record["mtpwUrl"],
            format!("{}/sequence/{uuid}/detail", world.services.mtpw.base_url())
        );
        assert!(!record["attempts"].as_array().unwrap().is_empty());
    }

    let (code, out) = world.run(&["list", "--json"]).await;
    assert_eq!(code, 0, "{out}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let states: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["upload"]["state"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(states, ["done", "done"]);

    // Nothing is pending any more: nothing is sent, and that is success.
    let (code, out) = world.run(&["upload", "--all-pending"]).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(uploads_posted(&world), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_take_turns_and_send_each_sequence_once() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(6).await;
    let first = world.cli(&["upload", "--all-pending"]).output();
    let second = world.cli(&["upload", "--all-pending"]).output();
    let (first, second) = tokio::join!(first, second);
    let outputs: Vec<(Option<i32>, String)> = [first.unwrap(), second.unwrap()]
        .into_iter()
        .map(|o| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            (o.status.code(), text)
        })
        .collect();
    for (code, out) in &outputs {
        assert_eq!(*code, Some(0), "{out}");
    }
    assert!(
        outputs
            .iter()
            .any(|(_, out)| out.contains("Waiting: the command-line uploader (process")),
        "one run waited for the other: {outputs:?}"
    );
    assert_eq!(uploads_posted(&world), 6, "{outputs:?}");
    assert_eq!(world.live_activities().len(), 6);
    let history = world.history().await;
    assert_eq!(history["total"], 6);
}

/// Starts `upload --all-pending` and collects its output; `waiting` fires once it says it waits
/// for another process (it has queued its uploads by then).
fn start_collecting(
    world: &World,
) -> (
    tokio::task::JoinHandle<(Option<i32>, String)>,
    tokio::sync::oneshot::Receiver<()>,
) {
    let mut child = world.cli(&["upload", "--all-pending"]).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tell, waiting) = tokio::sync::oneshot::channel();
    let run = tokio::spawn(async move {
        let mut tell = Some(tell);
        let mut out = String::new();
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with("Waiting:") {
                if let Some(tell) = tell.take() {
                    let _ = tell.send(());
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
        let status = child.wait().await.unwrap();
        (status.code(), out)
    });
    (run, waiting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_waited_while_another_did_its_uploads_reports_how_they_ended() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(3).await;
    // Strava refuses one upload for good: whoever works the queue, it is not done.
    world.services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::Status { status: 400 },
        1,
    ));
    // Both runs queue their uploads while another process (here the test) holds the queue.
    let data_dir = world.tmp.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let held = mtp_engine::uploads::run_lock::acquire(&data_dir, |_| {})
        .await
        .unwrap();
    let (first, first_waits) = start_collecting(&world);
    let (second, second_waits) = start_collecting(&world);
    for waits in [first_waits, second_waits] {
        tokio::time::timeout(Duration::from_secs(30), waits)
            .await
            .expect("each run waits for the queue")
            .unwrap();
    }
    drop(held);
    // One run works all three; the other waits for it and then has nothing left to do, yet
    // both report the three uploads they queued, and neither says all went well.
    for run in [first, second] {
        let (code, out) = run.await.unwrap();
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("2 of 3 uploads done"), "{out}");
        assert!(out.contains(": failed"), "{out}");
    }
    assert_eq!(uploads_posted(&world), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clear_text_base_off_this_machine_stops_the_cli_naming_its_variable() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(1).await;
    for var in ["MTP_STRAVA_API_BASE", "MTP_STRAVA_OAUTH_BASE", "MTPW_BASE"] {
        let output = world
            .cli(&["upload", "--all-pending"])
            .env(var, "http://mtp-upload.example")
            .output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "the environment variable {var} (http://mtp-upload.example) is refused: it must start with https://"
            )),
            "{stderr}"
        );
    }
    // No fall back to the real services, and nothing sent anywhere.
    assert_eq!(uploads_posted(&world), 0);
    assert_eq!(world.live_activities().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_of_one_folder_exits_non_zero_when_it_fails() {
    let world = World::start(StravaConfig::for_tests()).await;
    let dirs = world.add_sequences(2).await;
    world.services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::Status { status: 400 },
        1,
    ));
    let path = dirs[0].to_string_lossy().into_owned();
    let (code, out) = world.run(&["upload", &path]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("0 of 1 uploads done"), "{out}");
    assert!(out.contains("HTTP 400"), "{out}");
    assert_eq!(
        uploads_posted(&world),
        1,
        "only the named folder, and no retry"
    );

    let (code, out) = world.run(&["upload", &path]).await;
    assert_eq!(code, 0, "a retry succeeds: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_sign_in_the_upload_needs_one_and_login_explains_what_is_missing() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(1).await;
    let mut command = world.cli(&["upload", "--all-pending"]);
    command.env_remove("MTP_STRAVA_ACCESS_TOKEN");
    let output = command.output().await.unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("not signed in"), "{out}");
    assert_eq!(uploads_posted(&world), 0);

    // No Client ID configured (and no keyring in this environment): refused with the reason.
    let (code, out) = world.run(&["login", "strava"]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error:") && out.contains("Strava"), "{out}");
    let (code, out) = world.run(&["upload", "--help"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("--all-pending"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_database_is_named_and_reset_store_starts_fresh() {
    let world = World::start(StravaConfig::for_tests()).await;
    world.add_sequences(1).await;
    let (code, out) = world.run(&["upload", "--all-pending"]).await;
    assert_eq!(code, 0, "{out}");
    // Damage the database after its header: SQLite can no longer read its pages.
    let database = world.tmp.path().join("data/mtp-strava-uploader.sqlite3");
    let (code, _) = world.run(&["list"]).await; // checkpoints the WAL into the file
    assert_eq!(code, 0);
    let mut bytes = std::fs::read(&database).unwrap();
    bytes[100..].iter_mut().for_each(|b| *b = 0x5a);
    std::fs::write(&database, bytes).unwrap();
    let _ = std::fs::remove_file(database.with_extension("sqlite3-wal"));

    let (code, out) = world.run(&["history"]).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("is damaged") && out.contains("reset-store"),
        "{out}"
    );

    let (code, out) = world.run(&["reset-store"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(".damaged-"), "{out}");
    let (code, out) = world.run(&["history", "--json"]).await;
    assert_eq!(code, 0, "{out}");
}

/// Starts `upload --all-pending` and SIGKILLs it as soon as a line containing `marker` appears.
async fn kill_when(world: &World, marker: &str) -> bool {
    let mut child = world.cli(&["upload", "--all-pending"]).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut killed = false;
    while let Ok(Ok(Some(line))) =
        tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await
    {
        if line.contains(marker) {
            child.start_kill().unwrap();
            killed = true;
            break;
        }
    }
    let _ = child.wait().await;
    killed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_at_any_point_is_finished_by_the_next_with_one_activity_per_sequence() {
    let world = World::start(StravaConfig {
        processing: ProcessingDelay::Fixed(Duration::from_millis(300)),
        ..StravaConfig::for_tests()
    })
    .await;
    let dirs = world.add_sequences(6).await;
    // Slow MTPW so a kill can land while it is owed.
    world.services.mtpw.add_fault(FaultRule::next(
        "PUT /api/v1/sequence/import/**",
        FaultKind::Slow { delay_ms: 200 },
        2,
    ));
    let mut kills = 0;
    for marker in [
        ": validating",
        ": uploading",
        "sent ",
        "processing on Strava",
        "setting the sport type",
        "updating Map the Paths",
    ] {
        if kill_when(&world, marker).await {
            kills += 1;
        }
    }
    // Each kill lands at the first line with its marker; under load a late marker may never
    // come because an earlier run already finished everything.
    assert!(kills >= 3, "the runs were killed part-way ({kills} kills)");
    let (code, out) = world.run(&["upload", "--all-pending"]).await;
    assert_eq!(code, 0, "{out}");

    let history = world.history().await;
    let records = history["records"].as_array().unwrap();
    assert_eq!(records.len(), dirs.len(), "one record per sequence");
    assert!(records.iter().all(|r| r["state"] == "done"), "{records:?}");
    let live = world.live_activities();
    assert_eq!(live.len(), dirs.len(), "exactly one activity per sequence");
    let mut activity_ids: Vec<String> = records
        .iter()
        .map(|r| r["activityId"].as_str().unwrap().to_string())
        .collect();
    activity_ids.sort();
    activity_ids.dedup();
    assert_eq!(activity_ids.len(), dirs.len());
    // Where a kill left the POST's outcome unknown, the next run looked the activity up
    // instead of sending it again: Strava got each sequence's upload exactly once.
    let uploads = world.services.strava.state_json()["uploads"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut per_sequence = std::collections::BTreeMap::<String, usize>::new();
    for upload in &uploads {
        let external_id = upload["external_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        *per_sequence.entry(external_id).or_default() += 1;
    }
    assert_eq!(per_sequence.len(), dirs.len(), "{per_sequence:?}");
    assert!(
        per_sequence.values().all(|n| *n == 1),
        "no second upload of a sequence reached Strava: {per_sequence:?}"
    );
    let marked = world.services.mtpw.state_json()["sequences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["strava"].is_string())
        .count();
    assert_eq!(marked, dirs.len(), "every MTPW sequence got its activity");
    assert!(Path::new(&dirs[0]).is_dir());
}
