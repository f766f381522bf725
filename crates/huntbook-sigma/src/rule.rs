//! Sigma rules as written: the YAML of one rule, read into a [`Rule`] whose detection is
//! checked (known modifiers, a condition that parses and names only defined searches)
//! before anything runs.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::condition::{self, Condition};
use crate::{Error, Result};

/// One Sigma rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule's `id` (a UUID in SigmaHQ's rules); the file name when it has none.
    pub id: String,
    /// The rule's `title`.
    pub title: String,
    /// `status`: `stable`, `test`, `experimental`, `deprecated`, `unsupported`.
    pub status: Option<String>,
    /// `level`: `informational`, `low`, `medium`, `high`, `critical`.
    pub level: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`, as written (`attack.t1059.001`, `attack.execution`, ...).
    pub tags: Vec<String>,
    /// What events the rule is about.
    pub logsource: LogSource,
    /// Where the rule came from: its file, or the name it was parsed under.
    pub origin: String,
    pub(crate) detection: Detection,
}

/// A rule's `logsource`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogSource {
    /// `product` (`windows`, `linux`, ...).
    pub product: Option<String>,
    /// `category` (`process_creation`, `registry_set`, ...).
    pub category: Option<String>,
    /// `service` (`security`, `sysmon`, `powershell`, ...).
    pub service: Option<String>,
}

impl fmt::Display for LogSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            ("product", &self.product),
            ("category", &self.category),
            ("service", &self.service),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
        if parts.is_empty() {
            f.write_str("no logsource")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A rule's `detection`: its named searches and the condition over them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Detection {
    pub searches: BTreeMap<String, Search>,
    pub condition: Condition,
}

/// One named search.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Search {
    /// A list of values looked for anywhere in the event.
    Keywords(Vec<Item>),
    /// Maps of field conditions: all of a map's items must hold; any of the maps.
    Maps(Vec<Vec<Item>>),
}

/// `Field|modifier|...: value or values`, or a keyword (no field).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub field: Option<String>,
    pub modifiers: Vec<Modifier>,
    pub values: Vec<Scalar>,
}

/// A value as the YAML gave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

impl Scalar {
    /// The value as text (a number as written).
    pub fn text(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Null => String::new(),
        }
    }
}

/// The field modifiers of the Sigma specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Modifier {
    Contains,
    StartsWith,
    EndsWith,
    All,
    Re,
    /// `re|i`, `re|m`, `re|s`: the regular expression's flags.
    ReFlag(char),
    Cidr,
    Windash,
    Base64,
    Base64Offset,
    Utf16Le,
    Utf16Be,
    Utf16,
    Exists,
    Cased,
    Gt,
    Gte,
    Lt,
    Lte,
    FieldRef,
    /// `expand`: placeholders that stand for a site's own values.
    Expand,
}

impl Modifier {
    fn parse(name: &str, after_re: bool) -> Option<Modifier> {
        Some(match name {
            "contains" => Modifier::Contains,
            "startswith" => Modifier::StartsWith,
            "endswith" => Modifier::EndsWith,
            "all" => Modifier::All,
            "re" => Modifier::Re,
            "i" | "m" | "s" if after_re => Modifier::ReFlag(name.chars().next()?),
            "cidr" => Modifier::Cidr,
            "windash" => Modifier::Windash,
            "base64" => Modifier::Base64,
            "base64offset" => Modifier::Base64Offset,
            "wide" | "utf16le" => Modifier::Utf16Le,
            "utf16be" => Modifier::Utf16Be,
            "utf16" => Modifier::Utf16,
            "exists" => Modifier::Exists,
            "cased" => Modifier::Cased,
            "gt" => Modifier::Gt,
            "gte" => Modifier::Gte,
            "lt" => Modifier::Lt,
            "lte" => Modifier::Lte,
            "fieldref" => Modifier::FieldRef,
            "expand" => Modifier::Expand,
            _ => return None,
        })
    }
}

impl Rule {
    /// Parses one rule from its YAML; `origin` (a file name) names it in errors.
    ///
    /// An error names the rule and what is wrong: YAML that does not parse, a missing
    /// `detection` or `condition`, an unknown modifier, a condition that does not parse or
    /// names a search the detection does not define.
    pub fn parse(yaml: &str, origin: &str) -> Result<Rule> {
        let doc: Value = serde_saphyr::from_str(yaml)
            .map_err(|e| Error::rule(origin, format!("not valid YAML: {e}")))?;
        let Value::Object(doc) = doc else {
            return Err(Error::rule(origin, "not a YAML mapping"));
        };
        let text = |key: &str| doc.get(key).and_then(scalar_text);
        let title = text("title");
        let named = match &title {
            Some(t) => format!("{origin} ({t})"),
            None => origin.to_string(),
        };
        let detection = doc
            .get("detection")
            .ok_or_else(|| Error::rule(&named, "no `detection`"))?;
        let detection = parse_detection(detection).map_err(|m| Error::rule(&named, m))?;
        let logsource = match doc.get("logsource") {
            Some(Value::Object(m)) => LogSource {
                product: m.get("product").and_then(scalar_text),
                category: m.get("category").and_then(scalar_text),
                service: m.get("service").and_then(scalar_text),
            },
            None | Some(Value::Null) => LogSource::default(),
            Some(_) => return Err(Error::rule(&named, "`logsource` is not a mapping")),
        };
        let tags = match doc.get("tags") {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            _ => Vec::new(),
        };
        Ok(Rule {
            id: text("id").unwrap_or_else(|| origin.to_string()),
            title: title.unwrap_or_else(|| origin.to_string()),
            status: text("status"),
            level: text("level"),
            description: text("description"),
            tags,
            logsource,
            origin: origin.to_string(),
            detection,
        })
    }

    /// The ATT&CK technique ids of the rule's tags (`attack.t1059.001` gives `T1059.001`).
    pub fn techniques(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack."))
            .filter(|t| {
                let mut c = t.chars();
                matches!(c.next(), Some('t' | 'T')) && c.next().is_some_and(|d| d.is_ascii_digit())
            })
            .map(|t| t.to_ascii_uppercase())
            .collect()
    }

    /// The ATT&CK tactics of the rule's tags, by their short names as ATT&CK spells them
    /// (`attack.defense-evasion` gives `defense-evasion`; Sigma's `_` is ATT&CK's `-`).
    /// Every `attack.` tag that is a name, not an id (`t1059`, `g0016`, `s0002`, `c0024`),
    /// is a tactic: one of a release newer than huntbook's list is kept, not dropped.
    pub fn tactics(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack."))
            .filter(|t| is_tactic_name(t))
            .map(|t| t.to_ascii_lowercase().replace('_', "-"))
            .collect()
    }
}

/// An ATT&CK tag's part after `attack.` that names a tactic: letters with `-` or `_`
/// between words, not an object id (a letter then digits).
fn is_tactic_name(tag: &str) -> bool {
    let id = tag.len() > 1 && tag[1..].chars().all(|c| c.is_ascii_digit() || c == '.');
    !id && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
}

/// ATT&CK's tactics (Enterprise, Mobile and ICS), by short name, Enterprise's in the
/// matrix's order: tactics are listed in this order, and others after them. ATT&CK v19's
/// Stealth and Defense Impairment, which took over Defense Evasion, stand where it stood.
pub(crate) const TACTICS: &[&str] = &[
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "stealth",
    "defense-impairment",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
    "evasion",
    "inhibit-response-function",
    "impair-process-control",
];

/// A scalar's text; `None` for null, a list or a mapping.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn parse_detection(value: &Value) -> Result<Detection, String> {
    let Value::Object(map) = value else {
        return Err("`detection` is not a mapping".into());
    };
    let mut searches = BTreeMap::new();
    let mut condition = None;
    for (name, value) in map {
        match name.as_str() {
            "condition" => condition = Some(value),
            // Sigma 1's time window for aggregations: nothing to match on its own.
            "timeframe" => {}
            _ => {
                let search = parse_search(value).map_err(|m| format!("search `{name}`: {m}"))?;
                searches.insert(name.clone(), search);
            }
        }
    }
    let condition = match condition {
        Some(Value::String(text)) => condition::parse(text, &searches)?,
        Some(Value::Array(items)) => {
            // A list of conditions: any of them.
            let mut any = Vec::new();
            for item in items {
                let Value::String(text) = item else {
                    return Err("`condition` lists something that is not text".into());
                };
                any.push(condition::parse(text, &searches)?);
            }
            Condition::Or(any)
        }
        Some(_) => return Err("`condition` is not text".into()),
        None => return Err("no `condition` in `detection`".into()),
    };
    Ok(Detection {
        searches,
        condition,
    })
}

fn parse_search(value: &Value) -> Result<Search, String> {
    match value {
        Value::Object(map) => Ok(Search::Maps(vec![parse_map(map)?])),
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let maps = items
                .iter()
                .filter_map(Value::as_object)
                .map(parse_map)
                .collect::<Result<_, _>>()?;
            Ok(Search::Maps(maps))
        }
        Value::Array(items) => {
            let values = items
                .iter()
                .map(|v| scalar(v).ok_or("a keyword list holds a list or a mapping"))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Search::Keywords(vec![Item {
                field: None,
                modifiers: Vec::new(),
                values,
            }]))
        }
        other => match scalar(other) {
            Some(v) => Ok(Search::Keywords(vec![Item {
                field: None,
                modifiers: Vec::new(),
                values: vec![v],
            }])),
            None => Err("not a mapping, a list or a value".into()),
        },
    }
}

fn scalar(v: &Value) -> Option<Scalar> {
    Some(match v {
        Value::String(s) => Scalar::Str(s.clone()),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Scalar::Int(i),
            None => Scalar::Float(n.as_f64()?),
        },
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn parse_map(map: &serde_json::Map<String, Value>) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for (key, value) in map {
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or_default();
        let mut modifiers = Vec::new();
        for name in parts {
            let after_re = modifiers
                .iter()
                .any(|m| matches!(m, Modifier::Re | Modifier::ReFlag(_)));
            let m = Modifier::parse(name, after_re)
                .ok_or_else(|| format!("unknown modifier `{name}` in `{key}`"))?;
            modifiers.push(m);
        }
        let values = match value {
            Value::Array(list) => list
                .iter()
                .map(|v| scalar(v).ok_or_else(|| format!("`{key}` lists a list or a mapping")))
                .collect::<Result<Vec<_>, _>>()?,
            Value::Object(_) => return Err(format!("`{key}` holds a mapping")),
            v => vec![scalar(v).unwrap_or(Scalar::Null)],
        };
        items.push(Item {
            field: (!field.is_empty()).then(|| field.to_string()),
            modifiers,
            values,
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
title: Whoami
id: 11111111-2222-3333-4444-555555555555
status: test
level: high
tags:
    - attack.discovery
    - attack.t1033
    - attack.defense_evasion
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\whoami.exe'
        CommandLine|contains|all:
            - '/all'
            - '/fo'
    filter:
        User: null
    condition: selection and not filter
"#;

    #[test]
    fn a_rule_reads_with_its_tags_and_searches() {
        let rule = Rule::parse(RULE, "whoami.yml").unwrap();
        assert_eq!(rule.title, "Whoami");
        assert_eq!(rule.level.as_deref(), Some("high"));
        assert_eq!(rule.techniques(), ["T1033"]);
        assert_eq!(rule.tactics(), ["discovery", "defense-evasion"]);
        assert_eq!(rule.logsource.category.as_deref(), Some("process_creation"));
        let Search::Maps(maps) = &rule.detection.searches["selection"] else {
            panic!()
        };
        assert_eq!(maps[0][1].modifiers, [Modifier::Contains, Modifier::All]);
        assert_eq!(
            rule.detection.searches["filter"],
            Search::Maps(vec![vec![Item {
                field: Some("User".into()),
                modifiers: vec![],
                values: vec![Scalar::Null],
            }]])
        );
    }

    #[test]
    fn a_tactic_of_a_newer_release_is_kept_and_ids_are_not_tactics() {
        let tags = [
            "attack.stealth",
            "attack.defense_impairment",
            "attack.some-future-tactic",
            "attack.t1685",
            "attack.g0016",
            "attack.s0002",
            "attack.c0024",
            "attack.t1059.001",
            "car.2016-04-005",
            "detection.threat-hunting",
        ];
        let yaml = format!(
            "title: t\ntags: [{}]\nlogsource: {{product: windows}}\ndetection:\n    keywords: [x]\n    condition: keywords\n",
            tags.join(", ")
        );
        let rule = Rule::parse(&yaml, "t.yml").unwrap();
        assert_eq!(
            rule.tactics(),
            ["stealth", "defense-impairment", "some-future-tactic"]
        );
        assert_eq!(rule.techniques(), ["T1685", "T1059.001"]);
    }

    #[test]
    fn faults_name_the_rule_and_what_is_wrong() {
        let e = |yaml: &str| Rule::parse(yaml, "bad.yml").unwrap_err().to_string();
        let bad_modifier = RULE.replace("|endswith", "|endswit");
        assert_eq!(
            e(&bad_modifier),
            "bad.yml (Whoami): search `selection`: unknown modifier `endswit` in `Image|endswit`"
        );
        let bad_condition = RULE.replace("selection and not filter", "selection and (not filter");
        assert!(
            e(&bad_condition)
                .starts_with("bad.yml (Whoami): condition `selection and (not filter`"),
            "{}",
            e(&bad_condition)
        );
        let unknown = RULE.replace("selection and not filter", "selection and other");
        assert!(e(&unknown).contains("`other`"), "{}", e(&unknown));
        assert!(e("title: x\n").contains("no `detection`"));
        assert!(e("detection: [").contains("not valid YAML"));
        assert!(e("- 1\n").contains("not a YAML mapping"));
    }
}
