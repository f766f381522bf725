//! One technique's detections (detection strategy -> analytic -> log source on v18, the data
//! components it lists before), and the reverse query, on small bundles of our own and on
//! the mirror's 15.1.

mod common;

use huntbook_attack::{Attack, Bundle, Domain, Error, ObjectStatus};

/// A v18-shaped bundle: T1003.001 detected by DET0001 (two analytics, one of them with two
/// log sources, the other with none), a revoked `detects` relationship that must not count,
/// and a data component with a log source no analytic reads.
fn v18() -> Attack {
    let bundle = Bundle::from_slice(
        br#"{"type": "bundle", "id": "bundle--1", "objects": [
      {"type": "attack-pattern", "id": "attack-pattern--1", "name": "LSASS Memory",
       "x_mitre_is_subtechnique": true,
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.001"}]},
      {"type": "attack-pattern", "id": "attack-pattern--2", "name": "DCSync",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.006"}]},
      {"type": "x-mitre-data-component", "id": "x-mitre-data-component--1", "name": "Process Access",
       "external_references": [{"source_name": "mitre-attack", "external_id": "DC0035"}],
       "x_mitre_log_sources": [{"name": "WinEventLog:Sysmon", "channel": "EventCode=10"}]},
      {"type": "x-mitre-data-component", "id": "x-mitre-data-component--2", "name": "File Creation",
       "external_references": [{"source_name": "mitre-attack", "external_id": "DC0039"}],
       "x_mitre_log_sources": [{"name": "auditd:SYSCALL", "channel": "open"}]},
      {"type": "x-mitre-analytic", "id": "x-mitre-analytic--1", "name": "Analytic 0001",
       "description": "LSASS opened for reading", "x_mitre_platforms": ["Windows"],
       "external_references": [{"source_name": "mitre-attack", "external_id": "AN0001"}],
       "x_mitre_mutable_elements": [{"field": "GrantedAccess", "description": "masks"},
                                    {"field": "TimeWindow", "description": "seconds"}],
       "x_mitre_log_source_references": [
         {"x_mitre_data_component_ref": "x-mitre-data-component--1", "name": "WinEventLog:Sysmon", "channel": "EventCode=10"},
         {"x_mitre_data_component_ref": "x-mitre-data-component--2", "name": "WinEventLog:Sysmon", "channel": "EventCode=11"}]},
      {"type": "x-mitre-analytic", "id": "x-mitre-analytic--2", "name": "Analytic 0002",
       "x_mitre_platforms": ["Linux"],
       "external_references": [{"source_name": "mitre-attack", "external_id": "AN0002"}]},
      {"type": "x-mitre-detection-strategy", "id": "x-mitre-detection-strategy--1",
       "name": "Detect LSASS access",
       "external_references": [{"source_name": "mitre-attack", "external_id": "DET0001"}],
       "x_mitre_analytic_refs": ["x-mitre-analytic--1", "x-mitre-analytic--2", "x-mitre-analytic--404"]},
      {"type": "relationship", "id": "relationship--1", "relationship_type": "detects",
       "source_ref": "x-mitre-detection-strategy--1", "target_ref": "attack-pattern--1"},
      {"type": "relationship", "id": "relationship--2", "relationship_type": "detects",
       "source_ref": "x-mitre-detection-strategy--1", "target_ref": "attack-pattern--2",
       "revoked": true}
    ]}"#,
        "v18.json",
    )
    .unwrap();
    Attack::from_bundles([(bundle, Some(Domain::Enterprise))])
}

use huntbook_testkit::strings;

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

#[test]
fn v18_one_row_per_log_source_of_each_analytic() {
    let attack = v18();
    let df = attack.technique_detections("t1003.001").unwrap();
    assert_eq!(df.height(), 3, "{df}");
    assert_eq!(
        strings(&df, "analytic_id"),
        some(&["AN0001", "AN0001", "AN0002"])
    );
    assert_eq!(strings(&df, "detection_strategy_id"), some(&["DET0001"; 3]));
    assert_eq!(
        strings(&df, "channel"),
        vec![
            Some("EventCode=10".into()),
            Some("EventCode=11".into()),
            None
        ]
    );
    assert_eq!(
        strings(&df, "data_component"),
        vec![
            Some("Process Access".into()),
            Some("File Creation".into()),
            None
        ]
    );
    let tunable = df
        .column("tunable_fields")
        .unwrap()
        .list()
        .unwrap()
        .get_as_series(0)
        .unwrap();
    let tunable: Vec<&str> = tunable.str().unwrap().iter().flatten().collect();
    assert_eq!(tunable, ["GrantedAccess", "TimeWindow"]);
    assert_eq!(
        strings(&df, "analytic_description")[0].as_deref(),
        Some("LSASS opened for reading")
    );
    assert_eq!(strings(&df, "method"), some(&["detection strategy"; 3]));
}

