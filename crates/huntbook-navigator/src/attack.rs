//! Layers and an ATT&CK release: checking a layer against one, and the layers hunters make
//! from its queries (a group's techniques, a piece of software's, what detects each one).

use std::collections::HashMap;
use std::fmt;

use huntbook_attack::{Attack, Domain, ObjectStatus};
use polars::prelude::*;

use crate::error::{Error, Result};
use crate::frame::{text_column, LayerBuilder};
use crate::layer::Layer;

/// What is wrong with one technique entry of a layer, for a given release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// No technique of the release has this id.
    Unknown,
    /// The technique belongs to other domains (`mobile-attack`, ...).
    OtherDomain(Vec<String>),
    /// The technique is not under this tactic (it is under those listed).
    NotUnderTactic(Vec<String>),
    /// The technique was revoked (by the technique named, if known).
    Revoked(Option<String>),
    /// The technique is deprecated.
    Deprecated,
}

/// A [`Problem`] of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerWarning {
    /// The entry's technique id.
    pub technique_id: String,
    /// The entry's tactic, if it has one.
    pub tactic: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for LayerWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.technique_id)?;
        if let Some(t) = &self.tactic {
            write!(f, " ({t})")?;
        }
        match &self.problem {
            Problem::Unknown => write!(f, ": no technique of this release has this id"),
            Problem::OtherDomain(d) => write!(
                f,
                ": a technique of {}, not of this layer's domain",
                d.join(", ")
            ),
            Problem::NotUnderTactic(t) => {
                write!(f, ": not under this tactic (it is under {})", t.join(", "))
            }
            Problem::Revoked(Some(by)) => write!(f, ": revoked, replaced by {by}"),
            Problem::Revoked(None) => write!(f, ": revoked"),
            Problem::Deprecated => write!(f, ": deprecated"),
        }
    }
}

impl Layer {
    /// Every entry that does not fit `attack`: unknown ids, techniques of another domain,
    /// tactics the technique is not under, revoked or deprecated techniques. Nothing is
    /// removed: the caller decides.
    pub fn check(&self, attack: &Attack) -> Vec<LayerWarning> {
        let domain = Domain::parse(&self.domain);
        let mut warnings = Vec::new();
        for e in &self.techniques {
            let warn = |problem| LayerWarning {
                technique_id: e.technique_id.clone(),
                tactic: e.tactic.clone(),
                problem,
            };
            let Some(t) = attack
                .techniques()
                .iter()
                .filter(|t| {
                    t.attack_id()
                        .is_some_and(|id| id.eq_ignore_ascii_case(&e.technique_id))
                })
                .min_by_key(|t| !t.is_active())
            else {
                warnings.push(warn(Problem::Unknown));
                continue;
            };
            if let Some(d) = domain {
                let domains: Vec<String> = t.domains.clone();
                if !domains.is_empty() && !domains.iter().any(|x| Domain::parse(x) == Some(d)) {
                    warnings.push(warn(Problem::OtherDomain(domains)));
                    continue;
                }
            }
            if let Some(tactic) = &e.tactic {
                let tactics: Vec<String> = t.tactics().map(str::to_string).collect();
                if !tactics.iter().any(|x| x.eq_ignore_ascii_case(tactic)) {
                    warnings.push(warn(Problem::NotUnderTactic(tactics)));
                }
            }
            if t.revoked {
                let by = attack
                    .revoked_by(&t.id)
                    .and_then(|c| c.attack_id())
                    .map(str::to_string);
                warnings.push(warn(Problem::Revoked(by)));
            } else if t.deprecated {
                warnings.push(warn(Problem::Deprecated));
            }
        }
        warnings
    }
}

/// The major ATT&CK version of a loaded release (`18` for `18.1`).
fn attack_version(attack: &Attack) -> Option<String> {
    attack.release().map(str::to_string)
}

fn builder(name: &str, domain: Domain, attack: &Attack) -> LayerBuilder {
    let b = LayerBuilder::new(name, domain.as_str());
    match attack_version(attack) {
        Some(v) => b.attack_version(&v),
        None => b,
    }
}

