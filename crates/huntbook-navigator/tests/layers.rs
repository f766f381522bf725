//! Layers on frames and files of our own: building, reading back, bad layers, combining and
//! checking against a small release.

use huntbook_attack::{Attack, Bundle};
use huntbook_navigator::{combine, Error, Keep, Layer, LayerBuilder, Problem};
use polars::prelude::*;

fn release() -> Attack {
    let bundle = Bundle::from_slice(
        br#"{"type": "bundle", "id": "bundle--1", "objects": [
      {"type": "attack-pattern", "id": "attack-pattern--1", "name": "LSASS Memory",
       "x_mitre_domains": ["enterprise-attack"], "x_mitre_is_subtechnique": true,
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.001"}]},
      {"type": "attack-pattern", "id": "attack-pattern--2", "name": "Valid Accounts",
       "x_mitre_domains": ["enterprise-attack"],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "persistence"},
                             {"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1078"}]},
      {"type": "attack-pattern", "id": "attack-pattern--3", "name": "Phishing (mobile)",
       "x_mitre_domains": ["mobile-attack"],
       "kill_chain_phases": [{"kill_chain_name": "mitre-mobile-attack", "phase_name": "initial-access"}],
       "external_references": [{"source_name": "mitre-mobile-attack", "external_id": "T1660"}]},
      {"type": "attack-pattern", "id": "attack-pattern--4", "name": "Old", "revoked": true,
       "x_mitre_domains": ["enterprise-attack"],
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1075"}]},
      {"type": "relationship", "id": "relationship--1", "relationship_type": "revoked-by",
       "source_ref": "attack-pattern--4", "target_ref": "attack-pattern--2"}
    ]}"#,
        "small.json",
    )
    .unwrap();
    Attack::from_bundles([(bundle, None)])
}

fn seen() -> DataFrame {
    df!(
        "technique_id" => ["T1003.001", "T1078", "T1078"],
        "tactic" => ["credential-access", "persistence", "initial-access"],
        "events" => [12i64, 3, 1],
        "hosts" => [Some("dc01"), None, Some("ws02")],
        "url" => ["https://attack.mitre.org/techniques/T1003/001", "https://attack.mitre.org/techniques/T1078", "https://attack.mitre.org/techniques/T1078"]
    )
    .unwrap()
}

