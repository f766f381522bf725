//! Typed ATT&CK objects, STIX 2.0 and 2.1.
//!
//! Every object type ATT&CK publishes has a struct here; all share [`Common`]. Parsing goes
//! through one wide private record (`RawObject`) read in a single streaming pass with lenient
//! field readers, then moved into the typed struct its `type` names, so a bundle of 25,000
//! objects parses at serde_json speed while unknown fields, unknown types and schema drift
//! (empty `x_mitre_data_source_ref`, missing booleans, mobile techniques without kill chain
//! phases) are tolerated.

use serde::{Deserialize, Serialize};

use crate::lenient::{self, lenient_object};

/// A reference to an outside source; ATT&CK puts its own id (`T1003`) in the first one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExternalReference {
    /// `mitre-attack`, `mitre-mobile-attack`, `mitre-ics-attack`, `mitre-pre-attack`, or the
    /// citation name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source_name: Option<String>,
    /// The ATT&CK id (`T1003.001`, `G0016`, `DS0009`, `DET0001`, `AN0001`) when
    /// `source_name` is an ATT&CK matrix.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// A link.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    /// The citation text.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
}

/// A technique's place in a kill chain: its tactic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KillChainPhase {
    /// `mitre-attack`, `mitre-mobile-attack`, `mitre-ics-attack`, ...
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub kill_chain_name: Option<String>,
    /// The tactic's short name (`credential-access`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phase_name: Option<String>,
}

/// A log source a data component is collected from (v18+ `x_mitre_log_sources`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogSource {
    /// `WinEventLog:Security`, `auditd:SYSCALL`, ...
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// `EventCode=4688`, ...
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub channel: Option<String>,
}

/// An analytic's reference to a log source of a data component (v18+).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogSourceReference {
    /// The data component's STIX id.
    #[serde(default, deserialize_with = "lenient::opt_ref")]
    pub x_mitre_data_component_ref: Option<String>,
    /// The log source name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The channel within it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub channel: Option<String>,
}

/// A tunable part of an analytic (v18+).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MutableElement {
    /// The field to tune.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub field: Option<String>,
    /// What tuning it means.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
}

/// An asset related to an ICS asset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelatedAsset {
    /// Its name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Sectors it is found in.
    #[serde(default, deserialize_with = "lenient::list")]
    pub related_asset_sectors: Vec<String>,
    /// Description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
}

/// One entry of a collection's contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectionContent {
    /// STIX id of the object.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub object_ref: Option<String>,
    /// Its `modified` time in this collection version.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub object_modified: Option<String>,
}

lenient_object!(
    ExternalReference,
    KillChainPhase,
    LogSource,
    LogSourceReference,
    MutableElement,
    RelatedAsset,
    CollectionContent,
);

/// The properties every ATT&CK object shares.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Common {
    /// STIX id (`attack-pattern--...`).
    pub id: String,
    /// STIX type (`attack-pattern`, ...).
    #[serde(rename = "type")]
    pub stix_type: String,
    /// `2.1` on STIX 2.1 objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_version: Option<String>,
    /// Creation time (RFC 3339).
    pub created: Option<String>,
    /// Last modification time (RFC 3339).
    pub modified: Option<String>,
    /// The creator's identity id.
    pub created_by_ref: Option<String>,
    /// Name (absent on relationships).
    pub name: Option<String>,
    /// Description (Markdown with citations).
    pub description: Option<String>,
    /// External references; the first holds the ATT&CK id.
    pub external_references: Vec<ExternalReference>,
    /// Marking definitions.
    pub object_marking_refs: Vec<String>,
    /// Replaced by another object (follow its `revoked-by` relationship).
    pub revoked: bool,
    /// No longer maintained (`x_mitre_deprecated`).
    #[serde(rename = "x_mitre_deprecated")]
    pub deprecated: bool,
    /// `x_mitre_version`.
    #[serde(rename = "x_mitre_version")]
    pub version: Option<String>,
    /// `x_mitre_domains`; when a release predates the field, the domains of the files the
    /// object was loaded from.
    #[serde(rename = "x_mitre_domains")]
    pub domains: Vec<String>,
    /// `x_mitre_modified_by_ref`.
    #[serde(rename = "x_mitre_modified_by_ref")]
    pub modified_by_ref: Option<String>,
    /// `x_mitre_attack_spec_version`.
    #[serde(rename = "x_mitre_attack_spec_version")]
    pub attack_spec_version: Option<String>,
    /// `x_mitre_contributors`.
    #[serde(rename = "x_mitre_contributors")]
    pub contributors: Vec<String>,
    /// `x_mitre_platforms` (techniques, software, data sources, analytics, assets).
    #[serde(rename = "x_mitre_platforms")]
    pub platforms: Vec<String>,
}

