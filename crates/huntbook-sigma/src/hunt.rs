//! A rule set over a frame of events: which rules fire on which events, which rules could
//! not run and why, and the ATT&CK coverage of the rules.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use huntbook_navigator::{Layer, LayerBuilder};
use polars::prelude::*;

use crate::compile::Compiler;
use crate::logsource::{self, Events};
use crate::{Error, Result, Rule};

/// Rules, and the files that held no rule huntbook can read.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    unreadable: Vec<Unsupported>,
}

/// A rule that was not run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The rule's id, when it was read that far.
    pub rule_id: Option<String>,
    /// The rule's title, when it was read that far.
    pub title: Option<String>,
    /// The rule's file.
    pub origin: String,
    /// Why it was not run.
    pub reason: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.title {
            Some(t) => write!(f, "{} ({t}): {}", self.origin, self.reason),
            None => write!(f, "{}: {}", self.origin, self.reason),
        }
    }
}

impl RuleSet {
    /// Reads a rule file, or every `.yml` and `.yaml` file under a folder (recursively, in
    /// path order). A file that is not a rule huntbook can read is listed in
    /// [`RuleSet::unreadable`] with the reason; only a file or folder that cannot be read at
    /// all is an error.
    pub fn read(path: impl AsRef<Path>) -> Result<RuleSet> {
        let path = path.as_ref();
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| Error::Io { path: p, source }
        };
        let mut files = Vec::new();
        if std::fs::metadata(path).map_err(io(path))?.is_dir() {
            walk(path, &mut files)?;
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        let mut set = RuleSet::default();
        for file in files {
            let text = std::fs::read(&file).map_err(io(&file))?;
            let origin = file.display().to_string();
            let text = match String::from_utf8(text) {
                Ok(t) => t,
                Err(_) => {
                    set.unreadable.push(Unsupported {
                        rule_id: None,
                        title: None,
                        origin,
                        reason: "not UTF-8 text".into(),
                    });
                    continue;
                }
            };
            set.add_yaml(&text, &origin);
        }
        Ok(set)
    }

    /// Rules already read.
    pub fn from_rules(rules: Vec<Rule>) -> RuleSet {
        RuleSet {
            rules,
            unreadable: Vec::new(),
        }
    }

    /// Adds the rule of one YAML text named `origin`; a rule that does not read is listed
    /// in [`RuleSet::unreadable`].
    pub fn add_yaml(&mut self, yaml: &str, origin: &str) {
        match Rule::parse(yaml, origin) {
            Ok(rule) => self.rules.push(rule),
            Err(e) => {
                let (title, reason) = match e {
                    Error::Rule {
                        origin: named,
                        message,
                    } => {
                        let title = named
                            .strip_prefix(origin)
                            .and_then(|t| t.strip_prefix(" ("))
                            .and_then(|t| t.strip_suffix(')'))
                            .map(str::to_string);
                        (title, message)
                    }
                    other => (None, other.to_string()),
                };
                let rule_id = serde_saphyr::from_str::<serde_json::Value>(yaml)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
                self.unreadable.push(Unsupported {
                    rule_id,
                    title,
                    origin: origin.to_string(),
                    reason,
                });
            }
        }
    }

    /// The rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The files that held no rule huntbook can read, with the reason.
    pub fn unreadable(&self) -> &[Unsupported] {
        &self.unreadable
    }

    /// Keeps the rules for which `keep` is true (by level, status, tag, ...).
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    /// The rules as a frame: `rule_id`, `title`, `level`, `status`, `logsource`,
    /// `techniques`, `tactics`, `origin`.
    pub fn to_frame(&self) -> Result<DataFrame> {
        rules_frame(&self.rules.iter().collect::<Vec<_>>(), None)
    }

