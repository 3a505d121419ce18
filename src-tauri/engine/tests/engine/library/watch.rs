//! The library watch: a sequence written while the engine runs is reported within 2 s of being
//! complete and never listed broken on the way; a removed one at once; a library folder that
//! goes away and comes back.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::library::Setup;
use mtp_engine::{SequenceStatus, WatchOptions, WatchReport};
use mtp_testkit::fixtures::{write_sequence, SequenceSpec};

/// The next report that names `folder` (or changes the roots when `folder` is None), and how
/// long it took.
fn wait_for(reports: &mpsc::Receiver<WatchReport>, folder: Option<&Path>) -> Option<Duration> {
    let start = Instant::now();
    while let Ok(report) =
        reports.recv_timeout(Duration::from_secs(5).saturating_sub(start.elapsed()))
    {
        let hit = match folder {
            Some(folder) => report.folders.iter().any(|f| f == folder),
            None => report.roots_changed,
        };
        if hit {
            return Some(start.elapsed());
        }
    }
    None
}

fn listed(engine: &mtp_engine::Engine, dir_name: &str) -> Option<SequenceStatus> {
    let scan = engine.scan().unwrap();
    scan.sequences
        .iter()
        .find(|s| s.dir_name == dir_name)
        .map(|s| s.status)
}

#[test]
fn a_sequence_written_while_watched_is_listed_once_complete_and_never_as_broken() {
    let setup = Setup::new();
    let root = setup.default_root();
    write_sequence(&root, &SequenceSpec::sample(0, 5)).unwrap();
    let engine = Arc::new(setup.engine());
    engine.scan().unwrap();
    let (sender, reports) = mpsc::channel();
    let watch = engine
        .watch_library(WatchOptions::default(), move |report| {
            let _ = sender.send(report);
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // MTP Desktop writes the folder, a JSON cut short and no GPX yet...
    let spec = SequenceSpec::sample(1, 5);
    let scratch = setup.folder("scratch");
    let written: PathBuf = write_sequence(&scratch, &spec).unwrap();
    let folder = root.join(&spec.dir_name);
    std::fs::create_dir_all(&folder).unwrap();
    let json_name = format!("{}.json", spec.dir_name);
    let json = std::fs::read(written.join(&json_name)).unwrap();
    std::fs::write(folder.join(&json_name), &json[..json.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        listed(&engine, &spec.dir_name),
        None,
        "half written: left out, not broken"
    );

    // ...then the rest of the JSON and the GPX.
    std::fs::write(folder.join(&json_name), &json).unwrap();
    let gpx_name = format!("{}.gpx", spec.dir_name);
    std::fs::copy(written.join(&gpx_name), folder.join(&gpx_name)).unwrap();
    let took = wait_for(&reports, Some(&folder)).expect("reported");
    assert!(took < Duration::from_secs(2), "reported after {took:?}");
    let status = listed(&engine, &spec.dir_name).expect("listed");
    assert_ne!(status, SequenceStatus::Invalid);

    std::fs::remove_dir_all(&folder).unwrap();
    let took = wait_for(&reports, Some(&folder)).expect("removal reported");
    assert!(
        took < Duration::from_secs(1),
        "removal reported after {took:?}"
    );
    assert_eq!(listed(&engine, &spec.dir_name), None);
    watch.stop();
}

#[test]
fn a_library_folder_that_goes_away_is_unavailable_and_comes_back_by_itself() {
    let setup = Setup::new();
    let drive = setup.folder("drive/sequences");
    let spec = SequenceSpec::sample(2, 5);
    write_sequence(&drive, &spec).unwrap();
    let engine = Arc::new(setup.engine());
    engine.add_paths(std::slice::from_ref(&drive)).unwrap();
    // listed, its track checked and cached
    engine.scan_and_check().unwrap();
    assert!(listed(&engine, &spec.dir_name).is_some());
    let (sender, reports) = mpsc::channel();
    let watch = engine
        .watch_library(WatchOptions::default(), move |report| {
            let _ = sender.send(report);
        })
        .unwrap();

    std::thread::sleep(Duration::from_millis(300));
    // unplugged: moved away whole
    let away = setup.tmp.path().join("unplugged");
    std::fs::rename(setup.tmp.path().join("drive"), &away).unwrap();
    assert!(
        wait_for(&reports, None).is_some(),
        "the roots change is reported"
    );
    let scan = engine.scan().unwrap();
    let root = scan
        .roots
        .iter()
        .find(|r| Path::new(&r.path) == drive)
        .unwrap();
    assert!(
        root.problem
            .as_deref()
            .unwrap_or("")
            .contains("not available"),
        "{root:?}"
    );
    assert!(
        scan.sequences.iter().all(|s| s.problems.is_empty()),
        "no error per sequence"
    );

    // plugged back in
    std::fs::rename(&away, setup.tmp.path().join("drive")).unwrap();
    assert!(wait_for(&reports, None).is_some(), "its return is reported");
    assert!(listed(&engine, &spec.dir_name).is_some());
    let scan = engine.scan().unwrap();
    assert_eq!(
        scan.read_count, 0,
        "its cached sequences were kept for its return"
    );
    watch.stop();
}