#[test]
fn a_frame_becomes_a_layer_and_back() {
    let layer = LayerBuilder::new("Seen", "enterprise-attack")
        .attack_version("18.1")
        .tactic_column("tactic")
        .score_column("events")
        .metadata_columns(&["hosts"])
        .link_column("url", "ATT&CK")
        .gradient(&["#ffffff", "#ff6666"])
        .build(&seen())
        .unwrap();
    assert_eq!(
        layer.versions.as_ref().unwrap().attack.as_deref(),
        Some("18")
    );
    assert_eq!(layer.format(), Some("4.5"));
    let g = layer.gradient.as_ref().unwrap();
    assert_eq!(
        (g.min_value.as_f64(), g.max_value.as_f64()),
        (Some(1.0), Some(12.0))
    );
    let legend: Vec<&str> = layer
        .legend_items
        .iter()
        .flatten()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(legend, ["events 1", "events 12"]);
    let json = layer.to_json();
    assert!(json.contains(r#""score": 12"#), "{json}");
    assert!(json.contains(r#""techniqueID": "T1078""#));

    let back = Layer::from_slice(json.as_bytes(), "seen.json").unwrap();
    assert_eq!(back, layer);
    let df = back.to_frame().unwrap();
    assert_eq!(df.height(), 3);
    let col = |n: &str| huntbook_testkit::strings(&df, n);
    assert_eq!(
        col("tactic"),
        ["credential-access", "persistence", "initial-access"].map(|t| Some(t.to_string()))
    );
    assert_eq!(
        col("hosts"),
        [Some("dc01".into()), None, Some("ws02".into())]
    );
    let scores: Vec<Option<f64>> = df.column("score").unwrap().f64().unwrap().iter().collect();
    assert_eq!(scores, [Some(12.0), Some(3.0), Some(1.0)]);
    assert_eq!(
        df.column("links").unwrap().dtype(),
        &DataType::List(Box::new(DataType::String))
    );
}

#[test]
fn files_round_trip_and_a_failed_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let layer = LayerBuilder::new("Seen", "enterprise-attack")
        .tactic_column("tactic")
        .build(&seen())
        .unwrap();
    let path = dir.path().join("seen.json");
    layer.write(&path).unwrap();
    assert_eq!(Layer::read(&path).unwrap(), layer);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let missing = dir.path().join("no/such/dir/layer.json");
    let err = layer.write(&missing).unwrap_err();
    assert!(
        err.to_string().starts_with(&missing.display().to_string()),
        "{err}"
    );
}

#[test]
fn fields_we_do_not_model_are_kept_and_utf16_is_read() {
    let text = r##"{"name": "x", "versions": {"attack": "15", "navigator": "4.9.1", "layer": "4.5"},
      "domain": "enterprise-attack", "description": "",
      "filters": {"platforms": ["Windows"]}, "sorting": 3, "hideDisabled": false,
      "layout": {"layout": "side", "showID": true},
      "techniques": [{"techniqueID": "T1078", "tactic": "persistence", "score": 0, "color": "",
                      "comment": "", "enabled": true, "metadata": [{"divider": true}],
                      "links": [], "showSubtechniques": false, "x_custom": [1, 2]}],
      "gradient": {"colors": ["#ff6666ff", "#ffe766ff"], "minValue": 0, "maxValue": 100},
      "legendItems": [], "metadata": [], "links": [], "showTacticRowBackground": false,
      "tacticRowBackground": "#dddddd", "selectTechniquesAcrossTactics": true}"##;
    let layer = Layer::from_slice(text.as_bytes(), "x.json").unwrap();
    let original: serde_json::Value = serde_json::from_str(text).unwrap();
    let written: serde_json::Value = serde_json::from_str(&layer.to_json()).unwrap();
    assert_eq!(written, original);

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(Layer::from_slice(&utf16, "x.json").unwrap(), layer);
}

#[test]
fn bad_layers_are_named() {
    let cases: [(&[u8], &str); 4] = [
        (
            br#"{"name": "x", "domain": "enterprise-attack", "versions": {"layer": "5.0"}}"#,
            "old.json: layer format 5.0 is not supported (3.0 and 4.0 to 4.5 are)",
        ),
        (
            br#"{"name": "x", "domain": "enterprise-attack", "techniques": [{"score": 1}]}"#,
            "old.json: not a Navigator layer: missing field `techniqueID` at line 1 column 72",
        ),
        (
            b"[1, 2]",
            "old.json: not a Navigator layer: invalid type: sequence, expected struct Layer at line 1 column 0",
        ),
        (
            &[0xFF, 0xFE, 0x7B],
            "old.json: not a Navigator layer: UTF-16 text of an odd number of bytes",
        ),
    ];
    for (bytes, message) in cases {
        let err = Layer::from_slice(bytes, "old.json").unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    let v3 = br#"{"name": "x", "version": "3.0", "domain": "mitre-enterprise", "techniques": []}"#;
    assert_eq!(
        Layer::from_slice(v3, "v3.json").unwrap().format(),
        Some("3.0")
    );
}

#[test]
fn frames_that_cannot_be_layers_are_named() {
    // Without its tactic column, T1078 is on two rows.
    let twice = LayerBuilder::new("Seen", "enterprise-attack")
        .build(&seen().drop("tactic").unwrap())
        .unwrap_err();
    assert_eq!(
        twice.to_string(),
        "layer \"Seen\": technique T1078 is on rows 1 and 2: aggregate the frame first (one row per technique)"
    );
    let no_column = LayerBuilder::new("Seen", "enterprise-attack")
        .technique_column("id")
        .build(&seen())
        .unwrap_err();
    assert_eq!(
        no_column.to_string(),
        "layer \"Seen\": the frame has no column `id` (it has technique_id, tactic, events, hosts, url)"
    );
    let text_score = LayerBuilder::new("Seen", "enterprise-attack")
        .tactic_column("tactic")
        .score_column("hosts")
        .build(&seen())
        .unwrap_err();
    assert_eq!(
        text_score.to_string(),
        "layer \"Seen\": the score column `hosts` is str, not a number"
    );
    assert!(matches!(text_score, Error::Frame { .. }));
}

fn scored(name: &str, entries: &[(&str, f64)]) -> Layer {
    let ids: Vec<&str> = entries.iter().map(|e| e.0).collect();
    let scores: Vec<f64> = entries.iter().map(|e| e.1).collect();
    let df = df!("technique_id" => ids, "score" => scores).unwrap();
    LayerBuilder::new(name, "enterprise-attack")
        .build(&df)
        .unwrap()
}

#[test]
fn union_intersection_difference_and_score_arithmetic() {
    let a = scored("a", &[("T1003.001", 2.0), ("T1078", 1.0)]);
    let b = scored("b", &[("T1078", 4.0), ("T1059", 0.5)]);
    let ids = |l: &Layer| -> Vec<(String, Option<f64>)> {
        l.techniques
            .iter()
            .map(|t| (t.technique_id.clone(), t.score()))
            .collect()
    };
    assert_eq!(
        ids(&a.union(&b).unwrap()),
        [
            ("T1003.001".into(), Some(2.0)),
            ("T1078".into(), Some(5.0)),
            ("T1059".into(), Some(0.5))
        ]
    );
    assert_eq!(
        ids(&a.intersection(&b).unwrap()),
        [("T1078".into(), Some(5.0))]
    );
    assert_eq!(
        ids(&a.difference(&b).unwrap()),
        [("T1003.001".into(), Some(2.0))]
    );
    let max = combine("max", &[&a, &b], Keep::Union, |s| {
        s.iter().flatten().copied().reduce(f64::max)
    })
    .unwrap();
    assert_eq!(max.entry("t1078", None).unwrap().score(), Some(4.0));

    let mut mobile = b.clone();
    mobile.domain = "mobile-attack".into();
    assert_eq!(
        a.union(&mobile).unwrap_err().to_string(),
        "cannot combine a enterprise-attack layer with a mobile-attack layer"
    );
}

#[test]
fn checking_names_every_entry_that_does_not_fit_and_drops_none() {
    let df = df!(
        "technique_id" => ["T1003.001", "T1078", "T9999", "T1660", "T1075"],
        "tactic" => [Some("credential-access"), Some("execution"), None, None, None]
    )
    .unwrap();
    let layer = LayerBuilder::new("Mixed", "enterprise-attack")
        .tactic_column("tactic")
        .build(&df)
        .unwrap();
    assert_eq!(layer.techniques.len(), 5);
    let warnings = layer.check(&release());
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "T1078 (execution): not under this tactic (it is under persistence, initial-access)",
            "T9999: no technique of this release has this id",
            "T1660: a technique of mobile-attack, not of this layer's domain",
            "T1075: revoked, replaced by T1078",
        ]
    );
    assert_eq!(warnings[1].problem, Problem::Unknown);
}
