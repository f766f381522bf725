//! Differential test against attackcti 0.6.4 on the same files: on ATT&CK 18.1 the techniques
//! reached through the data component "Process Creation" must be exactly the ones attackcti's
//! `get_techniques_by_data_components("Process Creation")` returns.
//!
//! Needs a Python with attackcti: `HUNTBOOK_PYTHON` (the test command sets it to the
//! project's virtual environment). Without it the test is skipped with a message, or fails
//! under the test command (`huntbook_testkit::missing`).

mod common;

use std::collections::BTreeSet;
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

fn attackcti_by_data_components(
    python: &PathBuf,
    release: &str,
    terms: &[&str],
) -> BTreeSet<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/attackcti_reference.py");
    let output = Command::new(python)
        .arg(&script)
        .arg("by-data-components")
        .arg(common::mirror_dir())
        .arg(release)
        .args(terms)
        .output()
        .expect("run the attackcti reference script");
    assert!(
        output.status.success(),
        "attackcti reference failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Vec<String>>(&output.stdout)
        .expect("the reference script prints a JSON list")
        .into_iter()
        .collect()
}

#[test]
fn process_creation_on_18_1_matches_attackcti() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = reference_python() else {
        return;
    };
    let expected = attackcti_by_data_components(&python, "18.1", &["Process Creation"]);
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
