//! polars frames of ATT&CK objects, with typed columns: lists as `list[str]`, times as
//! `datetime[ms]` (UTC, stored without a zone so that polars needs no time-zone database),
//! flags as `bool`.
//!
//! Column names follow attackcti's `stix_format=False` output where it has one (`technique`,
//! `technique_id`, `tactic`, `platform`, `data_sources`, `matrix`, ...), so pandas habits
//! carry over.

use polars::prelude::*;

use crate::attack::{Attack, ObjectStatus};
use crate::model::*;
use crate::Result;
use huntbook_frames::FrameBuilder;

/// The columns every ATT&CK object frame starts and ends with.
pub(crate) trait ObjectColumns: Sized {
    /// `id`, `{kind}_id` (the ATT&CK id) and `{kind}` (the name): how every object frame
    /// starts.
    fn head<'a, T>(self, kind: &str, items: &[&'a T]) -> Self
    where
        T: std::ops::Deref<Target = Common> + 'a;
    /// The columns every object frame ends with.
    fn tail<'a, T>(self, items: &[&'a T], domain_list: bool) -> Self
    where
        T: std::ops::Deref<Target = Common> + 'a;
}

impl ObjectColumns for FrameBuilder {
    fn tail<'a, T>(self, items: &[&'a T], domain_list: bool) -> Self
    where
        T: std::ops::Deref<Target = Common> + 'a,
    {
        let b = self.str(
            "description",
            items.iter().map(|o| o.description.as_deref()),
        );
        let b = if domain_list {
            b.list(
                "domain",
                items
                    .iter()
                    .map(|o| Some(o.domains.iter().map(String::as_str))),
            )
        } else {
            b.str(
                "domain",
                items
                    .iter()
                    .map(|o| Attack::domain_of(o).map(crate::Domain::as_str)),
            )
        };
        b.str("url", items.iter().map(|o| o.url()))
            .str("version", items.iter().map(|o| o.version.as_deref()))
            .datetime("created", items.iter().map(|o| o.created.as_deref()))
            .datetime("modified", items.iter().map(|o| o.modified.as_deref()))
            .bool("revoked", items.iter().map(|o| o.revoked))
            .bool("deprecated", items.iter().map(|o| o.deprecated))
    }

    fn head<'a, T>(self, kind: &str, items: &[&'a T]) -> Self
    where
        T: std::ops::Deref<Target = Common> + 'a,
    {
        self.str("id", items.iter().map(|o| Some(o.id.as_str())))
            .str(&format!("{kind}_id"), items.iter().map(|o| o.attack_id()))
            .str(kind, items.iter().map(|o| o.name.as_deref()))
    }
}

fn strs(v: &[String]) -> Option<impl Iterator<Item = &str>> {
    Some(v.iter().map(String::as_str))
}

/// The techniques frame of the given techniques.
pub(crate) fn techniques(items: &[&Technique]) -> Result<DataFrame> {
    FrameBuilder::new("techniques", items.len())
        .str("id", items.iter().map(|t| Some(t.id.as_str())))
        .str("technique_id", items.iter().map(|t| t.attack_id()))
        .str("technique", items.iter().map(|t| t.name.as_deref()))
        .str(
            "matrix",
            items.iter().map(|t| {
                t.matrix()
                    .or_else(|| Attack::domain_of(t).map(crate::Domain::matrix))
            }),
        )
        .list("tactic", items.iter().map(|t| Some(t.tactics())))
        .list("platform", items.iter().map(|t| strs(&t.platforms)))
        .list(
            "data_sources",
            items
                .iter()
                .map(|t| t.data_sources.as_deref().and_then(strs)),
        )
        .bool("is_subtechnique", items.iter().map(|t| t.is_subtechnique))
        .str(
            "parent_technique_id",
            items.iter().map(|t| t.parent_attack_id()),
        )
        .str(
            "technique_detection",
            items.iter().map(|t| t.detection.as_deref()),
        )
        .list(
            "defense_bypassed",
            items.iter().map(|t| strs(&t.defense_bypassed)),
        )
        .list(
            "permissions_required",
            items.iter().map(|t| strs(&t.permissions_required)),
        )
        .list(
            "effective_permissions",
            items.iter().map(|t| strs(&t.effective_permissions)),
        )
        .list(
            "system_requirements",
            items.iter().map(|t| strs(&t.system_requirements)),
        )
        .opt_bool(
            "network_requirements",
            items.iter().map(|t| t.network_requirements),
        )
        .opt_bool("remote_support", items.iter().map(|t| t.remote_support))
        .list("contributors", items.iter().map(|t| strs(&t.contributors)))
        .list("tactic_type", items.iter().map(|t| strs(&t.tactic_type)))
        .list("impact_type", items.iter().map(|t| strs(&t.impact_type)))
        .tail(items, false)
        .finish()
        .map_err(Into::into)
}

