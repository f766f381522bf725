//! The catalogue: metadata parsing (good, odd and broken files), searches, the frame, and
//! loading from a local folder, from an HTTP mirror (HTML index) and offline from the cache.

use std::fs;
use std::path::Path;

use huntbook_datasets::Error;
use huntbook_datasets::{parse_metadata, Catalogue};
use huntbook_fetch::{FetchConfig, Fetcher, Location};
use huntbook_testkit::Server;

const LSASS: &str = r#"title: LSASS Memory Read Access
id: SDWIN-190518202151
contributors:
  - Roberto Rodriguez @Cyb3rWard0g
creation_date: 2019/05/18
modification_date: 2020/09/20
platform:
  - Windows
type: atomic
tags:
  - lsass
description: This dataset represents adversaries reading LSASS memory.
attack_mappings:
  - technique: T1003
    sub-technique: "001"
    tactics:
      - TA0006
notebooks:
files:
  - type: Host
    link: https://raw.githubusercontent.com/OTRF/Security-Datasets/master/datasets/atomic/windows/credential_access/host/empire_mimikatz_logonpasswords.zip
"#;

/// Odd but real shapes: a sub-technique as a number, a single platform as a string, empty
/// lists, a mapping without sub-technique, no files.
const ODD: &str = r#"title: "AWS Cloud Bank Breach S3"
id: SDAWS-200914011940
platform: AWS
type: atomic
tags:
contributors:
attack_mappings:
  - technique: t1078
    sub-technique: 4
    tactics: [TA0001, TA0005]
  - technique: T1530
    sub-technique:
    tactics:
      - TA0009
files:
"#;

#[test]
fn metadata_fields_are_read() {
    let d = parse_metadata(LSASS, "lsass.yaml").unwrap();
    assert_eq!(d.id, "SDWIN-190518202151");
    assert_eq!(d.platform, ["Windows"]);
    assert_eq!(d.kind, "atomic");
    assert_eq!(d.technique_ids(), ["T1003.001"]);
    assert_eq!(d.tactic_ids(), ["TA0006"]);
    assert_eq!(d.files.len(), 1);
    assert_eq!(d.files[0].kind, "Host");
    assert_eq!(d.creation_date.as_deref(), Some("2019/05/18"));
    assert!(
        d.maps_technique("T1003"),
        "a parent id finds its sub-techniques"
    );
    assert!(d.maps_technique("t1003.001"));
    assert!(!d.maps_technique("T1003.002"));
    assert!(!d.maps_technique("T100"));
}

#[test]
fn odd_metadata_shapes_are_accepted() {
    let d = parse_metadata(ODD, "odd.yaml").unwrap();
    assert_eq!(d.platform, ["AWS"]);
    assert_eq!(d.technique_ids(), ["T1078.004", "T1530"]);
    assert_eq!(d.tactic_ids(), ["TA0001", "TA0005", "TA0009"]);
    assert!(d.tags.is_empty() && d.contributors.is_empty() && d.files.is_empty());
    assert!(d.description.is_none());
}

