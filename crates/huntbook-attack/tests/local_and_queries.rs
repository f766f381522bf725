//! Local files and directories, schema drift, bad input, and the relationship queries, on
//! our own small fixtures.

mod common;

use huntbook_attack::model::SoftwareKind;
use huntbook_attack::{Attack, AttackLoader, Error, Method, ObjectStatus, Source, StixObject};
use polars::prelude::*;

fn drift() -> Attack {
    Attack::from_path(common::fixture("drift.json")).unwrap()
}

fn strings(df: &DataFrame, column: &str) -> Vec<String> {
    df.column(column)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("<null>").to_string())
        .collect()
}

#[test]
fn schema_drift_is_tolerated() {
    let attack = drift();
    assert_eq!(attack.techniques().len(), 5);
    let sub = attack.technique("T1003.001").unwrap();
    // A list given as one string, a boolean given as a string.
    assert_eq!(sub.platforms, ["Windows"]);
    assert!(sub.is_subtechnique);
    assert_eq!(sub.parent_attack_id(), Some("T1003"));
    // A mobile technique without kill chain phases, with a null boolean.
    let mobile = attack.technique("t1400").unwrap();
    assert!(mobile.kill_chain_phases.is_empty());
    assert!(!mobile.deprecated);
    assert_eq!(
        Attack::domain_of(mobile).map(|d| d.as_str()),
        Some("mobile-attack")
    );
    // An empty data source reference is absent, not a dangling id.
    let pc = attack.data_component("Process Creation").unwrap();
    assert_eq!(pc.data_source_ref, None);
    assert_eq!(pc.log_sources.len(), 1);
    // Unknown types are kept as `Other`, with their shared properties.
    assert_eq!(attack.others().len(), 1);
    assert_eq!(attack.others()[0].name(), "From a later release");
    // Collections: the junk entry of the contents list is skipped.
    assert_eq!(attack.collections()[0].contents.len(), 1);
    assert_eq!(attack.release(), Some("99.1"));
    assert_eq!(attack.software()[1].kind, SoftwareKind::Tool);
}

#[test]
fn typed_objects_round_trip_through_serde() {
    let attack = drift();
    let t = attack.technique("T1003").unwrap();
    let json = serde_json::to_string(t).unwrap();
    assert!(json.contains("\"x_mitre_data_sources\""), "{json}");
    let back: huntbook_attack::model::Technique = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, t);
    let any: StixObject = serde_json::from_str(&json).unwrap();
    assert!(matches!(any, StixObject::Technique(_)));
    let wrong = serde_json::from_str::<huntbook_attack::model::Group>(&json).unwrap_err();
    assert!(wrong.to_string().contains("expected a Group"), "{wrong}");
}

