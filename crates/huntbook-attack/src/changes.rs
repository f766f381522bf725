//! What changed between two releases, object by object, as MITRE's own changelog tool
//! (mitreattack-python's `diff_stix`) sorts it: additions, deletions, revocations (and by
//! what), deprecations, major, minor and other version changes, and patches (same version,
//! new modification time or description); plus what a hunter checks before updating
//! mappings: renamed objects and techniques moved between tactics.

use std::collections::HashMap;

use polars::prelude::DataFrame;

use crate::attack::{Attack, ObjectStatus};
use crate::model::Common;
use crate::release::Domain;
use crate::{Error, Result};
use huntbook_frames::FrameBuilder;

/// How an object changed, in `diff_stix`'s sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new release.
    Addition,
    /// Newly revoked, replaced by another object.
    Revocation,
    /// Newly deprecated.
    Deprecation,
    /// `x_mitre_version` went to the next major version (1.2 -> 2.0).
    MajorVersion,
    /// `x_mitre_version` went to the next minor version (1.2 -> 1.3).
    MinorVersion,
    /// `x_mitre_version` changed some other way (skipped a number, went down).
    OtherVersion,
    /// Same version, but a new modification time or another description.
    Patch,
    /// Only in the old release.
    Deletion,
}

impl ChangeKind {
    /// The label of the `change` column (`diff_stix`'s section name).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Addition => "additions",
            ChangeKind::Revocation => "revocations",
            ChangeKind::Deprecation => "deprecations",
            ChangeKind::MajorVersion => "major_version_changes",
            ChangeKind::MinorVersion => "minor_version_changes",
            ChangeKind::OtherVersion => "other_version_changes",
            ChangeKind::Patch => "patches",
            ChangeKind::Deletion => "deletions",
        }
    }
}

/// One object's change.
struct Change<'a> {
    domain: Domain,
    category: &'static str,
    kind: ChangeKind,
    old: Option<&'a Common>,
    new: Option<&'a Common>,
    revoked_by: Option<&'a Common>,
    old_tactics: Vec<&'a str>,
    new_tactics: Vec<&'a str>,
}

/// `x_mitre_version` as (major, minor); absent is 0.0, as `diff_stix` reads it.
fn version(c: &Common) -> (u64, u64) {
    let v = c.version.as_deref().unwrap_or("0.0");
    let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
    (
        major.trim().parse().unwrap_or(0),
        minor.trim().parse().unwrap_or(0),
    )
}

fn description(c: &Common) -> String {
    c.description.as_deref().unwrap_or("").replace('\n', " ")
}

/// The objects of a release by `diff_stix` category and STIX id, with a technique's tactics.
type Objects<'a> = Vec<(&'static str, &'a Common, Vec<&'a str>)>;

fn objects(attack: &Attack) -> Objects<'_> {
    let mut all: Objects<'_> = Vec::new();
    for t in attack.techniques() {
        let category = if t.is_subtechnique {
            "sub-techniques"
        } else {
            "techniques"
        };
        all.push((category, &t.common, t.tactics().collect()));
    }
    macro_rules! add {
        ($($field:ident => $category:literal),*) => {$(
            all.extend(attack.$field().iter().map(|o| ($category, &o.common, Vec::new())));
        )*};
    }
    add!(
        software => "software",
        groups => "groups",
        campaigns => "campaigns",
        assets => "assets",
        mitigations => "mitigations",
        data_sources => "data sources",
        data_components => "data components",
        detection_strategies => "detection strategies",
        analytics => "analytics"
    );
    all
}

