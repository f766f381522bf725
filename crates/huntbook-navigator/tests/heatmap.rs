//! Layers on the matrix: tactics in the bundle's own order, cells from the layer, nothing
//! dropped silently.

use huntbook_attack::{Attack, Bundle, Domain};
use huntbook_navigator::{group_layer, LayerBuilder, Subtechniques};
use polars::prelude::*;

/// A matrix whose tactic order is not alphabetical and names a tactic no fixed list has.
fn release() -> Attack {
    let bundle = Bundle::from_slice(
        br##"{"type": "bundle", "id": "bundle--1", "objects": [
      {"type": "x-mitre-matrix", "id": "x-mitre-matrix--1", "name": "Enterprise ATT&CK",
       "x_mitre_domains": ["enterprise-attack"],
       "external_references": [{"source_name": "mitre-attack", "external_id": "enterprise-attack"}],
       "tactic_refs": ["x-mitre-tactic--2", "x-mitre-tactic--1"]},
      {"type": "x-mitre-tactic", "id": "x-mitre-tactic--1", "name": "Credential Access",
       "x_mitre_shortname": "credential-access", "x_mitre_domains": ["enterprise-attack"]},
      {"type": "x-mitre-tactic", "id": "x-mitre-tactic--2", "name": "Stealth",
       "x_mitre_shortname": "stealth", "x_mitre_domains": ["enterprise-attack"]},
      {"type": "attack-pattern", "id": "attack-pattern--1", "name": "OS Credential Dumping",
       "x_mitre_domains": ["enterprise-attack"],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003"}]},
      {"type": "attack-pattern", "id": "attack-pattern--2", "name": "LSASS Memory",
       "x_mitre_domains": ["enterprise-attack"], "x_mitre_is_subtechnique": true,
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.001"}]},
      {"type": "attack-pattern", "id": "attack-pattern--3", "name": "Masquerading",
       "x_mitre_domains": ["enterprise-attack"],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "stealth"}],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1036"}]}
    ]}"##,
        "small.json",
    )
    .unwrap();
    Attack::from_bundles([(bundle, None)])
}

#[test]
fn tactics_come_in_the_matrix_order_and_cells_carry_scores() {
    let attack = release();
    let matrix = attack.matrix(Domain::Enterprise).unwrap();
    let names: Vec<&str> = matrix.iter().map(|c| c.tactic.name()).collect();
    assert_eq!(names, ["Stealth", "Credential Access"]);

    let df =
        df!("technique_id" => ["T1003.001", "T1036", "T9999"], "score" => [4i64, 1, 2]).unwrap();
    let layer = LayerBuilder::new("Seen", "enterprise-attack")
        .gradient(&["#ffffff", "#ff6666"])
        .build(&df)
        .unwrap();
    let folded = layer.heatmap(&attack, Subtechniques::Fold).unwrap();
    let svg = folded.svg();
    let at = |text: &str| {
        svg.find(text)
            .unwrap_or_else(|| panic!("{text} not in {svg}"))
    };
    assert!(at("Stealth") < at("Credential Access"));
    assert!(
        svg.contains("<title>T1003 OS Credential Dumping (Credential Access): score 4\nsub-techniques: T1003.001 LSASS Memory: 4</title>"),
        "{svg}"
    );
    assert!(svg.contains("1 entry not on this matrix (T9999)"));
    assert!(!svg.contains("<title>T1003.001"));

    let shown = layer.heatmap(&attack, Subtechniques::Show).unwrap();
    assert!(shown
        .svg()
        .contains("<title>T1003.001 LSASS Memory (Credential Access): score 4</title>"));
    assert!(shown
        .svg()
        .contains("<title>T1003 OS Credential Dumping (Credential Access): no score</title>"));
    let dir = tempfile::tempdir().unwrap();
    shown.save_png(dir.path().join("m.png")).unwrap();
    assert!(std::fs::metadata(dir.path().join("m.png")).unwrap().len() > 1000);
}

#[test]
fn a_domain_without_a_matrix_is_an_error() {
    let layer = LayerBuilder::new("m", "mobile-attack")
        .build(&df!("technique_id" => ["T1660"]).unwrap())
        .unwrap();
    let err = layer.heatmap(&release(), Subtechniques::Fold).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no ATT&CK matrix matches \"mobile-attack\""
    );
}

#[test]
fn apt29_on_the_enterprise_matrix_of_18_1() {
    huntbook_testkit::mirror_or_skip!();
    let path = huntbook_testkit::mirror_dir()
        .join("mitre-cti/ATT&CK-v18.1/enterprise-attack/enterprise-attack.json");
    let attack = Attack::from_path(path).unwrap();
    let matrix = attack.matrix(Domain::Enterprise).unwrap();
    assert!(matrix.len() >= 14, "{} tactics", matrix.len());
    assert_eq!(
        matrix[0].tactic.shortname.as_deref(),
        Some("reconnaissance")
    );
    let techniques: usize = matrix.iter().map(|c| c.techniques.len()).sum();
    assert!(techniques > 200);

    let layer = group_layer(&attack, "APT29", true, Domain::Enterprise).unwrap();
    let chart = layer.heatmap(&attack, Subtechniques::Fold).unwrap();
    let (width, height) = chart.size();
    assert!(width < 2400 && height < 1400, "{width}x{height}");
    // Every technique APT29 uses has a scored cell, its own or its parent's.
    for t in &layer.techniques {
        let parent = t.technique_id.split('.').next().unwrap();
        assert!(
            chart.svg().contains(&format!("<title>{parent} ")),
            "{}",
            t.technique_id
        );
    }
    assert!(!chart.svg().contains("not on this matrix"));
    if let Some(dir) = std::env::var_os("HUNTBOOK_TEST_CHART_DIR") {
        chart
            .save_png(std::path::Path::new(&dir).join("apt29.png"))
            .unwrap();
    }
}

#[test]
fn changes_from_15_1_to_18_1_as_a_layer_on_the_matrix() {
    huntbook_testkit::mirror_or_skip!();
    let load = |release: &str| {
        let path = huntbook_testkit::mirror_dir().join(format!(
            "mitre-cti/ATT&CK-v{release}/enterprise-attack/enterprise-attack.json"
        ));
        let mut attack = Attack::new();
        let bundle = Bundle::from_path(path).unwrap();
        attack.add_bundle(bundle, Some(Domain::Enterprise));
        attack
    };
    let (old, new) = (load("15.1"), load("18.1"));
    let layer = huntbook_navigator::changes_layer(&new, &old, Domain::Enterprise).unwrap();
    let changes = new.changes_since(&old).unwrap();
    let types = huntbook_testkit::strings(&changes, "type");
    let kinds = huntbook_testkit::strings(&changes, "change");
    let techniques = types
        .iter()
        .zip(&kinds)
        .filter(|(t, k)| {
            matches!(t.as_deref(), Some("techniques" | "sub-techniques"))
                && k.as_deref() != Some("deletions")
        })
        .count();
    assert_eq!(layer.techniques.len(), techniques);
    assert!(layer.techniques.len() > 500);
    let chart = layer.heatmap(&new, Subtechniques::Fold).unwrap();
    assert!(chart.svg().contains("#8EC843") || chart.svg().contains("#8ec843"));
}
