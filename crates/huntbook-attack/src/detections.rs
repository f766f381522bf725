//! How a technique is detected, one row per log source, and the reverse: which techniques a
//! data component, a log source or a channel helps detect.
//!
//! From ATT&CK v18 on, a detection strategy `detects` a technique and lists analytics; each
//! analytic (per platform, with its tunable fields) reads log sources, each tied to a data
//! component (`WinEventLog:Security`, channel `EventCode=4688`, data component Process
//! Creation). Before v18, a technique lists its data sources and data components
//! (`x_mitre_data_sources`, and from v10 data components `detects` it): those are the rows
//! then, with the strategy, analytic and log source columns null. One frame answers both.

use std::collections::HashMap;

use polars::prelude::DataFrame;

use crate::attack::{Attack, ObjectStatus};
use crate::datasources::Method;
use crate::error::Error;
use crate::model::{Analytic, DataComponent, DetectionStrategy, LogSourceReference, Technique};
use crate::Result;
use huntbook_frames::FrameBuilder;

/// One row of a detections frame.
struct Row<'a> {
    technique: &'a Technique,
    strategy: Option<&'a DetectionStrategy>,
    analytic: Option<&'a Analytic>,
    component_id: Option<&'a str>,
    component_stix_id: Option<&'a str>,
    component: Option<String>,
    data_source: Option<String>,
    log_source: Option<&'a str>,
    channel: Option<&'a str>,
    method: String,
}

impl Row<'_> {
    /// Whether `query` (lower case) names this row's data component (name, ATT&CK id or
    /// STIX id), data source, log source or channel.
    fn is_detected_by(&self, query: &str) -> bool {
        let same = |v: Option<&str>| v.is_some_and(|v| v.to_lowercase() == query);
        same(self.component.as_deref())
            || same(self.component_id)
            || same(self.component_stix_id)
            || same(self.data_source.as_deref())
            || same(self.log_source)
            || same(self.channel)
    }
}

impl Attack {
    /// How one technique (ATT&CK id, STIX id or name) is detected. On v18 and later: one row
    /// per log source of each analytic of each detection strategy that `detects` it
    /// (active relationships). On earlier releases: one row per data source and data
    /// component it lists, with the strategy, analytic and log source columns null.
    ///
    /// Columns: `technique_id`, `technique`, `detection_strategy_id`,
    /// `detection_strategy`, `analytic_id`, `analytic`, `platforms`, `analytic_description`,
    /// `tunable_fields` (the analytic's mutable elements), `data_component_id`,
    /// `data_component`, `data_source`, `log_source`, `channel`, `method` (how the row was
    /// found: `detection strategy`, `x_mitre_data_sources`, `detects relationship`, ...).
    pub fn technique_detections(&self, technique: &str) -> Result<DataFrame> {
        let technique = self.technique(technique)?;
        let rows = self.detection_rows(|t| std::ptr::eq(t, technique), ObjectStatus::Active);
        detections_frame(&rows)
    }

    /// The detections of every technique passing `status`, as [`technique_detections`]
    /// gives them for one.
    ///
    /// [`technique_detections`]: Attack::technique_detections
    pub fn detections_frame(&self, status: ObjectStatus) -> Result<DataFrame> {
        let rows = self.detection_rows(|t| status.keeps(t), ObjectStatus::Active);
        detections_frame(&rows)
    }

    /// The reverse of [`technique_detections`]: the rows of every technique passing
    /// `status` whose data component (name, ATT&CK id or STIX id), data source, log source
    /// name or channel is `query`, ignoring case (`Process Creation`, `DC0032`,
    /// `WinEventLog:Security`, `EventCode=4688`). An error when nothing in the release has
    /// that name, so a typo is not mistaken for a gap in coverage.
    ///
    /// [`technique_detections`]: Attack::technique_detections
    pub fn techniques_detected_by(&self, query: &str, status: ObjectStatus) -> Result<DataFrame> {
        let q = query.trim().to_lowercase();
        let rows: Vec<Row<'_>> = self
            .detection_rows(|t| status.keeps(t), ObjectStatus::Active)
            .into_iter()
            .filter(|r| r.is_detected_by(&q))
            .collect();
        if rows.is_empty() && !self.names_a_log_source(&q) {
            return Err(Error::NotFound {
                kind: "data component, data source, log source or channel",
                query: query.to_string(),
            });
        }
        detections_frame(&rows)
    }

    /// Whether a data component, data source or log source of the release is named `q`
    /// (lower case), whether or not it detects anything.
    fn names_a_log_source(&self, q: &str) -> bool {
        let same = |v: Option<&str>| v.is_some_and(|v| v.to_lowercase() == q);
        self.data_components().iter().any(|c| {
            same(c.name.as_deref())
                || same(c.attack_id())
                || same(Some(&c.id))
                || c.log_sources
                    .iter()
                    .any(|l| same(l.name.as_deref()) || same(l.channel.as_deref()))
        }) || self
            .data_sources()
            .iter()
            .any(|s| same(s.name.as_deref()) || same(s.attack_id()))
    }

