//! The seed notebook ("Explore ATT&CK Data Sources", `shared/seeds/000_...txt`) ran on ATT&CK
//! 9.0 over the four matrices. Loading release 9.0 from the mirror must reproduce every number
//! it printed.

mod common;

use std::collections::{BTreeMap, HashMap};

use huntbook_attack::{Attack, Domain, ObjectStatus};
use polars::prelude::*;

fn load_v9() -> Attack {
    let cache = tempfile::tempdir().unwrap();
    common::mirror_loader(cache.path(), "9.0").load().unwrap()
}

use huntbook_testkit::strings as str_values;

fn count_by(df: &DataFrame, column: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for v in str_values(df, column).into_iter().flatten() {
        *counts.entry(v).or_default() += 1;
    }
    counts
}

fn not_revoked(techniques: &DataFrame) -> DataFrame {
    let mask = !techniques
        .column("revoked")
        .unwrap()
        .bool()
        .unwrap()
        .clone();
    techniques.filter(&mask).unwrap()
}

fn with_data_sources(techniques: &DataFrame) -> DataFrame {
    let mask = techniques.column("data_sources").unwrap().is_not_null();
    techniques.filter(&mask).unwrap()
}

#[test]
fn sections_5_to_12_counts() {
    huntbook_testkit::mirror_or_skip!();
    let attack = load_v9();
    assert_eq!(
        attack.domains(),
        [Domain::Enterprise, Domain::Mobile, Domain::Ics, Domain::Pre]
    );
    let all = attack.techniques_frame().unwrap();
    // 5. "A total of 1062 techniques"
    assert_eq!(all.height(), 1062);
    // 7. remove_revoked: 916
    let techniques = not_revoked(&all);
    assert_eq!(techniques.height(), 916);
    assert_eq!(attack.techniques_with(ObjectStatus::NotRevoked).len(), 916);
    // 8. extract_revoked: 146
    let revoked = all
        .column("revoked")
        .unwrap()
        .bool()
        .unwrap()
        .sum()
        .unwrap();
    assert_eq!(revoked, 146);
    let revoked = attack.revoked_techniques();
    assert_eq!(revoked.len(), 146);
    for name in [
        "Web Session Cookie",
        "Emond",
        "Mshta",
        "Process Doppelgänging",
    ] {
        assert!(revoked.iter().any(|t| t.name() == name), "{name}");
    }
    // Each revoked technique leads to the one that replaces it.
    let emond = revoked.iter().find(|t| t.name() == "Emond").unwrap();
    let now = attack.revoked_by(&emond.id).unwrap();
    assert!(!now.revoked && now.attack_id().is_some_and(|id| id.starts_with("T1546")));
    // 10. Techniques per matrix.
    let per_matrix = count_by(&techniques, "matrix");
    let expected: BTreeMap<String, usize> = [
        ("mitre-attack", 563),
        ("mitre-ics-attack", 89),
        ("mitre-mobile-attack", 90),
        ("mitre-pre-attack", 174),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(per_matrix, expected);
    // 11. With and without data sources: 544 and 372 (59% and 41% of 916).
    let with = with_data_sources(&techniques);
    assert_eq!(with.height(), 544);
    assert_eq!(techniques.column("data_sources").unwrap().null_count(), 372);
    // 11. By matrix and with/without.
    let mut by_matrix_ds: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let matrices = str_values(&techniques, "matrix");
    let ds = techniques.column("data_sources").unwrap();
    for (i, m) in matrices.iter().enumerate() {
        let has = !ds.get(i).unwrap().is_null();
        let key = (
            m.clone().unwrap(),
            if has { "With DS" } else { "Without DS" },
        );
        *by_matrix_ds.entry(key).or_default() += 1;
    }
    let expected = [
        (("mitre-attack", "With DS"), 472),
        (("mitre-attack", "Without DS"), 91),
        (("mitre-ics-attack", "With DS"), 72),
        (("mitre-ics-attack", "Without DS"), 17),
        (("mitre-mobile-attack", "Without DS"), 90),
        (("mitre-pre-attack", "Without DS"), 174),
    ];
    assert_eq!(by_matrix_ds.len(), expected.len());
    for ((m, ind), n) in expected {
        assert_eq!(by_matrix_ds[&(m.to_string(), ind)], n, "{m} {ind}");
    }
    // 12. Techniques with data sources per matrix.
    let per_matrix = count_by(&with, "matrix");
    assert_eq!(per_matrix.get("mitre-attack"), Some(&472));
    assert_eq!(per_matrix.get("mitre-ics-attack"), Some(&72));
    assert_eq!(per_matrix.len(), 2);
    // 9. The first row the seed showed (its order was the TAXII server's, not the file's).
    let t = attack.technique("t1553.006").unwrap();
    assert_eq!(t.name(), "Code Signing Policy Modification");
    assert_eq!(t.platforms, ["Windows", "macOS"]);
    assert_eq!(t.tactics().collect::<Vec<_>>(), ["defense-evasion"]);
    assert_eq!(t.data_sources.as_ref().map(Vec::len), Some(3));
}

/// Section 17: one row per (platform, tactic, data source) of the techniques with data
/// sources; rows pairing Linux or macOS with a Windows-only data source are inconsistent.
#[test]
fn section_17_inconsistent_rows() {
    huntbook_testkit::mirror_or_skip!();
    let attack = load_v9();
    let with = with_data_sources(&not_revoked(&attack.techniques_frame().unwrap()));
    let options = ExplodeOptions {
        empty_as_null: false,
        keep_nulls: false,
    };
    let exploded = with
        .select([
            "matrix",
            "platform",
            "tactic",
            "technique",
            "technique_id",
            "data_sources",
        ])
        .unwrap()
        .explode(["platform"], options)
        .unwrap()
        .explode(["tactic"], options)
        .unwrap()
        .explode(["data_sources"], options)
        .unwrap();
    let platforms = str_values(&exploded, "platform");
    let sources = str_values(&exploded, "data_sources");
    let mut no_ok = 0;
    for (p, d) in platforms.iter().zip(&sources) {
        let d = d.as_deref().unwrap_or("").to_lowercase();
        let unix = matches!(p.as_deref(), Some("Linux") | Some("macOS"));
        if unix && (d.contains("windows") || d.contains("powershell") || d.contains("wmi")) {
            no_ok += 1;
        }
    }
    assert_eq!(no_ok, 100, "There are 100 rows with inconsistent data");
    assert_eq!(
        exploded.height() - no_ok,
        5693,
        "There are 5693 rows of data that you can play with"
    );
}

/// Section 16: the most common groups of data sources (subsets of two or more of a
/// technique's lower-cased, sorted data sources).
#[test]
fn section_16_top_data_source_groups() {
    huntbook_testkit::mirror_or_skip!();
    let attack = load_v9();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in attack.techniques_with(ObjectStatus::NotRevoked) {
        let Some(sources) = &t.data_sources else {
            continue;
        };
        let mut sources: Vec<String> = sources.iter().map(|s| s.to_lowercase()).collect();
        sources.sort();
        let n = sources.len();
        for mask in 1u32..(1 << n) {
            if mask.count_ones() < 2 {
                continue;
            }
            let name: Vec<&str> = (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| sources[i].as_str())
                .collect();
            *counts.entry(name.join(",")).or_default() += 1;
        }
    }
    let expected = [
        ("command: command execution,process: process creation", 167),
        (
            "network traffic: network traffic content,network traffic: network traffic flow",
            62,
        ),
        ("file: file modification,process: process creation", 60),
        ("file: file creation,process: process creation", 57),
        ("command: command execution,file: file modification", 54),
        ("file: file creation,file: file modification", 51),
        (
            "command: command execution,file: file modification,process: process creation",
            47,
        ),
        ("command: command execution,process: os api execution", 47),
        ("command: command execution,file: file creation", 47),
        (
            "command: command execution,windows registry: windows registry key modification",
            45,
        ),
    ];
    for (name, n) in expected {
        assert_eq!(counts.get(name), Some(&n), "{name}");
    }
    let mut top: Vec<usize> = counts.values().copied().collect();
    top.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(&top[..10], &[167, 62, 60, 57, 54, 51, 47, 47, 47, 45]);
}

/// Section 18: `get_techniques_by_datasources`, whole names, ignoring case, OR-ed.
#[test]
fn section_18_techniques_by_data_sources() {
    huntbook_testkit::mirror_or_skip!();
    let attack = load_v9();
    let one = attack.techniques_by_data_sources(&["PROCESS MONITORING"], ObjectStatus::All);
    assert_eq!(one.len(), 21);
    let two = attack.techniques_by_data_sources(
        &["pRoceSS MoniTorinG", "process commAnd-linE parameters"],
        ObjectStatus::All,
    );
    assert_eq!(two.len(), 22);
    assert!(two.iter().any(|t| t.name() == "Connection Proxy"));
    // As a frame, the same 22 rows in the same order.
    let frame = attack.frame_of(&two).unwrap();
    assert_eq!(frame.height(), 22);
    let names: Vec<&str> = frame
        .column("technique")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(names, two.iter().map(|t| t.name()).collect::<Vec<_>>());
    // The same answers drop revoked techniques the same way as everywhere else.
    assert_eq!(
        attack
            .techniques_by_data_sources(&["PROCESS MONITORING"], ObjectStatus::NotRevoked)
            .len(),
        21
    );
}
