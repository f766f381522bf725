//! Benchmark: every `.evtx` file of EVTX-ATTACK-SAMPLES (the mirror's copy, read
//! recursively) into one frame with huntbook's `read_evtx`, and the Python way: pyevtx-rs
//! records as JSON through pandas' `json_normalize`, and python-evtx's XML through
//! ElementTree into pandas; prints each and the ratios.
//!
//! `scripts/huntbook bench` runs it with a Python that has pandas, `evtx` and `python-evtx`.
//! Settings: `HUNTBOOK_TEST_MIRROR` (default `../shared/data`), `HUNTBOOK_PYTHON` (the Python
//! runs are skipped when unset), `HUNTBOOK_BENCH_RUNS` (default 5; python-evtx, pure Python,
//! runs once).
//!
//! Each run is a fresh process, so its peak resident memory (VmHWM) is that of one read.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use huntbook_datasets::read_evtx;
use huntbook_testkit::bench::{field, measure, peak_rss_mb};

const CHILD: &str = "HUNTBOOK_BENCH_FOLDER";

fn child(folder: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let read = read_evtx(folder)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"seconds\": {seconds}, \"rows\": {}, \"columns\": {}, \"files\": {}, \"failed\": {}, \"peak_rss_mb\": {}}}",
        read.events.height(),
        read.events.width(),
        read.files.len(),
        read.skipped.len(),
        peak_rss_mb()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(folder) = std::env::var_os(CHILD) {
        return child(Path::new(&folder));
    }
    let runs = huntbook_testkit::bench::runs();
    let folder = huntbook_testkit::mirror_dir().join("evtx-attack-samples/master");
    let exe = std::env::current_exe()?;
    let (ours, ours_peak, out) = measure(runs, || {
        let mut c = Command::new(&exe);
        c.env(CHILD, &folder);
        c
    })?;
    println!(
        "EVTX-ATTACK-SAMPLES ({} .evtx files) into one frame, median of {runs} runs, each a fresh process",
        field(&out, "files")
    );
    println!(
        "huntbook      : {ours:.3} s, peak RSS {ours_peak:.0} MB, {} rows x {} columns, {} files not read or faults reported",
        field(&out, "rows"),
        field(&out, "columns"),
        field(&out, "failed")
    );
    let Some(python) = std::env::var_os("HUNTBOOK_PYTHON") else {
        println!("pyevtx-rs, python-evtx: skipped (set HUNTBOOK_PYTHON to a Python with pandas, evtx and python-evtx; `scripts/huntbook bench` does)");
        return Ok(());
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/reference/evtx_reference.py");
    for (engine, how, runs) in [
        (
            "pyevtx-rs",
            "records_json, json.loads, pandas.json_normalize",
            runs,
        ),
        (
            "python-evtx",
            "record XML, ElementTree, pandas.DataFrame",
            1,
        ),
    ] {
        let (theirs, peak, out) = measure(runs, || {
            let mut c = Command::new(&python);
            c.arg(&script).arg(engine).arg(&folder);
            c
        })?;
        println!(
            "{engine:<14}: {theirs:.3} s, peak RSS {peak:.0} MB, {} rows x {} columns, {} records failed ({how})",
            field(&out, "rows"),
            field(&out, "columns"),
            field(&out, "failed")
        );
        println!(
            "{:<14}  huntbook takes {:.3}x the time of {engine} and {:.2}x its peak memory",
            "",
            ours / theirs,
            ours_peak / peak
        );
    }
    Ok(())
}