    fn detection_rows<'a>(
        &'a self,
        wanted: impl Fn(&Technique) -> bool,
        relationships: ObjectStatus,
    ) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        // v18 and later: detection strategy -> analytics -> log source references.
        for r in self.relationships() {
            if r.relationship_type != "detects" || !relationships.keeps(r) {
                continue;
            }
            let (Some(technique), Some(strategy)) = (
                self.technique_by_id(&r.target_ref),
                self.detection_strategy_by_id(&r.source_ref),
            ) else {
                continue;
            };
            if !wanted(technique) {
                continue;
            }
            let row = |analytic: Option<&'a Analytic>,
                       component: Option<&'a DataComponent>,
                       reference: Option<&'a LogSourceReference>| Row {
                technique,
                strategy: Some(strategy),
                analytic,
                component_id: component.and_then(|c| c.attack_id()),
                component_stix_id: component.map(|c| c.id.as_str()),
                component: component.and_then(|c| c.name.clone()),
                data_source: component
                    .and_then(|c| c.data_source_ref.as_deref())
                    .and_then(|s| self.data_source_by_id(s))
                    .and_then(|s| s.name.clone()),
                log_source: reference.and_then(|l| l.name.as_deref()),
                channel: reference.and_then(|l| l.channel.as_deref()),
                method: Method::DetectionStrategy.as_str().to_string(),
            };
            let analytics: Vec<&Analytic> = strategy
                .analytic_refs
                .iter()
                .filter_map(|a| self.analytic_by_id(a))
                .collect();
            if analytics.is_empty() {
                rows.push(row(None, None, None));
            }
            for analytic in analytics {
                if analytic.log_source_references.is_empty() {
                    rows.push(row(Some(analytic), None, None));
                }
                for reference in &analytic.log_source_references {
                    let component = reference
                        .x_mitre_data_component_ref
                        .as_deref()
                        .and_then(|c| self.data_component_by_id(c));
                    rows.push(row(Some(analytic), component, Some(reference)));
                }
            }
        }
        // Before v18: the data sources and components the technique lists, one row per
        // (data source, data component), naming every method that found it.
        // (technique, data source, data component) -> its row.
        let mut row_of: HashMap<(&str, Option<String>, Option<String>), usize> = HashMap::new();
        for link in self.technique_data_source_links(relationships) {
            if link.method == Method::DetectionStrategy || !wanted(link.technique) {
                continue;
            }
            let key = (
                link.technique.id.as_str(),
                link.data_source.clone(),
                link.data_component.clone(),
            );
            if let Some(&at) = row_of.get(&key) {
                let row = &mut rows[at];
                if !row.method.contains(link.method.as_str()) {
                    row.method.push_str(", ");
                    row.method.push_str(link.method.as_str());
                }
                continue;
            }
            row_of.insert(key, rows.len());
            let component = link.data_component.as_deref().and_then(|name| {
                self.data_components()
                    .iter()
                    .filter(|c| c.name.as_deref() == Some(name))
                    .find(|c| {
                        link.data_source.is_none()
                            || c.data_source_ref
                                .as_deref()
                                .and_then(|s| self.data_source_by_id(s))
                                .and_then(|s| s.name.as_deref())
                                == link.data_source.as_deref()
                    })
            });
            rows.push(Row {
                technique: link.technique,
                strategy: None,
                analytic: None,
                component_id: component.and_then(|c| c.attack_id()),
                component_stix_id: component.map(|c| c.id.as_str()),
                component: link.data_component,
                data_source: link.data_source,
                log_source: None,
                channel: None,
                method: link.method.as_str().to_string(),
            });
        }
        rows
    }
}

fn detections_frame(rows: &[Row<'_>]) -> Result<DataFrame> {
    let tunable: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            r.analytic
                .map(|a| {
                    a.mutable_elements
                        .iter()
                        .filter_map(|m| m.field.as_deref())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    FrameBuilder::new("detections", rows.len())
        .str("technique_id", rows.iter().map(|r| r.technique.attack_id()))
        .str(
            "technique",
            rows.iter().map(|r| r.technique.name.as_deref()),
        )
        .str(
            "detection_strategy_id",
            rows.iter().map(|r| r.strategy.and_then(|s| s.attack_id())),
        )
        .str(
            "detection_strategy",
            rows.iter()
                .map(|r| r.strategy.and_then(|s| s.name.as_deref())),
        )
        .str(
            "analytic_id",
            rows.iter().map(|r| r.analytic.and_then(|a| a.attack_id())),
        )
        .str(
            "analytic",
            rows.iter()
                .map(|r| r.analytic.and_then(|a| a.name.as_deref())),
        )
        .list(
            "platforms",
            rows.iter()
                .map(|r| r.analytic.map(|a| a.platforms.iter().map(String::as_str))),
        )
        .str(
            "analytic_description",
            rows.iter()
                .map(|r| r.analytic.and_then(|a| a.description.as_deref())),
        )
        .list(
            "tunable_fields",
            rows.iter()
                .zip(&tunable)
                .map(|(r, t)| r.analytic.map(|_| t.iter().copied())),
        )
        .str("data_component_id", rows.iter().map(|r| r.component_id))
        .str(
            "data_component",
            rows.iter().map(|r| r.component.as_deref()),
        )
        .str("data_source", rows.iter().map(|r| r.data_source.as_deref()))
        .str("log_source", rows.iter().map(|r| r.log_source))
        .str("channel", rows.iter().map(|r| r.channel))
        .str("method", rows.iter().map(|r| Some(r.method.as_str())))
        .finish()
        .map_err(Into::into)
}
