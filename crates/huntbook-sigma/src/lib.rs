//! Sigma rules over polars frames: the detection rules the community shares (SigmaHQ's
//! among them), run over the events of a frame, whole columns at a time.
//!
//! - [`Rule::parse`] and [`RuleSet::read`]: rules from YAML, checked when read: an unknown
//!   modifier or a malformed condition is an error naming the rule (in a rule set, the rule
//!   is listed in [`RuleSet::unreadable`] with the reason).
//! - [`RuleSet::hunt`]: every rule's detection compiled to one polars expression and
//!   evaluated over the events of its `logsource` (the `Channel` and, for Sysmon and
//!   PowerShell categories, the `EventID`). The [`Hunt`] lists the matches with the rule's
//!   id, title, level, status and ATT&CK tags, every rule that ran (with the fields it
//!   reads that the frame lacks), and every rule that did not run, with the reason.
//! - [`Hunt::coverage`] and [`Hunt::layer`]: the ATT&CK techniques of the rules, as a frame
//!   and as a Navigator layer; [`Hunt::by_tactic`]: the rules that fired, by tactic.
//!
//! The specification's field modifiers are supported: `contains`, `startswith`,
//! `endswith`, `all`, `re` (with `i`, `m`, `s`; Rust's regex syntax, so no look-around),
//! `cidr` (IPv4, and IPv6 /128 or within its first hex digits), `windash`, `base64`,
//! `base64offset`, `wide`/`utf16le`/`utf16be`/`utf16`, `exists`, `cased`, `gt`, `gte`,
//! `lt`, `lte`, `fieldref` (equality); and conditions with `and`, `or`, `not`,
//! parentheses, `1 of`/`any of`/`all of` a search, a pattern or `them`, and keyword
//! searches. Not supported, and said so per rule: `expand` placeholders, aggregations.
//!
//! ```
//! use huntbook_sigma::{Rule, RuleSet};
//! use polars::prelude::*;
//!
//! let rule = Rule::parse(r#"
//! title: Whoami
//! id: 0b9d7e2a-0000-4000-8000-000000000001
//! level: medium
//! tags: [attack.discovery, attack.t1033]
//! logsource: {product: windows, category: process_creation}
//! detection:
//!     selection:
//!         Image|endswith: '\whoami.exe'
//!     condition: selection
//! "#, "whoami.yml")?;
//! let events = df!(
//!     "Channel" => ["Microsoft-Windows-Sysmon/Operational"; 2],
//!     "EventID" => [1i64, 1],
//!     "Image" => [r"C:\Windows\System32\WHOAMI.EXE", r"C:\Windows\notepad.exe"],
//! )?;
//! let hunt = RuleSet::from_rules(vec![rule]).hunt(&events)?;
//! assert_eq!(hunt.matches.height(), 1);
//! assert_eq!(hunt.fired()?, ["0b9d7e2a-0000-4000-8000-000000000001"]);
//! assert_eq!(hunt.coverage()?.column("technique_id")?.str()?.get(0), Some("T1033"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod compile;
mod condition;
mod error;
mod hunt;
mod logsource;
mod rule;
mod value;

pub use error::{Error, Result};
pub use hunt::{Hunt, RuleSet, Unsupported};
pub use rule::{LogSource, Rule};