/// A frame of the `domain` rows of `df` (its `domain` column), with a `score` column of 1.
fn scored(df: DataFrame, domain: Domain, what: &str) -> Result<DataFrame> {
    let polars = |source| Error::Polars {
        what: what.to_string(),
        source,
    };
    let mut df = if df.column("domain").is_ok() {
        df.lazy()
            .filter(col("domain").eq(lit(domain.as_str())))
            .collect()
            .map_err(polars)?
    } else {
        df
    };
    let ones = Column::new("score".into(), vec![1i64; df.height()]);
    df.with_column(ones).map_err(polars)?;
    Ok(df)
}

/// The techniques `group` uses (its campaigns' too with `include_campaigns`), each with
/// score 1, a link to its ATT&CK page, and the `via` (group or campaign) as metadata, as
/// mitreattack-python's `UsageLayerGenerator` makes it.
pub fn group_layer(
    attack: &Attack,
    group: &str,
    include_campaigns: bool,
    domain: Domain,
) -> Result<Layer> {
    let g = attack.group(group)?;
    let title = format!("{} ({})", g.name(), g.attack_id().unwrap_or(&g.id));
    let df = attack.techniques_used_by_group(group, include_campaigns, ObjectStatus::Active)?;
    let df = scored(df, domain, &title)?;
    let layer = builder(&format!("{title} techniques"), domain, attack)
        .link_column("url", "ATT&CK")
        .metadata_columns(&["via"])
        .build(&df)?
        .with_description(format!(
            "Techniques used by {title}{}, ATT&CK {}",
            if include_campaigns {
                " and the campaigns attributed to it"
            } else {
                ""
            },
            attack.release().unwrap_or("?")
        ))
        .with_gradient(&["#ffffff", "#66b1ff"], 0.0, 1.0)
        .with_legend(&format!("used by {}", g.name()), "#66b1ff");
    Ok(layer)
}

/// The techniques a piece of software uses, score 1 each.
pub fn software_layer(attack: &Attack, software: &str, domain: Domain) -> Result<Layer> {
    let s = attack.software_item(software)?;
    let title = format!("{} ({})", s.name(), s.attack_id().unwrap_or(&s.id));
    let df = attack.techniques_used_by_software(software, ObjectStatus::Active)?;
    let df = scored(df, domain, &title)?;
    Ok(builder(&format!("{title} techniques"), domain, attack)
        .link_column("url", "ATT&CK")
        .build(&df)?
        .with_description(format!(
            "Techniques used by {title}, ATT&CK {}",
            attack.release().unwrap_or("?")
        ))
        .with_gradient(&["#ffffff", "#66b1ff"], 0.0, 1.0)
        .with_legend(&format!("used by {}", s.name()), "#66b1ff"))
}