    /// Runs every rule over `events` (a frame of Windows events, as the Security-Datasets
    /// readers and `huntbook_datasets::read_evtx` give them).
    ///
    /// Each rule runs on the events of its logsource only (the `Channel`, and the
    /// `EventID` for Sysmon and PowerShell categories); rules of one logsource are evaluated
    /// together, each as one expression over all of its events.
    pub fn hunt(&self, events: &DataFrame) -> Result<Hunt> {
        const ROW: &str = "\u{1}row";
        let mut unsupported: Vec<Unsupported> = self.unreadable.clone();
        let mut groups: BTreeMap<Events, Vec<usize>> = BTreeMap::new();
        for (i, rule) in self.rules.iter().enumerate() {
            match logsource::events(&rule.logsource) {
                Ok(e) => groups.entry(e).or_default().push(i),
                Err(reason) => unsupported.push(unsupported_rule(rule, reason)),
            }
        }
        let indexed = events
            .clone()
            .lazy()
            .with_row_index(ROW, None)
            .collect()
            .map_err(Error::frame("number the events"))?;
        let schema = events.schema().clone();
        let mut hits: Vec<(usize, IdxSize)> = Vec::new();
        let mut ran: Vec<(usize, Vec<String>)> = Vec::new();
        for (source, members) in groups {
            let mut compiler = Compiler::new(&schema);
            let channel = compiler.resolve("Channel");
            let event_id = compiler.resolve("EventID");
            let mut lacking = Vec::new();
            let mut filter = match channel {
                _ if source.channels.is_empty() => lit(true),
                Some((c, _)) => {
                    let wanted: Vec<String> =
                        source.channels.iter().map(|c| c.to_lowercase()).collect();
                    col(c)
                        .cast(DataType::String)
                        .str()
                        .to_lowercase()
                        .is_in(lit(Series::new("".into(), wanted)).implode(false), false)
                }
                None => {
                    lacking.push("Channel".to_string());
                    lit(false)
                }
            };
            if !source.event_ids.is_empty() {
                filter = filter.and(match event_id {
                    Some((c, _)) => col(c).cast(DataType::Int64).is_in(
                        lit(Series::new("".into(), source.event_ids.clone())).implode(false),
                        false,
                    ),
                    None => {
                        lacking.push("EventID".to_string());
                        lit(false)
                    }
                });
            }
            let subset = indexed
                .clone()
                .lazy()
                .filter(filter.fill_null(lit(false)))
                .collect()
                .map_err(Error::frame(format!(
                    "select the events of {}",
                    source_text(&source)
                )))?;
            let mut compiled = Vec::new();
            for i in members {
                compiler.missing.clear();
                match compiler.detection(&self.rules[i].detection) {
                    Ok(expr) => {
                        let mut missing: Vec<String> = compiler.missing.iter().cloned().collect();
                        missing.extend(lacking.iter().cloned());
                        ran.push((i, missing));
                        compiled.push((i, expr));
                    }
                    Err(reason) => unsupported.push(unsupported_rule(&self.rules[i], reason)),
                }
            }
            if subset.height() == 0 || compiled.is_empty() {
                continue;
            }
            let prepared = subset
                .lazy()
                .with_columns(compiler.lowered_columns())
                .collect()
                .map_err(Error::frame("lower the text columns the rules read"))?;
            let rows = prepared
                .column(ROW)
                .and_then(|c| c.idx().cloned())
                .map_err(Error::frame("number the events"))?;
            // A few hundred rules at a time: one column of booleans each.
            for batch in compiled.chunks(256) {
                let exprs: Vec<Expr> = batch
                    .iter()
                    .enumerate()
                    .map(|(k, (_, e))| e.clone().fill_null(lit(false)).alias(format!("r{k}")))
                    .collect();
                let out = prepared
                    .clone()
                    .lazy()
                    .select(exprs)
                    .collect()
                    .map_err(Error::frame(format!(
                        "run the rules of {} over the events",
                        source_text(&source)
                    )))?;
                for (k, (i, _)) in batch.iter().enumerate() {
                    let fired = out
                        .column(&format!("r{k}"))
                        .and_then(|c| c.bool().cloned())
                        .map_err(Error::frame(format!("rule {}", self.rules[*i].id)))?;
                    for (row, hit) in rows.into_no_null_iter().zip(fired.iter()) {
                        if hit == Some(true) {
                            hits.push((*i, row));
                        }
                    }
                }
            }
        }
        hits.sort_unstable();
        ran.sort_by_key(|(i, _)| *i);
        let matches = self.matches_frame(&hits, events)?;
        let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
        for (i, _) in &hits {
            *counts.entry(*i).or_default() += 1;
        }
        let run_rules: Vec<&Rule> = ran.iter().map(|(i, _)| &self.rules[*i]).collect();
        let extra = RunColumns {
            matches: ran
                .iter()
                .map(|(i, _)| counts.get(i).copied().unwrap_or(0))
                .collect(),
            missing: ran.iter().map(|(_, m)| m.clone()).collect(),
        };
        let rules = rules_frame(&run_rules, Some(&extra))?;
        Ok(Hunt {
            matches,
            rules,
            unsupported: unsupported_frame(&unsupported)?,
            unsupported_list: unsupported,
            events: events.height(),
        })
    }