#[test]
fn broken_metadata_names_the_file_and_the_problem() {
    let err =
        parse_metadata("title: no id here\nplatform: [Windows]\n", "SDWIN-x.yaml").unwrap_err();
    assert!(matches!(err, Error::Metadata { .. }));
    let message = err.to_string();
    assert!(
        message.contains("SDWIN-x.yaml") && message.contains("`id`"),
        "{message}"
    );

    let err = parse_metadata("id: [unclosed\n", "bad.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("bad.yaml"), "{err}");
}

fn write_folder(root: &Path) {
    let atomic = root.join("security-datasets/master/datasets/atomic/_metadata");
    let compound = root.join("security-datasets/master/datasets/compound/_metadata");
    fs::create_dir_all(&atomic).unwrap();
    fs::create_dir_all(&compound).unwrap();
    fs::write(atomic.join("SDWIN-190518202151.yaml"), LSASS).unwrap();
    fs::write(atomic.join("SDAWS-200914011940.yaml"), ODD).unwrap();
    fs::write(atomic.join("README.md"), "not metadata").unwrap();
    fs::write(atomic.join("SDWIN-broken.yaml"), "title: [\n").unwrap();
    fs::write(
        compound.join("SDWIN-220703123711.yaml"),
        LSASS
            .replace("SDWIN-190518202151", "SDWIN-220703123711")
            .replace("LSASS Memory Read Access", "LSASS Campaign 05")
            .replace("type: atomic", "type: compound"),
    )
    .unwrap();
}

fn check_catalogue(catalogue: &Catalogue) {
    assert_eq!(catalogue.len(), 3, "{:?}", catalogue.skipped);
    assert_eq!(catalogue.skipped.len(), 1);
    assert!(
        catalogue.skipped[0].contains("SDWIN-broken.yaml"),
        "{:?}",
        catalogue.skipped
    );
    let ids =
        |v: Vec<&huntbook_datasets::Dataset>| v.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(catalogue.by_technique("T1003")),
        ["SDWIN-190518202151", "SDWIN-220703123711"]
    );
    assert_eq!(ids(catalogue.by_tactic("ta0009")), ["SDAWS-200914011940"]);
    assert_eq!(ids(catalogue.by_platform("windows")).len(), 2);
    assert_eq!(ids(catalogue.search("campaign")), ["SDWIN-220703123711"]);
    assert_eq!(
        catalogue.find("lsass memory read access").unwrap().id,
        "SDWIN-190518202151"
    );
    assert_eq!(
        catalogue
            .find("empire_mimikatz_logonpasswords.zip")
            .unwrap()
            .id,
        "SDWIN-190518202151"
    );
    let err = catalogue.find("SDWIN-000").unwrap_err().to_string();
    assert!(
        err.contains("SDWIN-000") && err.contains("3 datasets"),
        "{err}"
    );
    let err = catalogue.find("lsass").unwrap_err().to_string();
    assert!(
        err.contains("SDWIN-190518202151"),
        "a near miss lists close matches: {err}"
    );

    let frame = catalogue.frame().unwrap();
    assert_eq!(frame.shape(), (3, 13));
    let types: Vec<&str> = frame
        .column("type")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(types, ["atomic", "atomic", "compound"]);
    assert_eq!(
        frame.column("creation_date").unwrap().dtype().to_string(),
        "datetime[ms]"
    );
}

#[test]
fn a_local_mirror_folder_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path());
    let config = FetchConfig::default()
        .with_mirror(Location::from_dir(dir.path()).unwrap())
        .with_cache_dir(dir.path().join("cache"))
        .with_offline(true);
    check_catalogue(&Catalogue::load_with(&Fetcher::new(config)).unwrap());
}

#[test]
fn an_http_mirror_is_listed_through_its_index_then_read_offline_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path());
    let cache = dir.path().join("cache");
    let server = Server::serve_dir(dir.path());
    let online = FetchConfig::default()
        .with_mirror(Location::parse(&server.url()).unwrap())
        .with_cache_dir(&cache);
    check_catalogue(&Catalogue::load_with(&Fetcher::new(online.clone())).unwrap());
    drop(server);
    // The server is gone: the cached listing and files serve.
    let offline = online.with_offline(true);
    check_catalogue(&Catalogue::load_with(&Fetcher::new(offline)).unwrap());
}

#[test]
fn a_missing_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_mirror(Location::from_dir(dir.path()).unwrap())
        .with_cache_dir(dir.path().join("cache"))
        .with_offline(true);
    let err = Catalogue::load_with(&Fetcher::new(config))
        .unwrap_err()
        .to_string();
    assert!(err.contains("atomic/_metadata"), "{err}");
}

#[test]
fn the_mirror_catalogue_loads_whole() {
    let mirror = huntbook_testkit::mirror_or_skip!();
    let root = Path::new(&mirror).join("security-datasets/master/datasets");
    let files = ["atomic", "compound"]
        .iter()
        .map(|k| {
            fs::read_dir(root.join(k).join("_metadata"))
                .unwrap()
                .count()
        })
        .sum::<usize>();
    let dir = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_mirror(Location::from_dir(Path::new(&mirror)).unwrap())
        .with_cache_dir(dir.path())
        .with_offline(true);
    let catalogue = Catalogue::load_with(&Fetcher::new(config)).unwrap();
    assert!(catalogue.skipped.is_empty(), "{:?}", catalogue.skipped);
    assert_eq!(catalogue.len(), files);
    // Every dataset of the mirror with an archive on disk is in the catalogue by its link.
    for link in [
        "covenant_psremoting_command.zip",
        "metasploit_nanodump_lsass_memory_dump.zip",
    ] {
        catalogue.find(link).unwrap();
    }
    let dumping = catalogue.subset(&catalogue.by_technique("T1003"));
    assert!(!dumping.is_empty());
    assert!(dumping.datasets().iter().all(|d| d.maps_technique("T1003")));
    assert_eq!(dumping.frame().unwrap().height(), dumping.len());
    let frame = catalogue.frame().unwrap();
    assert_eq!(frame.height(), files);
}
