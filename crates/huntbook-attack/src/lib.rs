//! MITRE ATT&CK for hunters: every release, every source, typed objects and polars frames,
//! offline-first.
//!
//! - **Sources** ([`Source`]): the STIX 2.0 release files of `mitre/cti` (the default), the
//!   STIX 2.1 files of `attack-stix-data` (with `index.json` resolving "latest"), MITRE's TAXII
//!   2.1 server, or a local bundle file or directory. Mirrors, the cache and offline mode come
//!   from [`huntbook_fetch`] (`HUNTBOOK_MIRROR`, `HUNTBOOK_CACHE_DIR`, `HUNTBOOK_OFFLINE`);
//!   `HUNTBOOK_ATTACK_RELEASE` pins the release.
//! - **Model** ([`model`]): a typed struct per ATT&CK object type, tolerant of schema drift.
//! - **Frames**: `attack.techniques_frame()`, `tactics_frame()`, `groups_frame()`, ... with
//!   typed columns, and [`Attack::technique_data_sources`], which answers "which data sources
//!   see this technique" on every release, v18's detection strategies included.
//! - **Detections**: [`Attack::technique_detections`] follows one technique to its
//!   detection strategies, analytics and log sources (v18+; the data components it lists
//!   before), and [`Attack::techniques_detected_by`] goes back from a data component, log
//!   source or channel to the techniques it helps detect.
//! - **Queries**: look-ups by ATT&CK id, name or alias; techniques of a group (campaigns
//!   optional), software of a group, techniques of software, mitigations, sub-techniques,
//!   `revoked-by` chains; all filtered by one [`ObjectStatus`] rule.
//!
//! ```
//! use huntbook_attack::{Attack, Bundle, Domain, ObjectStatus};
//!
//! let bundle = Bundle::from_slice(br#"{"type": "bundle", "id": "bundle--1", "objects": [
//!   {"type": "attack-pattern", "id": "attack-pattern--1", "name": "OS Credential Dumping",
//!    "external_references": [{"source_name": "mitre-attack", "external_id": "T1003"}],
//!    "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}],
//!    "x_mitre_data_sources": ["Process: Process Access"]}]}"#, "example.json")?;
//! let attack = Attack::from_bundles([(bundle, Some(Domain::Enterprise))]);
//! assert_eq!(attack.technique("t1003")?.name(), "OS Credential Dumping");
//! let techniques = attack.techniques_frame()?;
//! assert_eq!(techniques.height(), 1);
//! let found = attack.techniques_by_data_components(&["process access"], ObjectStatus::Active);
//! assert_eq!(found.len(), 1);
//! # Ok::<(), huntbook_attack::Error>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod attack;
mod bundle;
mod changes;
mod datasources;
mod detections;
mod error;
mod frames;
mod lenient;
mod loader;
mod matrix;
pub mod model;
mod provenance;
mod queries;
mod release;
mod taxii;

pub use attack::{Attack, ObjectStatus};
pub use bundle::Bundle;
pub use changes::ChangeKind;
pub use datasources::{DataSourceLink, Method};
pub use error::{Error, Result};
pub use loader::{AttackLoader, Source, ENV_RELEASE, ENV_SOURCE};
pub use matrix::MatrixColumn;
pub use model::StixObject;
pub use provenance::{FileSource, LoadReport, LoadedFile};
pub use release::{compare_versions, Domain, IndexCollection, IndexVersion, Release, ReleaseIndex};
pub use taxii::{CollectionInfo, TaxiiClient, TAXII_MEDIA_TYPE};

pub use huntbook_fetch::{FetchConfig, Fetcher, Location};
