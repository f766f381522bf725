//! Benchmark: load Enterprise + Mobile + ICS of ATT&CK 18.1 from local files into the
//! techniques frame, with huntbook and with attackcti, in one run; print both and the ratio.
//!
//! `cargo bench -p huntbook-attack --bench load` (or `scripts/huntbook bench`, which also sets up
//! attackcti). Settings: `HUNTBOOK_TEST_MIRROR` (default `../shared/data`), `HUNTBOOK_PYTHON` (a
//! Python with attackcti 0.6.4; skipped when unset), `HUNTBOOK_BENCH_RUNS` (default 5),
//! `HUNTBOOK_BENCH_RELEASE` (default 18.1).
//!
//! Each huntbook run is a fresh child process, so its peak resident memory (VmHWM) is that of
//! one load, as the Python figure is.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use huntbook_testkit::bench::{field, peak_rss_mb};

use huntbook_attack::{AttackLoader, Domain, FetchConfig, Location};

const CHILD: &str = "HUNTBOOK_BENCH_CHILD";

/// The offline mirror (`HUNTBOOK_TEST_MIRROR`, or `shared/data` beside the repository).
fn mirror() -> PathBuf {
    huntbook_testkit::mirror_dir()
}

fn release() -> String {
    std::env::var("HUNTBOOK_BENCH_RELEASE").unwrap_or_else(|_| "18.1".into())
}

fn child() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let config = FetchConfig::default()
        .with_mirror(Location::from_dir(&mirror())?)
        .with_offline(true);
    let attack = AttackLoader::new(config)
        .release(release())
        .domains([Domain::Enterprise, Domain::Mobile, Domain::Ics])
        .load()?;
    let techniques = attack.techniques_frame()?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"seconds\": {seconds}, \"techniques\": {}, \"active\": {}, \"peak_rss_mb\": {}}}",
        techniques.height(),
        attack
            .techniques_with(huntbook_attack::ObjectStatus::Active)
            .len(),
        peak_rss_mb()
    );
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let runs = huntbook_testkit::bench::runs();
    let exe = std::env::current_exe()?;
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    let mut last = String::new();
    for _ in 0..runs {
        let out = Command::new(&exe).env(CHILD, "1").output()?;
        if !out.status.success() {
            return Err(format!(
                "huntbook run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        last = String::from_utf8(out.stdout)?;
        times.push(field(&last, "seconds"));
        peaks.push(field(&last, "peak_rss_mb"));
    }
    let ours = median(times.clone());
    let ours_peak = peaks.iter().copied().fold(0.0, f64::max);
    println!(
        "ATT&CK {} enterprise+mobile+ics from {} into the techniques frame",
        release(),
        mirror().display()
    );
    println!(
        "huntbook : median {:.3} s over {runs} runs (min {:.3}, max {:.3}), peak RSS {:.0} MB, {} techniques ({} active)",
        ours,
        times.iter().copied().fold(f64::INFINITY, f64::min),
        times.iter().copied().fold(0.0, f64::max),
        ours_peak,
        field(&last, "techniques"),
        field(&last, "active"),
    );
    let Some(python) = std::env::var_os("HUNTBOOK_PYTHON") else {
        println!("attackcti: skipped (set HUNTBOOK_PYTHON to a Python with attackcti 0.6.4; `scripts/huntbook bench` does)");
        return Ok(());
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/attackcti_reference.py");
    let out = Command::new(python)
        .arg(script)
        .arg("load-techniques")
        .arg(mirror())
        .arg(release())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "attackcti run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let theirs = String::from_utf8(out.stdout)?;
    let seconds = field(&theirs, "seconds");
    let peak = field(&theirs, "peak_rss_mb");
    println!(
        "attackcti: {:.3} s (one run), peak RSS {:.0} MB, {} techniques (get_techniques, stix_format=False; revoked and deprecated skipped)",
        seconds,
        peak,
        field(&theirs, "techniques")
    );
    println!(
        "ratio    : huntbook is {:.0}x faster and uses {:.1}x less peak memory",
        seconds / ours,
        peak / ours_peak
    );
    Ok(())
}
