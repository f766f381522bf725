//! Benchmark: the LSASS campaign 07 dataset (about 115 MB of JSON lines) into a frame with
//! huntbook, with pandas' `read_json(lines=True)` and with polars' own NDJSON reader, in one
//! run; prints the three and the ratios.
//!
//! `scripts/huntbook bench` runs it with a Python that has pandas and polars. Settings:
//! `HUNTBOOK_TEST_MIRROR` (default `../shared/data`), `HUNTBOOK_PYTHON` (pandas and polars runs
//! are skipped when unset), `HUNTBOOK_BENCH_RUNS` (default 5).
//!
//! Each run is a fresh process, so its peak resident memory (VmHWM) is that of one read.
//! Times are of the read alone; the archive is extracted once beforehand.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use huntbook_testkit::bench::{field, measure, peak_rss_mb};

use huntbook_datasets::archive::{self, Limits};
use huntbook_datasets::events;

const CHILD: &str = "HUNTBOOK_BENCH_FILE";
const DATASET: &str = "security-datasets/master/datasets/compound/LSASS_campaign_07/metasploit_nanodump_lsass_memory_dump.zip";

/// The offline mirror (`HUNTBOOK_TEST_MIRROR`, or `shared/data` beside the repository).
fn mirror() -> PathBuf {
    huntbook_testkit::mirror_dir()
}

fn child(file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let df = events::read_json_lines(file)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"seconds\": {seconds}, \"rows\": {}, \"columns\": {}, \"peak_rss_mb\": {}}}",
        df.height(),
        df.width(),
        peak_rss_mb()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(file) = std::env::var_os(CHILD) {
        return child(Path::new(&file));
    }
    let runs = huntbook_testkit::bench::runs();
    let dir = tempfile::tempdir()?;
    let zip = mirror().join(DATASET);
    let extracted = archive::extract(&zip, &dir.path().join("lsass"), &Limits::default())?;
    let file = extracted
        .paths()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .ok_or("no JSON file in the LSASS campaign 07 archive")?;
    let size_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    println!(
        "{} ({size_mb:.0} MB of JSON lines) into a frame, median of {runs} runs, each a fresh process",
        file.file_name().unwrap_or_default().to_string_lossy()
    );
    let exe = std::env::current_exe()?;
    let (ours, ours_peak, out) = measure(runs, || {
        let mut c = Command::new(&exe);
        c.env(CHILD, &file);
        c
    })?;
    println!(
        "huntbook      : {ours:.3} s, peak RSS {ours_peak:.0} MB, {} rows x {} columns",
        field(&out, "rows"),
        field(&out, "columns")
    );
    let Some(python) = std::env::var_os("HUNTBOOK_PYTHON") else {
        println!("pandas, polars: skipped (set HUNTBOOK_PYTHON to a Python with pandas and polars; `scripts/huntbook bench` does)");
        return Ok(());
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/ndjson_reference.py");
    for (engine, call) in [
        ("pandas", "pd.read_json(lines=True)"),
        ("polars", "pl.read_ndjson"),
    ] {
        let (theirs, peak, out) = measure(runs, || {
            let mut c = Command::new(&python);
            c.arg(&script).arg(engine).arg(&file);
            c
        })?;
        println!(
            "{engine:<14}: {theirs:.3} s, peak RSS {peak:.0} MB, {} rows x {} columns ({call})",
            field(&out, "rows"),
            field(&out, "columns")
        );
        println!(
            "{:<14}  huntbook takes {:.2}x the time of {engine} and {:.2}x its peak memory",
            "",
            ours / theirs,
            ours_peak / peak
        );
    }
    Ok(())
}