impl Attack {
    /// Techniques passing `status`, in load order.
    pub fn techniques_with(&self, status: ObjectStatus) -> Vec<&Technique> {
        self.techniques()
            .iter()
            .filter(|t| status.keeps(t))
            .collect()
    }

    /// Revoked techniques only, in load order (the seed notebook's `extract_revoked`); each
    /// one's replacement is [`Attack::revoked_by`].
    pub fn revoked_techniques(&self) -> Vec<&Technique> {
        self.techniques().iter().filter(|t| t.revoked).collect()
    }

    /// Every technique and sub-technique of every loaded domain, revoked and deprecated
    /// included (flagged in the `revoked` and `deprecated` columns), like the seed
    /// notebook's `get_techniques`.
    ///
    /// Columns: `id`, `technique_id`, `technique`, `matrix`, `tactic`, `platform`,
    /// `data_sources` (null when the technique has none), `is_subtechnique`,
    /// `parent_technique_id`, `technique_detection`, the requirement lists,
    /// `contributors`, `description`, `domain`, `url`, `version`, `created`, `modified`,
    /// `revoked`, `deprecated`.
    pub fn techniques_frame(&self) -> Result<DataFrame> {
        techniques(&self.techniques_with(ObjectStatus::All))
    }

    /// The techniques frame of the techniques passing `status`.
    pub fn techniques_frame_with(&self, status: ObjectStatus) -> Result<DataFrame> {
        techniques(&self.techniques_with(status))
    }

    /// The techniques frame (columns of [`Attack::techniques_frame`]) of a list of techniques,
    /// such as the answer of a query: a value that owns its data, so a notebook can keep it
    /// from one cell to the next.
    pub fn frame_of(&self, items: &[&Technique]) -> Result<DataFrame> {
        techniques(items)
    }

    /// Tactics in matrix order: one row per (matrix, tactic) with its `position`, then any
    /// tactic no matrix lists.
    pub fn tactics_frame(&self) -> Result<DataFrame> {
        let mut rows: Vec<(&Tactic, Option<&Matrix>, u32)> = Vec::new();
        for matrix in self.matrices() {
            for (i, tactic_ref) in matrix.tactic_refs.iter().enumerate() {
                if let Some(t) = self.tactics().iter().find(|t| &t.id == tactic_ref) {
                    rows.push((t, Some(matrix), i as u32 + 1));
                }
            }
        }
        for t in self.tactics() {
            if !rows.iter().any(|(r, _, _)| r.id == t.id) {
                rows.push((t, None, 0));
            }
        }
        let items: Vec<&Tactic> = rows.iter().map(|r| r.0).collect();
        FrameBuilder::new("tactics", rows.len())
            .str(
                "matrix",
                rows.iter().map(|r| r.1.and_then(|m| m.name.as_deref())),
            )
            .u32("position", rows.iter().map(|r| r.2))
            .head("tactic", &items)
            .str("shortname", items.iter().map(|t| t.shortname.as_deref()))
            .tail(&items, false)
            .finish()
            .map_err(Into::into)
    }