#[test]
fn frames_have_typed_columns() {
    let attack = drift();
    let df = attack.techniques_frame().unwrap();
    assert_eq!(df.height(), 5);
    let schema = df.schema();
    assert_eq!(
        schema.get("tactic"),
        Some(&DataType::List(Box::new(DataType::String)))
    );
    assert_eq!(
        schema.get("data_sources"),
        Some(&DataType::List(Box::new(DataType::String)))
    );
    assert_eq!(schema.get("revoked"), Some(&DataType::Boolean));
    assert!(matches!(
        schema.get("created"),
        Some(DataType::Datetime(TimeUnit::Milliseconds, None))
    ));
    // data_sources is null where the field is absent, like attackcti's NaN.
    assert_eq!(df.column("data_sources").unwrap().null_count(), 3);
    assert_eq!(strings(&df, "parent_technique_id")[1], "T1003");
    assert_eq!(strings(&df, "matrix")[4], "mitre-mobile-attack");
    let created = df.column("created").unwrap().get(0).unwrap();
    assert!(
        created.to_string().starts_with("2017-05-31 21:30:19.735"),
        "{created}"
    );

    let tactics = attack.tactics_frame().unwrap();
    assert_eq!(
        strings(&tactics, "tactic"),
        ["Execution", "Credential Access"]
    );
    assert_eq!(
        tactics
            .column("position")
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        [Some(1), Some(2)]
    );
    for frame in [
        attack.matrices_frame(),
        attack.groups_frame(),
        attack.software_frame(),
        attack.mitigations_frame(),
        attack.campaigns_frame(),
        attack.assets_frame(),
        attack.data_sources_frame(),
        attack.data_components_frame(),
        attack.detection_strategies_frame(),
        attack.analytics_frame(),
        attack.log_sources_frame(),
        attack.relationships_frame(),
    ] {
        assert!(frame.unwrap().height() >= 1);
    }
    let edges = attack.relationships_frame().unwrap();
    assert_eq!(edges.height(), 12);
    let mitigates = edges
        .filter(
            &edges
                .column("relationship_type")
                .unwrap()
                .str()
                .unwrap()
                .equal("mitigates"),
        )
        .unwrap();
    assert_eq!(strings(&mitigates, "source_id"), ["M1025"]);
    assert_eq!(
        strings(&mitigates, "target_name"),
        ["OS Credential Dumping"]
    );
    let strategies = attack.detection_strategies_frame().unwrap();
    assert_eq!(strings(&strategies, "detection_strategy_id"), ["DET0001"]);
    let logs = attack.log_sources_frame().unwrap();
    assert_eq!(logs.height(), 3);
}

#[test]
fn data_sources_of_every_era_in_one_frame() {
    let attack = drift();
    let links = attack.technique_data_source_links(ObjectStatus::Active);
    let describe: Vec<(String, String, &str)> = links
        .iter()
        .map(|l| {
            (
                l.technique.attack_id().unwrap().to_string(),
                l.label(),
                l.method.as_str(),
            )
        })
        .collect();
    assert!(describe.contains(&(
        "T1003".into(),
        "Process: Process Access".into(),
        Method::TechniqueField.as_str()
    )));
    assert!(describe.contains(&(
        "T1003.001".into(),
        "Process: Process Access".into(),
        Method::DetectsRelationship.as_str()
    )));
    assert!(describe.contains(&(
        "T1003.001".into(),
        "Process Creation".into(),
        Method::DetectionStrategy.as_str()
    )));
    // The revoked technique's legacy name appears only when asked for.
    assert!(!describe.iter().any(|d| d.0 == "T1000"));
    let all = attack.technique_data_source_links(ObjectStatus::All);
    assert!(all
        .iter()
        .any(|l| l.method == Method::LegacyName && l.label() == "Process monitoring"));
    // The deprecated technique is detected by the strategy, but is not active.
    assert!(!describe.iter().any(|d| d.0 == "T1043"));
    assert!(all.iter().any(|l| l.technique.attack_id() == Some("T1043")));
    let strategy = links
        .iter()
        .find(|l| l.method == Method::DetectionStrategy)
        .unwrap();
    assert_eq!(strategy.via, ["DET0001", "AN0001"]);

    let frame = attack.technique_data_sources(ObjectStatus::Active).unwrap();
    assert_eq!(frame.height(), links.len());
    let by_component =
        attack.techniques_by_data_components(&["process creation"], ObjectStatus::Active);
    assert_eq!(
        by_component
            .iter()
            .map(|t| t.attack_id().unwrap())
            .collect::<Vec<_>>(),
        ["T1003.001"]
    );
    let either =
        attack.techniques_by_data_components(&["CREATION", "command exec"], ObjectStatus::Active);
    assert_eq!(either.len(), 2);
    let by_source = attack.techniques_by_data_sources(&["process monitoring"], ObjectStatus::All);
    assert_eq!(by_source.len(), 1);
    assert!(attack
        .techniques_by_data_sources(&["process monitoring"], ObjectStatus::Active)
        .is_empty());
}