impl Attack {
    /// What changed from `old` to this release, one row per changed object and domain
    /// (an object in two domains' bundles counts in each, as `diff_stix` counts it).
    /// Objects that did not change are left out. Only the domains loaded in both releases
    /// are compared (a bundle read from a file is in its matrix's domain); two
    /// releases with no domain in common are an error, not an empty frame.
    ///
    /// Columns: `domain`, `type` (`techniques`, `sub-techniques`, `software`, `groups`,
    /// `campaigns`, `assets`, `mitigations`, `data sources`, `data components`,
    /// `detection strategies`, `analytics`), `change` ([`ChangeKind::as_str`]), `stix_id`,
    /// `attack_id`, `name`, `old_attack_id`, `old_name`, `old_version`, `new_version`,
    /// `renamed`, `description_changed`, `revoked_by_id`, `revoked_by`, `tactics_added`,
    /// `tactics_removed` (techniques: tactics gained or lost).
    pub fn changes_since(&self, old: &Attack) -> Result<DataFrame> {
        let domains: Vec<Domain> = self
            .domains()
            .iter()
            .copied()
            .filter(|d| old.domains().contains(d))
            .collect();
        if domains.is_empty() {
            let names = |a: &Attack| {
                let d: Vec<&str> = a.domains().iter().map(|d| d.as_str()).collect();
                if d.is_empty() {
                    "no domain".to_string()
                } else {
                    d.join(", ")
                }
            };
            return Err(Error::Invalid(format!(
                "no ATT&CK domain to compare: the new release ({}) holds {}, the old one ({}) {}",
                self.origins().join(", "),
                names(self),
                old.origins().join(", "),
                names(old)
            )));
        }
        let new_objects = objects(self);
        let old_objects = objects(old);
        let mut changes: Vec<Change<'_>> = Vec::new();
        for &domain in &domains {
            let in_domain = |c: &Common| c.domains.iter().any(|d| Domain::parse(d) == Some(domain));
            let index = |objects: &'_ Objects<'_>| -> HashMap<(&'static str, String), usize> {
                objects
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, c, _))| in_domain(c))
                    .map(|(i, (cat, c, _))| ((family(cat), c.id.clone()), i))
                    .collect()
            };
            let old_index = index(&old_objects);
            let new_index = index(&new_objects);
            for (key, &n) in &new_index {
                let (category, new, new_tactics) = &new_objects[n];
                let Some(&o) = old_index.get(key) else {
                    changes.push(Change {
                        domain,
                        category,
                        kind: ChangeKind::Addition,
                        old: None,
                        new: Some(new),
                        revoked_by: None,
                        old_tactics: vec![],
                        new_tactics: new_tactics.clone(),
                    });
                    continue;
                };
                let (_, old_c, old_tactics) = &old_objects[o];
                let mut revoked_by = None;
                let kind = if new.revoked {
                    if old_c.revoked {
                        continue;
                    }
                    // The object replacing it, of the same kind and domain (diff_stix skips
                    // a revocation whose replacement it cannot find).
                    let Some(by) = self
                        .relationships_from(&new.id, "revoked-by", ObjectStatus::All)
                        .next()
                        .and_then(|r| new_index.get(&(family(category), r.target_ref.clone())))
                    else {
                        continue;
                    };
                    revoked_by = Some(new_objects[*by].1);
                    ChangeKind::Revocation
                } else if new.deprecated {
                    if old_c.deprecated {
                        continue;
                    }
                    ChangeKind::Deprecation
                } else {
                    let (ov, nv) = (version(old_c), version(new));
                    if nv == (ov.0 + 1, 0) {
                        ChangeKind::MajorVersion
                    } else if nv == (ov.0, ov.1 + 1) {
                        ChangeKind::MinorVersion
                    } else if nv != ov {
                        ChangeKind::OtherVersion
                    } else if old_c.modified != new.modified
                        || description(old_c) != description(new)
                    {
                        ChangeKind::Patch
                    } else {
                        continue;
                    }
                };
                changes.push(Change {
                    domain,
                    category,
                    kind,
                    old: Some(old_c),
                    new: Some(new),
                    revoked_by,
                    old_tactics: old_tactics.clone(),
                    new_tactics: new_tactics.clone(),
                });
            }
            for (key, &o) in &old_index {
                if !new_index.contains_key(key) {
                    let (category, old_c, old_tactics) = &old_objects[o];
                    changes.push(Change {
                        domain,
                        category,
                        kind: ChangeKind::Deletion,
                        old: Some(old_c),
                        new: None,
                        revoked_by: None,
                        old_tactics: old_tactics.clone(),
                        new_tactics: vec![],
                    });
                }
            }
        }
        let order = |c: &Change<'_>| {
            let category = CATEGORIES
                .iter()
                .position(|x| *x == c.category)
                .unwrap_or(99);
            let object = c.new.or(c.old);
            let name = object.map(|o| o.name().to_string()).unwrap_or_default();
            // The STIX id last: names repeat (sub-techniques of two parents), and the rows
            // come from hash maps, so without it two runs could order ties differently.
            let id = object.map(|o| o.id.clone()).unwrap_or_default();
            (c.domain.as_str(), category, c.kind, name, id)
        };
        changes.sort_by_cached_key(order);
        changes_frame(&changes)
    }
}