    fn matches_frame(&self, hits: &[(usize, IdxSize)], events: &DataFrame) -> Result<DataFrame> {
        let rule = |i: usize| &self.rules[i];
        let texts = |f: &dyn Fn(&Rule) -> Option<String>| -> Vec<Option<String>> {
            hits.iter().map(|(i, _)| f(rule(*i))).collect()
        };
        let lists = |f: &dyn Fn(&Rule) -> Vec<String>| -> Series {
            let items: Vec<Series> = hits
                .iter()
                .map(|(i, _)| Series::new("".into(), f(rule(*i))))
                .collect();
            list_series(items)
        };
        let rows: Vec<IdxSize> = hits.iter().map(|(_, r)| *r).collect();
        let mut columns = vec![
            Column::new("rule_id".into(), texts(&|r| Some(r.id.clone()))),
            Column::new("rule_title".into(), texts(&|r| Some(r.title.clone()))),
            Column::new("rule_level".into(), texts(&|r| r.level.clone())),
            Column::new("rule_status".into(), texts(&|r| r.status.clone())),
            lists(&|r| r.techniques())
                .with_name("techniques".into())
                .into(),
            lists(&|r| r.tactics()).with_name("tactics".into()).into(),
            Column::new("row".into(), rows.clone()),
        ];
        let taken = events
            .take(&IdxCa::from_vec("".into(), rows))
            .map_err(Error::frame("take the matching events"))?;
        for c in taken.columns() {
            let mut c = c.clone();
            if columns.iter().any(|m| m.name() == c.name()) {
                let name = format!("{}_event", c.name());
                c.rename(name.into());
            }
            columns.push(c);
        }
        DataFrame::new(hits.len(), columns).map_err(Error::frame("build the matches"))
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn source_text(source: &Events) -> String {
    let mut text = if source.channels.is_empty() {
        "every event".to_string()
    } else {
        source.channels.join(" or ")
    };
    if !source.event_ids.is_empty() {
        let ids: Vec<String> = source.event_ids.iter().map(i64::to_string).collect();
        text.push_str(&format!(" events {}", ids.join(", ")));
    }
    text
}

fn unsupported_rule(rule: &Rule, reason: String) -> Unsupported {
    Unsupported {
        rule_id: Some(rule.id.clone()),
        title: Some(rule.title.clone()),
        origin: rule.origin.clone(),
        reason,
    }
}

fn list_series(items: Vec<Series>) -> Series {
    let series = Series::new("".into(), items);
    series
        .cast(&DataType::List(Box::new(DataType::String)))
        .unwrap_or(series)
}

struct RunColumns {
    matches: Vec<u32>,
    missing: Vec<Vec<String>>,
}

fn rules_frame(rules: &[&Rule], run: Option<&RunColumns>) -> Result<DataFrame> {
    let texts = |f: &dyn Fn(&Rule) -> Option<String>| -> Vec<Option<String>> {
        rules.iter().map(|r| f(r)).collect()
    };
    let lists = |values: Vec<Vec<String>>, name: &str| -> Column {
        list_series(
            values
                .into_iter()
                .map(|v| Series::new("".into(), v))
                .collect(),
        )
        .with_name(name.into())
        .into()
    };
    let mut columns = vec![
        Column::new("rule_id".into(), texts(&|r| Some(r.id.clone()))),
        Column::new("title".into(), texts(&|r| Some(r.title.clone()))),
        Column::new("level".into(), texts(&|r| r.level.clone())),
        Column::new("status".into(), texts(&|r| r.status.clone())),
        Column::new(
            "logsource".into(),
            texts(&|r| Some(r.logsource.to_string())),
        ),
        lists(rules.iter().map(|r| r.techniques()).collect(), "techniques"),
        lists(rules.iter().map(|r| r.tactics()).collect(), "tactics"),
    ];
    if let Some(run) = run {
        columns.push(Column::new("matches".into(), run.matches.clone()));
        columns.push(lists(run.missing.clone(), "missing_fields"));
    }
    columns.push(Column::new(
        "origin".into(),
        texts(&|r| Some(r.origin.clone())),
    ));
    DataFrame::new(rules.len(), columns).map_err(Error::frame("build the rules frame"))
}

fn unsupported_frame(list: &[Unsupported]) -> Result<DataFrame> {
    let col = |f: &dyn Fn(&Unsupported) -> Option<String>, name: &str| {
        Column::new(name.into(), list.iter().map(f).collect::<Vec<_>>())
    };
    DataFrame::new(
        list.len(),
        vec![
            col(&|u| u.rule_id.clone(), "rule_id"),
            col(&|u| u.title.clone(), "title"),
            col(&|u| Some(u.origin.clone()), "origin"),
            col(&|u| Some(u.reason.clone()), "reason"),
        ],
    )
    .map_err(Error::frame("build the unsupported rules frame"))
}

/// What a rule set found in a frame of events.
#[derive(Debug, Clone)]
pub struct Hunt {
    /// One row per (rule, event) match: `rule_id`, `rule_title`, `rule_level`,
    /// `rule_status`, `techniques` and `tactics` (from the rule's tags), `row` (the event's
    /// row in the frame hunted), then the event's own columns (a name the rule columns
    /// already use gets `_event` after it).
    pub matches: DataFrame,
    /// Every rule that ran: `rule_id`, `title`, `level`, `status`, `logsource`,
    /// `techniques`, `tactics`, `matches` (how many events it fired on), `missing_fields`
    /// (fields it reads that the frame lacks: it cannot fire on them), `origin`.
    pub rules: DataFrame,
    /// Every rule that did not run: `rule_id`, `title`, `origin`, `reason`.
    pub unsupported: DataFrame,
    unsupported_list: Vec<Unsupported>,
    events: usize,
}

impl Hunt {
    /// The rules that did not run, with the reason.
    pub fn unsupported_rules(&self) -> &[Unsupported] {
        &self.unsupported_list
    }

    /// The ids of the rules that fired, each once, sorted.
    pub fn fired(&self) -> Result<Vec<String>> {
        let ids = self
            .matches
            .column("rule_id")
            .and_then(|c| c.str().cloned())
            .map_err(Error::frame("read the matches"))?;
        let mut out: Vec<String> = ids.iter().flatten().map(str::to_string).collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// ATT&CK coverage per technique: `technique_id`, `rules` (rules that ran and name it),
    /// `rules_fired` (those of them that fired), `matches` (their matches).
    pub fn coverage(&self) -> Result<DataFrame> {
        let ran = per_tag(self.rules.clone().lazy(), "techniques", "technique_id")
            .group_by([col("technique_id")])
            .agg([
                len().cast(DataType::UInt32).alias("rules"),
                col("matches")
                    .gt(lit(0u32))
                    .sum()
                    .cast(DataType::UInt32)
                    .alias("rules_fired"),
                col("matches").sum().cast(DataType::UInt32).alias("matches"),
            ])
            .sort(["technique_id"], Default::default());
        ran.collect().map_err(Error::frame("count the coverage"))
    }

    /// The rules that fired, by ATT&CK tactic (from their tags), tactics in the matrix's
    /// order (one huntbook does not know, by name after them): `tactic`, `rules_fired`,
    /// `matches`. A rule tagged with two tactics counts in
    /// both; rules with no tactic tag are left out (`rules` lists them all).
    pub fn by_tactic(&self) -> Result<DataFrame> {
        let fired = self
            .rules
            .clone()
            .lazy()
            .filter(col("matches").gt(lit(0u32)));
        let grouped = per_tag(fired, "tactics", "tactic")
            .group_by([col("tactic")])
            .agg([
                len().cast(DataType::UInt32).alias("rules_fired"),
                col("matches").sum().cast(DataType::UInt32).alias("matches"),
            ])
            .collect()
            .map_err(Error::frame("count the matches by tactic"))?;
        let tactics = grouped
            .column("tactic")
            .and_then(|c| c.str().cloned())
            .map_err(Error::frame("count the matches by tactic"))?;
        // Known tactics in the matrix's order, then any other (a newer release's) by name.
        let place = |i: IdxSize| {
            let t = tactics.get(i as usize);
            let known = crate::rule::TACTICS.iter().position(|k| Some(*k) == t);
            (known.unwrap_or(usize::MAX), t)
        };
        let mut order: Vec<IdxSize> = (0..grouped.height() as IdxSize).collect();
        order.sort_by(|&a, &b| place(a).cmp(&place(b)));
        grouped
            .take(&IdxCa::from_vec("".into(), order))
            .map_err(Error::frame("count the matches by tactic"))
    }

    /// A Navigator layer of the techniques whose rules fired, scored by their matches;
    /// each technique's comment says how many of its rules ran and fired.
    pub fn layer(&self, name: &str) -> Result<Layer> {
        let fired = self
            .coverage()?
            .lazy()
            .filter(col("rules_fired").gt(lit(0u32)))
            .collect()
            .map_err(Error::frame("build the layer's rows"))?;
        let counts = |name: &str| -> Result<Vec<u32>> {
            let c = fired
                .column(name)
                .and_then(|c| c.u32().cloned())
                .map_err(Error::frame("build the layer's rows"))?;
            Ok(c.into_no_null_iter().collect())
        };
        let comments: Vec<String> = counts("rules_fired")?
            .into_iter()
            .zip(counts("rules")?)
            .map(|(f, r)| format!("{f} of {r} rules fired"))
            .collect();
        let mut coverage = fired;
        coverage
            .with_column(Column::new("comment".into(), comments))
            .map_err(Error::frame("build the layer's rows"))?;
        Ok(LayerBuilder::new(name, "enterprise-attack")
            .technique_column("technique_id")
            .score_column("matches")
            .comment_column("comment")
            .gradient(&["#ffe5cc", "#ff6600"])
            .build(&coverage)?)
    }
}

/// One row per (rule, tag) of the rules frame: the list column `list` as `name`, and the
/// rule's `matches`; rules without such tags are left out.
fn per_tag(rules: LazyFrame, list: &str, name: &str) -> LazyFrame {
    rules
        .select([col(list).alias(name), col("matches")])
        .explode(
            cols([name]),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        )
        .filter(col(name).is_not_null())
}

impl fmt::Display for Hunt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fired = self.fired().map(|v| v.len()).unwrap_or(0);
        let (ran, matches, not_run) = (
            self.rules.height(),
            self.matches.height(),
            self.unsupported.height(),
        );
        write!(
            f,
            "{ran} rule{} ran over {} event{}: {fired} fired, {matches} match{}; {not_run} rule{} did not run",
            plural(ran, "s"),
            self.events,
            plural(self.events, "s"),
            plural(matches, "es"),
            plural(not_run, "s"),
        )
    }
}

/// `suffix` unless `n` is one.
fn plural(n: usize, suffix: &str) -> &str {
    if n == 1 {
        ""
    } else {
        suffix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, tags: &str, image: &str) -> Rule {
        let yaml = format!(
            "title: {id}\nid: {id}\ntags: [{tags}]\nlogsource: {{product: windows, category: process_creation}}\n\
             detection:\n    selection:\n        Image|endswith: '{image}'\n    condition: selection\n"
        );
        Rule::parse(&yaml, id).expect("the test rule reads")
    }

    #[test]
    fn by_tactic_counts_fired_rules_per_tactic_in_the_matrix_order() -> Result<()> {
        let rules = RuleSet::from_rules(vec![
            rule("whoami", "attack.discovery, attack.t1033", "\\whoami.exe"),
            rule("cmd", "attack.execution, attack.discovery", "\\cmd.exe"),
            rule("never", "attack.persistence", "\\nothing.exe"),
            rule("hide", "attack.zz-future, attack.stealth", "\\hide.exe"),
        ]);
        let events = df!(
            "Channel" => ["Microsoft-Windows-Sysmon/Operational"; 4],
            "EventID" => [1i64, 1, 1, 1],
            "Image" => [r"C:\Windows\whoami.exe", r"C:\Windows\WHOAMI.EXE", r"C:\Windows\cmd.exe", r"C:\hide.exe"],
        )
        .map_err(Error::frame("test events"))?;
        let hunt = rules.hunt(&events)?;
        let by_tactic = hunt.by_tactic()?;
        // A tactic huntbook does not know (a newer release's) comes last, not dropped.
        let expected = df!(
            "tactic" => ["execution", "stealth", "discovery", "zz-future"],
            "rules_fired" => [1u32, 1, 2, 1],
            "matches" => [1u32, 1, 3, 1],
        )
        .map_err(Error::frame("expected"))?;
        assert_eq!(by_tactic, expected);
        Ok(())
    }

    #[test]
    fn the_summary_counts_in_words() -> Result<()> {
        let rules = RuleSet::from_rules(vec![
            rule("whoami", "attack.discovery", "\\whoami.exe"),
            rule("never", "attack.persistence", "\\nothing.exe"),
        ]);
        let one = df!(
            "Channel" => ["Microsoft-Windows-Sysmon/Operational"],
            "EventID" => [1i64],
            "Image" => [r"C:\Windows\whoami.exe"],
        )
        .map_err(Error::frame("test events"))?;
        assert_eq!(
            rules.hunt(&one)?.to_string(),
            "2 rules ran over 1 event: 1 fired, 1 match; 0 rules did not run"
        );
        Ok(())
    }
}