/// Source names ATT&CK uses for its own ids, one per matrix.
pub const ATTACK_SOURCE_NAMES: [&str; 4] = [
    "mitre-attack",
    "mitre-mobile-attack",
    "mitre-ics-attack",
    "mitre-pre-attack",
];

impl Common {
    fn attack_reference(&self) -> Option<&ExternalReference> {
        self.external_references.iter().find(|r| {
            r.external_id.is_some()
                && r.source_name
                    .as_deref()
                    .is_some_and(|s| ATTACK_SOURCE_NAMES.contains(&s))
        })
    }

    /// The ATT&CK id (`T1003.001`, `G0016`, `DS0009`, ...), if the object has one.
    pub fn attack_id(&self) -> Option<&str> {
        self.attack_reference()?.external_id.as_deref()
    }

    /// The matrix the ATT&CK id belongs to, as the seed notebook's `matrix` column shows it
    /// (`mitre-attack`, `mitre-mobile-attack`, `mitre-ics-attack`, `mitre-pre-attack`).
    pub fn matrix(&self) -> Option<&str> {
        self.attack_reference()?.source_name.as_deref()
    }

    /// The ATT&CK web page of the object.
    pub fn url(&self) -> Option<&str> {
        self.attack_reference()
            .or(self.external_references.first())?
            .url
            .as_deref()
    }

    /// The name, or `""`.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// Neither revoked nor deprecated.
    pub fn is_active(&self) -> bool {
        !self.revoked && !self.deprecated
    }
}

macro_rules! attack_object {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(try_from = "RawObject")]
        pub struct $name {
            /// The shared properties.
            #[serde(flatten)]
            pub common: Common,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl std::ops::Deref for $name {
            type Target = Common;
            fn deref(&self) -> &Common {
                &self.common
            }
        }

        impl TryFrom<RawObject> for $name {
            type Error = String;
            fn try_from(raw: RawObject) -> Result<Self, String> {
                match StixObject::from_raw(raw) {
                    StixObject::$name(object) => Ok(object),
                    other => Err(format!(
                        "expected a {} object, found type {:?} ({})",
                        stringify!($name),
                        other.common().stix_type,
                        other.common().id
                    )),
                }
            }
        }
    };
}

attack_object!(
    /// A technique or sub-technique (`attack-pattern`).
    Technique {
        /// Tactics the technique serves, by short name.
        pub kill_chain_phases: Vec<KillChainPhase>,
        /// `x_mitre_is_subtechnique`.
        #[serde(rename = "x_mitre_is_subtechnique")]
        pub is_subtechnique: bool,
        /// `x_mitre_data_sources`: `None` when the field is absent (releases before 9 used
        /// plain names like `Process monitoring`, 9 to 17 `Data Source: Data Component`,
        /// 18 dropped the field).
        #[serde(rename = "x_mitre_data_sources")]
        pub data_sources: Option<Vec<String>>,
        /// `x_mitre_detection`.
        #[serde(rename = "x_mitre_detection")]
        pub detection: Option<String>,
        /// `x_mitre_defense_bypassed`.
        #[serde(rename = "x_mitre_defense_bypassed")]
        pub defense_bypassed: Vec<String>,
        /// `x_mitre_permissions_required`.
        #[serde(rename = "x_mitre_permissions_required")]
        pub permissions_required: Vec<String>,
        /// `x_mitre_effective_permissions`.
        #[serde(rename = "x_mitre_effective_permissions")]
        pub effective_permissions: Vec<String>,
        /// `x_mitre_system_requirements`.
        #[serde(rename = "x_mitre_system_requirements")]
        pub system_requirements: Vec<String>,
        /// `x_mitre_network_requirements`.
        #[serde(rename = "x_mitre_network_requirements")]
        pub network_requirements: Option<bool>,
        /// `x_mitre_remote_support`.
        #[serde(rename = "x_mitre_remote_support")]
        pub remote_support: Option<bool>,
        /// `x_mitre_tactic_type` (mobile).
        #[serde(rename = "x_mitre_tactic_type")]
        pub tactic_type: Vec<String>,
        /// `x_mitre_impact_type`.
        #[serde(rename = "x_mitre_impact_type")]
        pub impact_type: Vec<String>,
        /// `x_mitre_old_attack_id`.
        #[serde(rename = "x_mitre_old_attack_id")]
        pub old_attack_id: Option<String>,
    }
);

