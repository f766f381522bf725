//! Differential test against pandas 2.2.3 on the workshop datasets of the mirror: the frame
//! huntbook reads must have pandas' `read_json(lines=True)` columns, in the same order, with
//! the matching types and the same non-null counts (what `info()` prints).
//!
//! Needs `HUNTBOOK_PYTHON` (a Python with pandas; the test command sets it) and the offline
//! mirror: without them the test is skipped with a message, or fails under the test command
//! (`huntbook_testkit::missing`).

use std::path::{Path, PathBuf};
use std::process::Command;

use huntbook_datasets::archive::{self, Limits};
use huntbook_datasets::events;
use polars::prelude::*;

fn setup() -> Option<(PathBuf, PathBuf)> {
    let mirror = huntbook_testkit::mirror()?;
    let Some(python) = std::env::var_os("HUNTBOOK_PYTHON") else {
        return huntbook_testkit::missing(
            "a Python with pandas",
            "set HUNTBOOK_PYTHON (the test command does)",
        );
    };
    Some((python.into(), mirror))
}

#[derive(serde::Deserialize)]
struct Reference {
    rows: usize,
    columns: Vec<(String, String, usize)>,
}

fn pandas_schema(python: &Path, file: &Path, form: &str) -> Reference {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/pandas_reference.py");
    let output = Command::new(python)
        .arg(script)
        .arg("schema")
        .arg(file)
        .arg(form)
        .output()
        .expect("run the pandas reference script");
    assert!(
        output.status.success(),
        "pandas reference failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the reference script prints JSON")
}

/// pandas' dtype for a polars one: object covers text, lists and mixed columns.
fn pandas_dtype(dtype: &DataType) -> &'static str {
    match dtype {
        DataType::Int64 => "int64",
        DataType::Float64 => "float64",
        DataType::Boolean => "bool",
        _ => "object",
    }
}

fn compare(python: &Path, file: &Path, form: &str, frame: &DataFrame) {
    let reference = pandas_schema(python, file, form);
    let name = file.display();
    assert_eq!(frame.height(), reference.rows, "{name}: rows");
    let ours: Vec<(String, String, usize)> = frame
        .columns()
        .iter()
        .map(|c| {
            (
                c.name().to_string(),
                pandas_dtype(c.dtype()).to_string(),
                c.len() - c.null_count(),
            )
        })
        .collect();
    assert_eq!(ours.len(), reference.columns.len(), "{name}: column count");
    for (ours, theirs) in ours.iter().zip(&reference.columns) {
        assert_eq!(ours, theirs, "{name}: column (name, dtype, non-null)");
    }
}

#[test]
fn workshop_datasets_read_as_pandas_reads_them() {
    let Some((python, mirror)) = setup() else {
        return;
    };
    let host =
        mirror.join("security-datasets/master/datasets/atomic/windows/lateral_movement/host");
    let dir = tempfile::tempdir().unwrap();
    for zip in [
        "covenant_psremoting_command.zip",
        "empire_shell_dcerpc_smb_service_dll_hijack.zip",
        "empire_psexec_dcerpc_tcp_svcctl.zip",
    ] {
        let extracted =
            archive::extract(&host.join(zip), &dir.path().join(zip), &Limits::default()).unwrap();
        assert_eq!(extracted.files.len(), 1, "{zip}");
        let file = &extracted.paths()[0];
        let frame = events::read_json_lines(file).unwrap();
        compare(&python, file, "lines", &frame);
    }
}

#[test]
fn the_apt29_demo_array_reads_as_pandas_reads_it() {
    let Some((python, mirror)) = setup() else {
        return;
    };
    let zip = mirror.join("infosec-jupyter-book/master/datasets/apt29_evals_day1_manual_demo.zip");
    let dir = tempfile::tempdir().unwrap();
    let extracted =
        archive::extract(&zip, dir.path().join("apt29").as_path(), &Limits::default()).unwrap();
    let file = extracted
        .paths()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON member");
    let frame = events::read_events(&file).unwrap();
    compare(&python, &file, "array", &frame);
}

/// LSASS campaign 05 writes `EventID` as a number in some rows and as a numeric string in
/// others: pandas makes one integer column of it, and so must we, or `EventID == 10` misses
/// rows.
#[test]
fn lsass_05_with_eventid_as_text_in_some_rows_reads_as_pandas_reads_it() {
    let Some((python, mirror)) = setup() else {
        return;
    };
    let zip = mirror.join(
        "security-datasets/master/datasets/compound/LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip",
    );
    let dir = tempfile::tempdir().unwrap();
    let extracted = archive::extract(
        &zip,
        dir.path().join("lsass05").as_path(),
        &Limits::default(),
    )
    .unwrap();
    let file = extracted
        .paths()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON member");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"EventID\":\"") && text.contains("\"EventID\":1"),
        "the fixture should mix text and numbers in EventID"
    );
    let frame = events::read_events(&file).unwrap();
    assert_eq!(frame.column("EventID").unwrap().dtype(), &DataType::Int64);
    compare(&python, &file, "lines", &frame);
}