#[test]
fn a_revoked_detects_relationship_does_not_count() {
    let attack = v18();
    let df = attack.technique_detections("T1003.006").unwrap();
    assert_eq!(df.height(), 0, "{df}");
    assert_eq!(df.width(), 15);
}

#[test]
fn reverse_by_component_log_source_or_channel() {
    let attack = v18();
    for query in [
        "Process Access",
        "dc0035",
        "x-mitre-data-component--1",
        "eventcode=10",
    ] {
        let df = attack
            .techniques_detected_by(query, ObjectStatus::Active)
            .unwrap();
        assert_eq!(
            strings(&df, "technique_id"),
            some(&["T1003.001"]),
            "{query}"
        );
    }
    let sysmon = attack
        .techniques_detected_by("WinEventLog:Sysmon", ObjectStatus::Active)
        .unwrap();
    assert_eq!(sysmon.height(), 2);
    // A log source of the release that no analytic reads: known, so an empty frame.
    let auditd = attack
        .techniques_detected_by("auditd:SYSCALL", ObjectStatus::Active)
        .unwrap();
    assert_eq!(auditd.height(), 0);
    // A name the release does not have is an error, not an empty answer.
    let err = attack
        .techniques_detected_by("Proces Access", ObjectStatus::Active)
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    assert_eq!(
        err.to_string(),
        "no ATT&CK data component, data source, log source or channel matches \"Proces Access\""
    );
}

#[test]
fn before_v18_the_components_the_technique_lists() {
    let bundle = Bundle::from_slice(
        br#"{"type": "bundle", "id": "bundle--1", "objects": [
      {"type": "attack-pattern", "id": "attack-pattern--1", "name": "LSASS Memory",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.001"}],
       "x_mitre_data_sources": ["Process: Process Access", "Command: Command Execution"]},
      {"type": "x-mitre-data-source", "id": "x-mitre-data-source--1", "name": "Process",
       "external_references": [{"source_name": "mitre-attack", "external_id": "DS0009"}]},
      {"type": "x-mitre-data-component", "id": "x-mitre-data-component--1", "name": "Process Access",
       "x_mitre_data_source_ref": "x-mitre-data-source--1"},
      {"type": "relationship", "id": "relationship--1", "relationship_type": "detects",
       "source_ref": "x-mitre-data-component--1", "target_ref": "attack-pattern--1"}
    ]}"#,
        "v15.json",
    )
    .unwrap();
    let attack = Attack::from_bundles([(bundle, Some(Domain::Enterprise))]);
    let df = attack.technique_detections("T1003.001").unwrap();
    assert_eq!(
        strings(&df, "data_component"),
        some(&["Process Access", "Command Execution"])
    );
    assert_eq!(strings(&df, "data_source"), some(&["Process", "Command"]));
    assert_eq!(
        strings(&df, "method"),
        some(&[
            "x_mitre_data_sources, detects relationship",
            "x_mitre_data_sources"
        ])
    );
    assert_eq!(strings(&df, "analytic_id"), vec![None, None]);
    let by_source = attack
        .techniques_detected_by("Process", ObjectStatus::Active)
        .unwrap();
    assert_eq!(by_source.height(), 1);
}

#[test]
fn an_unknown_technique_is_named() {
    let err = v18().technique_detections("T9999").unwrap_err();
    assert_eq!(err.to_string(), "no ATT&CK technique matches \"T9999\"");
}

#[test]
fn on_the_mirror_15_1_lists_data_components_and_18_1_log_sources() {
    huntbook_testkit::mirror_or_skip!();
    let cache = tempfile::tempdir().unwrap();
    let old = common::mirror_loader(cache.path(), "15.1")
        .domains([Domain::Enterprise])
        .load()
        .unwrap();
    let df = old.technique_detections("T1003.001").unwrap();
    assert!(df.height() >= 2, "{df}");
    assert_eq!(df.column("channel").unwrap().null_count(), df.height());
    assert!(strings(&df, "data_component").contains(&Some("Process Access".into())));

    let new = common::mirror_loader(cache.path(), "18.1")
        .domains([Domain::Enterprise])
        .load()
        .unwrap();
    let df = new.technique_detections("T1003.001").unwrap();
    assert!(df.height() >= 5, "{df}");
    assert!(strings(&df, "log_source").contains(&Some("WinEventLog:Sysmon".into())));
    // Every technique that 4688 helps detect lists it among its own detections.
    let by_channel = new
        .techniques_detected_by("EventCode=4688", ObjectStatus::Active)
        .unwrap();
    assert!(by_channel.height() > 10);
    for t in strings(&by_channel, "technique_id")
        .into_iter()
        .flatten()
        .take(5)
    {
        let own = new.technique_detections(&t).unwrap();
        assert!(
            strings(&own, "channel").contains(&Some("EventCode=4688".into())),
            "{t}"
        );
    }
}
