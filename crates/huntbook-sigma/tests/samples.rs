//! SigmaHQ's Windows rules over EVTX-ATTACK-SAMPLES (277 logs recorded while ATT&CK
//! techniques ran): a folder read as one frame gives each log the matches it gives alone.
//!
//! A folder mixes event kinds, and so columns that one log lacks: Defender's `Process Name`
//! beside the Security log's `ProcessName`, unnamed `EventData` items (`param1`, ...) beside
//! named ones, a field typed as numbers in one log and as text in another. A rule must read
//! its fields the same way whatever else the frame holds.

use std::collections::BTreeSet;

use huntbook_datasets::read_evtx;
use huntbook_sigma::{Hunt, RuleSet};
use huntbook_testkit::mirror_or_skip;
use polars::prelude::DataType;

/// The matches of a hunt as (source file, record number, rule id).
fn matches(hunt: &Hunt) -> BTreeSet<(String, i64, String)> {
    let m = &hunt.matches;
    let files = huntbook_testkit::strings(m, "source_file");
    let records = m
        .column("RecordNumber")
        .and_then(|c| c.cast(&DataType::Int64))
        .unwrap();
    let ids = huntbook_testkit::strings(m, "rule_id");
    files
        .into_iter()
        .zip(records.i64().unwrap().iter())
        .zip(ids)
        .map(|((f, r), i)| (f.unwrap(), r.unwrap(), i.unwrap()))
        .collect()
}

#[test]
fn a_folder_of_logs_gives_each_log_the_matches_it_gives_alone() {
    let mirror = mirror_or_skip!();
    let rules = RuleSet::read(mirror.join("sigma/master/rules/windows")).unwrap();
    let folder = read_evtx(mirror.join("evtx-attack-samples/master")).unwrap();
    assert!(folder.files.len() > 250, "{folder}");
    let together = matches(&rules.hunt(&folder.events).unwrap());
    // Each log alone, on every core (a hunt's cost over a small log is polars' planning of
    // the rules' expressions, on one thread).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = folder.files.len().div_ceil(cores);
    let alone: BTreeSet<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = folder
            .files
            .chunks(chunk)
            .map(|files| {
                let rules = &rules;
                scope.spawn(move || {
                    let mut found = BTreeSet::new();
                    for file in files {
                        let log = read_evtx(&file.path).unwrap();
                        found.extend(matches(&rules.hunt(&log.events).unwrap()));
                    }
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let only_together: Vec<_> = together.difference(&alone).collect();
    let only_alone: Vec<_> = alone.difference(&together).collect();
    println!(
        "{} rules over {} logs ({} events): {} matches, {} rules fired",
        rules.rules().len(),
        folder.files.len(),
        folder.events.height(),
        together.len(),
        together
            .iter()
            .map(|(_, _, id)| id)
            .collect::<BTreeSet<_>>()
            .len()
    );
    assert!(
        only_together.is_empty() && only_alone.is_empty(),
        "matched only in the folder: {only_together:#?}\nmatched only alone: {only_alone:#?}"
    );
    assert!(!together.is_empty());
}
