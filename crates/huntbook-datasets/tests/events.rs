//! Event files by their form: CSV, auditd text lines, several files stacked; and CSV errors.

use std::fs;
use std::path::PathBuf;

use huntbook_datasets::archive::{self, Limits};
use huntbook_datasets::events::{concat_diagonal, read_event_file};
use huntbook_datasets::Error;
use polars::prelude::*;

#[test]
fn csv_is_typed_from_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flows.csv");
    fs::write(
        &path,
        "ts,src_ip,dst_port,service,bytes\n1.5,10.0.0.1,53,dns,39\n2.5,10.0.0.2,445,\"gssapi,smb\",\n",
    )
    .unwrap();
    let df = read_event_file(&path).unwrap();
    assert_eq!(df.shape(), (2, 5));
    assert_eq!(df.column("ts").unwrap().dtype(), &DataType::Float64);
    assert_eq!(df.column("dst_port").unwrap().dtype(), &DataType::Int64);
    assert_eq!(
        df.column("service").unwrap().str().unwrap().get(1),
        Some("gssapi,smb"),
        "a quoted comma stays in its field"
    );
    assert_eq!(df.column("bytes").unwrap().null_count(), 1);
}

#[test]
fn a_ragged_csv_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ragged.csv");
    fs::write(&path, "a,b\n1,2\n3,4,5,6\n").unwrap();
    let error = read_event_file(&path).unwrap_err();
    assert!(matches!(error, Error::Events { .. }), "{error}");
    assert!(error.to_string().contains("ragged.csv"), "{error}");
}

#[test]
fn auditd_logs_are_raw_lines_and_json_files_stack() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.log");
    fs::write(
        &audit,
        "type=SYSCALL msg=audit(1604996384.965:93777): syscall=59 comm=\"dd\"\n\ntype=EXECVE msg=audit(1604996384.965:93777): argc=3\n",
    )
    .unwrap();
    let lines = read_event_file(&audit).unwrap();
    assert_eq!(lines.get_column_names(), ["line"]);
    assert_eq!(lines.height(), 2);

    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    fs::write(&a, "{\"EventID\": 1, \"Image\": \"a.exe\"}\n").unwrap();
    fs::write(&b, "{\"EventID\": 4624, \"LogonType\": 3.5}\n").unwrap();
    let stacked = concat_diagonal(vec![
        read_event_file(&a).unwrap(),
        read_event_file(&b).unwrap(),
    ])
    .unwrap();
    assert_eq!(
        stacked.get_column_names(),
        ["EventID", "Image", "LogonType"]
    );
    assert_eq!(stacked.height(), 2);
    assert_eq!(stacked.column("LogonType").unwrap().null_count(), 1);
}

#[test]
fn the_mirror_csv_and_auditd_files_read() {
    let mirror = huntbook_testkit::mirror_or_skip!();
    let flows = read_event_file(&mirror.join("infosec-jupyter-book/master/datasets/flow_logs.csv"))
        .unwrap();
    let text =
        fs::read_to_string(mirror.join("infosec-jupyter-book/master/datasets/flow_logs.csv"))
            .unwrap();
    assert_eq!(flows.height(), text.lines().count() - 1);
    assert_eq!(flows.column("dst_port").unwrap().dtype(), &DataType::Int64);

    let dir = tempfile::tempdir().unwrap();
    let zip = mirror.join("security-datasets/master/datasets/atomic/linux/defense_evasion/host/sh_binary_padding_dd.zip");
    let extracted = archive::extract(&zip, &dir.path().join("dd"), &Limits::default()).unwrap();
    let log = &extracted.paths()[0];
    let lines = read_event_file(log).unwrap();
    let expected = fs::read_to_string(log)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(lines.height(), expected);
    assert!(lines
        .column("line")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .starts_with("type="));
}

/// A download of the given files, written into `dir`.
fn downloaded(dir: &std::path::Path, files: &[(&str, &str)]) -> huntbook_datasets::Downloaded {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, body)| {
            let path = dir.join(name);
            fs::write(&path, body).unwrap();
            path
        })
        .collect();
    huntbook_datasets::Downloaded {
        link: "test".into(),
        url: url::Url::parse("file:///test.zip").unwrap(),
        path: dir.join("test.zip"),
        files: paths,
        truncated: None,
    }
}

#[test]
fn json_lines_are_used_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = downloaded(
        dir.path(),
        &[("a.json", "{\"EventID\": 1}\n{\"EventID\": 2}\n")],
    );
    assert_eq!(
        dataset.json_lines_file().unwrap(),
        dir.path().join("a.json")
    );
}

#[test]
fn every_form_is_written_as_the_json_lines_of_what_read_file_reads() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = downloaded(
        dir.path(),
        &[
            (
                "a.json",
                "[{\"EventID\": 1}, {\"EventID\": 2, \"Image\": \"x\"}]",
            ),
            ("b.json", "{\"EventID\": 3}\r\n\n"),
            ("c.csv", "EventID,Image\n4,y\n5,\n"),
            ("d.log", "type=SYSCALL msg=audit(1.0:1): \"quoted\"\n\n"),
        ],
    );
    let path = dataset.json_lines_file().unwrap();
    assert_eq!(path, dir.path().join("a.jsonl"));
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        concat!(
            "{\"EventID\":1}\n{\"EventID\":2,\"Image\":\"x\"}\n{\"EventID\": 3}\n",
            "{\"EventID\":4,\"Image\":\"y\"}\n{\"EventID\":5,\"Image\":null}\n",
            "{\"line\":\"type=SYSCALL msg=audit(1.0:1): \\\"quoted\\\"\"}\n",
        )
    );
    // The copy reads as the originals read, stacked.
    let copy = read_event_file(&path).unwrap();
    let originals = dataset.events().unwrap();
    assert_eq!(copy.shape(), originals.shape());
    assert_eq!(copy.get_column_names(), originals.get_column_names());
    // Reused while newer than the originals.
    assert_eq!(dataset.json_lines_file().unwrap(), path);
}

#[test]
fn a_broken_array_is_an_error_that_names_the_file_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = downloaded(dir.path(), &[("a.json", "[{\"EventID\": 1},")]);
    let error = dataset.json_lines_file().unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "{}, line 1, column 16: ",
            dir.path().join("a.json").display()
        )),
        "{error}"
    );
    assert!(!error.contains(" at line "), "no second position: {error}");
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the original file remains");
}

#[test]
fn bytes_read_as_the_file_they_came_from() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "a.json",
            "[{\"EventID\": 1}, {\"EventID\": 2, \"Image\": \"x\"}]",
        ),
        (
            "b.json",
            "{\"EventID\": 3}\r\n\n{\"EventID\": \"0x1e28\"}\n",
        ),
        ("c.csv", "EventID,Image\n4,y\n5,\n"),
        ("d.log", "type=SYSCALL msg=audit(1.0:1): \"quoted\"\n\n"),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let from_file = read_event_file(&path).unwrap();
        let from_bytes = huntbook_datasets::read_event_bytes(text.as_bytes(), name).unwrap();
        assert!(from_file.equals_missing(&from_bytes), "{name}");
    }
    let error = huntbook_datasets::read_event_bytes(b"a,b\n1,2\n3,4,5,6\n", "ragged.csv")
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("ragged.csv"), "{error}");
}
