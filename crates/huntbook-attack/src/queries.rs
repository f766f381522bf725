//! Look-ups by ATT&CK id, name or alias, and the relationship queries of a hunt.

use polars::prelude::*;

use crate::attack::{Attack, ObjectStatus};
use crate::error::FrameContext;
use crate::frames;
use crate::model::*;
use crate::{Error, Result};
use huntbook_frames::FrameBuilder;

/// Objects that can be looked up by ATT&CK id, STIX id, name or alias.
trait Named: std::ops::Deref<Target = Common> {
    fn aliases(&self) -> &[String] {
        &[]
    }
}

impl Named for Technique {}
impl Named for Mitigation {}
impl Named for Tactic {}
impl Named for DataComponent {}
impl Named for Group {
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}
impl Named for Software {
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}
impl Named for Campaign {
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

/// Finds one object: by STIX id, else ATT&CK id, else name, else alias (all but the STIX id
/// ignoring case). Among several matches an active object wins over a revoked or
/// deprecated one.
fn find<'a, T: Named>(items: &'a [T], kind: &'static str, query: &str) -> Result<&'a T> {
    let q = query.trim();
    let lower = q.to_lowercase();
    let rank = |t: &T| -> Option<u8> {
        if t.id == q {
            Some(0)
        } else if t.attack_id().is_some_and(|id| id.eq_ignore_ascii_case(q)) {
            Some(1)
        } else if t.name.as_deref().is_some_and(|n| n.to_lowercase() == lower) {
            Some(2)
        } else if t.aliases().iter().any(|a| a.to_lowercase() == lower) {
            Some(3)
        } else {
            None
        }
    };
    items
        .iter()
        .filter_map(|t| rank(t).map(|r| (r, !t.is_active(), t)))
        .min_by_key(|(r, inactive, _)| (*r, *inactive))
        .map(|(_, _, t)| t)
        .ok_or_else(|| Error::NotFound {
            kind,
            query: query.to_string(),
        })
}

impl Attack {
    /// A technique by ATT&CK id (`t1003.001`), STIX id or name, ignoring case.
    pub fn technique(&self, query: &str) -> Result<&Technique> {
        find(self.techniques(), "technique", query)
    }

    /// A group by ATT&CK id (`G0016`), STIX id, name or alias (`Cozy Bear`).
    pub fn group(&self, query: &str) -> Result<&Group> {
        find(self.groups(), "group", query)
    }

    /// Software by ATT&CK id (`S0002`), STIX id, name or alias.
    pub fn software_item(&self, query: &str) -> Result<&Software> {
        find(self.software(), "software", query)
    }

    /// A mitigation by ATT&CK id (`M1026`), STIX id or name.
    pub fn mitigation(&self, query: &str) -> Result<&Mitigation> {
        find(self.mitigations(), "mitigation", query)
    }

    /// A campaign by ATT&CK id (`C0024`), STIX id, name or alias.
    pub fn campaign(&self, query: &str) -> Result<&Campaign> {
        find(self.campaigns(), "campaign", query)
    }

    /// A tactic by ATT&CK id (`TA0006`), STIX id or name.
    pub fn tactic(&self, query: &str) -> Result<&Tactic> {
        find(self.tactics(), "tactic", query)
    }

    /// A data component by ATT&CK id (`DC0032`), STIX id or name.
    pub fn data_component(&self, query: &str) -> Result<&DataComponent> {
        find(self.data_components(), "data component", query)
    }

    /// Relationships of a type from `source` (a STIX id), passing `status` themselves.
    pub fn relationships_from<'a>(
        &'a self,
        source: &'a str,
        relationship_type: &'a str,
        status: ObjectStatus,
    ) -> impl Iterator<Item = &'a Relationship> + 'a {
        self.relationships().iter().filter(move |r| {
            r.source_ref == source && r.relationship_type == relationship_type && status.keeps(r)
        })
    }

