//! Release changes on two small releases of our own: each kind of change, renames, tactic
//! moves and what revoked an object.

mod common;

use huntbook_attack::{Attack, Bundle, Domain};
use huntbook_testkit::strings;

fn release(objects: &str) -> Attack {
    let json = format!(r#"{{"type": "bundle", "id": "bundle--1", "objects": [{objects}]}}"#);
    let bundle = Bundle::from_slice(json.as_bytes(), "r.json").unwrap();
    Attack::from_bundles([(bundle, Some(Domain::Enterprise))])
}

fn technique(
    n: u32,
    name: &str,
    version: &str,
    modified: &str,
    tactics: &[&str],
    extra: &str,
) -> String {
    let phases: Vec<String> = tactics
        .iter()
        .map(|t| format!(r#"{{"kill_chain_name": "mitre-attack", "phase_name": "{t}"}}"#))
        .collect();
    format!(
        r#"{{"type": "attack-pattern", "id": "attack-pattern--{n}", "name": "{name}",
        "x_mitre_version": "{version}", "modified": "{modified}", "x_mitre_domains": ["enterprise-attack"],
        "kill_chain_phases": [{}], {extra}
        "external_references": [{{"source_name": "mitre-attack", "external_id": "T{n}"}}]}}"#,
        phases.join(", ")
    )
}

#[test]
fn each_kind_of_change_with_renames_moves_and_replacements() {
    let d1 = "2024-01-01T00:00:00.000Z";
    let d2 = "2025-01-01T00:00:00.000Z";
    let old = release(
        &[
            technique(1, "Kept", "1.0", d1, &["execution"], ""),
            technique(2, "Old Name", "1.2", d1, &["execution"], ""),
            technique(3, "Moved", "2.0", d1, &["execution"], ""),
            technique(4, "Patched", "1.0", d1, &["execution"], ""),
            technique(5, "Gone", "1.0", d1, &["execution"], ""),
            technique(6, "To Revoke", "1.0", d1, &["execution"], ""),
            technique(7, "Skipped", "1.0", d1, &["execution"], ""),
        ]
        .join(","),
    );
    let new = release(
        &[
            technique(1, "Kept", "1.0", d1, &["execution"], ""),
            technique(2, "New Name", "2.0", d2, &["execution"], ""),
            technique(3, "Moved", "2.1", d2, &["stealth"], ""),
            technique(4, "Patched", "1.0", d2, &["execution"], ""),
            technique(
                6,
                "To Revoke",
                "1.0",
                d2,
                &["execution"],
                r#""revoked": true,"#,
            ),
            technique(7, "Skipped", "1.3", d2, &["execution"], ""),
            technique(8, "Added", "1.0", d2, &["execution"], ""),
            r#"{"type": "relationship", "id": "relationship--1", "relationship_type": "revoked-by",
            "source_ref": "attack-pattern--6", "target_ref": "attack-pattern--8"}"#
                .to_string(),
        ]
        .join(","),
    );
    let df = new.changes_since(&old).unwrap();
    let rows: Vec<(String, String)> = strings(&df, "attack_id")
        .into_iter()
        .zip(strings(&df, "change"))
        .map(|(a, c)| (a.unwrap(), c.unwrap()))
        .collect();
    let expect = [
        ("T8", "additions"),
        ("T6", "revocations"),
        ("T2", "major_version_changes"),
        ("T3", "minor_version_changes"),
        ("T7", "other_version_changes"),
        ("T4", "patches"),
        ("T5", "deletions"),
    ];
    assert_eq!(rows, expect.map(|(a, c)| (a.to_string(), c.to_string())));
    assert_eq!(strings(&df, "old_name")[2].as_deref(), Some("Old Name"));
    let renamed: Vec<bool> = df
        .column("renamed")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    assert_eq!(renamed, [false, false, true, false, false, false, false]);
    assert_eq!(strings(&df, "revoked_by_id")[1].as_deref(), Some("T8"));
    let moved = df
        .column("tactics_added")
        .unwrap()
        .list()
        .unwrap()
        .get_as_series(3)
        .unwrap();
    assert_eq!(moved.str().unwrap().get(0), Some("stealth"));
    let left = df
        .column("tactics_removed")
        .unwrap()
        .list()
        .unwrap()
        .get_as_series(3)
        .unwrap();
    assert_eq!(left.str().unwrap().get(0), Some("execution"));
    assert_eq!(strings(&df, "old_version")[0], None);
    assert_eq!(strings(&df, "new_version")[4].as_deref(), Some("1.3"));
}

/// Bundles read without a domain (as `Attack::from_path` reads a file) are in the domains
/// their objects name, so two such releases compare; releases with no domain in common are
/// an error that names both, never an empty frame.
#[test]
fn releases_read_without_a_domain_compare_and_disjoint_ones_are_an_error() {
    let d1 = "2024-01-01T00:00:00.000Z";
    let d2 = "2025-01-01T00:00:00.000Z";
    let unlabelled = |objects: String| {
        let json = format!(r#"{{"type": "bundle", "id": "bundle--1", "objects": [{objects}]}}"#);
        Attack::from_bundles([(Bundle::from_slice(json.as_bytes(), "r.json").unwrap(), None)])
    };
    let old = unlabelled(technique(1, "Old name", "1.0", d1, &["execution"], ""));
    let new = unlabelled(technique(1, "New name", "1.1", d2, &["execution"], ""));
    assert_eq!(new.domains(), &[Domain::Enterprise]);
    let changes = new.changes_since(&old).unwrap();
    assert_eq!(changes.height(), 1);
    assert_eq!(strings(&changes, "name"), [Some("New name".to_string())]);

    let mobile = unlabelled(
        technique(1, "Elsewhere", "1.0", d1, &["execution"], "")
            .replace("enterprise-attack", "mobile-attack"),
    );
    let message = new.changes_since(&mobile).unwrap_err().to_string();
    assert!(
        message.contains("no ATT&CK domain to compare")
            && message.contains("enterprise-attack")
            && message.contains("mobile-attack"),
        "{message}"
    );
}

/// The mirror's Enterprise bundles read as files (`Attack::from_path`, no domain named) give
/// the same changes as through the loader, which names the domain: the file is in its
/// matrix's domain, not in every domain its objects also belong to.
#[test]
fn bundle_files_compare_as_the_loader_does() {
    huntbook_testkit::mirror_or_skip!();
    let file = |release: &str| {
        Attack::from_path(common::mirror_file(&format!(
            "mitre-cti/ATT&CK-v{release}/enterprise-attack/enterprise-attack.json"
        )))
        .unwrap()
    };
    let (old, new) = (file("15.1"), file("18.1"));
    assert_eq!(new.domains(), &[Domain::Enterprise]);
    let from_files = new.changes_since(&old).unwrap();

    let cache = tempfile::tempdir().unwrap();
    let load = |release: &str| common::mirror_enterprise(cache.path(), release);
    let from_loader = load("18.1").changes_since(&load("15.1")).unwrap();
    assert!(from_loader.height() > 3000);
    assert!(
        from_files.equals_missing(&from_loader),
        "{} rows from the files, {} from the loader",
        from_files.height(),
        from_loader.height()
    );
}
