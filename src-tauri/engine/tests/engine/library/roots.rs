//! Roots and drops: what a dropped path is, duplicates, removal, and persistence across opens.

use std::path::PathBuf;

use crate::support::library::Setup;
use mtp_engine::EngineError;
use mtp_testkit::fixtures::{self, SequenceSpec};

#[test]
fn the_default_root_is_listed_even_before_it_exists() {
    let setup = Setup::new();
    let roots = setup.engine().roots().unwrap();
    assert_eq!(roots.len(), 1);
    assert!(roots[0].is_default);
    assert_eq!(roots[0].path, setup.default_root().to_string_lossy());
    assert_eq!(
        roots[0].problem.as_deref(),
        Some("folder does not exist yet")
    );
    let scan = setup.engine().scan().unwrap();
    assert!(scan.sequences.is_empty() && scan.roots[0].skipped.is_empty());
}

#[test]
fn drops_add_sequence_folders_and_folders_of_sequences_and_refuse_the_rest() {
    let setup = Setup::new();
    let single =
        fixtures::write_sequence(&setup.folder("one"), &SequenceSpec::sample(0, 5)).unwrap();
    let many = setup.folder("many");
    fixtures::write_library(&many, 3, 5, 1).unwrap();
    let empty = setup.folder("holiday photos");
    std::fs::create_dir(empty.join("not a sequence")).unwrap();
    let file = setup.folder("files").join("track.gpx");
    std::fs::write(&file, "<gpx/>").unwrap();
    let missing = setup.tmp.path().join("gone");

    let engine = setup.engine();
    let outcome = engine
        .add_paths(&[
            single.clone(),
            many.clone(),
            empty.clone(),
            file.clone(),
            missing.clone(),
        ])
        .unwrap();

    let added: Vec<(String, u32, bool)> = outcome
        .added
        .iter()
        .map(|a| (a.path.clone(), a.sequence_count, a.already_known))
        .collect();
    let shown = |p: &PathBuf| p.to_string_lossy().into_owned();
    assert_eq!(
        added,
        [(shown(&single), 1, false), (shown(&many), 3, false)]
    );
    let reasons: Vec<&str> = outcome.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "‘holiday photos’ is not a sequence folder and contains no sequence folders",
            "‘track.gpx’ is a file, not a folder: drop a sequence folder or a folder of sequence folders",
            "‘gone’ does not exist",
        ]
    );
    assert_eq!(outcome.rejected[2].path, shown(&missing));
    assert_eq!(engine.scan().unwrap().sequences.len(), 4);
}

#[test]
fn known_folders_are_reported_as_already_known() {
    let setup = Setup::new();
    let many = setup.folder("many");
    fixtures::write_library(&many, 2, 5, 1).unwrap();
    let inside_default =
        fixtures::write_sequence(&setup.default_root(), &SequenceSpec::sample(5, 5)).unwrap();
    let engine = setup.engine();
    let outcome = engine
        .add_paths(&[
            many.clone(),
            many.clone(),
            inside_default,
            setup.default_root(),
        ])
        .unwrap();
    let known: Vec<bool> = outcome.added.iter().map(|a| a.already_known).collect();
    assert_eq!(known, [false, true, true, true]);
    assert_eq!(engine.roots().unwrap().len(), 2);
    assert_eq!(engine.scan().unwrap().sequences.len(), 3);
}

#[test]
fn roots_persist_across_opens_and_can_be_removed() {
    let setup = Setup::new();
    let a = setup.folder("a");
    let b = setup.folder("b");
    fixtures::write_library(&a, 1, 5, 1).unwrap();
    fixtures::write_library(&b, 2, 5, 2).unwrap();
    setup.engine().add_paths(&[a.clone(), b.clone()]).unwrap();

    let engine = setup.engine();
    let paths: Vec<String> = engine
        .roots()
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    let shown = |p: &PathBuf| p.to_string_lossy().into_owned();
    assert_eq!(paths, [shown(&setup.default_root()), shown(&a), shown(&b)]);

    engine.remove_root(&shown(&a)).unwrap();
    drop(engine);
    let engine = setup.engine();
    assert_eq!(engine.roots().unwrap().len(), 2);
    assert_eq!(engine.scan().unwrap().sequences.len(), 2);

    let err = engine.remove_root(&shown(&a)).unwrap_err();
    assert!(matches!(err, EngineError::UnknownRoot { .. }));
    assert_eq!(
        err.to_string(),
        format!("‘{}’ is not one of your library folders", shown(&a))
    );
    let err = engine
        .remove_root(&shown(&setup.default_root()))
        .unwrap_err();
    assert!(err
        .to_string()
        .contains("is the default library folder and cannot be removed"));
}

#[test]
fn a_root_that_disappears_is_listed_with_its_problem() {
    let setup = Setup::new();
    let a = setup.folder("a");
    fixtures::write_library(&a, 1, 5, 1).unwrap();
    let engine = setup.engine();
    engine.add_paths(std::slice::from_ref(&a)).unwrap();
    std::fs::remove_dir_all(&a).unwrap();
    let scan = engine.scan().unwrap();
    assert_eq!(
        scan.roots[1].problem.as_deref(),
        Some(
            "not available (moved, or on a drive that is not connected): its sequences show again when it is back"
        )
    );
    assert!(scan.sequences.is_empty());
}

#[test]
fn a_drop_counts_exactly_what_the_library_then_lists() {
    let setup = Setup::new();
    let many = setup.folder("many");
    fixtures::write_library(&many, 2, 5, 3).unwrap();
    std::fs::create_dir(many.join("originals_backup")).unwrap();
    std::fs::write(many.join("notes.txt"), "a note").unwrap();
    let engine = setup.engine();
    let outcome = engine.add_paths(std::slice::from_ref(&many)).unwrap();
    assert_eq!(outcome.added[0].sequence_count, 2);

    let scan = engine.scan().unwrap();
    assert_eq!(scan.sequences.len(), 2);
    let root = scan.roots.iter().find(|r| !r.is_default).unwrap();
    let reasons: Vec<&str> = root.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "‘notes.txt’ is a file, not a sequence folder",
            "‘originals_backup’ has no originals_backup.json, so it is not a sequence",
        ]
    );
    assert_eq!(engine.roots().unwrap()[1].skipped, root.skipped);
}
