//! Which data sources see which techniques, on every release.
//!
//! ATT&CK changed how it says this three times:
//!
//! | releases | where | [`Method`] |
//! |---|---|---|
//! | up to 8 | `x_mitre_data_sources` plain names (`Process monitoring`) | `LegacyName` |
//! | 9 to 17 | `x_mitre_data_sources` as `Data Source: Data Component` | `TechniqueField` |
//! | 10 to 17 | data component `detects` technique relationships | `DetectsRelationship` |
//! | 18 on | detection strategy `detects` technique → analytics → log source references → data components | `DetectionStrategy` |
//!
//! [`Attack::technique_data_sources`] reads all of them into one frame, so the same question
//! has an answer on every release, and the frame says how each answer was found.

use std::collections::{HashMap, HashSet};

use polars::prelude::DataFrame;

use crate::attack::{Attack, ObjectStatus};
use crate::error::FrameContext;
use crate::model::Technique;
use crate::Result;
use huntbook_frames::FrameBuilder;

/// How a (technique, data source) pair was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// A plain name in `x_mitre_data_sources` (releases up to 8).
    LegacyName,
    /// A `Data Source: Data Component` string in `x_mitre_data_sources` (9 to 17).
    TechniqueField,
    /// A data component's `detects` relationship to the technique (10 to 17).
    DetectsRelationship,
    /// Detection strategy → analytic → log source reference → data component (18+).
    DetectionStrategy,
}

impl Method {
    /// The label used in the `method` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::LegacyName => "legacy name",
            Method::TechniqueField => "x_mitre_data_sources",
            Method::DetectsRelationship => "detects relationship",
            Method::DetectionStrategy => "detection strategy",
        }
    }
}

/// One (technique, data source, data component) pair.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSourceLink<'a> {
    /// The technique.
    pub technique: &'a Technique,
    /// The data source name, when known (`Process`; null for v18 components, which no
    /// longer belong to a data source).
    pub data_source: Option<String>,
    /// The data component name (`Process Creation`), absent for legacy names.
    pub data_component: Option<String>,
    /// How it was found.
    pub method: Method,
    /// What led there: analytic ids (`AN0001`) for detection strategies, the detection
    /// strategy ids too, or nothing.
    pub via: Vec<String>,
}

impl<'a> DataSourceLink<'a> {
    /// `Data Source: Data Component`, the data component alone, or the legacy name.
    pub fn label(&self) -> String {
        match (&self.data_source, &self.data_component) {
            (Some(s), Some(c)) => format!("{s}: {c}"),
            (None, Some(c)) => c.clone(),
            (Some(s), None) => s.clone(),
            (None, None) => String::new(),
        }
    }
}

