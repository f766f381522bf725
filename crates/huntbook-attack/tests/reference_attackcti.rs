//! Differential tests against attackcti 0.6.4 on the same files, on ATT&CK 18.1:
//! - the techniques reached through the data component "Process Creation" are exactly the
//!   ones attackcti's `get_techniques_by_data_components("Process Creation")` returns;
//! - the log sources of T1003.001 and of every technique of APT29 (its campaigns included)
//!   are the ones of `get_log_source_references_by_technique`.
//!
//! Needs a Python with attackcti: `HUNTBOOK_PYTHON` (the test command sets it to the
//! project's virtual environment). Without it the test is skipped with a message, or fails
//! under the test command (`huntbook_testkit::missing`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use huntbook_attack::{Domain, ObjectStatus};

fn reference_python() -> Option<PathBuf> {
    match std::env::var_os("HUNTBOOK_PYTHON") {
        Some(p) => Some(PathBuf::from(p)),
        None => huntbook_testkit::missing(
            "a Python with attackcti 0.6.4",
            "set HUNTBOOK_PYTHON (the test command does)",
        ),
    }
}

/// What the reference script prints for `command` on `release` with `args`, as JSON.
fn attackcti<T: serde::de::DeserializeOwned>(
    python: &PathBuf,
    command: &str,
    release: &str,
    args: &[&str],
) -> T {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/attackcti_reference.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(command)
        .arg(common::mirror_dir())
        .arg(release)
        .args(args)
        .output()
        .expect("run the attackcti reference script");
    assert!(
        output.status.success(),
        "attackcti reference failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the reference script prints JSON")
}

#[test]
fn process_creation_on_18_1_matches_attackcti() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = reference_python() else {
        return;
    };
    let expected: BTreeSet<String> =
        attackcti(&python, "by-data-components", "18.1", &["Process Creation"]);
    assert!(
        expected.len() > 100,
        "attackcti found only {} techniques",
        expected.len()
    );

    let cache = tempfile::tempdir().unwrap();
    let attack = common::mirror_loader(cache.path(), "18.1")
        .domains([Domain::Enterprise, Domain::Mobile, Domain::Ics])
        .load()
        .unwrap();
    let ours: BTreeSet<String> = attack
        .techniques_by_data_components(&["Process Creation"], ObjectStatus::Active)
        .into_iter()
        .map(|t| t.id.clone())
        .collect();
    let missing: Vec<_> = expected.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn log_sources_of_t1003_001_and_apt29_on_18_1_match_attackcti() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = reference_python() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let attack = common::mirror_loader(cache.path(), "18.1")
        .domains([Domain::Enterprise, Domain::Mobile, Domain::Ics])
        .load()
        .unwrap();
    let apt29 = attack
        .techniques_used_by_group("APT29", true, ObjectStatus::Active)
        .unwrap();
    let mut techniques: Vec<String> = vec!["T1003.001".into()];
    for id in apt29.column("technique_id").unwrap().str().unwrap().iter() {
        techniques.push(id.unwrap().to_string());
    }
    assert!(
        techniques.len() > 50,
        "APT29 has {} techniques",
        techniques.len()
    );
    let stix_ids: Vec<String> = techniques
        .iter()
        .map(|t| attack.technique(t).unwrap().id.clone())
        .collect();
    let args: Vec<&str> = stix_ids.iter().map(String::as_str).collect();
    let expected: BTreeMap<String, BTreeSet<[String; 3]>> =
        attackcti(&python, "log-sources", "18.1", &args);

    let mut with_log_sources = 0;
    for (technique, stix_id) in techniques.iter().zip(&stix_ids) {
        let frame = attack.technique_detections(technique).unwrap();
        let (components, names, channels) = (
            huntbook_testkit::strings(&frame, "data_component_id"),
            huntbook_testkit::strings(&frame, "log_source"),
            huntbook_testkit::strings(&frame, "channel"),
        );
        let ours: BTreeSet<[String; 3]> = components
            .into_iter()
            .zip(names)
            .zip(channels)
            .filter_map(|((c, n), ch)| {
                let component = attack.data_component(&c?).ok()?.id.clone();
                Some([component, n?, ch?])
            })
            .collect();
        let theirs = &expected[stix_id];
        assert_eq!(&ours, theirs, "log sources of {technique}");
        if !ours.is_empty() {
            with_log_sources += 1;
        }
    }
    assert!(
        with_log_sources > 40,
        "only {with_log_sources} techniques have log sources"
    );
}
