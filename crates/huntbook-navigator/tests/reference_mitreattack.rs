//! Differential tests against mitreattack-python 6.3.1 on the mirror's ATT&CK 18.1:
//! - every layer huntbook writes (a group's, a data component count's, a frame's with
//!   tactics and fractional scores, a combination) loads in its `Layer` class with the same
//!   techniques, tactics and scores (one difference on purpose: it truncates fractional
//!   scores to integers, which Navigator does not);
//! - the layer its `UsageLayerGenerator` writes for APT29 (UTF-16) loads here and is written
//!   back unchanged, and scores 1 exactly the techniques `group_layer` lists.
//!
//! Needs `HUNTBOOK_MITREATTACK_PYTHON`, a Python with mitreattack-python (the test command
//! sets it); without it the test is skipped with a message, or fails under the test command.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use huntbook_attack::{Attack, Domain};
use huntbook_navigator::{data_components_layer, group_layer, Layer, LayerBuilder};
use polars::prelude::*;

fn python() -> Option<PathBuf> {
    match std::env::var_os("HUNTBOOK_MITREATTACK_PYTHON") {
        Some(p) => Some(PathBuf::from(p)),
        None => huntbook_testkit::missing(
            "a Python with mitreattack-python 6.3.1",
            "set HUNTBOOK_MITREATTACK_PYTHON (the test command does)",
        ),
    }
}

fn reference(python: &Path, args: &[&str]) -> Vec<u8> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/mitreattack_reference.py");
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .expect("run the mitreattack reference script");
    assert!(
        output.status.success(),
        "mitreattack reference failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn enterprise_18() -> PathBuf {
    huntbook_testkit::mirror_dir()
        .join("mitre-cti/ATT&CK-v18.1/enterprise-attack/enterprise-attack.json")
}

type Entry = (String, Option<String>, Option<f64>);

fn entries(layer: &Layer) -> Vec<Entry> {
    let mut e: Vec<Entry> = layer
        .techniques
        .iter()
        .map(|t| (t.technique_id.clone(), t.tactic.clone(), t.score()))
        .collect();
    e.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    e
}

#[test]
fn our_layers_load_in_mitreattack_with_the_same_techniques() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = python() else {
        return;
    };
    let attack = Attack::from_path(enterprise_18()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let apt29 = group_layer(&attack, "APT29", true, Domain::Enterprise).unwrap();
    let components = data_components_layer(&attack, Domain::Enterprise).unwrap();
    let frame = df!(
        "technique_id" => ["T1003.001", "T1078", "T1078"],
        "tactic" => ["credential-access", "persistence", "initial-access"],
        "score" => [0.25f64, 1.5, 3.0]
    )
    .unwrap();
    let fractional = LayerBuilder::new("fractional", "enterprise-attack")
        .tactic_column("tactic")
        .build(&frame)
        .unwrap();
    let combined = apt29.union(&components).unwrap();
    assert!(apt29.techniques.len() > 50 && components.techniques.len() > 300);
    for (name, layer) in [
        ("apt29", &apt29),
        ("components", &components),
        ("fractional", &fractional),
        ("combined", &combined),
    ] {
        let path = dir.path().join(format!("{name}.json"));
        layer.write(&path).unwrap();
        let theirs: serde_json::Value =
            serde_json::from_slice(&reference(&python, &["read-layer", path.to_str().unwrap()]))
                .unwrap();
        let theirs: Vec<Entry> = serde_json::from_value(theirs["techniques"].clone()).unwrap();
        // A difference on purpose: mitreattack-python's `Technique.score` setter truncates a
        // fractional score to an integer (`int(score)`); Navigator and huntbook keep 0.25.
        let ours: Vec<Entry> = entries(layer)
            .into_iter()
            .map(|(id, tactic, score)| (id, tactic, score.map(f64::trunc)))
            .collect();
        assert_eq!(theirs, ours, "{name}");
    }
}

#[test]
fn mitreattack_usage_layer_loads_unchanged() {
    huntbook_testkit::mirror_or_skip!();
    let Some(python) = python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apt29-usage.json");
    let bundle = enterprise_18();
    reference(
        &python,
        &[
            "usage-layer",
            bundle.to_str().unwrap(),
            "G0016",
            path.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "mitreattack writes UTF-16");
    let layer = Layer::read(&path).unwrap();
    let utf16: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let original: serde_json::Value =
        serde_json::from_str(&String::from_utf16(&utf16).unwrap()).unwrap();
    let written: serde_json::Value = serde_json::from_str(&layer.to_json()).unwrap();
    assert_eq!(
        written, original,
        "read then written, the layer is unchanged"
    );

    // Their layer lists every technique under every tactic, 1 for what APT29 uses, 0 else;
    // ours lists only what it uses. Same techniques.
    let used: BTreeSet<String> = layer
        .techniques
        .iter()
        .filter(|t| t.score() == Some(1.0))
        .map(|t| t.technique_id.clone())
        .collect();
    let attack = Attack::from_path(&bundle).unwrap();
    let ours: BTreeSet<String> = group_layer(&attack, "G0016", false, Domain::Enterprise)
        .unwrap()
        .techniques
        .iter()
        .map(|t| t.technique_id.clone())
        .collect();
    assert_eq!(used, ours);
    let warnings = layer.check(&attack);
    assert!(warnings.is_empty(), "{warnings:?}");
}