#[test]
fn lookups_ignore_case_and_accept_aliases() {
    let attack = drift();
    assert_eq!(attack.technique("t1003").unwrap().id, "attack-pattern--t1");
    assert_eq!(
        attack
            .technique("os credential dumping")
            .unwrap()
            .attack_id(),
        Some("T1003")
    );
    assert_eq!(
        attack.technique("attack-pattern--t1-1").unwrap().name(),
        "LSASS Memory"
    );
    assert_eq!(
        attack.group("cozy bear").unwrap().attack_id(),
        Some("G0016")
    );
    assert_eq!(attack.group("g0016").unwrap().name(), "APT29");
    assert_eq!(attack.software_item("mk").unwrap().name(), "Mimikatz-ish");
    assert_eq!(
        attack.campaign("c0024").unwrap().name(),
        "SolarWinds Compromise"
    );
    assert_eq!(
        attack.tactic("TA0006").unwrap().shortname.as_deref(),
        Some("credential-access")
    );
    let err = attack.group("APT1000").unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    assert_eq!(err.to_string(), "no ATT&CK group matches \"APT1000\"");
}

#[test]
fn relationship_queries() {
    let attack = drift();
    let direct = attack
        .techniques_used_by_group("APT29", false, ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&direct, "technique_id"), ["T1003"]);
    assert_eq!(
        strings(&direct, "use_description"),
        ["APT29 dumped credentials."]
    );
    let with_campaigns = attack
        .techniques_used_by_group("APT29", true, ObjectStatus::Active)
        .unwrap();
    assert_eq!(
        strings(&with_campaigns, "technique_id"),
        ["T1003", "T1003.001"]
    );
    assert_eq!(
        strings(&with_campaigns, "via")[1],
        "campaign C0024 (SolarWinds Compromise)"
    );
    // Deprecated techniques appear only when asked for.
    let all = attack
        .techniques_used_by_group("APT29", false, ObjectStatus::All)
        .unwrap();
    assert_eq!(all.height(), 2);

    let software = attack
        .software_used_by_group("G0016", ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&software, "software"), ["PsExec"]);
    assert_eq!(strings(&software, "type"), ["tool"]);
    let of_software = attack
        .techniques_used_by_software("S9999", ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&of_software, "technique_id"), ["T1003.001"]);
    let mitigations = attack
        .mitigations_of_technique("T1003", ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&mitigations, "mitigation_id"), ["M1025"]);
    assert_eq!(strings(&mitigations, "description"), ["Protect LSASS."]);
    let subs = attack
        .subtechniques_of("T1003", ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&subs, "technique_id"), ["T1003.001"]);
    assert_eq!(
        attack
            .revoked_by("attack-pattern--old")
            .unwrap()
            .attack_id(),
        Some("T1003")
    );
    assert_eq!(
        attack.revoked_by("attack-pattern--t1").unwrap().attack_id(),
        Some("T1003")
    );
    assert!(attack.revoked_by("attack-pattern--nope").is_none());
}

#[test]
fn a_directory_of_bundles_and_per_object_files() {
    let attack = AttackLoader::default()
        .source(Source::Path(common::fixture("per-object")))
        .load()
        .unwrap();
    assert_eq!(attack.techniques().len(), 2);
    let subs = attack
        .subtechniques_of("T1566", ObjectStatus::Active)
        .unwrap();
    assert_eq!(strings(&subs, "technique"), ["Spearphishing Attachment"]);
}

#[test]
fn bad_files_are_errors_that_name_the_file() {
    let cases = [
        ("malformed.json", "line 2, column 56: key must be a string"),
        ("truncated.json", "EOF while parsing"),
        ("array.json", "JSON array"),
        ("not-stix.json", "no \"type\" field"),
        ("missing.json", "No such file"),
    ];
    for (name, needle) in cases {
        let err = Attack::from_path(common::fixture(name))
            .unwrap_err()
            .to_string();
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
    let err = Attack::from_path(common::fixture(".."))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not a STIX bundle") || err.contains("failed to read"),
        "{err}"
    );
}
