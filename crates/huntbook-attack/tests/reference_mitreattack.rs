//! Differential test against mitreattack-python 6.3.1's `diff_stix` on the mirror: the
//! changes from ATT&CK 15.1 to 18.1 (Enterprise) fall in the same sections with the same
//! STIX ids, category by category.
//!
//! Needs `HUNTBOOK_MITREATTACK_PYTHON`, a Python with mitreattack-python (the test command
//! sets it); without it the test is skipped with a message, or fails under the test command.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use huntbook_testkit::strings;

/// diff_stix's category of our `type` column.
fn category(ours: &str) -> String {
    match ours {
        "sub-techniques" => "techniques".into(),
        other => other.replace(' ', ""),
    }
}

#[test]
fn changes_15_1_to_18_1_match_diff_stix() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = std::env::var_os("HUNTBOOK_MITREATTACK_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            huntbook_testkit::missing(
                "a Python with mitreattack-python 6.3.1",
                "set HUNTBOOK_MITREATTACK_PYTHON (the test command does)",
            )
        })
    else {
        return;
    };
    let dir = |release: &str| {
        common::mirror_file(&format!("mitre-cti/ATT&CK-v{release}/enterprise-attack"))
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/mitreattack_reference.py");
    let output = Command::new(python)
        .arg(script)
        .arg("changes")
        .arg(dir("15.1"))
        .arg(dir("18.1"))
        .output()
        .expect("run the mitreattack reference script");
    assert!(
        output.status.success(),
        "diff_stix failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> =
        serde_json::from_slice(&output.stdout).unwrap();

    let cache = tempfile::tempdir().unwrap();
    let load = |release: &str| common::mirror_enterprise(cache.path(), release);
    let (old, new) = (load("15.1"), load("18.1"));
    let changes = new.changes_since(&old).unwrap();
    let mut ours: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let (types, kinds, ids) = (
        strings(&changes, "type"),
        strings(&changes, "change"),
        strings(&changes, "stix_id"),
    );
    for ((t, k), id) in types.into_iter().zip(kinds).zip(ids) {
        ours.entry(category(&t.unwrap()))
            .or_default()
            .entry(k.unwrap())
            .or_default()
            .insert(id.unwrap());
    }
    let mut differences = Vec::new();
    for (category, sections) in &theirs {
        for (section, expected) in sections {
            let got = ours
                .get(category)
                .and_then(|s| s.get(section))
                .cloned()
                .unwrap_or_default();
            if &got != expected {
                differences.push(format!(
                    "{category}/{section}: missing {:?}, extra {:?}",
                    expected.difference(&got).take(5).collect::<Vec<_>>(),
                    got.difference(expected).take(5).collect::<Vec<_>>()
                ));
            }
        }
    }
    for (category, sections) in &ours {
        for section in sections.keys() {
            if !theirs
                .get(category)
                .is_some_and(|s| s.contains_key(section))
            {
                differences.push(format!("{category}/{section}: not a diff_stix section"));
            }
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
    assert!(changes.height() > 3000, "{} changes", changes.height());
}