impl Attack {
    /// Every (technique, data source) link of every method, for the techniques passing
    /// `status`. `detects` relationships are filtered by the same `status`; detection
    /// strategies, analytics and data components are followed as they are (attackcti 0.6
    /// does the same).
    pub fn technique_data_source_links(&self, status: ObjectStatus) -> Vec<DataSourceLink<'_>> {
        let mut links = Vec::new();
        self.collect_links(status, &mut links);
        links
    }

    fn collect_links<'a>(&'a self, status: ObjectStatus, links: &mut Vec<DataSourceLink<'a>>) {
        let techniques: HashMap<&str, &Technique> = self
            .techniques()
            .iter()
            .filter(|t| status.keeps(t))
            .map(|t| (t.id.as_str(), t))
            .collect();
        let index_of: HashMap<&str, usize> = self
            .techniques()
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        // (technique, data source, data component, method) -> position in `links`.
        let mut seen: HashMap<(usize, Option<String>, Option<String>, Method), usize> =
            HashMap::new();
        let mut add = |link: DataSourceLink<'a>, links: &mut Vec<DataSourceLink<'a>>| {
            let key = (
                index_of[link.technique.id.as_str()],
                link.data_source.clone(),
                link.data_component.clone(),
                link.method,
            );
            match seen.get(&key) {
                Some(&at) => {
                    let existing = &mut links[at];
                    for v in link.via {
                        if !existing.via.contains(&v) {
                            existing.via.push(v);
                        }
                    }
                }
                None => {
                    seen.insert(key, links.len());
                    links.push(link);
                }
            }
        };

        // 1. The technique's own field.
        for t in self.techniques().iter().filter(|t| status.keeps(t)) {
            for ds in t.data_sources.iter().flatten() {
                let link = match ds.split_once(':') {
                    Some((s, c)) => DataSourceLink {
                        technique: t,
                        data_source: Some(s.trim().to_string()),
                        data_component: Some(c.trim().to_string()),
                        method: Method::TechniqueField,
                        via: vec![],
                    },
                    None => DataSourceLink {
                        technique: t,
                        data_source: Some(ds.trim().to_string()),
                        data_component: None,
                        method: Method::LegacyName,
                        via: vec![],
                    },
                };
                add(link, links);
            }
        }

        // 2. `detects` relationships from data components and detection strategies.
        for r in self.relationships() {
            if r.relationship_type != "detects" || !status.keeps(r) {
                continue;
            }
            let Some(&technique) = techniques.get(r.target_ref.as_str()) else {
                continue;
            };
            if let Some(component) = self.data_component_by_id(&r.source_ref) {
                let source = component
                    .data_source_ref
                    .as_deref()
                    .and_then(|s| self.data_source_by_id(s))
                    .and_then(|s| s.name.clone());
                add(
                    DataSourceLink {
                        technique,
                        data_source: source,
                        data_component: component.name.clone(),
                        method: Method::DetectsRelationship,
                        via: vec![],
                    },
                    links,
                );
            } else if let Some(strategy) = self.detection_strategy_by_id(&r.source_ref) {
                for analytic_ref in &strategy.analytic_refs {
                    let Some(analytic) = self.analytic_by_id(analytic_ref) else {
                        continue;
                    };
                    for reference in &analytic.log_source_references {
                        let Some(component) = reference
                            .x_mitre_data_component_ref
                            .as_deref()
                            .and_then(|c| self.data_component_by_id(c))
                        else {
                            continue;
                        };
                        let source = component
                            .data_source_ref
                            .as_deref()
                            .and_then(|s| self.data_source_by_id(s))
                            .and_then(|s| s.name.clone());
                        let mut via = Vec::new();
                        via.extend(strategy.attack_id().map(str::to_string));
                        via.extend(analytic.attack_id().map(str::to_string));
                        add(
                            DataSourceLink {
                                technique,
                                data_source: source,
                                data_component: component.name.clone(),
                                method: Method::DetectionStrategy,
                                via,
                            },
                            links,
                        );
                    }
                }
            }
        }
    }

    /// The data sources of every technique passing `status`, on any release, one row per
    /// (technique, data source, data component, method). Columns: `technique_id`,
    /// `technique`, `matrix`, `domain`, `platform`, `tactic`, `data_source`,
    /// `data_component`, `label` (`Data Source: Data Component`, or the component alone),
    /// `method`, `via`.
    pub fn technique_data_sources(&self, status: ObjectStatus) -> Result<DataFrame> {
        let links = self.technique_data_source_links(status);
        let labels: Vec<String> = links.iter().map(DataSourceLink::label).collect();
        FrameBuilder::new("technique data sources", links.len())
            .str(
                "technique_id",
                links.iter().map(|l| l.technique.attack_id()),
            )
            .str(
                "technique",
                links.iter().map(|l| l.technique.name.as_deref()),
            )
            .str(
                "matrix",
                links.iter().map(|l| {
                    l.technique
                        .matrix()
                        .or_else(|| Attack::domain_of(l.technique).map(crate::Domain::matrix))
                }),
            )
            .str(
                "domain",
                links
                    .iter()
                    .map(|l| Attack::domain_of(l.technique).map(crate::Domain::as_str)),
            )
            .list(
                "platform",
                links
                    .iter()
                    .map(|l| Some(l.technique.platforms.iter().map(String::as_str))),
            )
            .list("tactic", links.iter().map(|l| Some(l.technique.tactics())))
            .str(
                "data_source",
                links.iter().map(|l| l.data_source.as_deref()),
            )
            .str(
                "data_component",
                links.iter().map(|l| l.data_component.as_deref()),
            )
            .str("label", labels.iter().map(|l| Some(l.as_str())))
            .str("method", links.iter().map(|l| Some(l.method.as_str())))
            .list(
                "via",
                links.iter().map(|l| Some(l.via.iter().map(String::as_str))),
            )
            .finish()
            .map_err(Into::into)
    }

    /// The techniques frame (techniques passing `status`) whose `data_sources` column
    /// answers on every release: the techniques' own `x_mitre_data_sources` when the release
    /// has them (up to 17), else the data components found by
    /// [`Attack::technique_data_sources`] (`Data Source: Data Component` when the component
    /// still names its source, the component alone from 18 on). Null for a technique with
    /// none. The `data_sources_method` column says which way each value was found.
    pub fn techniques_frame_with_data_sources(&self, status: ObjectStatus) -> Result<DataFrame> {
        let techniques = self.techniques_with(status);
        let mut df = crate::frames::techniques(&techniques)?;
        let has_field = techniques.iter().any(|t| t.data_sources.is_some());
        if has_field {
            let method = FrameBuilder::new("techniques", techniques.len())
                .str(
                    "data_sources_method",
                    techniques.iter().map(|t| {
                        t.data_sources
                            .as_ref()
                            .map(|_| Method::TechniqueField.as_str())
                    }),
                )
                .finish()?;
            df.hstack_mut(method.columns()).frame("techniques")?;
            return Ok(df);
        }
        let mut labels: HashMap<&str, Vec<String>> = HashMap::new();
        let mut methods: HashMap<&str, Method> = HashMap::new();
        for link in self.technique_data_source_links(status) {
            let list = labels.entry(link.technique.id.as_str()).or_default();
            let label = link.label();
            if !list.contains(&label) {
                list.push(label);
            }
            methods
                .entry(link.technique.id.as_str())
                .or_insert(link.method);
        }
        let replaced = FrameBuilder::new("techniques", techniques.len())
            .list(
                "data_sources",
                techniques.iter().map(|t| {
                    labels
                        .get(t.id.as_str())
                        .map(|l| l.iter().map(String::as_str))
                }),
            )
            .str(
                "data_sources_method",
                techniques
                    .iter()
                    .map(|t| methods.get(t.id.as_str()).map(|m| m.as_str())),
            )
            .finish()?;
        let mut columns = replaced.into_columns();
        let method = columns.pop();
        if let Some(list) = columns.pop() {
            df.replace("data_sources", list).frame("techniques")?;
        }
        if let Some(method) = method {
            df.hstack_mut(&[method]).frame("techniques")?;
        }
        Ok(df)
    }

    /// Techniques whose `x_mitre_data_sources` holds one of `terms`, compared whole and
    /// ignoring case, several terms OR-ed: the seed notebook's
    /// `get_techniques_by_datasources` (section 18). Only releases up to 17 carry the field.
    pub fn techniques_by_data_sources(
        &self,
        terms: &[&str],
        status: ObjectStatus,
    ) -> Vec<&Technique> {
        let terms: Vec<String> = terms.iter().map(|t| t.trim().to_lowercase()).collect();
        self.techniques()
            .iter()
            .filter(|t| status.keeps(t))
            .filter(|t| {
                t.data_sources
                    .iter()
                    .flatten()
                    .any(|ds| terms.contains(&ds.trim().to_lowercase()))
            })
            .collect()
    }

    /// Techniques reached through a data component whose name contains one of `terms`
    /// (ignoring case, OR-ed), by any [`Method`], on any release: the version-aware form of
    /// attackcti's `get_techniques_by_data_components`. In load order, each once.
    pub fn techniques_by_data_components(
        &self,
        terms: &[&str],
        status: ObjectStatus,
    ) -> Vec<&Technique> {
        let terms: Vec<String> = terms
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        let matched: HashSet<&str> = self
            .technique_data_source_links(status)
            .into_iter()
            .filter(|l| {
                l.data_component
                    .as_deref()
                    .is_some_and(|c| terms.iter().any(|t| c.to_lowercase().contains(t)))
            })
            .map(|l| l.technique.id.as_str())
            .collect();
        self.techniques()
            .iter()
            .filter(|t| matched.contains(t.id.as_str()))
            .collect()
    }
}