/// The categories in the order rows come, as `diff_stix` lists them.
const CATEGORIES: [&str; 11] = [
    "techniques",
    "sub-techniques",
    "software",
    "groups",
    "campaigns",
    "assets",
    "mitigations",
    "data sources",
    "data components",
    "detection strategies",
    "analytics",
];

/// Techniques and sub-techniques are one family: a technique that became a sub-technique
/// changed, it was not deleted and added.
fn family(category: &'static str) -> &'static str {
    if category == "sub-techniques" {
        "techniques"
    } else {
        category
    }
}

fn changes_frame(changes: &[Change<'_>]) -> Result<DataFrame> {
    let old = |f: fn(&Common) -> Option<&str>| -> Vec<Option<&str>> {
        changes.iter().map(|c| c.old.and_then(f)).collect()
    };
    let new_or_old = |f: fn(&Common) -> Option<&str>| -> Vec<Option<&str>> {
        changes
            .iter()
            .map(|c| c.new.or(c.old).and_then(f))
            .collect()
    };
    let version_of =
        |c: Option<&Common>| c.map(|o| o.version.clone().unwrap_or_else(|| "0.0".into()));
    let old_versions: Vec<Option<String>> = changes.iter().map(|c| version_of(c.old)).collect();
    let new_versions: Vec<Option<String>> = changes.iter().map(|c| version_of(c.new)).collect();
    // Tactics gained (or lost), for objects in both releases.
    let moved = |gained: bool| -> Vec<Vec<&str>> {
        changes
            .iter()
            .map(|c| {
                if c.old.is_none() || c.new.is_none() {
                    return Vec::new();
                }
                let (from, to) = if gained {
                    (&c.new_tactics, &c.old_tactics)
                } else {
                    (&c.old_tactics, &c.new_tactics)
                };
                from.iter().filter(|t| !to.contains(t)).copied().collect()
            })
            .collect()
    };
    let (added, removed) = (moved(true), moved(false));
    FrameBuilder::new("release changes", changes.len())
        .str("domain", changes.iter().map(|c| Some(c.domain.as_str())))
        .str("type", changes.iter().map(|c| Some(c.category)))
        .str("change", changes.iter().map(|c| Some(c.kind.as_str())))
        .str("stix_id", new_or_old(|o| Some(o.id.as_str())))
        .str("attack_id", new_or_old(Common::attack_id))
        .str("name", new_or_old(|o| o.name.as_deref()))
        .str("old_attack_id", old(Common::attack_id))
        .str("old_name", old(|o| o.name.as_deref()))
        .str("old_version", old_versions.iter().map(|v| v.as_deref()))
        .str("new_version", new_versions.iter().map(|v| v.as_deref()))
        .bool(
            "renamed",
            changes.iter().map(|c| match (c.old, c.new) {
                (Some(o), Some(n)) => o.name != n.name,
                _ => false,
            }),
        )
        .bool(
            "description_changed",
            changes.iter().map(|c| match (c.old, c.new) {
                (Some(o), Some(n)) => description(o) != description(n),
                _ => false,
            }),
        )
        .str(
            "revoked_by_id",
            changes
                .iter()
                .map(|c| c.revoked_by.and_then(Common::attack_id)),
        )
        .str(
            "revoked_by",
            changes
                .iter()
                .map(|c| c.revoked_by.and_then(|o| o.name.as_deref())),
        )
        .list(
            "tactics_added",
            added.iter().map(|t| Some(t.iter().copied())),
        )
        .list(
            "tactics_removed",
            removed.iter().map(|t| Some(t.iter().copied())),
        )
        .finish()
        .map_err(Into::into)
}