    /// Matrices with their tactic names in column order.
    pub fn matrices_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Matrix> = self.matrices().iter().collect();
        let names: Vec<Vec<&str>> = items
            .iter()
            .map(|m| {
                m.tactic_refs
                    .iter()
                    .filter_map(|r| self.get(r).map(|t| t.name()))
                    .collect()
            })
            .collect();
        FrameBuilder::new("matrices", items.len())
            .head("matrix", &items)
            .list("tactics", names.iter().map(|n| Some(n.iter().copied())))
            .tail(&items, false)
            .finish()
            .map_err(Into::into)
    }

    /// Groups (intrusion sets) with their aliases.
    pub fn groups_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Group> = self.groups().iter().collect();
        FrameBuilder::new("groups", items.len())
            .head("group", &items)
            .list("aliases", items.iter().map(|g| strs(&g.aliases)))
            .list("contributors", items.iter().map(|g| strs(&g.contributors)))
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Software: malware and tools (`type` column).
    pub fn software_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Software> = self.software().iter().collect();
        FrameBuilder::new("software", items.len())
            .head("software", &items)
            .str("type", items.iter().map(|s| Some(s.kind.as_str())))
            .list("aliases", items.iter().map(|s| strs(&s.aliases)))
            .list("platform", items.iter().map(|s| strs(&s.platforms)))
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Mitigations (courses of action).
    pub fn mitigations_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Mitigation> = self.mitigations().iter().collect();
        FrameBuilder::new("mitigations", items.len())
            .head("mitigation", &items)
            .str(
                "old_mitigation_id",
                items.iter().map(|m| m.old_attack_id.as_deref()),
            )
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Campaigns with their first and last sightings.
    pub fn campaigns_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Campaign> = self.campaigns().iter().collect();
        FrameBuilder::new("campaigns", items.len())
            .head("campaign", &items)
            .list("aliases", items.iter().map(|c| strs(&c.aliases)))
            .datetime("first_seen", items.iter().map(|c| c.first_seen.as_deref()))
            .datetime("last_seen", items.iter().map(|c| c.last_seen.as_deref()))
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// ICS assets.
    pub fn assets_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Asset> = self.assets().iter().collect();
        FrameBuilder::new("assets", items.len())
            .head("asset", &items)
            .list("platform", items.iter().map(|a| strs(&a.platforms)))
            .list("sectors", items.iter().map(|a| strs(&a.sectors)))
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Data sources (v9 to v17; deprecated in v18).
    pub fn data_sources_frame(&self) -> Result<DataFrame> {
        let items: Vec<&DataSource> = self.data_sources().iter().collect();
        FrameBuilder::new("data sources", items.len())
            .head("data_source", &items)
            .list("platform", items.iter().map(|d| strs(&d.platforms)))
            .list(
                "collection_layers",
                items.iter().map(|d| strs(&d.collection_layers)),
            )
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Data components with the data source they belong to (null from v18 on) and their
    /// log sources (`name: channel`, v18+).
    pub fn data_components_frame(&self) -> Result<DataFrame> {
        let items: Vec<&DataComponent> = self.data_components().iter().collect();
        let sources: Vec<Option<&DataSource>> = items
            .iter()
            .map(|c| {
                c.data_source_ref
                    .as_deref()
                    .and_then(|r| self.data_source_by_id(r))
            })
            .collect();
        let log_sources: Vec<Vec<String>> = items
            .iter()
            .map(|c| c.log_sources.iter().map(log_source_label).collect())
            .collect();
        FrameBuilder::new("data components", items.len())
            .head("data_component", &items)
            .str(
                "data_source_id",
                sources.iter().map(|s| s.and_then(|s| s.attack_id())),
            )
            .str(
                "data_source",
                sources.iter().map(|s| s.and_then(|s| s.name.as_deref())),
            )
            .list("log_sources", log_sources.iter().map(|l| strs(l)))
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Detection strategies (v18+) with their analytics' ATT&CK ids and the techniques they
    /// detect.
    pub fn detection_strategies_frame(&self) -> Result<DataFrame> {
        let items: Vec<&DetectionStrategy> = self.detection_strategies().iter().collect();
        let analytics: Vec<Vec<&str>> = items
            .iter()
            .map(|s| {
                s.analytic_refs
                    .iter()
                    .filter_map(|r| self.analytic_by_id(r).and_then(|a| a.attack_id()))
                    .collect()
            })
            .collect();
        let detected = self.detected_techniques();
        let techniques: Vec<Vec<&str>> = items
            .iter()
            .map(|s| detected.get(s.id.as_str()).cloned().unwrap_or_default())
            .collect();
        FrameBuilder::new("detection strategies", items.len())
            .head("detection_strategy", &items)
            .list(
                "analytic_ids",
                analytics.iter().map(|a| Some(a.iter().copied())),
            )
            .list(
                "technique_ids",
                techniques.iter().map(|t| Some(t.iter().copied())),
            )
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// ATT&CK ids of the techniques each object `detects` (active relationships).
    fn detected_techniques(&self) -> std::collections::HashMap<&str, Vec<&str>> {
        let mut map: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for r in self.relationships() {
            if r.relationship_type == "detects" && ObjectStatus::Active.keeps(r) {
                if let Some(t) = self
                    .technique_by_id(&r.target_ref)
                    .and_then(|t| t.attack_id())
                {
                    map.entry(r.source_ref.as_str()).or_default().push(t);
                }
            }
        }
        map
    }

    /// Analytics (v18+) with the detection strategy that lists them and the data components
    /// their log sources belong to.
    pub fn analytics_frame(&self) -> Result<DataFrame> {
        let items: Vec<&Analytic> = self.analytics().iter().collect();
        let mut strategy_of: std::collections::HashMap<&str, &DetectionStrategy> =
            Default::default();
        for s in self.detection_strategies() {
            for a in &s.analytic_refs {
                strategy_of.entry(a.as_str()).or_insert(s);
            }
        }
        let components: Vec<Vec<&str>> = items
            .iter()
            .map(|a| {
                let mut names: Vec<&str> = a
                    .log_source_references
                    .iter()
                    .filter_map(|l| {
                        l.x_mitre_data_component_ref
                            .as_deref()
                            .and_then(|r| self.data_component_by_id(r))
                            .map(|c| c.name())
                    })
                    .collect();
                names.dedup();
                names
            })
            .collect();
        FrameBuilder::new("analytics", items.len())
            .head("analytic", &items)
            .str(
                "detection_strategy_id",
                items
                    .iter()
                    .map(|a| strategy_of.get(a.id.as_str()).and_then(|s| s.attack_id())),
            )
            .list("platform", items.iter().map(|a| strs(&a.platforms)))
            .list(
                "data_components",
                components.iter().map(|c| Some(c.iter().copied())),
            )
            .tail(&items, true)
            .finish()
            .map_err(Into::into)
    }

    /// Log sources: one row per analytic log source reference (v18+), then one per log
    /// source a data component lists. Columns: `analytic_id` (null for data component
    /// rows), `data_component_id`, `data_component`, `log_source`, `channel`, `defined_by`.
    pub fn log_sources_frame(&self) -> Result<DataFrame> {
        struct Row<'a> {
            analytic: Option<&'a str>,
            component: Option<&'a DataComponent>,
            name: Option<&'a str>,
            channel: Option<&'a str>,
            defined_by: &'static str,
        }
        let mut rows = Vec::new();
        for a in self.analytics() {
            for l in &a.log_source_references {
                rows.push(Row {
                    analytic: a.attack_id(),
                    component: l
                        .x_mitre_data_component_ref
                        .as_deref()
                        .and_then(|r| self.data_component_by_id(r)),
                    name: l.name.as_deref(),
                    channel: l.channel.as_deref(),
                    defined_by: "x-mitre-analytic",
                });
            }
        }
        for c in self.data_components() {
            for l in &c.log_sources {
                rows.push(Row {
                    analytic: None,
                    component: Some(c),
                    name: l.name.as_deref(),
                    channel: l.channel.as_deref(),
                    defined_by: "x-mitre-data-component",
                });
            }
        }
        FrameBuilder::new("log sources", rows.len())
            .str("analytic_id", rows.iter().map(|r| r.analytic))
            .str(
                "data_component_id",
                rows.iter().map(|r| r.component.and_then(|c| c.attack_id())),
            )
            .str(
                "data_component",
                rows.iter()
                    .map(|r| r.component.and_then(|c| c.name.as_deref())),
            )
            .str("log_source", rows.iter().map(|r| r.name))
            .str("channel", rows.iter().map(|r| r.channel))
            .str("defined_by", rows.iter().map(|r| Some(r.defined_by)))
            .finish()
            .map_err(Into::into)
    }

    /// Every relationship as an edge: source and target STIX ids, types, ATT&CK ids and
    /// names, the relationship type and its description.
    pub fn relationships_frame(&self) -> Result<DataFrame> {
        relationships(self, &self.relationships().iter().collect::<Vec<_>>())
    }
}

pub(crate) fn log_source_label(l: &LogSource) -> String {
    match (&l.name, &l.channel) {
        (Some(n), Some(c)) => format!("{n}: {c}"),
        (Some(n), None) => n.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => String::new(),
    }
}

/// The edge frame of the given relationships.
pub(crate) fn relationships(attack: &Attack, items: &[&Relationship]) -> Result<DataFrame> {
    let sources: Vec<Option<&Common>> = items.iter().map(|r| attack.get(&r.source_ref)).collect();
    let targets: Vec<Option<&Common>> = items.iter().map(|r| attack.get(&r.target_ref)).collect();
    FrameBuilder::new("relationships", items.len())
        .str("id", items.iter().map(|r| Some(r.id.as_str())))
        .str(
            "relationship_type",
            items.iter().map(|r| Some(r.relationship_type.as_str())),
        )
        .str(
            "source_ref",
            items.iter().map(|r| Some(r.source_ref.as_str())),
        )
        .str(
            "source_type",
            items.iter().map(|r| Some(stix_type_of(&r.source_ref))),
        )
        .str(
            "source_id",
            sources.iter().map(|s| s.and_then(|s| s.attack_id())),
        )
        .str(
            "source_name",
            sources.iter().map(|s| s.and_then(|s| s.name.as_deref())),
        )
        .str(
            "target_ref",
            items.iter().map(|r| Some(r.target_ref.as_str())),
        )
        .str(
            "target_type",
            items.iter().map(|r| Some(stix_type_of(&r.target_ref))),
        )
        .str(
            "target_id",
            targets.iter().map(|s| s.and_then(|s| s.attack_id())),
        )
        .str(
            "target_name",
            targets.iter().map(|s| s.and_then(|s| s.name.as_deref())),
        )
        .str(
            "description",
            items.iter().map(|r| r.description.as_deref()),
        )
        .list("domain", items.iter().map(|r| strs(&r.domains)))
        .datetime("created", items.iter().map(|r| r.created.as_deref()))
        .datetime("modified", items.iter().map(|r| r.modified.as_deref()))
        .bool("revoked", items.iter().map(|r| r.revoked))
        .bool("deprecated", items.iter().map(|r| r.deprecated))
        .finish()
        .map_err(Into::into)
}

/// The STIX type part of a STIX id (`attack-pattern` of `attack-pattern--...`).
pub(crate) fn stix_type_of(id: &str) -> &str {
    id.split_once("--").map(|(t, _)| t).unwrap_or("")
}