impl Technique {
    /// Tactic short names, in kill chain order.
    pub fn tactics(&self) -> impl Iterator<Item = &str> {
        self.kill_chain_phases
            .iter()
            .filter_map(|p| p.phase_name.as_deref())
    }

    /// For a sub-technique, the parent's ATT&CK id (`T1003` for `T1003.001`).
    pub fn parent_attack_id(&self) -> Option<&str> {
        let id = self.attack_id()?;
        id.split_once('.').map(|(parent, _)| parent)
    }
}

attack_object!(
    /// A tactic (`x-mitre-tactic`).
    Tactic {
        /// The short name techniques use in their kill chain phases.
        #[serde(rename = "x_mitre_shortname")]
        pub shortname: Option<String>,
    }
);

attack_object!(
    /// A matrix (`x-mitre-matrix`): its tactics in display order.
    Matrix {
        /// Tactic ids, in column order.
        pub tactic_refs: Vec<String>,
    }
);

attack_object!(
    /// An adversary group (`intrusion-set`).
    Group {
        /// Other names, the group's own name first.
        pub aliases: Vec<String>,
    }
);

/// Whether a software entry is malware or a tool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SoftwareKind {
    /// `malware`.
    #[default]
    Malware,
    /// `tool`.
    Tool,
}

impl SoftwareKind {
    /// `malware` or `tool`, the STIX type.
    pub fn as_str(self) -> &'static str {
        match self {
            SoftwareKind::Malware => "malware",
            SoftwareKind::Tool => "tool",
        }
    }
}

attack_object!(
    /// Software (`malware` or `tool`).
    Software {
        /// Malware or tool.
        #[serde(skip)]
        pub kind: SoftwareKind,
        /// `x_mitre_aliases`.
        #[serde(rename = "x_mitre_aliases")]
        pub aliases: Vec<String>,
        /// STIX labels (`malware`, `tool` in STIX 2.0).
        pub labels: Vec<String>,
    }
);

attack_object!(
    /// A mitigation (`course-of-action`).
    Mitigation {
        /// `x_mitre_old_attack_id`.
        #[serde(rename = "x_mitre_old_attack_id")]
        pub old_attack_id: Option<String>,
    }
);

attack_object!(
    /// A campaign.
    Campaign {
        /// Other names.
        pub aliases: Vec<String>,
        /// First seen (RFC 3339).
        pub first_seen: Option<String>,
        /// Last seen (RFC 3339).
        pub last_seen: Option<String>,
    }
);

attack_object!(
    /// A data source (`x-mitre-data-source`), v9 to v17 (deprecated in v18).
    DataSource {
        /// `x_mitre_collection_layers`.
        #[serde(rename = "x_mitre_collection_layers")]
        pub collection_layers: Vec<String>,
    }
);

attack_object!(
    /// A data component (`x-mitre-data-component`).
    DataComponent {
        /// The data source it belongs to; absent from v18 on (the field is `""`).
        #[serde(rename = "x_mitre_data_source_ref")]
        pub data_source_ref: Option<String>,
        /// Log sources it is collected from (v18+).
        #[serde(rename = "x_mitre_log_sources")]
        pub log_sources: Vec<LogSource>,
    }
);

