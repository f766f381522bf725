//! SigmaHQ's own regression suite: for each rule with regression data, the `.evtx` on which
//! it must fire, read by huntbook's EVTX reader, and the JSON rendering beside it, which must
//! give the same matches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use huntbook_datasets::{read_evtx, read_evtx_json};
use huntbook_sigma::{Rule, RuleSet};
use huntbook_testkit::mirror_or_skip;

fn sigma(mirror: &Path) -> PathBuf {
    mirror.join("sigma/master")
}

/// Every rule of SigmaHQ's three rule folders, by id.
fn rules_by_id(root: &Path) -> BTreeMap<String, Rule> {
    let mut out = BTreeMap::new();
    for folder in ["rules", "rules-threat-hunting", "rules-emerging-threats"] {
        let set = RuleSet::read(root.join(folder)).unwrap();
        for rule in set.rules() {
            out.insert(rule.id.clone(), rule.clone());
        }
    }
    out
}

/// (rule id, the `.evtx` it must fire on) of every `info.yml`.
fn cases(root: &Path) -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n == "info.yml") {
                out.push(path);
            }
        }
    }
    let mut infos = Vec::new();
    walk(&root.join("regression_data"), &mut infos);
    infos.sort();
    let mut out = Vec::new();
    for info in infos {
        let text = std::fs::read_to_string(&info).unwrap();
        let doc: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let id = doc["rule_metadata"][0]["id"].as_str().unwrap().to_string();
        // Rules of other products (Cisco, ...) have no log file to replay.
        let tests = doc["regression_tests_info"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for test in &tests {
            if test["type"] == "evtx" {
                out.push((id.clone(), root.join(test["path"].as_str().unwrap())));
            }
        }
    }
    out
}

#[test]
fn every_supported_rule_fires_on_its_regression_log_and_its_json_rendering_alike() {
    let mirror = mirror_or_skip!();
    let root = sigma(&mirror);
    let rules = rules_by_id(&root);
    let cases = cases(&root);
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let mut fired = 0;
    let mut not_run = Vec::new();
    let mut silent = Vec::new();
    let mut differ = Vec::new();
    for (id, evtx) in &cases {
        let Some(rule) = rules.get(id) else {
            not_run.push(format!("{id}: no rule with this id in the rule folders"));
            continue;
        };
        let set = RuleSet::from_rules(vec![rule.clone()]);
        let events = read_evtx(evtx).unwrap();
        assert!(events.skipped.is_empty(), "{events}");
        let hunt = set.hunt(&events.events).unwrap();
        if let [u] = hunt.unsupported_rules() {
            not_run.push(format!("{id} ({}): {}", rule.title, u.reason));
            continue;
        }
        if hunt.matches.height() == 0 {
            silent.push(format!("{id} ({}) on {}", rule.title, evtx.display()));
            continue;
        }
        fired += 1;
        let json = read_evtx_json(evtx.with_extension("json")).unwrap();
        let again = set.hunt(&json).unwrap();
        let rows = |h: &huntbook_sigma::Hunt| -> Vec<u32> {
            h.matches
                .column("row")
                .unwrap()
                .idx()
                .unwrap()
                .into_no_null_iter()
                .collect()
        };
        if rows(&hunt) != rows(&again) {
            differ.push(format!(
                "{id} ({}): rows {:?} on the log, {:?} on its JSON",
                rule.title,
                rows(&hunt),
                rows(&again)
            ));
        }
    }
    println!(
        "{fired} of {} regression rules are supported and fire on their logs",
        cases.len()
    );
    for line in &not_run {
        println!("  not run: {line}");
    }
    for line in &silent {
        println!("  did not fire: {line}");
    }
    for line in &differ {
        println!("  differs: {line}");
    }
    assert!(
        silent.is_empty(),
        "supported rules that did not fire: {silent:#?}"
    );
    assert!(differ.is_empty(), "{differ:#?}");
    assert!(fired + not_run.len() == cases.len());
}

#[test]
fn sigmahq_rules_read_and_the_ones_that_do_not_say_why() {
    let mirror = mirror_or_skip!();
    let set = RuleSet::read(sigma(&mirror).join("rules")).unwrap();
    println!(
        "{} rules read, {} not: {:#?}",
        set.rules().len(),
        set.unreadable().len(),
        set.unreadable()
    );
    assert!(set.rules().len() > 3000);
    for u in set.unreadable() {
        assert!(u.origin.ends_with(".yml") && !u.reason.is_empty(), "{u}");
    }
}
