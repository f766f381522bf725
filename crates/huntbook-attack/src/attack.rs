//! [`Attack`]: a loaded ATT&CK knowledge base, typed and indexed.

use std::collections::HashMap;

use crate::bundle::Bundle;
use crate::model::*;
use crate::release::Domain;

/// Which objects a query keeps, the same way everywhere in this crate.
///
/// ATT&CK never deletes: it *revokes* an object (replaced by another, reachable with
/// [`Attack::revoked_by`]) or *deprecates* it (no longer maintained). The seed notebook's
/// `remove_revoked` drops revoked objects only; attackcti 0.6's default
/// (`skip_revoked_deprecated=True`) drops both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectStatus {
    /// Neither revoked nor deprecated (the default of every query).
    #[default]
    Active,
    /// Not revoked; deprecated objects kept (the seed notebook's `remove_revoked`).
    NotRevoked,
    /// Everything, revoked and deprecated included.
    All,
}

impl ObjectStatus {
    /// Whether an object passes this filter.
    pub fn keeps(self, common: &Common) -> bool {
        match self {
            ObjectStatus::Active => common.is_active(),
            ObjectStatus::NotRevoked => !common.revoked,
            ObjectStatus::All => true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Technique,
    Tactic,
    Matrix,
    Group,
    Software,
    Mitigation,
    Campaign,
    DataSource,
    DataComponent,
    DetectionStrategy,
    Analytic,
    Asset,
    Collection,
    Relationship,
    Identity,
    MarkingDefinition,
    Other,
}

/// A loaded ATT&CK knowledge base: every object of the domains loaded, by type, with an
/// index by STIX id. An object published in several domains (software shared by Enterprise
/// and Mobile) is kept once, with the union of its domains.
///
/// Build one with [`crate::AttackLoader`], [`Attack::from_path`] or [`Attack::from_bundles`];
/// read it as typed slices (`attack.techniques()`) or polars frames
/// (`attack.techniques_frame()`).
#[derive(Debug, Clone, Default)]
pub struct Attack {
    pub(crate) release: Option<String>,
    pub(crate) domains: Vec<Domain>,
    pub(crate) origins: Vec<String>,
    pub(crate) load_report: Option<crate::LoadReport>,
    techniques: Vec<Technique>,
    tactics: Vec<Tactic>,
    matrices: Vec<Matrix>,
    groups: Vec<Group>,
    software: Vec<Software>,
    mitigations: Vec<Mitigation>,
    campaigns: Vec<Campaign>,
    data_sources: Vec<DataSource>,
    data_components: Vec<DataComponent>,
    detection_strategies: Vec<DetectionStrategy>,
    analytics: Vec<Analytic>,
    assets: Vec<Asset>,
    collections: Vec<Collection>,
    relationships: Vec<Relationship>,
    identities: Vec<Identity>,
    marking_definitions: Vec<MarkingDefinition>,
    others: Vec<Other>,
    by_id: HashMap<String, (Kind, usize)>,
}

macro_rules! dispatch {
    ($self:ident, $kind:expr, $idx:expr, |$o:ident| $body:expr) => {
        match $kind {
            Kind::Technique => {
                let $o = &mut $self.techniques[$idx].common;
                $body
            }
            Kind::Tactic => {
                let $o = &mut $self.tactics[$idx].common;
                $body
            }
            Kind::Matrix => {
                let $o = &mut $self.matrices[$idx].common;
                $body
            }
            Kind::Group => {
                let $o = &mut $self.groups[$idx].common;
                $body
            }
            Kind::Software => {
                let $o = &mut $self.software[$idx].common;
                $body
            }
            Kind::Mitigation => {
                let $o = &mut $self.mitigations[$idx].common;
                $body
            }
            Kind::Campaign => {
                let $o = &mut $self.campaigns[$idx].common;
                $body
            }
            Kind::DataSource => {
                let $o = &mut $self.data_sources[$idx].common;
                $body
            }
            Kind::DataComponent => {
                let $o = &mut $self.data_components[$idx].common;
                $body
            }
            Kind::DetectionStrategy => {
                let $o = &mut $self.detection_strategies[$idx].common;
                $body
            }
            Kind::Analytic => {
                let $o = &mut $self.analytics[$idx].common;
                $body
            }
            Kind::Asset => {
                let $o = &mut $self.assets[$idx].common;
                $body
            }
            Kind::Collection => {
                let $o = &mut $self.collections[$idx].common;
                $body
            }
            Kind::Relationship => {
                let $o = &mut $self.relationships[$idx].common;
                $body
            }
            Kind::Identity => {
                let $o = &mut $self.identities[$idx].common;
                $body
            }
            Kind::MarkingDefinition => {
                let $o = &mut $self.marking_definitions[$idx].common;
                $body
            }
            Kind::Other => {
                let $o = &mut $self.others[$idx].common;
                $body
            }
        }
    };
}

macro_rules! accessors {
    ($($(#[$m:meta])* $field:ident: $ty:ty;)*) => {$(
        $(#[$m])*
        pub fn $field(&self) -> &[$ty] {
            &self.$field
        }
    )*};
}

/// The domain of the one matrix (`x-mitre-matrix`) in `bundle`, if it has exactly one.
fn bundle_domain(bundle: &Bundle) -> Option<Domain> {
    let mut domains = bundle.objects.iter().filter_map(|o| match o {
        StixObject::Matrix(m) => m.common.attack_id().and_then(Domain::parse),
        _ => None,
    });
    let first = domains.next()?;
    domains.all(|d| d == first).then_some(first)
}

impl Attack {
    /// An empty knowledge base.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads one bundle file or a directory of bundles / per-object files, offline.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> crate::Result<Self> {
        let path = path.as_ref();
        let bundle = if path.is_dir() {
            Bundle::from_dir(path)?
        } else {
            Bundle::from_path(path)?
        };
        let mut attack = Self::new();
        attack.add_bundle(bundle, None);
        attack.origins.push(path.display().to_string());
        Ok(attack)
    }

    /// Builds a knowledge base from parsed bundles, each with the domain it was published
    /// for (used for objects that predate `x_mitre_domains`).
    pub fn from_bundles(bundles: impl IntoIterator<Item = (Bundle, Option<Domain>)>) -> Self {
        let mut attack = Self::new();
        for (bundle, domain) in bundles {
            attack.add_bundle(bundle, domain);
        }
        attack
    }

    /// Adds a bundle's objects.
    pub fn add_bundle(&mut self, bundle: Bundle, domain: Option<Domain>) {
        // A bundle given without its domain (a local file) is in the domain of its matrix, as
        // if the loader had named it; a bundle without one matrix (a fragment) is in the
        // domains its objects name (`x_mitre_domains`).
        let domain = domain.or_else(|| bundle_domain(&bundle));
        if let Some(d) = domain {
            self.add_domain(d);
        }
        self.techniques.reserve(bundle.objects.len() / 20);
        for object in bundle.objects {
            if domain.is_none() {
                for d in object
                    .common()
                    .domains
                    .iter()
                    .filter_map(|d| Domain::parse(d))
                {
                    self.add_domain(d);
                }
            }
            self.insert(object, domain);
        }
    }

    /// Records that `d` is loaded, once.
    fn add_domain(&mut self, d: Domain) {
        if !self.domains.contains(&d) {
            self.domains.push(d);
        }
    }

    /// Adds one object. An id already present only gains the new domain.
    pub fn insert(&mut self, mut object: StixObject, domain: Option<Domain>) {
        let domain = domain.map(Domain::as_str);
        if let Some(&(kind, idx)) = self.by_id.get(&object.common().id) {
            if let Some(domain) = domain {
                dispatch!(self, kind, idx, |common| {
                    if !common.domains.iter().any(|d| d == domain) {
                        common.domains.push(domain.to_string());
                    }
                });
            }
            return;
        }
        if let Some(domain) = domain {
            let common = object.common_mut();
            if common.domains.is_empty() {
                common.domains.push(domain.to_string());
            }
        }
        let id = object.common().id.clone();
        let entry = match object {
            StixObject::Technique(o) => push(&mut self.techniques, o, Kind::Technique),
            StixObject::Tactic(o) => push(&mut self.tactics, o, Kind::Tactic),
            StixObject::Matrix(o) => push(&mut self.matrices, o, Kind::Matrix),
            StixObject::Group(o) => push(&mut self.groups, o, Kind::Group),
            StixObject::Software(o) => push(&mut self.software, o, Kind::Software),
            StixObject::Mitigation(o) => push(&mut self.mitigations, o, Kind::Mitigation),
            StixObject::Campaign(o) => push(&mut self.campaigns, o, Kind::Campaign),
            StixObject::DataSource(o) => push(&mut self.data_sources, o, Kind::DataSource),
            StixObject::DataComponent(o) => push(&mut self.data_components, o, Kind::DataComponent),
            StixObject::DetectionStrategy(o) => {
                push(&mut self.detection_strategies, o, Kind::DetectionStrategy)
            }
            StixObject::Analytic(o) => push(&mut self.analytics, o, Kind::Analytic),
            StixObject::Asset(o) => push(&mut self.assets, o, Kind::Asset),
            StixObject::Collection(o) => push(&mut self.collections, o, Kind::Collection),
            StixObject::Relationship(o) => push(&mut self.relationships, o, Kind::Relationship),
            StixObject::Identity(o) => push(&mut self.identities, o, Kind::Identity),
            StixObject::MarkingDefinition(o) => {
                push(&mut self.marking_definitions, o, Kind::MarkingDefinition)
            }
            StixObject::Other(o) => push(&mut self.others, o, Kind::Other),
        };
        self.by_id.insert(id, entry);
    }

    /// The release loaded, when known (pinned, resolved from "latest", or read from the
    /// collection object).
    pub fn release(&self) -> Option<&str> {
        self.release
            .as_deref()
            .or_else(|| self.collections.iter().find_map(|c| c.version.as_deref()))
    }

    /// The domains loaded.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }

    /// Where the data came from (paths or URLs), in load order.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// Where each file came from (network, mirror, cache) and how long the load took, when
    /// loaded with [`crate::AttackLoader::load`]. Its `Display` is a few lines for a notebook.
    pub fn load_report(&self) -> Option<&crate::LoadReport> {
        self.load_report.as_ref()
    }

    /// How many objects are loaded, all types together.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when nothing is loaded.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    accessors! {
        /// Techniques and sub-techniques, in load order.
        techniques: Technique;
        /// Tactics.
        tactics: Tactic;
        /// Matrices.
        matrices: Matrix;
        /// Groups (intrusion sets).
        groups: Group;
        /// Software: malware and tools.
        software: Software;
        /// Mitigations (courses of action).
        mitigations: Mitigation;
        /// Campaigns.
        campaigns: Campaign;
        /// Data sources.
        data_sources: DataSource;
        /// Data components.
        data_components: DataComponent;
        /// Detection strategies (v18+).
        detection_strategies: DetectionStrategy;
        /// Analytics (v18+).
        analytics: Analytic;
        /// ICS assets.
        assets: Asset;
        /// Collections (one per domain release).
        collections: Collection;
        /// Relationships.
        relationships: Relationship;
        /// Identities.
        identities: Identity;
        /// Marking definitions.
        marking_definitions: MarkingDefinition;
        /// Objects of types this crate does not model.
        others: Other;
    }

    /// Any object by STIX id.
    pub fn get(&self, id: &str) -> Option<&Common> {
        let &(kind, idx) = self.by_id.get(id)?;
        Some(match kind {
            Kind::Technique => &self.techniques[idx].common,
            Kind::Tactic => &self.tactics[idx].common,
            Kind::Matrix => &self.matrices[idx].common,
            Kind::Group => &self.groups[idx].common,
            Kind::Software => &self.software[idx].common,
            Kind::Mitigation => &self.mitigations[idx].common,
            Kind::Campaign => &self.campaigns[idx].common,
            Kind::DataSource => &self.data_sources[idx].common,
            Kind::DataComponent => &self.data_components[idx].common,
            Kind::DetectionStrategy => &self.detection_strategies[idx].common,
            Kind::Analytic => &self.analytics[idx].common,
            Kind::Asset => &self.assets[idx].common,
            Kind::Collection => &self.collections[idx].common,
            Kind::Relationship => &self.relationships[idx].common,
            Kind::Identity => &self.identities[idx].common,
            Kind::MarkingDefinition => &self.marking_definitions[idx].common,
            Kind::Other => &self.others[idx].common,
        })
    }

    pub(crate) fn technique_by_id(&self, id: &str) -> Option<&Technique> {
        match self.by_id.get(id) {
            Some(&(Kind::Technique, idx)) => Some(&self.techniques[idx]),
            _ => None,
        }
    }

    pub(crate) fn data_component_by_id(&self, id: &str) -> Option<&DataComponent> {
        match self.by_id.get(id) {
            Some(&(Kind::DataComponent, idx)) => Some(&self.data_components[idx]),
            _ => None,
        }
    }

    pub(crate) fn data_source_by_id(&self, id: &str) -> Option<&DataSource> {
        match self.by_id.get(id) {
            Some(&(Kind::DataSource, idx)) => Some(&self.data_sources[idx]),
            _ => None,
        }
    }

    pub(crate) fn detection_strategy_by_id(&self, id: &str) -> Option<&DetectionStrategy> {
        match self.by_id.get(id) {
            Some(&(Kind::DetectionStrategy, idx)) => Some(&self.detection_strategies[idx]),
            _ => None,
        }
    }

    pub(crate) fn analytic_by_id(&self, id: &str) -> Option<&Analytic> {
        match self.by_id.get(id) {
            Some(&(Kind::Analytic, idx)) => Some(&self.analytics[idx]),
            _ => None,
        }
    }

    /// The domain a technique belongs to: its first `x_mitre_domains` entry, else the
    /// matrix of its ATT&CK id.
    pub fn domain_of(common: &Common) -> Option<Domain> {
        common
            .domains
            .iter()
            .find_map(|d| Domain::parse(d))
            .or_else(|| common.matrix().and_then(Domain::parse))
    }
}

fn push<T>(vec: &mut Vec<T>, object: T, kind: Kind) -> (Kind, usize) {
    vec.push(object);
    (kind, vec.len() - 1)
}