attack_object!(
    /// A detection strategy (`x-mitre-detection-strategy`, v18+).
    DetectionStrategy {
        /// Its analytics.
        #[serde(rename = "x_mitre_analytic_refs")]
        pub analytic_refs: Vec<String>,
    }
);

attack_object!(
    /// An analytic (`x-mitre-analytic`, v18+).
    Analytic {
        /// Log sources it reads, each tied to a data component.
        #[serde(rename = "x_mitre_log_source_references")]
        pub log_source_references: Vec<LogSourceReference>,
        /// Tunable parts.
        #[serde(rename = "x_mitre_mutable_elements")]
        pub mutable_elements: Vec<MutableElement>,
    }
);

attack_object!(
    /// An ICS asset (`x-mitre-asset`).
    Asset {
        /// `x_mitre_sectors`.
        #[serde(rename = "x_mitre_sectors")]
        pub sectors: Vec<String>,
        /// `x_mitre_related_assets`.
        #[serde(rename = "x_mitre_related_assets")]
        pub related_assets: Vec<RelatedAsset>,
    }
);

attack_object!(
    /// A collection (`x-mitre-collection`): a domain's release.
    Collection {
        /// Its objects.
        #[serde(rename = "x_mitre_contents")]
        pub contents: Vec<CollectionContent>,
    }
);

attack_object!(
    /// A relationship between two objects (`uses`, `mitigates`, `subtechnique-of`,
    /// `revoked-by`, `detects`, `attributed-to`, ...).
    Relationship {
        /// `uses`, `mitigates`, ...
        pub relationship_type: String,
        /// Source object id.
        pub source_ref: String,
        /// Target object id.
        pub target_ref: String,
    }
);

attack_object!(
    /// An identity (MITRE, the creator).
    Identity {
        /// `organization`, ...
        pub identity_class: Option<String>,
    }
);

attack_object!(
    /// A marking definition (the terms of use).
    MarkingDefinition {
        /// `statement`, ...
        pub definition_type: Option<String>,
        /// The definition, as given.
        pub definition: Option<serde_json::Value>,
    }
);

attack_object!(
    /// An object of a type this crate does not model; its shared properties are kept.
    Other {}
);

/// Any object of a bundle, typed by its `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, try_from = "RawObject")]
#[allow(missing_docs)]
pub enum StixObject {
    Technique(Technique),
    Tactic(Tactic),
    Matrix(Matrix),
    Group(Group),
    Software(Software),
    Mitigation(Mitigation),
    Campaign(Campaign),
    DataSource(DataSource),
    DataComponent(DataComponent),
    DetectionStrategy(DetectionStrategy),
    Analytic(Analytic),
    Asset(Asset),
    Collection(Collection),
    Relationship(Relationship),
    Identity(Identity),
    MarkingDefinition(MarkingDefinition),
    Other(Other),
}

impl StixObject {
    /// The shared properties.
    pub fn common(&self) -> &Common {
        match self {
            StixObject::Technique(o) => &o.common,
            StixObject::Tactic(o) => &o.common,
            StixObject::Matrix(o) => &o.common,
            StixObject::Group(o) => &o.common,
            StixObject::Software(o) => &o.common,
            StixObject::Mitigation(o) => &o.common,
            StixObject::Campaign(o) => &o.common,
            StixObject::DataSource(o) => &o.common,
            StixObject::DataComponent(o) => &o.common,
            StixObject::DetectionStrategy(o) => &o.common,
            StixObject::Analytic(o) => &o.common,
            StixObject::Asset(o) => &o.common,
            StixObject::Collection(o) => &o.common,
            StixObject::Relationship(o) => &o.common,
            StixObject::Identity(o) => &o.common,
            StixObject::MarkingDefinition(o) => &o.common,
            StixObject::Other(o) => &o.common,
        }
    }

