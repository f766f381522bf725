//! Since v18 techniques no longer carry `x_mitre_data_sources`; the version-aware frame must
//! still answer, and must not change the answer on releases that have the field.

mod common;

use huntbook_attack::{Domain, ObjectStatus};

#[test]
fn v18_data_sources_come_from_detection_strategies() {
    huntbook_testkit::mirror_or_skip!();
    let cache = tempfile::tempdir().unwrap();
    let attack = common::mirror_loader(cache.path(), "18.1")
        .domains([Domain::Enterprise])
        .load()
        .unwrap();
    let plain = attack
        .techniques_frame_with(ObjectStatus::NotRevoked)
        .unwrap();
    assert_eq!(
        plain.column("data_sources").unwrap().null_count(),
        plain.height(),
        "v18 techniques carry no x_mitre_data_sources"
    );
    let aware = attack
        .techniques_frame_with_data_sources(ObjectStatus::NotRevoked)
        .unwrap();
    assert_eq!(aware.height(), plain.height());
    let with = aware.height() - aware.column("data_sources").unwrap().null_count();
    assert!(with > aware.height() / 2, "{with} of {}", aware.height());
    let methods = aware
        .column("data_sources_method")
        .unwrap()
        .str()
        .unwrap()
        .clone();
    assert!(methods.iter().flatten().all(|m| m == "detection strategy"));
    let t1003 = attack.technique("T1003.001").unwrap();
    let links = attack.technique_data_source_links(ObjectStatus::NotRevoked);
    assert!(links.iter().any(
        |l| l.technique.id == t1003.id && l.data_component.as_deref() == Some("Process Access")
    ));
}

#[test]
fn releases_with_the_field_keep_it() {
    huntbook_testkit::mirror_or_skip!();
    let cache = tempfile::tempdir().unwrap();
    let attack = common::mirror_loader(cache.path(), "9.0").load().unwrap();
    let aware = attack
        .techniques_frame_with_data_sources(ObjectStatus::NotRevoked)
        .unwrap();
    let plain = attack
        .techniques_frame_with(ObjectStatus::NotRevoked)
        .unwrap();
    assert!(aware
        .column("data_sources")
        .unwrap()
        .equals_missing(plain.column("data_sources").unwrap()));
    assert_eq!(
        aware.height() - aware.column("data_sources").unwrap().null_count(),
        544
    );
}