/// Every active technique of `domain` scored by the number of distinct data components that
/// help detect it (through detection strategies on v18+, the components it lists before),
/// their names as metadata.
pub fn data_components_layer(attack: &Attack, domain: Domain) -> Result<Layer> {
    let what = "data components per technique";
    let polars = |source| Error::Polars {
        what: what.to_string(),
        source,
    };
    let text = |df: &DataFrame, name: &str| text_column(df, name, what);
    // In the detections' own row order, so the layer is the same on every run.
    let techniques = attack.techniques_frame_with(ObjectStatus::Active)?;
    let in_domain: std::collections::HashSet<String> = text(&techniques, "technique_id")?
        .into_iter()
        .zip(text(&techniques, "domain")?)
        .filter(|(_, d)| d.as_deref() == Some(domain.as_str()))
        .filter_map(|(t, _)| t)
        .collect();
    let detections = attack.detections_frame(ObjectStatus::Active)?;
    let mut components: Vec<(String, Vec<String>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (technique, component) in text(&detections, "technique_id")?
        .into_iter()
        .zip(text(&detections, "data_component")?)
    {
        let (Some(technique), Some(component)) = (technique, component) else {
            continue;
        };
        if !in_domain.contains(&technique) {
            continue;
        }
        let i = *at.entry(technique.clone()).or_insert_with(|| {
            components.push((technique, Vec::new()));
            components.len() - 1
        });
        if !components[i].1.contains(&component) {
            components[i].1.push(component);
        }
    }
    let ids: Vec<&str> = components.iter().map(|c| c.0.as_str()).collect();
    let scores: Vec<i64> = components.iter().map(|c| c.1.len() as i64).collect();
    let names: Vec<String> = components.iter().map(|c| c.1.join(", ")).collect();
    let df = df!("technique_id" => ids, "score" => &scores, "data_components" => names)
        .map_err(polars)?;
    let max = scores.iter().copied().max().unwrap_or(1) as f64;
    Ok(builder(
        &format!("Data components per technique ({})", domain.as_str()),
        domain,
        attack,
    )
    .metadata_columns(&["data_components"])
    .build(&df)?
    .with_description(format!(
        "How many data components help detect each technique, ATT&CK {}",
        attack.release().unwrap_or("?")
    ))
    .with_gradient(&["#ffffff", "#8ec843"], 0.0, max)
    .with_legend("no data component", "#ffffff")
    .with_legend(&format!("{max:.0} data components"), "#8ec843"))
}

/// Colours of [`changes_layer`], by change (`diff_stix`'s section).
pub const CHANGE_COLORS: [(&str, &str); 7] = [
    ("additions", "#8ec843"),
    ("major_version_changes", "#f5a623"),
    ("minor_version_changes", "#ffe766"),
    ("other_version_changes", "#c6a0ff"),
    ("patches", "#cfe8ff"),
    ("revocations", "#ff6666"),
    ("deprecations", "#bbbbbb"),
];

/// The techniques and sub-techniques of `domain` that changed from `old` to `attack`,
/// coloured by how ([`CHANGE_COLORS`], with a legend), the change, a rename and tactic
/// moves as comment. Deleted techniques have no cell in the new matrix and are left out
/// (they are rows of [`Attack::changes_since`]).
pub fn changes_layer(attack: &Attack, old: &Attack, domain: Domain) -> Result<Layer> {
    let what = "release changes layer";
    let polars = |source| Error::Polars {
        what: what.to_string(),
        source,
    };
    let changes = attack.changes_since(old)?;
    let text = |name: &str| text_column(&changes, name, what);
    let lists = |name: &str| -> Result<Vec<Vec<String>>> {
        let column = changes.column(name).map_err(polars)?;
        let list = column.list().map_err(polars)?;
        list.amortized_iter()
            .map(|cell| {
                let Some(s) = cell else { return Ok(vec![]) };
                Ok(s.as_ref()
                    .str()
                    .map_err(polars)?
                    .iter()
                    .flatten()
                    .map(str::to_string)
                    .collect())
            })
            .collect()
    };
    let (domains, types, kinds, ids, old_names) = (
        text("domain")?,
        text("type")?,
        text("change")?,
        text("attack_id")?,
        text("old_name")?,
    );
    let names = text("name")?;
    let (added, removed) = (lists("tactics_added")?, lists("tactics_removed")?);
    let mut layer = Layer::new(
        format!(
            "Changes from ATT&CK {} to {}",
            old.release().unwrap_or("?"),
            attack.release().unwrap_or("?")
        ),
        domain.as_str(),
        attack.release(),
    );
    for i in 0..changes.height() {
        let technique = matches!(types[i].as_deref(), Some("techniques" | "sub-techniques"));
        if !technique || domains[i].as_deref() != Some(domain.as_str()) {
            continue;
        }
        let (Some(kind), Some(id)) = (kinds[i].as_deref(), ids[i].as_deref()) else {
            continue;
        };
        let Some((_, color)) = CHANGE_COLORS.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let mut comment = kind.replace('_', " ");
        if let (Some(was), Some(now)) = (&old_names[i], &names[i]) {
            if was != now {
                comment.push_str(&format!("; renamed from {was:?}"));
            }
        }
        if !added[i].is_empty() {
            comment.push_str(&format!("; now also under {}", added[i].join(", ")));
        }
        if !removed[i].is_empty() {
            comment.push_str(&format!("; no longer under {}", removed[i].join(", ")));
        }
        let mut entry = crate::layer::TechniqueEntry::new(id);
        entry.color = Some(color.to_string());
        entry.comment = Some(comment);
        layer.techniques.push(entry);
    }
    for (kind, color) in CHANGE_COLORS {
        layer = layer.with_legend(&kind.replace('_', " "), color);
    }
    Ok(layer)
}