    /// The shared properties, mutable.
    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            StixObject::Technique(o) => &mut o.common,
            StixObject::Tactic(o) => &mut o.common,
            StixObject::Matrix(o) => &mut o.common,
            StixObject::Group(o) => &mut o.common,
            StixObject::Software(o) => &mut o.common,
            StixObject::Mitigation(o) => &mut o.common,
            StixObject::Campaign(o) => &mut o.common,
            StixObject::DataSource(o) => &mut o.common,
            StixObject::DataComponent(o) => &mut o.common,
            StixObject::DetectionStrategy(o) => &mut o.common,
            StixObject::Analytic(o) => &mut o.common,
            StixObject::Asset(o) => &mut o.common,
            StixObject::Collection(o) => &mut o.common,
            StixObject::Relationship(o) => &mut o.common,
            StixObject::Identity(o) => &mut o.common,
            StixObject::MarkingDefinition(o) => &mut o.common,
            StixObject::Other(o) => &mut o.common,
        }
    }
}

/// The union of every field of every type, read in one pass; private.
#[derive(Debug, Default, Deserialize)]
#[serde(
    default,
    expecting = "a STIX object (a JSON object with \"type\" and \"id\")"
)]
pub(crate) struct RawObject {
    #[serde(deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    stix_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    spec_version: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    created: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    modified: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    created_by_ref: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    external_references: Vec<ExternalReference>,
    #[serde(deserialize_with = "lenient::list")]
    object_marking_refs: Vec<String>,
    #[serde(deserialize_with = "lenient::flag")]
    revoked: bool,
    #[serde(deserialize_with = "lenient::flag")]
    x_mitre_deprecated: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_version: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_domains: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_modified_by_ref: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_attack_spec_version: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_contributors: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_platforms: Vec<String>,

    // attack-pattern
    #[serde(deserialize_with = "lenient::list")]
    kill_chain_phases: Vec<KillChainPhase>,
    #[serde(deserialize_with = "lenient::flag")]
    x_mitre_is_subtechnique: bool,
    #[serde(deserialize_with = "lenient::opt_list")]
    x_mitre_data_sources: Option<Vec<String>>,
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_detection: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_defense_bypassed: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_permissions_required: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_effective_permissions: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_system_requirements: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    x_mitre_network_requirements: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    x_mitre_remote_support: Option<bool>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_tactic_type: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_impact_type: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_old_attack_id: Option<String>,

    // tactic, matrix
    #[serde(deserialize_with = "lenient::opt_string")]
    x_mitre_shortname: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    tactic_refs: Vec<String>,

    // groups, software, campaigns
    #[serde(deserialize_with = "lenient::list")]
    aliases: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_aliases: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    labels: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    first_seen: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    last_seen: Option<String>,

    // data sources and detections
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_collection_layers: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_ref")]
    x_mitre_data_source_ref: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_log_sources: Vec<LogSource>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_analytic_refs: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_log_source_references: Vec<LogSourceReference>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_mutable_elements: Vec<MutableElement>,

    // assets, collections
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_sectors: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_related_assets: Vec<RelatedAsset>,
    #[serde(deserialize_with = "lenient::list")]
    x_mitre_contents: Vec<CollectionContent>,

    // relationships, identities, markings
    #[serde(deserialize_with = "lenient::opt_string")]
    relationship_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    source_ref: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    target_ref: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    identity_class: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    definition_type: Option<String>,
    #[serde(deserialize_with = "lenient::any")]
    definition: Option<serde_json::Value>,
}

impl RawObject {
    /// True when the record has what every STIX object needs.
    pub(crate) fn is_object(&self) -> bool {
        self.id.is_some() && self.stix_type.is_some()
    }

