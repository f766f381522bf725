//! Any text as a Sigma rule: it reads, or is an error naming it; a rule that reads runs over
//! a small frame of Sysmon events, or is listed as not run with the reason, never an error
//! from polars and never a panic.
#![no_main]

use std::sync::OnceLock;

use huntbook_sigma::{Rule, RuleSet};
use libfuzzer_sys::fuzz_target;
use polars::prelude::*;

fn events() -> &'static DataFrame {
    static EVENTS: OnceLock<DataFrame> = OnceLock::new();
    EVENTS.get_or_init(|| {
        DataFrame::new(
            3,
            vec![
                Column::new(
                    "Channel".into(),
                    ["Microsoft-Windows-Sysmon/Operational"; 3],
                ),
                Column::new("EventID".into(), [1i64, 3, 1]),
                Column::new(
                    "Image".into(),
                    [Some(r"C:\Windows\System32\cmd.exe"), None, Some("x")],
                ),
                Column::new("DestinationPort".into(), [None, Some(443i64), None]),
                Column::new("Initiated".into(), [None, Some(true), None]),
            ],
        )
        .expect("a frame of three events")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rule) = Rule::parse(text, "fuzz.yml") else {
        return;
    };
    let hunt = RuleSet::from_rules(vec![rule])
        .hunt(events())
        .expect("a rule that reads runs, or is listed as not run");
    assert!(hunt.matches.height() <= 3);
});
