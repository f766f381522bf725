//! Every error class of the crate, caused through the API, with the whole message a notebook
//! prints (evcxr prints an error returned with `?` by `Display`).

mod common;

use huntbook_datasets::archive::{read_members, Limits};
use huntbook_datasets::events::json_lines_to_frame;
use huntbook_datasets::windows::{process_access_rights, with_access_rights};
use huntbook_datasets::{parse_metadata, read_event_bytes, read_event_file, Catalogue, Error};
use polars::prelude::*;

fn message<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn an_event_fault_gives_the_place_it_has() {
    // A line and a column.
    assert_eq!(
        message(json_lines_to_frame(
            b"{\"EventID\": 1}\n{\"EventID\": tru}\n",
            "lsass.json"
        )),
        "lsass.json, line 2, column 16: expected ident"
    );
    // A line only: the fault is the line's whole value.
    assert_eq!(
        message(json_lines_to_frame(
            b"{\"EventID\": 1}\n[1, 2]\n",
            "lsass.json"
        )),
        "lsass.json, line 2: invalid type: sequence, expected a JSON object (one event)"
    );
    // No place: the file as a whole.
    let text = message(read_event_bytes(b"a,b\n1,2\n3,4,5,6\n", "flows.csv"));
    assert!(
        text.starts_with("flows.csv: not a readable CSV file: "),
        "{text}"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("events.json");
    let text = message(read_event_file(&missing));
    assert!(
        text.starts_with(&format!("read {}: ", missing.display())),
        "{text}"
    );
}

#[test]
fn archive_faults_name_the_archive() {
    let limits = Limits::default();
    assert_eq!(
        message(read_members(
            b"<html>rate limited</html>",
            "dataset.zip",
            &limits
        )),
        "dataset.zip: not a zip or tar.gz archive (starts with \"<htm\")"
    );
    assert_eq!(
        message(read_members(b"PK\x03\x04 cut", "dataset.zip", &limits)),
        "dataset.zip: corrupt zip: invalid Zip archive: Could not find EOCD"
    );
}

#[test]
fn metadata_faults_name_the_file() {
    assert_eq!(
        message(parse_metadata("title: x\n", "SDWIN-1.yaml")),
        "SDWIN-1.yaml: the required field `id` is missing or empty"
    );
    assert_eq!(
        message(parse_metadata("title: [\n", "SDWIN-1.yaml")),
        "SDWIN-1.yaml, line 1, column 8: unclosed bracket '['"
    );
    assert_eq!(
        message(parse_metadata(
            "id: SDWIN-1\ntitle: [a, b]\n",
            "SDWIN-1.yaml"
        )),
        "SDWIN-1.yaml, line 2, column 8: expected a text, a number or a boolean"
    );
}

#[test]
fn an_unknown_dataset_says_what_was_asked() {
    assert_eq!(
        message(
            Catalogue::from_datasets(Vec::new())
                .find("SDWIN-000000000000")
                .map(|d| d.id.clone())
        ),
        "no dataset `SDWIN-000000000000` in the Security-Datasets catalogue (0 datasets in the catalogue)"
    );
}

#[test]
fn access_mask_faults_name_the_text_and_the_column() {
    assert_eq!(
        message(process_access_rights("0x1g10")),
        "\"0x1g10\" is not an access mask: invalid digit found in string"
    );
    let df = df!("GrantedAccess" => ["0x1010"]).unwrap();
    let text = message(with_access_rights(&df, "Access"));
    assert!(text.starts_with("column \"Access\": "), "{text}");
}

#[test]
fn unsafe_and_oversized_archives_are_refused_by_name() {
    let evil = common::zip_bytes(&[("../../escaped.json", b"{}")]);
    assert_eq!(
        message(read_members(&evil, "evil.zip", &Limits::default())),
        "evil.zip: member `../../escaped.json` would be written outside the target folder; \
         refusing to extract"
    );
    let two = common::zip_bytes(&[("a.json", b"{}"), ("b.json", b"{}")]);
    let limits = Limits {
        max_members: 1,
        ..Limits::default()
    };
    assert_eq!(
        message(read_members(&two, "many.zip", &limits)),
        "many.zip: the number of members exceeds the limit of 1; refusing to extract \
         (see archive::Limits)"
    );
}