    pub(crate) fn stix_type(&self) -> Option<&str> {
        self.stix_type.as_deref()
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl StixObject {
    pub(crate) fn from_raw(mut r: RawObject) -> Self {
        let stix_type = r.stix_type.take().unwrap_or_default();
        let common = Common {
            id: r.id.take().unwrap_or_default(),
            stix_type: stix_type.clone(),
            spec_version: r.spec_version.take(),
            created: r.created.take(),
            modified: r.modified.take(),
            created_by_ref: r.created_by_ref.take(),
            name: r.name.take(),
            description: r.description.take(),
            external_references: std::mem::take(&mut r.external_references),
            object_marking_refs: std::mem::take(&mut r.object_marking_refs),
            revoked: r.revoked,
            deprecated: r.x_mitre_deprecated,
            version: r.x_mitre_version.take(),
            domains: std::mem::take(&mut r.x_mitre_domains),
            modified_by_ref: r.x_mitre_modified_by_ref.take(),
            attack_spec_version: r.x_mitre_attack_spec_version.take(),
            contributors: std::mem::take(&mut r.x_mitre_contributors),
            platforms: std::mem::take(&mut r.x_mitre_platforms),
        };
        match stix_type.as_str() {
            "attack-pattern" => StixObject::Technique(Technique {
                common,
                kill_chain_phases: r.kill_chain_phases,
                is_subtechnique: r.x_mitre_is_subtechnique,
                data_sources: r.x_mitre_data_sources,
                detection: r.x_mitre_detection,
                defense_bypassed: r.x_mitre_defense_bypassed,
                permissions_required: r.x_mitre_permissions_required,
                effective_permissions: r.x_mitre_effective_permissions,
                system_requirements: r.x_mitre_system_requirements,
                network_requirements: r.x_mitre_network_requirements,
                remote_support: r.x_mitre_remote_support,
                tactic_type: r.x_mitre_tactic_type,
                impact_type: r.x_mitre_impact_type,
                old_attack_id: r.x_mitre_old_attack_id,
            }),
            "x-mitre-tactic" => StixObject::Tactic(Tactic {
                common,
                shortname: r.x_mitre_shortname,
            }),
            "x-mitre-matrix" => StixObject::Matrix(Matrix {
                common,
                tactic_refs: r.tactic_refs,
            }),
            "intrusion-set" => StixObject::Group(Group {
                common,
                aliases: r.aliases,
            }),
            "malware" | "tool" => StixObject::Software(Software {
                common,
                kind: if stix_type == "tool" {
                    SoftwareKind::Tool
                } else {
                    SoftwareKind::Malware
                },
                aliases: r.x_mitre_aliases,
                labels: r.labels,
            }),
            "course-of-action" => StixObject::Mitigation(Mitigation {
                common,
                old_attack_id: r.x_mitre_old_attack_id,
            }),
            "campaign" => StixObject::Campaign(Campaign {
                common,
                aliases: r.aliases,
                first_seen: r.first_seen,
                last_seen: r.last_seen,
            }),
            "x-mitre-data-source" => StixObject::DataSource(DataSource {
                common,
                collection_layers: r.x_mitre_collection_layers,
            }),
            "x-mitre-data-component" => StixObject::DataComponent(DataComponent {
                common,
                data_source_ref: r.x_mitre_data_source_ref,
                log_sources: r.x_mitre_log_sources,
            }),
            "x-mitre-detection-strategy" => StixObject::DetectionStrategy(DetectionStrategy {
                common,
                analytic_refs: r.x_mitre_analytic_refs,
            }),
            "x-mitre-analytic" => StixObject::Analytic(Analytic {
                common,
                log_source_references: r.x_mitre_log_source_references,
                mutable_elements: r.x_mitre_mutable_elements,
            }),
            "x-mitre-asset" => StixObject::Asset(Asset {
                common,
                sectors: r.x_mitre_sectors,
                related_assets: r.x_mitre_related_assets,
            }),
            "x-mitre-collection" => StixObject::Collection(Collection {
                common,
                contents: r.x_mitre_contents,
            }),
            "relationship" => StixObject::Relationship(Relationship {
                common,
                relationship_type: r.relationship_type.unwrap_or_default(),
                source_ref: r.source_ref.unwrap_or_default(),
                target_ref: r.target_ref.unwrap_or_default(),
            }),
            "identity" => StixObject::Identity(Identity {
                common,
                identity_class: r.identity_class,
            }),
            "marking-definition" => StixObject::MarkingDefinition(MarkingDefinition {
                common,
                definition_type: r.definition_type,
                definition: r.definition,
            }),
            _ => StixObject::Other(Other { common }),
        }
    }
}

impl TryFrom<RawObject> for StixObject {
    type Error = String;
    fn try_from(raw: RawObject) -> Result<Self, String> {
        if !raw.is_object() {
            return Err("not a STIX object: `id` and `type` are required".into());
        }
        Ok(StixObject::from_raw(raw))
    }
}