    /// Relationships of a type to `target` (a STIX id), passing `status` themselves.
    pub fn relationships_to<'a>(
        &'a self,
        target: &'a str,
        relationship_type: &'a str,
        status: ObjectStatus,
    ) -> impl Iterator<Item = &'a Relationship> + 'a {
        self.relationships().iter().filter(move |r| {
            r.target_ref == target && r.relationship_type == relationship_type && status.keeps(r)
        })
    }

    /// Follows `revoked-by` relationships from a STIX id to the object that replaces it
    /// today (the object itself when it is not revoked; `None` for an unknown id).
    pub fn revoked_by(&self, id: &str) -> Option<&Common> {
        let mut current = self.get(id)?;
        for _ in 0..32 {
            if !current.revoked {
                return Some(current);
            }
            let next = self
                .relationships_from(&current.id, "revoked-by", ObjectStatus::All)
                .next()
                .and_then(|r| self.get(&r.target_ref))?;
            current = next;
        }
        Some(current)
    }

    /// Techniques a group uses, as a techniques frame with a `via` column (the group, or
    /// the campaign attributed to it) and the relationship `use_description`. With
    /// `include_campaigns`, techniques of campaigns `attributed-to` the group count too.
    pub fn techniques_used_by_group(
        &self,
        group: &str,
        include_campaigns: bool,
        status: ObjectStatus,
    ) -> Result<DataFrame> {
        let group = self.group(group)?;
        let mut sources: Vec<(&str, String)> = vec![(group.id.as_str(), group.name().to_string())];
        if include_campaigns {
            for r in self.relationships_to(&group.id, "attributed-to", status) {
                if let Some(c) = self
                    .get(&r.source_ref)
                    .filter(|c| c.stix_type == "campaign")
                {
                    let label = match c.attack_id() {
                        Some(id) => format!("campaign {id} ({})", c.name()),
                        None => format!("campaign {}", c.name()),
                    };
                    sources.push((c.id.as_str(), label));
                }
            }
        }
        let mut rows: Vec<(&Technique, String, Option<&str>)> = Vec::new();
        for (source, label) in &sources {
            for r in self.relationships_from(source, "uses", status) {
                if let Some(t) = self
                    .technique_by_id(&r.target_ref)
                    .filter(|t| status.keeps(t))
                {
                    if let Some(row) = rows.iter_mut().find(|row| row.0.id == t.id) {
                        if !row.1.split("; ").any(|v| v == label) {
                            row.1.push_str("; ");
                            row.1.push_str(label);
                        }
                    } else {
                        rows.push((t, label.clone(), r.description.as_deref()));
                    }
                }
            }
        }
        let techniques: Vec<&Technique> = rows.iter().map(|r| r.0).collect();
        let mut df = frames::techniques(&techniques)?;
        let extra = FrameBuilder::new("group techniques", rows.len())
            .str("via", rows.iter().map(|r| Some(r.1.as_str())))
            .str("use_description", rows.iter().map(|r| r.2))
            .finish()?;
        df.hstack_mut(extra.columns()).frame("group techniques")?;
        Ok(df)
    }

    /// Software a group uses: `software_id`, `software`, `type`, `aliases`, `platform`,
    /// `use_description`.
    pub fn software_used_by_group(&self, group: &str, status: ObjectStatus) -> Result<DataFrame> {
        let group = self.group(group)?;
        let rows: Vec<(&Software, Option<&str>)> = self
            .relationships_from(&group.id, "uses", status)
            .filter_map(|r| {
                self.software()
                    .iter()
                    .find(|s| s.id == r.target_ref && status.keeps(s))
                    .map(|s| (s, r.description.as_deref()))
            })
            .collect();
        let items: Vec<&Software> = rows.iter().map(|r| r.0).collect();
        FrameBuilder::new("group software", items.len())
            .str("software_id", items.iter().map(|s| s.attack_id()))
            .str("software", items.iter().map(|s| s.name.as_deref()))
            .str("type", items.iter().map(|s| Some(s.kind.as_str())))
            .list(
                "aliases",
                items
                    .iter()
                    .map(|s| Some(s.aliases.iter().map(String::as_str))),
            )
            .list(
                "platform",
                items
                    .iter()
                    .map(|s| Some(s.platforms.iter().map(String::as_str))),
            )
            .str("use_description", rows.iter().map(|r| r.1))
            .finish()
            .map_err(Into::into)
    }

    /// Techniques a piece of software uses, as a techniques frame.
    pub fn techniques_used_by_software(
        &self,
        software: &str,
        status: ObjectStatus,
    ) -> Result<DataFrame> {
        let software = self.software_item(software)?;
        let techniques: Vec<&Technique> = self
            .relationships_from(&software.id, "uses", status)
            .filter_map(|r| self.technique_by_id(&r.target_ref))
            .filter(|t| status.keeps(t))
            .collect();
        frames::techniques(&techniques)
    }

    /// Mitigations of a technique: `mitigation_id`, `mitigation`, `description` (how it
    /// mitigates this technique, from the relationship).
    pub fn mitigations_of_technique(
        &self,
        technique: &str,
        status: ObjectStatus,
    ) -> Result<DataFrame> {
        let technique = self.technique(technique)?;
        let rows: Vec<(&Mitigation, Option<&str>)> = self
            .relationships_to(&technique.id, "mitigates", status)
            .filter_map(|r| {
                self.mitigations()
                    .iter()
                    .find(|m| m.id == r.source_ref && status.keeps(m))
                    .map(|m| (m, r.description.as_deref()))
            })
            .collect();
        FrameBuilder::new("technique mitigations", rows.len())
            .str("mitigation_id", rows.iter().map(|r| r.0.attack_id()))
            .str("mitigation", rows.iter().map(|r| r.0.name.as_deref()))
            .str("description", rows.iter().map(|r| r.1))
            .finish()
            .map_err(Into::into)
    }

    /// Sub-techniques of a technique (`subtechnique-of` relationships), as a techniques
    /// frame.
    pub fn subtechniques_of(&self, technique: &str, status: ObjectStatus) -> Result<DataFrame> {
        let parent = self.technique(technique)?;
        let subs: Vec<&Technique> = self
            .relationships_to(&parent.id, "subtechnique-of", status)
            .filter_map(|r| self.technique_by_id(&r.source_ref))
            .filter(|t| status.keeps(t))
            .collect();
        frames::techniques(&subs)
    }
}
