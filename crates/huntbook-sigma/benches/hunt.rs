//! Benchmark: SigmaHQ's Windows rules (the mirror's `sigma/master/rules/windows`) read, then
//! run over the LSASS campaign 07 dataset (57,724 Security and Sysmon events) with
//! [`RuleSet::hunt`]; prints the rules read per second, and rules and events hunted per
//! second.
//!
//! Settings: `HUNTBOOK_TEST_MIRROR` (default `../shared/data`), `HUNTBOOK_BENCH_RUNS`
//! (default 5). Each run is a fresh process, so its peak resident memory (VmHWM) is that of
//! one read of the rules, the events and the hunt; the times are of the rules' read and of
//! the hunt alone (the events are read and the archive extracted beforehand).
//!
//! Not beside it: chainsaw and hayabusa, the Rust command-line tools that run Sigma rules over
//! `.evtx` files, are published as GitHub releases, not on crates.io: the crates.io crates
//! of those names are other programs (a phylogenetics tool depending on `newick`, a Solana
//! framework), so they do not install here. pySigma converts rules into queries for other
//! engines and does not run them itself.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use huntbook_datasets::archive::{self, Limits};
use huntbook_datasets::events;
use huntbook_sigma::RuleSet;
use huntbook_testkit::bench::{field, measure, peak_rss_mb};

const CHILD: &str = "HUNTBOOK_BENCH_EVENTS";
const DATASET: &str = "security-datasets/master/datasets/compound/LSASS_campaign_07/metasploit_nanodump_lsass_memory_dump.zip";
const RULES: &str = "sigma/master/rules/windows";

fn child(events_file: &Path, rules_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let events = events::read_json_lines(events_file)?;
    let start = Instant::now();
    let rules = RuleSet::read(rules_dir)?;
    let read_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let hunt = rules.hunt(&events)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"seconds\": {seconds}, \"read_seconds\": {read_seconds}, \"rules\": {}, \"unreadable\": {}, \"ran\": {}, \"not_run\": {}, \"events\": {}, \"fired\": {}, \"matches\": {}, \"peak_rss_mb\": {}}}",
        rules.rules().len(),
        rules.unreadable().len(),
        hunt.rules.height(),
        hunt.unsupported.height(),
        events.height(),
        hunt.fired()?.len(),
        hunt.matches.height(),
        peak_rss_mb()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mirror = huntbook_testkit::mirror_dir();
    let rules_dir = mirror.join(RULES);
    if let Some(file) = std::env::var_os(CHILD) {
        return child(Path::new(&file), &rules_dir);
    }
    let runs = huntbook_testkit::bench::runs();
    let dir = tempfile::tempdir()?;
    let extracted = archive::extract(
        &mirror.join(DATASET),
        &dir.path().join("lsass"),
        &Limits::default(),
    )?;
    let file: PathBuf = extracted
        .paths()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .ok_or("no JSON file in the LSASS campaign 07 archive")?;
    let exe = std::env::current_exe()?;
    let (seconds, peak, out) = measure(runs, || {
        let mut c = Command::new(&exe);
        c.env(CHILD, &file);
        c
    })?;
    let (rules, ran, events) = (
        field(&out, "rules"),
        field(&out, "ran"),
        field(&out, "events"),
    );
    let read_seconds = field(&out, "read_seconds");
    println!(
        "SigmaHQ rules/windows over {} ({events} events), median of {runs} runs, each a fresh process",
        file.file_name().unwrap_or_default().to_string_lossy()
    );
    println!(
        "read          : {rules} rules in {read_seconds:.3} s ({:.0} rules/s), {} unreadable",
        rules / read_seconds,
        field(&out, "unreadable")
    );
    println!(
        "hunt          : {ran} rules over {events} events in {seconds:.3} s: {:.0} rules/s, {:.0} events/s ({:.0} rule-event checks/s); {} fired, {} matches, {} rules did not run; peak RSS {peak:.0} MB",
        ran / seconds,
        events / seconds,
        ran * events / seconds,
        field(&out, "fired"),
        field(&out, "matches"),
        field(&out, "not_run")
    );
    println!("chainsaw, hayabusa: not run (GitHub releases only; the crates.io crates of those names are other programs)");
    Ok(())
}
